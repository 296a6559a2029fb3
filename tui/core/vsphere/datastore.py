"""Datastore operations: does a path exist (one SearchDatastore task)."""

from __future__ import annotations

from tui.core.vsphere.faults import VSphereCallFailed, is_not_found
from tui.core.vsphere.wait import Waiter


def datastore_entry_exists(session, waiter: Waiter, datastore, name: str) -> bool:
    """Whether `[datastore] name` exists (one SearchDatastore task)."""
    from pyVmomi import vim

    props = waiter.read(datastore.ref, vim.Datastore, ["browser"])
    spec = vim.host.DatastoreBrowser.SearchSpec(matchPattern=[name])
    task = props["browser"].SearchDatastore_Task(f"[{datastore.name}]", spec)
    try:
        result = waiter.task(task, f"looking for {name} on {datastore.name}")
    except VSphereCallFailed as exc:
        if exc.fault is not None and is_not_found(exc.fault):
            return False
        raise
    return any(f.path.rstrip("/") == name for f in (getattr(result, "file", None) or []))
