"""Create's volume-store folders, as vic-machine 1.5.8 makes them (lib/install/management/store_files.go
createVolumeStores, captured in G1 as `MakeDirectory [datastore1] volumes` with createParentDirectories): one
folder `[ds] path` per datastore volume store, `[ds] VIC` when the store names no path. NFS stores are only
configuration. The port layer fills the folder later (`<path>/VIC/volumes/…`).

What this run made is provable: before the call, each folder of the path that does not exist yet (the store's
own and any parent MakeDirectory will create) is journalled (kind "volume-folders", files = those paths). A
rollback removes only those, deepest first, each only while it is empty, through the one deletion guard
(datastore_files.delete_path, kept inside the topmost folder this run made). A folder that was there before is
never touched; `delete` keeps volume stores unless forced, as vic-machine does (vic_stores.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.spec.model import VchSpec
from tui.core.spec.storage_paths import parse_volume_store
from tui.core.vch import journal
from tui.core.vch.steps import RunContext, Step, UndoIncomplete
from tui.core.vch.vic_stores import STORAGE_PARENT
from tui.core.vsphere.faults import call_failed, error_text


@dataclass(frozen=True)
class VolumeFolder:
    label: str
    datastore: str
    path: str  # relative, no leading slash

    @property
    def text(self) -> str:
        return f"[{self.datastore}] {self.path}"

    def chain(self) -> list[str]:
        """Every folder from the top down to this one: `[ds] a`, `[ds] a/b`, …"""
        parts = self.path.split("/")
        return [f"[{self.datastore}] {'/'.join(parts[: i + 1])}" for i in range(len(parts))]


def volume_folders(spec: VchSpec) -> list[VolumeFolder]:
    """The datastore folders of the spec's volume stores, each once, in the spec's order."""
    out: list[VolumeFolder] = []
    for text in spec.volume_store:
        try:
            store = parse_volume_store(text)
        except ValueError:
            continue  # validate_local reports it
        if store.nfs or store.datastore is None:
            continue
        path = "/".join(p for p in store.datastore.path.split("/") if p) or STORAGE_PARENT
        folder = VolumeFolder(store.label, store.datastore.datastore, path)
        if folder.text not in {f.text for f in out}:
            out.append(folder)
    return out


def _missing(ctx: RunContext, folder: VolumeFolder) -> list[str]:
    """The folders of `folder`'s chain that do not exist yet (the tail of the chain from the first missing)."""
    from pyVmomi import vim

    from tui.core.vsphere.datastore_files import list_folder

    chain = folder.chain()
    parent = f"[{folder.datastore}] "
    store = ctx.plan.facts.inventory.datastores.get(folder.datastore)
    browser = ctx.waiter.read(store.ref, vim.Datastore, ["browser"])["browser"] if store is not None else None
    for index, path in enumerate(chain):
        names = list_folder(ctx.waiter, ctx.targets.datacenter_ref, parent, browser=browser)
        if names is None or _name(path) not in names:
            return chain[index:]
        parent = path
    return []


def _name(path: str) -> str:
    """The last component of `[ds] a/b` → b (of `[ds] a` → a)."""
    return path.partition("] ")[2].rpartition("/")[2]


class VolumeFoldersStep(Step):
    key = "volumes"
    title = "Create the volume store folders"

    def details(self, plan) -> list[str]:
        return [
            f"{f.text} (volume store {f.label!r}; kept when it exists, removed by a rollback only if made now)"
            for f in volume_folders(plan.spec)
        ]

    def run(self, ctx: RunContext) -> None:
        from pyVmomi import vim

        fm = ctx.session.content.fileManager
        ctx.journal.add(journal.VOLUME_FOLDERS, None, "volume store folders", parent=ctx.targets.datacenter_ref._moId)
        for folder in volume_folders(ctx.spec):
            ctx.cancel.check()
            missing = _missing(ctx, folder)
            if not missing:
                ctx.log(f"volume store {folder.label!r}: {folder.text} exists (kept as it is)")
                continue
            for path in missing:  # the intent: these may exist once MakeDirectory is asked
                ctx.journal.add_file(journal.VOLUME_FOLDERS, path)
                ctx.volume_folders.append(path)
            try:
                fm.MakeDirectory(folder.text, ctx.targets.datacenter_ref, True)
            except vim.fault.FileAlreadyExists:
                self._forget(ctx, missing)  # someone else's, made since the check: not this run's
                ctx.log(f"volume store {folder.label!r}: {folder.text} appeared meanwhile (kept as it is)")
                continue
            except Exception as exc:
                raise call_failed(f"creating the volume store folder {folder.text}", exc) from None
            ctx.log(f"created the volume store folder {folder.text} ({folder.label})")

    def _forget(self, ctx: RunContext, paths: list[str]) -> None:
        ctx.volume_folders[:] = [p for p in ctx.volume_folders if p not in paths]
        entry = ctx.journal.get(journal.VOLUME_FOLDERS)
        if entry is not None:
            ctx.journal.add(
                journal.VOLUME_FOLDERS,
                None,
                entry.label,
                parent=entry.parent,
                files=tuple(f for f in entry.files if f not in paths),
            )

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        left: list[str] = []
        try:
            remove_made(
                ctx.session,
                ctx.waiter,
                ctx.targets.datacenter_ref,
                ctx.volume_folders,
                removed,
                left,
                forget=lambda path: self._forget(ctx, [path]),
            )
        except Exception as exc:
            raise UndoIncomplete(
                error_text(exc), removed=list(removed), left=[f"volume store folder {p}" for p in ctx.volume_folders]
            ) from exc
        if left:
            raise UndoIncomplete(left[0], removed=list(removed), left=left)
        ctx.journal.drop(journal.VOLUME_FOLDERS)


def remove_made(session, waiter, datacenter, made: list[str], removed: list[str], left: list[str], *, forget) -> None:
    """Remove the folders a run made, deepest first, each only while it is empty, through the deletion guard
    kept inside the topmost made folder of its path; `forget(path)` for each one gone, kept ones in `left`."""
    from tui.core.vsphere.datastore_files import delete_path, list_folder

    made = list(made)
    tops = [p for p in made if not any(p.startswith(other + "/") for other in made if other != p)]
    for path in sorted(made, key=lambda p: p.count("/"), reverse=True):  # deepest first
        top = next(t for t in tops if path == t or path.startswith(t + "/"))
        inside = list_folder(waiter, datacenter, path)
        if inside:
            left.append(
                f"volume store folder {path} (holds {len(inside)} item(s) this run did not create: "
                f"{', '.join(inside[:5])}; kept)"
            )
            continue
        if inside is not None and delete_path(session, waiter, path, datacenter, inside=top):
            removed.append(f"volume store folder {path}")
        forget(path)
