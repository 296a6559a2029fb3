"""A local record of what a create run made, kept until the run ends cleanly: `<state dir>/provisioning/
<target>/<name>.json`. It is what proves, after a rollback whose cleanup failed or a killed process, that a
leftover resource pool or folder without an endpoint VM is this tool's: `ls` shows such leftovers and
`delete NAME` removes them (only while they are empty). Entries are written right after each creation."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from tui.core import paths

DATACENTER, FOLDER, POOL, VM, DATASTORE_FOLDER = "datacenter", "folder", "pool", "vm", "datastore-folder"


@dataclass(frozen=True)
class Entry:
    kind: str
    ref: str  # managed object id, or the datastore path for a datastore folder
    label: str


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)


def journal_dir(target_label: str) -> Path:
    return paths.state_dir() / "provisioning" / _safe(target_label)


class Journal:
    def __init__(self, target_label: str, name: str) -> None:
        self.target_label, self.name = target_label, name
        self.path = journal_dir(target_label) / f"{_safe(name)}.json"
        self.entries: list[Entry] = []
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text())
                self.entries = [Entry(**e) for e in data.get("entries", [])]
            except (ValueError, TypeError, OSError):
                self.entries = []  # an unreadable record proves nothing: treat as empty

    @classmethod
    def for_session(cls, session, name: str) -> "Journal":
        return cls(session.target.label, name)

    def add(self, kind: str, ref: str, label: str) -> None:
        self.entries = [e for e in self.entries if e.kind != kind] + [Entry(kind, ref, label)]
        self._save()

    def drop(self, kind: str) -> None:
        self.entries = [e for e in self.entries if e.kind != kind]
        self._save()

    def get(self, kind: str) -> Entry | None:
        return next((e for e in self.entries if e.kind == kind), None)

    def clear(self) -> None:
        self.entries = []
        self.path.unlink(missing_ok=True)

    def _save(self) -> None:
        if not self.entries:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"name": self.name, "target": self.target_label,
                                   "entries": [asdict(e) for e in self.entries]}, indent=1))
        os.replace(tmp, self.path)


def journals(target_label: str) -> list[Journal]:
    folder = journal_dir(target_label)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            name = json.loads(path.read_text()).get("name") or path.stem
        except (ValueError, OSError):
            continue
        journal = Journal(target_label, name)
        if journal.entries:
            out.append(journal)
    return out
