"""Is the object a journal names still the one this run made? Resolve intents by name under the recorded
parent, and check name and parent (and for a VM, where its files are) before anything is deleted.

`verified(session, waiter, entry, ...)` returns the managed object, None when it is gone (nothing to do), or
raises NotTheSame with a message saying what differs: the caller refuses to delete it.
"""

from __future__ import annotations

from typing import Any

from tui.core.errors import VchError

CHILDREN = {"folder": "childEntity", "pool": "resourcePool", "vm": "childEntity"}


class NotTheSame(VchError):
    """The object the journal names is no longer the one recorded: it is left alone."""


def child_named(waiter, parent: Any, children: str, name: str) -> Any:
    """The child of `parent` named `name` through its `children` property, or None."""
    from pyVmomi import vim

    parent_type = vim.ResourcePool if children == "resourcePool" else vim.Folder
    for child in waiter.read(parent, parent_type, [children]).get(children) or []:
        if _props(waiter, child, ["name"]).get("name") == name:
            return child
    return None


def _props(waiter, obj: Any, paths: list[str]) -> dict:
    from pyVmomi import vim

    cls = {
        "Folder": vim.Folder,
        "ResourcePool": vim.ResourcePool,
        "VirtualMachine": vim.VirtualMachine,
        "VirtualApp": vim.VirtualApp,
    }.get(type(obj).__name__.rpartition(".")[2], vim.ManagedEntity)
    return waiter.read(obj, cls, paths)


def verified(session, waiter, entry, *, folder_ref: str | None = None, vm_dir: str | None = None) -> Any:
    """The object `entry` (FOLDER, POOL or VM) names, if it still is that object; None when it is gone."""
    from pyVmomi import vim, vmodl

    cls = {"folder": vim.Folder, "pool": vim.ResourcePool, "vm": vim.VirtualMachine}[entry.kind]
    stub = session.si._stub
    if not entry.ref:  # only the intent was written: the process died inside the create call
        if not entry.parent:
            return None
        parent_cls = vim.ResourcePool if entry.kind == "pool" else vim.Folder
        try:
            obj = child_named(waiter, parent_cls(entry.parent, stub), CHILDREN[entry.kind], entry.name)
        except vmodl.fault.ManagedObjectNotFound:
            return None
        if obj is None:
            return None
    else:
        obj = cls(entry.ref, stub)
    try:
        props = waiter.read(
            obj, cls, ["name", "parent"] + (["config.files.vmPathName", "resourcePool"] if entry.kind == "vm" else [])
        )
    except vmodl.fault.ManagedObjectNotFound:
        return None
    what = entry.label
    if entry.name and props.get("name") != entry.name:
        raise NotTheSame(
            f"{what}: the journal recorded the name {entry.name!r}, the object is now "
            f"{props.get('name')!r}; it is not deleted",
            hint="someone renamed or replaced it: remove it by hand if it is yours",
        )
    parent = props.get("parent")
    expected_parent = folder_ref if entry.kind == "vm" and folder_ref else entry.parent
    if expected_parent and (parent is None or parent._moId != expected_parent):
        raise NotTheSame(
            f"{what}: it has moved since this run made it; it is not deleted", hint="remove it by hand if it is yours"
        )
    if entry.kind == "vm" and vm_dir:
        vmx = props.get("config.files.vmPathName") or ""
        if not vmx.startswith(vm_dir + "/"):
            raise NotTheSame(
                f"{what}: its files are at {vmx!r}, not in {vm_dir}; it is not deleted",
                hint="remove it by hand if it is yours",
            )
    return obj
