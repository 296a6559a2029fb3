"""Remove an endpoint VM and its datastore folder without taking anything that is not provably its.

What a VM provably owns in its folder: the files its layout and its devices name (vmx, the CD-ROM's ISO,
the serial port's file), the names vSphere gives a VM's files beside its .vmx (nvram, vmware*.log), plus the files the caller says this run or this VCH put there (the
uploaded ISOs). When the folder holds anything else, the VM is unregistered and its own files are deleted
one by one (Destroy_Task may take the whole folder with it); the folder itself goes only once it is empty.
Every delete goes through datastore_files.delete_path (the guard).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui.core.vsphere import datastore_files as dsf


@dataclass
class Removal:
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def _names_in(folder: dsf.DsPath, paths: list[str]) -> set[str]:
    """The names directly inside `folder` among datastore paths."""
    names = set()
    for text in paths:
        try:
            p = dsf.parse(text)
        except dsf.UnsafeDelete:
            continue
        if p.datastore == folder.datastore and p.path.rpartition("/")[0] == folder.path:
            names.add(p.path.rpartition("/")[2])
    return names


def vm_files(waiter, vm: Any, folder: dsf.DsPath) -> tuple[str, set[str]]:
    """(power state, the names in `folder` the VM's layout and device backings reference)."""
    from pyVmomi import vim

    props = waiter.read(
        vm,
        vim.VirtualMachine,
        ["runtime.powerState", "layoutEx.file", "config.hardware.device", "config.files.vmPathName"],
    )
    paths = [f.name for f in (props.get("layoutEx.file") or []) if getattr(f, "name", None)]
    if props.get("config.files.vmPathName"):
        paths.append(props["config.files.vmPathName"])
    for device in props.get("config.hardware.device") or []:
        name = getattr(getattr(device, "backing", None), "fileName", None)
        if isinstance(name, str):
            paths.append(name)
    names = _names_in(folder, paths)
    vmx = next((n for n in names if n.endswith(".vmx")), None)
    if vmx is not None:  # the names vSphere itself gives a VM's files beside its .vmx
        base = vmx.removesuffix(".vmx")
        names |= {
            f"{base}.nvram",
            f"{base}.vmsd",
            f"{base}.vmxf",
            f"{base}.vmx.lck",
            "vmware.log",
            *(f"vmware-{i}.log" for i in range(1, 7)),
        }
    # vic-machine names the ISOs <version>-appliance.iso and <version>-bootstrap.iso; the CD-ROM names the first
    names |= {n.removesuffix("appliance.iso") + "bootstrap.iso" for n in names if n.endswith("-appliance.iso")}
    return props.get("runtime.powerState"), names


def remove_vm_and_folder(
    session,
    waiter,
    *,
    vm: Any,
    vm_label: str,
    datacenter: Any,
    folder: str | None,
    owned: set[str],
    out: Removal,
    files_label: str = "file",
    owned_match: Callable[[str], bool] | None = None,
) -> None:
    """Remove `vm` (may be None: only the folder's owned files), the owned files in `folder` (named in `owned`,
    or accepted by `owned_match`), then `folder` if it is empty. Appends to `out` as things go; a vSphere
    failure propagates (what is done stays in out)."""
    where = _checked_folder(folder, vm_label, out) if folder else None
    state, own = (None, set[str]())
    if vm is not None and where is not None:
        state, own = vm_files(waiter, vm, where)
    elif vm is not None:
        state = _power_state(waiter, vm)
    own |= set(owned)
    before = dsf.list_folder(waiter, datacenter, str(where)) if where is not None else None
    if owned_match is not None:
        own |= {n for n in (before or []) if owned_match(n)}
    strangers = [n for n in (before or []) if n not in own]
    if vm is not None:
        if state == "poweredOn":
            waiter.task(vm.PowerOffVM_Task(), f"powering off the {vm_label}")
        if where is None or strangers:
            vm.UnregisterVM()  # Destroy_Task could take files that are not the VM's with it
        else:
            waiter.task(vm.Destroy_Task(), f"removing the {vm_label}")
        out.removed.append(vm_label)
        if where is None and not folder:
            out.left.append(
                f"the files of the {vm_label} at the top of its datastore (only a VCH's own folder is ever deleted)"
            )
    if where is None:
        return
    if before is None:
        return  # the folder was never made
    present = dsf.list_folder(waiter, datacenter, str(where)) if vm is not None else before
    for name in sorted(own & set(present or [])):
        path = str(where.child(name))
        if dsf.delete_path(session, waiter, path, datacenter, inside=str(where)):
            out.removed.append(f"{files_label} {path}")
    after = dsf.list_folder(waiter, datacenter, str(where)) if present is not None else None
    if after is None:
        out.removed.append(f"datastore folder {where}")
    elif not after:
        if dsf.delete_path(session, waiter, str(where), datacenter, inside=str(where)):
            out.removed.append(f"datastore folder {where}")
    else:
        out.left.append(
            f"datastore folder {where} (holds {len(after)} file(s) this run did not create: "
            f"{', '.join(after[:5])}{', …' if len(after) > 5 else ''})"
        )


def _checked_folder(folder: str, vm_label: str, out: Removal) -> dsf.DsPath | None:
    try:
        dsf.check_deletable(folder, folder)
    except dsf.UnsafeDelete as exc:
        out.left.append(f"datastore folder {folder} (not touched: {exc})")
        return None
    return dsf.parse(folder)


def _power_state(waiter, vm: Any) -> str | None:
    from pyVmomi import vim

    return waiter.read(vm, vim.VirtualMachine, ["runtime.powerState"]).get("runtime.powerState")
