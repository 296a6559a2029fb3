"""Delete a VCH as vic-machine delete does: its container VMs, its images (only under its image store folder),
its volume stores only when forced, the endpoint VM, its datastore folder (ISOs included), its VM folder and
resource pool once empty. Refuses, before any change, while container VMs are powered on and for a VCH of
another VIC version, unless forced. VMs VIC protected (DisableMethods Destroy_Task) get EnableMethods first.
Never touches anything outside the VCH: a VM in the VCH's pool or folder that VIC did not create is left alone
(and so are the pool/folder holding it), and a root pool or a datacenter's VM folder is never the VCH's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from tui.core.errors import VchError
from tui.core.vch import events as ev
from tui.core.vsphere.faults import call_failed
from tui.core.vsphere.wait import Waiter


@dataclass
class DeletePlan:
    record: Any  # vchs.VchRecord; None for the leftovers of a run without an endpoint VM (from its journal)
    members: list  # vchs.ContainerVm: other VMs in the VCH's pool or folder
    pool: Any
    pool_path: str | None
    folder: Any
    folder_path: str | None
    vm_dir: str | None  # "[datastore1] vch1"
    datacenter: Any
    leftover_name: str | None = None  # the name, when record is None
    uploads: tuple[str, ...] = ()  # names in vm_dir the journal says the run uploaded
    leftover_vm: Any = None  # an endpoint VM the journal names (verified), when record is None
    local: Any = None  # journal.Entry of the local certificate files the run wrote
    bridge: Any = None  # journal.Entry of the bridge vSwitch/port group the run made (standalone ESXi)
    volume_folders: tuple[str, ...] = ()  # datastore folders the journal says the run made for volume stores
    created_bridge: str | None = None  # the bridge port group's moref when the VCH's create made it (ESXi)
    image_dirs: list = field(default_factory=list)  # vic_stores.StoreDir, in removal order
    volume_dirs: list = field(default_factory=list)  # vic_stores.StoreDir: removed only when forced
    nfs_volumes: list = field(default_factory=list)  # never removed (not reachable from here)
    version: str = ""  # the VCH's VIC version, v1.5.8-0-2c978fe
    version_ok: bool = True  # a VIC 1.5.x: the configuration vch-tui speaks

    def owned_match(self, name: str) -> bool:
        """Names in vm_dir a VCH provably put there that no device names: the create logs vic-machine and
        vch-tui upload beside the VM (create_log.py)."""
        from tui.core.vch.create_log import is_create_log

        return self.record is not None and is_create_log(name)

    def owned_files(self) -> set[str]:
        """The names in vm_dir this VCH provably put there besides the VM's own files: the ISOs."""
        from tui.core.vch.endpoint import APPLIANCE_ISO, BOOTSTRAP_ISO

        return {APPLIANCE_ISO, BOOTSTRAP_ISO, *self.uploads}

    @property
    def name(self) -> str:
        return str(self.record.name) if self.record is not None else (self.leftover_name or "")

    @property
    def containers(self) -> list:
        return [m for m in self.members if m.is_container]

    @property
    def strangers(self) -> list:
        return [m for m in self.members if not m.is_container]

    @property
    def powered_on(self) -> list:
        return [m for m in self.containers if m.power == "poweredOn"]

    def describe(self) -> list[str]:
        lines = [f"container VM {c.name} ({c.power})" for c in self.containers]
        if self.record is not None:
            lines.append(f"endpoint VM {self.record.summary.endpoint_vm} ({self.record.summary.power})")
        elif self.leftover_vm is not None:
            lines.append(f"endpoint VM {self.name} (from the journal of an interrupted create)")
        lines += [
            f"{d.label} {d.path}" + (" (once empty)" if d.only_if_empty else "")
            for d in self.image_dirs
            if not d.shared_with
        ]
        if self.vm_dir:
            lines.append(f"the VM's files and ISOs in {self.vm_dir} (the folder too, once empty)")
        if self.pool is not None:
            lines.append(f"resource pool {self.pool_path}")
        if self.folder is not None:
            lines.append(f"VM folder {self.folder_path}")
        lines += [f"volume store folder {p} (once empty)" for p in self.volume_folders]
        if self.created_bridge is not None:
            lines.append("the bridge port group and vSwitch its create made (if no VM uses them)")
        if self.bridge is not None:
            lines.append(f"bridge port group and vSwitch {self.bridge.name} (if still only this VCH's)")
        if self.local is not None and self.local.files:
            lines.append(
                f"{len(self.local.files)} local certificate file(s) and folder(s) the create wrote, if unchanged"
            )
        return lines

    def kept(self, *, force: bool = False) -> list[str]:
        lines = [f"VM {s.name}: not created by VIC, left alone (so its pool/folder stay too)" for s in self.strangers]
        for d in self.volume_dirs:
            if d.shared_with:
                lines.append(f"{d.label} {d.path}: also used by VCH {', '.join(d.shared_with)}, kept")
            elif not force:
                lines.append(f"{d.label} {d.path}: kept (--force removes volume stores, as with vic-machine)")
        lines += [f"NFS volume store {text}: kept (never removed from here)" for text in self.nfs_volumes]
        return lines

    def forced_removals(self) -> list[str]:
        """What --force adds: the volume stores no other VCH names."""
        return [f"{d.label} {d.path} (with every volume in it)" for d in self.volume_dirs if not d.shared_with]


@dataclass
class DeleteResult:
    name: str
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.left


def _vm_dir(vm_path: str | None) -> str | None:
    """`[ds] vch1/vch1.vmx` → `[ds] vch1` (None when the VM sits at the datastore's top)."""
    if not vm_path or "]" not in vm_path:
        return None
    store, _, rest = vm_path.partition("]")
    folder = rest.strip().rpartition("/")[0]
    return f"{store}] {folder}" if folder else None


JOURNAL_PREFIX = "journal:"  # `ls` ids of leftovers known only from the local journal


def _existing(session, cls: type, moid: str):
    """The managed object if it still exists."""
    from pyVmomi import vmodl

    ref = cls(moid, session.si._stub)
    try:
        Waiter(session).read(ref, cls, ["name"])
    except vmodl.fault.ManagedObjectNotFound:
        return None
    return ref


def leftover_plan(session, name: str) -> DeletePlan | None:
    """What the journal of an interrupted or half-rolled-back run says is left (still existing, and still the
    object recorded), or None. DeleteRefused when something it names has changed since, or when the record
    cannot be read: nothing is touched."""
    from pyVmomi import vim

    from tui.core.vch.journal import (
        BRIDGE,
        DATACENTER,
        DATASTORE_FOLDER,
        FOLDER,
        LOCAL,
        POOL,
        VM,
        VOLUME_FOLDERS,
        Journal,
    )
    from tui.core.vch.ownership import NotTheSame, verified

    journal = Journal.for_session(session, name)
    if journal.unreadable:
        raise DeleteRefused(
            f"the local record of VCH {name!r} ({journal.path}) cannot be read: {journal.unreadable}",
            hint="it proves nothing, so nothing is deleted; remove what is left by hand, then the file",
        )
    if not journal.entries:
        return None
    waiter = Waiter(session)
    refused: list[str] = []

    def check(entry, **kw):
        if entry is None:
            return None
        try:
            return verified(session, waiter, entry, **kw)
        except NotTheSame as exc:
            refused.append(str(exc))
            return None

    try:
        folder_entry, pool_entry, ds_entry = journal.get(FOLDER), journal.get(POOL), journal.get(DATASTORE_FOLDER)
        folder, pool = check(folder_entry), check(pool_entry)
        vm = check(journal.get(VM), vm_dir=ds_entry.ref if ds_entry else None)
    finally:
        waiter.close()
    if refused:
        raise DeleteRefused("; ".join(refused), hint=f"nothing was deleted; the journal {journal.path} stays")
    dc_entry = journal.get(DATACENTER)
    return DeletePlan(
        None,
        [],
        pool,
        pool_entry.label.removeprefix("resource pool ") if pool and pool_entry else None,
        folder,
        folder_entry.label.removeprefix("VM folder ") if folder and folder_entry else None,
        ds_entry.ref if ds_entry else None,
        vim.Datacenter(dc_entry.ref, session.si._stub) if dc_entry else None,
        leftover_name=name,
        uploads=tuple(f for f in ds_entry.files if isinstance(f, str)) if ds_entry else (),
        leftover_vm=vm,
        local=journal.get(LOCAL),
        bridge=bridge if (bridge := journal.get(BRIDGE)) is not None and bridge.files else None,
        volume_folders=tuple(f for f in volumes.files if isinstance(f, str))
        if (volumes := journal.get(VOLUME_FOLDERS))
        else (),
    )


def plan_delete(session, name: str) -> DeletePlan:
    """What deleting `name` removes. A VCH found by its endpoint VM; else what the journal of an interrupted
    run of that name left (a pool or folder without an endpoint VM)."""
    from tui.core.errors import InvalidInput
    from tui.core.vch import bridge_network, vic_stores
    from tui.core.vch.listing import find_vch, own_folder, own_pool, read_vchs, vch_members
    from tui.core.vch.vic_version import same_series
    from tui.core.vic import read

    if name.startswith(JOURNAL_PREFIX):
        name = name[len(JOURNAL_PREFIX) :]
    records = read_vchs(session)
    try:
        record = find_vch(session, name, records)
    except InvalidInput:
        leftovers = leftover_plan(session, name)
        if leftovers is None:
            raise
        return leftovers
    pool, folder = own_pool(record), own_folder(record)
    datacenter = record.folder
    while datacenter is not None and record.kinds.get(datacenter._moId) != "datacenter":
        datacenter = record.paths.parent(datacenter)
    others = [r for r in records if r is not record]
    return DeletePlan(
        record,
        vch_members(session, record),
        pool,
        record.paths.path(pool) if pool else None,
        folder,
        record.paths.path(folder) if folder else None,
        _vm_dir(record.vm_path),
        datacenter,
        image_dirs=vic_stores.image_dirs(record, others),
        volume_dirs=vic_stores.volume_dirs(record, others),
        nfs_volumes=vic_stores.nfs_volume_stores(record),
        created_bridge=bridge_network.created_bridge_of(record),
        version=record.summary.version,
        version_ok=same_series(read.version(record.extra)),
    )


class DeleteRefused(VchError):
    pass


class _RawSoapTarget:
    """What raw_soap needs of a ServiceInstance: the plain SOAP stub (its cookie and connections) and content."""

    def __init__(self, session) -> None:
        self._stub, self.content = session.soap_stub, session.content


def remove_local_files(entry, result: DeleteResult, emit, clock) -> None:
    """The local files a create wrote (from its journal), newest first, each only while it is exactly as
    written; folders only once empty."""
    from pathlib import Path

    from tui.core.vch.journal import local_files_unchanged

    same, changed = local_files_unchanged(entry)
    for item in changed:
        result.left.append(item)
        emit(ev.LogLine(f"left {item}", clock(), "warning"))
    for path in reversed(same):
        try:
            path.unlink()
        except OSError as exc:
            result.left.append(f"local file {path} ({exc.strerror})")
            continue
        result.removed.append(f"local file {path}")
    for text, _kind in reversed([f for f in entry.files if isinstance(f, tuple) and f[1] == "dir"]):
        folder = Path(text)
        if folder.is_dir() and not folder.is_symlink():
            try:
                folder.rmdir()
                result.removed.append(f"local folder {folder}")
            except OSError:
                result.left.append(f"local folder {folder} (not empty: kept)")


def delete_vch(
    session,
    plan: DeletePlan,
    *,
    force: bool = False,
    on_event: Callable[[ev.Event], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> DeleteResult:
    """Blocking. Raises DeleteRefused (before any change) when containers run and `force` is False."""
    from pyVmomi import vim

    if not plan.version_ok and not force:
        from tui.core.vch.vic_version import KNOWN_RELEASE

        raise DeleteRefused(
            f"VCH {plan.name!r} runs VIC {plan.version or '(no version recorded)'}, not the 1.5 "
            f"release vch-tui speaks ({KNOWN_RELEASE})",
            hint="delete it with the vic-machine of its version, or pass --force to delete it anyway",
        )
    if plan.powered_on and not force:
        raise DeleteRefused(
            f"VCH {plan.name!r} has {len(plan.powered_on)} powered-on container VM(s): "
            + ", ".join(c.name for c in plan.powered_on),
            hint="stop them first, or pass --force to power them off and delete them",
        )
    emit = on_event or (lambda event: None)
    waiter = Waiter(session, clock=clock)
    result = DeleteResult(plan.name)

    def attempt(label: str, action: Callable[[], bool | None]) -> bool:
        try:
            if action() is not False:
                result.removed.append(label)
                emit(ev.LogLine(f"removed {label}", clock()))
            return True
        except Exception as exc:  # noqa: BLE001 - report and go on with the rest
            text = str(exc) if isinstance(exc, VchError) else str(call_failed(f"removing {label}", exc))
            result.left.append(label)
            emit(ev.LogLine(f"could not remove {label}: {text}", clock(), "error"))
            return False

    def unprotect(ref: Any, disabled: tuple[str, ...]) -> None:
        """VIC disables Destroy_Task on its VMs (source "VIC"); lift that before destroying them."""
        if "Destroy_Task" in disabled:
            from tui.core.vsphere import raw_soap

            raw_soap.enable_methods(_RawSoapTarget(session), [ref], ["Destroy_Task"])

    def destroy_vm(ref: Any, power: str, label: str, disabled: tuple[str, ...] = ()) -> None:
        unprotect(ref, disabled)
        if power == "poweredOn":
            waiter.task(ref.PowerOffVM_Task(), f"powering off {label}")
        waiter.task(ref.Destroy_Task(), f"removing {label}")

    def remove_store_dir(d) -> bool | None:
        from tui.core.vsphere import datastore_files as dsf

        if d.shared_with:
            return False
        if d.only_if_empty:
            if d.path == plan.vm_dir:
                return False  # the VM's own folder: removed with the VM's files below
            present = dsf.list_folder(waiter, plan.datacenter, d.path)
            if present is None or present:
                return False  # gone already, or holds what is not provably this VCH's
        return dsf.delete_path(session, waiter, d.path, plan.datacenter, inside=d.inside) or False

    def remove_if_empty(ref: Any, obj_type: type, child_paths: list[str], label: str) -> None:
        props = waiter.read(ref, obj_type, child_paths)
        if any(props.get(p) for p in child_paths):
            raise VchError(f"{label} is not empty: it holds objects that are not this VCH's")
        waiter.task(ref.Destroy_Task(), f"removing {label}")

    def remove_endpoint_and_folder() -> None:
        from tui.core.vch.vm_removal import Removal, remove_vm_and_folder

        vm = plan.record.vm if plan.record is not None else plan.leftover_vm
        label = (
            f"endpoint VM {plan.record.summary.endpoint_vm}"
            if plan.record is not None
            else f"endpoint VM {plan.name}"
            if vm is not None
            else ""
        )
        out = Removal()
        try:
            if plan.record is not None:
                unprotect(plan.record.vm, plan.record.disabled_methods)
            remove_vm_and_folder(
                session,
                waiter,
                vm=vm,
                vm_label=label,
                datacenter=plan.datacenter,
                folder=plan.vm_dir,
                owned=plan.owned_files(),
                out=out,
                files_label="file",
                owned_match=plan.owned_match,
            )
        except Exception as exc:  # noqa: BLE001 - report and go on with the pool and folder
            text = str(exc) if isinstance(exc, VchError) else str(call_failed(f"removing {label or plan.vm_dir}", exc))
            if vm is not None and label not in out.removed:
                out.left.append(label)
            if plan.vm_dir and not any(i.startswith(f"datastore folder {plan.vm_dir}") for i in out.removed + out.left):
                out.left.append(f"datastore folder {plan.vm_dir}")
            emit(ev.LogLine(f"could not remove {label or plan.vm_dir}: {text}", clock(), "error"))
        for item in out.removed:
            result.removed.append(item)
            emit(ev.LogLine(f"removed {item}", clock()))
        for item in out.left:
            result.left.append(item)
            emit(ev.LogLine(f"left {item}", clock(), "warning"))

    def report(removed: list[str], left: list[str]) -> None:
        for item in removed:
            result.removed.append(item)
            emit(ev.LogLine(f"removed {item}", clock()))
        for item in left:
            result.left.append(item)
            emit(ev.LogLine(f"left {item}", clock(), "warning"))

    def remove_volume_folders() -> None:
        from tui.core.vch import volume_folders

        removed: list[str] = []
        left: list[str] = []
        try:
            volume_folders.remove_made(
                session, waiter, plan.datacenter, list(plan.volume_folders), removed, left, forget=lambda _p: None
            )
        except Exception as exc:  # noqa: BLE001 - report and go on
            left += [
                f"volume store folder {p}" for p in plan.volume_folders if f"volume store folder {p}" not in removed
            ]
            emit(
                ev.LogLine(
                    f"could not remove the volume store folders: {call_failed('removing', exc)}", clock(), "error"
                )
            )
        report(removed, left)

    def remove_bridge() -> None:
        from tui.core.vch import bridge_network

        removed: list[str] = []
        left: list[str] = []
        label = "the bridge port group and vSwitch"
        try:
            work: bridge_network.BridgeWork | None
            if plan.bridge is not None:
                work = bridge_network.work_from_journal(session, waiter, plan.bridge)
            else:
                work = bridge_network.work_for_created(session, waiter, plan.created_bridge or "")
            if work is not None:
                bridge_network.remove_made(waiter, plan.datacenter, work, removed, left)
        except Exception as exc:  # noqa: BLE001 - report and go on
            left.append(label)
            emit(ev.LogLine(f"could not remove the {label}: {call_failed('removing', exc)}", clock(), "error"))
        report(removed, left)

    try:
        for c in plan.containers:
            attempt(
                f"container VM {c.name}",
                partial(destroy_vm, c.ref, c.power, f"container VM {c.name}", c.disabled_methods),
            )
        for d in plan.image_dirs:
            attempt(f"{d.label} {d.path}", partial(remove_store_dir, d))
        if force:
            for d in plan.volume_dirs:
                attempt(f"{d.label} {d.path}", partial(remove_store_dir, d))
        if plan.record is not None or plan.leftover_vm is not None or plan.vm_dir:
            remove_endpoint_and_folder()
        if plan.volume_folders:
            remove_volume_folders()
        if plan.bridge is not None or (plan.created_bridge and not getattr(session, "is_vcenter", True)):
            remove_bridge()
        if plan.pool is not None:
            attempt(
                f"resource pool {plan.pool_path}",
                lambda: remove_if_empty(
                    plan.pool, vim.ResourcePool, ["vm", "resourcePool"], f"resource pool {plan.pool_path}"
                ),
            )
        if plan.folder is not None:
            attempt(
                f"VM folder {plan.folder_path}",
                lambda: remove_if_empty(plan.folder, vim.Folder, ["childEntity"], f"VM folder {plan.folder_path}"),
            )
        if plan.local is not None:
            remove_local_files(plan.local, result, emit, clock)
    finally:
        waiter.close()
    if result.ok:
        from tui.core.vch.journal import Journal

        Journal.for_session(session, plan.name).clear()
    for line in plan.kept(force=force):
        emit(ev.LogLine(line, clock(), "warning"))
    return result
