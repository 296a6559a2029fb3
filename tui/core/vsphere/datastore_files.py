"""Datastore files: list one folder, and the single place that asks vSphere to delete a datastore path.

`delete_path(..., path, inside=folder)` refuses, before any call, a path that is a datastore's root, that
leaves `inside` (the VCH's own folder), or whose form vSphere could read as something else (`..`, `.`,
empty components, a leading `/`, backslashes, control characters, whitespace at either end of a component).
Nothing else in the product calls DeleteDatastoreFile_Task (a unit test enforces it).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from tui.core.errors import VchError
from tui.core.vsphere.faults import VSphereCallFailed, call_failed, is_not_found


class UnsafeDelete(VchError):
    """A delete the guard refused: nothing was asked of vSphere."""


@dataclass(frozen=True)
class DsPath:
    datastore: str
    path: str  # relative, "/"-separated, no leading slash

    def __str__(self) -> str:
        return f"[{self.datastore}] {self.path}".rstrip()

    def child(self, name: str) -> "DsPath":
        return DsPath(self.datastore, f"{self.path}/{name}" if self.path else name)


def _bad_component(part: str) -> str | None:
    if part == "":
        return "an empty path component"
    if part in (".", ".."):
        return f"the component {part!r}"
    if part != part.strip():
        return f"whitespace around {part!r}"
    if "\\" in part:
        return "a backslash"
    if any(unicodedata.category(ch).startswith("C") for ch in part):
        return "a control or invisible character"
    return None


def parse(text: str) -> DsPath:
    """`[datastore] a/b` → DsPath; UnsafeDelete for anything that is not exactly that form."""
    if not isinstance(text, str) or not text.startswith("[") or "]" not in text:
        raise UnsafeDelete(f"{text!r} is not a datastore path ([datastore] folder)")
    store, _, rest = text[1:].partition("]")
    if (
        not store
        or store != store.strip()
        or "[" in store
        or any(unicodedata.category(ch).startswith("C") for ch in store)
    ):
        raise UnsafeDelete(f"{text!r} does not name a datastore")
    if rest and not rest.startswith(" "):
        raise UnsafeDelete(f"{text!r}: expected a space after the datastore name")
    return DsPath(store, rest[1:])


def check_deletable(path: str, inside: str) -> DsPath:
    """The parsed path when deleting it is safe: inside `inside` (or `inside` itself), never a datastore
    root, every component plain. Raises UnsafeDelete otherwise."""
    target, own = parse(path), parse(inside)
    for which, p in (("the VCH folder", own), ("the path", target)):
        if not p.path:
            raise UnsafeDelete(f"refusing to delete {path!r}: {which} is the root of datastore {p.datastore!r}")
        if p.path.startswith("/"):
            raise UnsafeDelete(f"refusing to delete {path!r}: {which} starts with '/'")
        for part in p.path.split("/"):
            bad = _bad_component(part)
            if bad:
                raise UnsafeDelete(f"refusing to delete {path!r}: {which} holds {bad}")
    if target.datastore != own.datastore:
        raise UnsafeDelete(f"refusing to delete {path!r}: it is not on the VCH's datastore {own.datastore!r}")
    if target.path != own.path and not target.path.startswith(own.path + "/"):
        raise UnsafeDelete(f"refusing to delete {path!r}: it is outside the VCH's folder {inside!r}")
    return target


def delete_path(session, waiter, path: str, datacenter: Any, *, inside: str) -> bool:
    """Delete one datastore file or folder inside `inside`; False when it was not there."""
    checked = check_deletable(path, inside)
    fm = session.content.fileManager
    try:
        waiter.task(fm.DeleteDatastoreFile_Task(str(checked), datacenter), f"removing {checked}")
    except VSphereCallFailed as exc:
        if exc.fault is not None and is_not_found(exc.fault):
            return False
        raise
    except Exception as exc:
        if is_not_found(exc):
            return False
        raise call_failed(f"removing {checked}", exc) from None
    return True


def datastore_browser(waiter, datacenter: Any, datastore: str):
    """The browser of the datacenter's datastore named `datastore` (two property reads)."""
    from pyVmomi import vim

    for ds in waiter.read(datacenter, vim.Datacenter, ["datastore"]).get("datastore") or []:
        props = waiter.read(ds, vim.Datastore, ["name", "browser"])
        if props.get("name") == datastore:
            return props["browser"]
    raise VchError(f"datastore {datastore!r} is not in the datacenter")


def list_folder(waiter, datacenter: Any, folder: str, *, browser: Any = None) -> list[str] | None:
    """The names directly inside the datastore folder `folder` ([ds] path), or None when it does not exist.
    `browser`: that datastore's browser when the caller has it (saves the lookup's reads)."""
    from pyVmomi import vim

    where = parse(folder)
    browser = browser or datastore_browser(waiter, datacenter, where.datastore)
    spec = vim.host.DatastoreBrowser.SearchSpec(matchPattern=["*"])
    try:
        result = waiter.task(browser.SearchDatastore_Task(str(where), spec), f"listing {where}")
    except VSphereCallFailed as exc:
        if exc.fault is not None and is_not_found(exc.fault):
            return None
        raise
    return sorted(f.path.rstrip("/") for f in (getattr(result, "file", None) or []))
