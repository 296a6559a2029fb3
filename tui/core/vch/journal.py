"""A local record of what a create run made, kept until the run ends cleanly: `<state dir>/provisioning/
<vCenter instance UUID>/<exactly encoded name>.json`. It is what proves, after a rollback whose cleanup
failed or a killed process, that a leftover resource pool, folder, VM, datastore folder or local certificate
file is this tool's: `ls` shows such leftovers and `delete NAME` removes them after checking that each still is
the object recorded.

The intent (kind, name, parent) is written **before** each create call and the managed object id after it,
so a process killed inside CreateFolder, CreateResourcePool or CreateVM leaves a record that `delete` resolves
by name under the recorded parent. Local files are recorded with their SHA-256: one changed since is kept.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from tui.core import paths

DATACENTER, FOLDER, POOL, VM, DATASTORE_FOLDER, LOCAL, BRIDGE, VOLUME_FOLDERS = (
    "datacenter",
    "folder",
    "pool",
    "vm",
    "datastore-folder",
    "local",
    "bridge-network",  # standalone ESXi: the vSwitch and port group made for the bridge (bridge_network.py)
    "volume-folders",  # the volume store folders this run may have made (volume_folders.py)
)
MAX_BYTES = 1 << 20  # a journal is a few hundred bytes; anything bigger is not one


@dataclass(frozen=True)
class Entry:
    kind: str
    ref: str | None  # managed object id once created (None: only intended), or the datastore path / local folder
    label: str
    name: str = ""  # the object's name as asked for
    parent: str = ""  # the parent's managed object id (the datacenter's for a datastore folder)
    # DATASTORE_FOLDER: names this run uploaded; LOCAL: (path, sha256) pairs; BRIDGE: parts; VOLUME_FOLDERS: paths
    files: tuple = ()

    @classmethod
    def from_json(cls, data: dict) -> "Entry":
        if not isinstance(data, dict):
            raise TypeError("entry is not a table")
        files = tuple(tuple(f) if isinstance(f, list) else f for f in data.get("files") or ())
        values = {k: data.get(k) for k in ("kind", "ref", "label", "name", "parent")}
        kind, label = _text(values, "kind"), _text(values, "label")
        return cls(
            kind,
            values["ref"] if isinstance(values["ref"], str) else None,
            label,
            values["name"] if isinstance(values["name"], str) else "",
            values["parent"] if isinstance(values["parent"], str) else "",
            files,
        )


def _text(values: dict, key: str) -> str:
    value = values[key]
    if not isinstance(value, str):
        raise TypeError(f"entry {key} is not text")
    return value


def encode_name(name: str) -> str:
    """An exact, reversible file name for a VCH name: `a b` → `a%20b`, `a_b` → `a_b`, `.` → `%2E`."""
    return urllib.parse.quote(name, safe="-_").replace(".", "%2E") or "%00"


def decode_name(stem: str) -> str:
    return urllib.parse.unquote(stem) if stem != "%00" else ""


def site_key(session) -> str:
    """The vCenter's instance UUID (stable across addresses and ports); a host's label on ESXi."""
    about = getattr(getattr(session, "content", None), "about", None)
    uuid = getattr(about, "instanceUuid", None)
    if isinstance(uuid, str) and uuid.strip():
        return "vc-" + encode_name(uuid.strip().lower())
    return "host-" + encode_name(session.target.label)


def journal_dir(key: str) -> Path:
    return paths.state_dir() / "provisioning" / key


def _sha256(path: Path) -> str | None:
    import hashlib

    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


class Journal:
    def __init__(self, key: str, name: str) -> None:
        self.key, self.name = key, name
        self.path = journal_dir(key) / f"{encode_name(name)}.json"
        self.entries: list[Entry] = []
        self.unreadable: str | None = None
        if self.path.is_file() and not self.path.is_symlink():
            try:
                if self.path.stat().st_size > MAX_BYTES:
                    raise ValueError("too big to be a journal")
                data = json.loads(self.path.read_text())
                if data.get("name") != name:
                    raise ValueError(f"it records {data.get('name')!r}")
                self.entries = [Entry.from_json(e) for e in data.get("entries", [])]
            except (ValueError, TypeError, OSError, AttributeError, RecursionError) as exc:
                self.entries = []  # an unreadable record proves nothing: treat as empty
                self.unreadable = str(exc)

    @classmethod
    def for_session(cls, session, name: str) -> "Journal":
        return cls(site_key(session), name)

    def add(
        self, kind: str, ref: str | None, label: str, *, name: str = "", parent: str = "", files: tuple = ()
    ) -> None:
        self.entries = [e for e in self.entries if e.kind != kind] + [Entry(kind, ref, label, name, parent, files)]
        self._save()

    def intend(self, kind: str, name: str, parent: str, label: str) -> None:
        """Before the create call: what is about to be made, and where."""
        self.add(kind, None, label, name=name, parent=parent)

    def created(self, kind: str, ref: str) -> None:
        entry = self.get(kind)
        if entry is not None:
            self.entries = [replace(e, ref=ref) if e.kind == kind else e for e in self.entries]
            self._save()

    def add_file(self, kind: str, item) -> None:
        """Append one file to an entry's files (an upload about to start; a local file just written)."""
        entry = self.get(kind)
        if entry is not None and item not in entry.files:
            self.entries = [replace(e, files=(*e.files, item)) if e.kind == kind else e for e in self.entries]
            self._save()

    def record_local_files(self, label: str, files: list[Path]) -> None:
        """The files and folders a run wrote (folders marked "dir"), with each file's SHA-256."""
        self.add(LOCAL, None, label, files=tuple((str(p), "dir" if p.is_dir() else _sha256(p) or "") for p in files))

    def drop(self, kind: str) -> None:
        self.entries = [e for e in self.entries if e.kind != kind]
        self._save()

    def get(self, kind: str) -> Entry | None:
        return next((e for e in self.entries if e.kind == kind), None)

    def clear(self) -> None:
        self.entries = []
        self.path.unlink(missing_ok=True)

    def _save(self) -> None:
        from tui.core.paths import write_private_atomic

        if not self.entries:
            self.path.unlink(missing_ok=True)
            return
        data = {"name": self.name, "site": self.key, "entries": [asdict(e) for e in self.entries]}
        write_private_atomic(self.path, json.dumps(data, indent=1).encode())


def journals(session) -> list[Journal]:
    folder = journal_dir(site_key(session))
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        journal = Journal(site_key(session), decode_name(path.stem))
        if journal.entries:
            out.append(journal)
    return out


def local_files_unchanged(entry: Entry) -> tuple[list[Path], list[str]]:
    """(files still exactly as this run wrote them, descriptions of the ones that changed)."""
    same, changed = [], []
    for item in entry.files:
        if not (isinstance(item, tuple) and len(item) == 2):
            continue
        path = Path(item[0])
        if item[1] == "dir" or (not path.exists() and not path.is_symlink()):
            continue
        if path.is_symlink() or not path.is_file() or _sha256(path) != item[1]:
            changed.append(f"local file {path} (changed since this run wrote it: kept)")
        else:
            same.append(path)
    return same, changed


__all__ = [
    "Entry",
    "Journal",
    "journals",
    "encode_name",
    "decode_name",
    "site_key",
    "local_files_unchanged",
    "DATACENTER",
    "FOLDER",
    "POOL",
    "VM",
    "DATASTORE_FOLDER",
    "LOCAL",
    "BRIDGE",
    "VOLUME_FOLDERS",
]
