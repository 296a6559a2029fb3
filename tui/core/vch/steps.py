"""Each provisioning step: what it does (`run`), how it undoes exactly what it created (`undo`), and how it
describes itself for the plan. Steps record what they create on the RunContext as soon as a call may have
created it, so a rollback after any failure (or a cancel) removes precisely that and nothing else."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from tui.core.cancel import CancelToken
from tui.core.errors import VchError
from tui.core.problems import raise_if_errors
from tui.core.vch import events as ev
from tui.core.vch import journal
from tui.core.vch.endpoint import NicBacking, config_spec, datastore_path
from tui.core.vsphere.faults import call_failed, error_text
from tui.core.vsphere.upload import upload_file
from tui.core.vsphere.wait import Waiter, WaitTimedOut

UNLIMITED = -1


class UndoIncomplete(VchError):
    """An undo removed some things but not all; `left` says what is still there."""

    def __init__(self, message: str, *, removed: list[str] | None = None, left: list[str] | None = None) -> None:
        super().__init__(message)
        self.removed = removed or []
        self.left = left or []


@dataclass
class RunContext:
    session: Any
    plan: Any  # plan.Plan
    waiter: Waiter
    cancel: CancelToken
    emit: Callable[[Any], None]
    clock: Callable[[], float] = time.monotonic
    # what this run created (set before the call that may create it)
    journal: Any = None  # journal.Journal: the local record of what this run made
    tls: Any = None  # tls_bridge.TlsWork
    folder: Any = None
    pool: Any = None
    vm: Any = None
    vm_requested: bool = False
    bridge: Any = None  # bridge_network.BridgeWork: the bridge vSwitch/port group made on standalone ESXi
    volume_folders: list[str] = field(default_factory=list)  # datastore folders this run may have made
    uploads: list[str] = field(default_factory=list)  # datastore paths written to
    iso_names: dict[str, str] = field(default_factory=dict)  # "appliance_iso"/"bootstrap_iso" → uploaded name
    protected: bool = False  # DisableMethods(Destroy_Task) sent for the endpoint VM
    vic_extra: dict[str, str] = field(default_factory=dict)  # the VM's extraConfig once the appliance is up
    power_requested: bool = False
    env_file: Any = None
    # facts learnt on the way
    deadline: float | None = None
    address: str | None = None
    outputs: ev.Outputs = field(default_factory=ev.Outputs)

    @property
    def spec(self):
        return self.plan.spec

    @property
    def targets(self):
        return self.plan.targets

    def log(self, text: str, level: str = "info") -> None:
        self.emit(ev.LogLine(text, self.clock(), level))

    def sent(self, key: str, label: str, done: int, total: int) -> None:
        self.emit(ev.BytesSent(key, label, done, total, self.clock()))


class Step:
    key = ""
    title = ""

    def details(self, plan) -> list[str]:
        return []

    def label(self, ctx: RunContext) -> str:
        """What the step makes, as progress and rollback name it once the run knows the names."""
        return self.title

    def run(self, ctx: RunContext) -> None:
        raise NotImplementedError

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        """Remove what run() created, appending each removed thing to `removed` as soon as it is gone (so a
        failure half-way still reports the rest). Nothing appended: there was nothing to undo."""


def _shares(value: str):
    from pyVmomi import vim

    text = str(value).strip().lower()
    if text.isascii() and text.isdigit():
        return vim.SharesInfo(level="custom", shares=int(text))
    return vim.SharesInfo(level=text, shares=0)


def _limit(value: int | None) -> int:
    return value if value else UNLIMITED


def allocation(limit: int | None, reservation: int | None, shares: str):
    from pyVmomi import vim

    return vim.ResourceAllocationInfo(
        limit=_limit(limit), reservation=reservation or 0, expandableReservation=True, shares=_shares(shares)
    )


def _human_limit(value: int | None, unit: str) -> str:
    return f"{value} {unit}" if value else "unlimited"


def _destroy(ctx: RunContext, obj: Any, what: str) -> None:
    ctx.waiter.task(obj.Destroy_Task(), f"removing {what}")


def _create(ctx: RunContext, what: str, label: str, create: Callable[[], Any]) -> Any:
    """A synchronous create call; a DuplicateName means someone else took the name since validation."""
    from pyVmomi import vim

    try:
        return create()
    except vim.fault.DuplicateName:
        raise VchError(
            f"a {what} named {ctx.spec.name!r} appeared after validation; it is not this run's and is left alone",
            hint="choose another name",
        ) from None
    except Exception as exc:
        raise call_failed(f"creating the {label}", exc) from None


def _create_tracked(
    ctx: RunContext, kind: str, what: str, label: str, parent: Any, create: Callable[[], Any], children: str
) -> Any:
    """Write the intent to the journal, make the call, then record the object's id. A call that failed for any
    reason but a DuplicateName is resolved by name under `parent`: whatever it may have made is tracked."""
    ctx.journal.intend(kind, ctx.spec.name, parent._moId, label)
    try:
        obj = _create(ctx, what, label, create)
    except VchError as exc:
        found = None if "appeared after validation" in str(exc) else _child_named(ctx, parent, children, ctx.spec.name)
        if found is None:
            ctx.journal.drop(kind)
            raise
        ctx.journal.created(kind, found._moId)
        setattr(ctx, kind, found)
        raise
    ctx.journal.created(kind, obj._moId)
    return obj


def _child_named(ctx: RunContext, parent: Any, children: str, name: str) -> Any:
    """The child of `parent` (through its `children` property) named `name`, or None (best effort)."""
    from tui.core.vch.ownership import child_named

    try:
        return child_named(ctx.waiter, parent, children, name)
    except Exception:  # noqa: BLE001 - the create already failed; its error is the one to report
        return None


def _remove_if_empty(
    ctx: RunContext, obj: Any, obj_type: type, child_paths: list[str], label: str, removed: list[str]
) -> None:
    """Destroy a folder or pool this run created, but only while it is empty: Destroy_Task would take
    anything someone else put inside with it."""
    props = ctx.waiter.read(obj, obj_type, child_paths)
    children = [child for p in child_paths for child in (props.get(p) or [])]
    if children:
        raise UndoIncomplete(
            f"{label} is not empty", left=[f"{label} (holds {len(children)} object(s) this run did not create)"]
        )
    _destroy(ctx, obj, label)
    removed.append(label)


# --- 1. validate ----------------------------------------------------------------------------------


class ValidateStep(Step):
    key = "validate"
    title = "Validate the spec and the target"

    def details(self, plan) -> list[str]:
        t = plan.targets
        return [
            f"local rules, then the target: compute {t.compute.path}, image store {t.datastore.name}, "
            f"networks {', '.join(t.networks)}",
            f"the name {plan.spec.name!r} must be free (VM, "
            f"{'VM folder, ' if plan.targets.make_vm_folder else ''}resource pool, datastore folder)",
        ]

    def run(self, ctx: RunContext) -> None:
        from tui.core.vch.plan import assess, datastore_folder_problems
        from tui.core.vch.validate_target import load_target_facts

        plan = ctx.plan
        if ctx.clock() - plan.loaded_at > plan.options.inventory_max_age:
            ctx.log(
                f"reading the inventory again (the plan's copy is older than {plan.options.inventory_max_age:.0f} s)"
            )
            fresh = assess(plan.spec, load_target_facts(ctx.session), plan.options)
            plan.facts, plan.targets, plan.warnings = fresh.facts, fresh.targets, fresh.warnings
            plan.loaded_at = ctx.clock()
        for warning in plan.warnings:
            ctx.log(str(warning), "warning")
        raise_if_errors(datastore_folder_problems(ctx.session, plan), source=f"VCH {plan.spec.name!r}")


# --- 2. TLS ---------------------------------------------------------------------------------------


class TlsStep(Step):
    key = "tls"
    title = "Prepare the TLS material"

    def details(self, plan) -> list[str]:
        from tui.core.vch.tls_bridge import TlsWork

        return TlsWork(plan.spec).describe()

    def run(self, ctx: RunContext) -> None:
        from tui.core.vch.tls_bridge import TlsWork

        ctx.tls = TlsWork(ctx.spec)
        label = f"local certificate folder {ctx.tls.settings.folder}"
        ctx.journal.add(journal.LOCAL, None, label)  # the intent: files may appear in that folder now
        try:
            ctx.tls.prepare(ctx.log)
        finally:
            if ctx.tls.material is not None:
                ctx.journal.record_local_files(label, list(ctx.tls.material.created))
        ctx.outputs.tls_mode = ctx.spec.tls_mode().value
        ctx.outputs.cert_path = ctx.tls.cert_path

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        if ctx.tls is not None:
            ctx.tls.cleanup(removed)
            ctx.journal.drop(journal.LOCAL)


# --- 3. VM folder ---------------------------------------------------------------------------------


class FolderStep(Step):
    key = "folder"
    title = "Create the VM folder"

    def details(self, plan) -> list[str]:
        return [f"{plan.targets.datacenter}/vm/{plan.spec.name}"]

    def label(self, ctx: RunContext) -> str:
        return f"VM folder {ctx.targets.datacenter}/vm/{ctx.spec.name}"

    def run(self, ctx: RunContext) -> None:
        ctx.journal.add(journal.DATACENTER, ctx.targets.datacenter_ref._moId, ctx.targets.datacenter)
        ctx.folder = _create_tracked(
            ctx,
            journal.FOLDER,
            "VM folder",
            self.label(ctx),
            ctx.targets.vm_folder,
            lambda: ctx.targets.vm_folder.CreateFolder(ctx.spec.name),
            "childEntity",
        )

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        from pyVmomi import vim

        if ctx.folder is not None:
            _remove_if_empty(ctx, ctx.folder, vim.Folder, ["childEntity"], self.label(ctx), removed)
            ctx.folder = None
            ctx.journal.drop(journal.FOLDER)


# --- 4. resource pool -----------------------------------------------------------------------------


class PoolStep(Step):
    key = "pool"
    title = "Create the resource pool"

    def details(self, plan) -> list[str]:
        r = plan.spec.resources
        return [
            f"{plan.targets.compute.path}{'/Resources' if plan.targets.compute.kind != 'pool' else ''}/"
            f"{plan.spec.name}",
            f"CPU limit {_human_limit(r.cpu, 'MHz')}, reservation {r.cpu_reservation or 0} MHz, shares {r.cpu_shares}",
            f"memory limit {_human_limit(r.memory, 'MB')}, reservation {r.memory_reservation or 0} MB, "
            f"shares {r.memory_shares}",
        ]

    def label(self, ctx: RunContext) -> str:
        return f"resource pool {self.details(ctx.plan)[0]}"

    def run(self, ctx: RunContext) -> None:
        from pyVmomi import vim

        r = ctx.spec.resources
        config = vim.ResourceConfigSpec(
            cpuAllocation=allocation(r.cpu, r.cpu_reservation, r.cpu_shares),
            memoryAllocation=allocation(r.memory, r.memory_reservation, r.memory_shares),
        )
        parent = ctx.targets.compute.resource_pool
        ctx.pool = _create_tracked(
            ctx,
            journal.POOL,
            "resource pool",
            self.label(ctx),
            parent,
            lambda: parent.CreateResourcePool(ctx.spec.name, config),
            "resourcePool",
        )

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        from pyVmomi import vim

        if ctx.pool is not None:
            _remove_if_empty(ctx, ctx.pool, vim.ResourcePool, ["vm", "resourcePool"], self.label(ctx), removed)
            ctx.pool = None
            ctx.journal.drop(journal.POOL)


# --- 5. endpoint VM -------------------------------------------------------------------------------


def nic_backings(ctx: RunContext) -> list[NicBacking]:
    """Port group keys and switch UUIDs for the distributed port groups: two property reads in all."""
    from pyVmomi import vim, vmodl

    from tui.core.vch.endpoint import distinct_port_groups

    pc = vmodl.query.PropertyCollector
    collector = ctx.session.content.propertyCollector
    networks = [ctx.targets.networks[pg] for pg in distinct_port_groups(ctx.spec)]
    dpgs = [n for n in networks if n.kind == "dpg"]
    pg_props: dict[str, dict] = {}
    uuids: dict[str, str] = {}
    if dpgs:
        result = collector.RetrievePropertiesEx(
            [
                pc.FilterSpec(
                    objectSet=[pc.ObjectSpec(obj=n.ref) for n in dpgs],
                    propSet=[
                        pc.PropertySpec(
                            type=vim.dvs.DistributedVirtualPortgroup, pathSet=["key", "config.distributedVirtualSwitch"]
                        )
                    ],
                )
            ],
            pc.RetrieveOptions(),
        )
        for item in result.objects:
            pg_props[item.obj._moId] = {p.name: p.val for p in item.propSet}
        switches = {
            p["config.distributedVirtualSwitch"]._moId: p["config.distributedVirtualSwitch"] for p in pg_props.values()
        }
        result = collector.RetrievePropertiesEx(
            [
                pc.FilterSpec(
                    objectSet=[pc.ObjectSpec(obj=s) for s in switches.values()],
                    propSet=[pc.PropertySpec(type=vim.DistributedVirtualSwitch, pathSet=["uuid"])],
                )
            ],
            pc.RetrieveOptions(),
        )
        for item in result.objects:
            uuids[item.obj._moId] = item.propSet[0].val
    backings = []
    for n in networks:
        if n.kind == "dpg":
            props = pg_props[n.ref._moId]
            backings.append(
                NicBacking(n.name, n.kind, n.ref, uuids[props["config.distributedVirtualSwitch"]._moId], props["key"])
            )
        else:
            backings.append(NicBacking(n.name, n.kind, n.ref))
    return backings


def iso_version(plan) -> str | None:
    from tui.core.vic.iso import read_iso

    return read_iso(plan.targets.isos["appliance_iso"]).version


def iso_names(plan) -> dict[str, str]:
    from tui.core.vch.vic_write import iso_remote_names

    return iso_remote_names(plan.targets.isos)


def vic_networks(ctx: RunContext) -> dict[str, Any]:
    """Port group name → managed object, for every port group the builder may name (roles and containers)."""
    return {name: net.ref for name, net in ctx.plan.facts.inventory.networks.items()}


def vic_extra_config(ctx: RunContext, *, write: int) -> dict[str, str]:
    """VIC's extraConfig for vic-machine's first (CreateVM) or second (ReconfigVM) write, each with a new key.
    connect/* takes the user and password from vic_write.connect_credentials only (the ops user when given)."""
    from tui.core.vch import vic_write
    from tui.core.vic.build import build_config
    from tui.core.vic.config import encode
    from tui.core.vic.secretbox import new_key

    t = ctx.targets
    pool = ctx.pool if ctx.pool is not None else t.compute.resource_pool
    placement = vic_write.placement(
        spec=ctx.spec,
        session=ctx.session,
        ops=ctx.plan.options.ops,
        pool=pool,
        networks=vic_networks(ctx),
        datacenter=t.datacenter,
        cluster_path=f"/{t.datacenter}/host/{t.compute.path.split('/')[0]}",
        datastore=t.datastore.name,
        build=vic_write.build_from_iso_version(iso_version(ctx.plan)),
        bootstrap_iso=ctx.iso_names["bootstrap_iso"],
        vm=ctx.vm if write == 2 else None,
        vm_folder=t.vm_dir,
        registry_ca=vic_write.registry_ca_bundle(ctx.spec),
        create_bridge_network=ctx.bridge is not None,  # standalone ESXi: delete removes it, as vic-machine's
        **vic_write.tls_material(ctx.tls),
    )
    return encode(build_config(ctx.spec, placement, write=write), key=new_key())


class VmStep(Step):
    key = "vm"
    title = "Create the endpoint VM"

    def details(self, plan) -> list[str]:
        from tui.core.vch.endpoint import distinct_port_groups

        r, t = plan.spec.resources, plan.targets
        where = "its resource pool" if t.create_pool else f"the root pool of {t.compute.path} (DRS is off)"
        folder = "" if t.make_vm_folder else f", in {t.datacenter}/vm (standalone ESXi has no VM folders)"
        return [
            f"{plan.spec.name}: otherGuest64, {r.endpoint_cpu} vCPU, {r.endpoint_memory} MB, in {where}{folder}",
            "vmxnet3 NICs on " + ", ".join(distinct_port_groups(plan.spec)),
            f"CD-ROM {datastore_path(t.datastore.name, t.vm_dir + '/' + iso_names(plan)['appliance_iso'])}, "
            f"serial port to {t.vm_dir}/tether.debug",
            "VIC's configuration in guestinfo.vice. keys (id CreatingVCH until the second write)",
        ]

    def label(self, ctx: RunContext) -> str:
        return f"endpoint VM {ctx.spec.name}"

    def run(self, ctx: RunContext) -> None:
        from tui.core.vch import vic_write

        t = ctx.targets
        ctx.iso_names = iso_names(ctx.plan)
        extra = vic_extra_config(ctx, write=1)
        nics = nic_backings(ctx)
        slots = vic_write.pci_slots(ctx.spec, vic_networks(ctx))
        by_name = {name: vic_write.moref_text(ref) for name, ref in vic_networks(ctx).items()}
        config = config_spec(
            ctx.spec,
            datastore=t.datastore.name,
            vm_dir=t.vm_dir,
            nics=nics,
            extra=extra,
            slots=[slots[by_name[nic.port_group]] for nic in nics],
            appliance_iso=ctx.iso_names["appliance_iso"],
            version=vic_write.guest_version(vic_write.build_from_iso_version(iso_version(ctx.plan))),
        )
        pool = ctx.pool if ctx.pool is not None else t.compute.resource_pool
        parent = vm_parent(ctx)
        ctx.vm_requested = True
        folder = vm_folder_path(ctx)
        ctx.journal.add(journal.DATACENTER, t.datacenter_ref._moId, t.datacenter)  # (no folder step on ESXi)
        ctx.journal.add(
            journal.DATASTORE_FOLDER, folder, f"datastore folder {folder}", name=t.vm_dir, parent=t.datacenter_ref._moId
        )
        ctx.journal.intend(journal.VM, ctx.spec.name, parent._moId, self.label(ctx))
        try:
            task = parent.CreateVM_Task(config, pool, None)
        except Exception as exc:
            raise call_failed(f"creating the {self.label(ctx)}", exc) from None
        ctx.vm = ctx.waiter.task(task, f"creating the {self.label(ctx)}")
        ctx.journal.created(journal.VM, ctx.vm._moId)
        ctx.outputs.endpoint_vm = ctx.spec.name

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        from tui.core.vch.vm_removal import Removal, remove_vm_and_folder

        vm = ctx.vm
        if vm is None and ctx.vm_requested and vm_parent(ctx) is not None:
            vm = ctx.session.content.searchIndex.FindChild(vm_parent(ctx), ctx.spec.name)
        if vm is None and not ctx.vm_requested:
            return
        folder = vm_folder_path(ctx)
        out = Removal(removed=removed)
        try:
            remove_vm_and_folder(
                ctx.session,
                ctx.waiter,
                vm=vm,
                vm_label=self.label(ctx),
                datacenter=ctx.targets.datacenter_ref,
                folder=folder,
                owned=set(),
                out=out,
            )
        except BaseException as exc:
            left = [self.label(ctx)] if vm is not None and self.label(ctx) not in removed else []
            if not any(item.startswith(f"datastore folder {folder}") for item in removed + out.left):
                left.append(f"datastore folder {folder}")
            raise UndoIncomplete(error_text(exc), removed=list(removed), left=left + out.left) from exc
        finally:
            if vm is None or self.label(ctx) in removed:
                ctx.vm = None
                ctx.journal.drop(journal.VM)
        ctx.vm_requested = False
        if out.left:
            raise UndoIncomplete(f"the {folder} is not empty", removed=list(removed), left=out.left)
        ctx.journal.drop(journal.DATASTORE_FOLDER)


def vm_parent(ctx: RunContext) -> Any:
    """The inventory folder the endpoint VM goes in: the VCH's folder, or on standalone ESXi (no VM folders)
    the datacenter's VM folder."""
    return ctx.folder if ctx.targets.make_vm_folder else ctx.targets.vm_folder


def vm_folder_path(ctx: RunContext) -> str:
    """`[datastore] <vm_dir>`: the endpoint VM's folder, the only datastore folder a run may delete in."""
    return datastore_path(ctx.targets.datastore.name, ctx.targets.vm_dir)


def delete_datastore_file(ctx: RunContext, path: str) -> bool:
    """Delete a file inside the VCH's datastore folder (the guard refuses anything else); False when absent."""
    from tui.core.vsphere.datastore_files import delete_path

    return delete_path(ctx.session, ctx.waiter, path, ctx.targets.datacenter_ref, inside=vm_folder_path(ctx))


# --- 6. upload the ISOs ---------------------------------------------------------------------------


class UploadStep(Step):
    key = "upload"
    title = "Upload the ISOs"

    def details(self, plan) -> list[str]:
        t = plan.targets
        return [
            f"{t.isos[key]} → {datastore_path(t.datastore.name, t.vm_dir + '/' + remote)}"
            for key, remote in iso_names(plan).items()
        ]

    def run(self, ctx: RunContext) -> None:
        t = ctx.targets
        for key, remote_name in (ctx.iso_names or iso_names(ctx.plan)).items():
            remote = f"{t.vm_dir}/{remote_name}"
            ctx.uploads.append(remote)
            ctx.journal.add_file(journal.DATASTORE_FOLDER, remote_name)
            ctx.log(f"uploading {t.isos[key]} to {datastore_path(t.datastore.name, remote)}")
            upload_file(
                ctx.session,
                t.isos[key],
                datacenter=t.datacenter,
                datastore=t.datastore.name,
                remote=remote,
                progress=partial(ctx.sent, self.key, remote_name),
                cancel=ctx.cancel,
            )

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        while ctx.uploads:
            path = datastore_path(ctx.targets.datastore.name, ctx.uploads[-1])
            if delete_datastore_file(ctx, path):
                removed.append(f"uploaded file {path}")
            ctx.uploads.pop()


# --- 6b. VIC's second write and the Destroy protection ---------------------------------------------


class ConfigureStep(Step):
    key = "configure"
    title = "Write VIC's configuration"

    def details(self, plan) -> list[str]:
        return [
            "ReconfigVM_Task: the VM's moref as init/common/id, PCI slots, sessions, a new secret key",
            "DisableMethods(Destroy_Task) on the endpoint VM, as vic-machine does (lifted before any removal)",
        ]

    def run(self, ctx: RunContext) -> None:
        from pyVmomi import vim

        from tui.core.vsphere import raw_soap

        extra = vic_extra_config(ctx, write=2)
        spec = vim.vm.ConfigSpec(extraConfig=[vim.option.OptionValue(key=k, value=v) for k, v in sorted(extra.items())])
        try:
            task = ctx.vm.ReconfigVM_Task(spec)
        except Exception as exc:
            raise call_failed(f"writing VIC's configuration to {ctx.spec.name}", exc) from None
        ctx.waiter.task(task, f"writing VIC's configuration to {ctx.spec.name}")
        ctx.protected = True
        try:
            raw_soap.disable_methods(_raw_soap_target(ctx.session), [ctx.vm], ["Destroy_Task"])
        except Exception as exc:
            raise call_failed(f"protecting {ctx.spec.name} from Destroy_Task", exc) from None

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        from tui.core.vsphere import raw_soap

        if ctx.protected and ctx.vm is not None:
            raw_soap.enable_methods(_raw_soap_target(ctx.session), [ctx.vm], ["Destroy_Task"])
            removed.append(f"re-enabled Destroy_Task on the endpoint VM {ctx.spec.name}")
            ctx.protected = False


def _raw_soap_target(session):
    from tui.core.vch.teardown import _RawSoapTarget

    return _RawSoapTarget(session)


# --- 7. power on ----------------------------------------------------------------------------------


class PowerOnStep(Step):
    key = "power"
    title = "Power on the endpoint VM"

    def details(self, plan) -> list[str]:
        return [f"then wait at most {plan.spec.timeout} (timeout) for its address and the Docker API"]

    def run(self, ctx: RunContext) -> None:
        ctx.power_requested = True
        try:
            task = ctx.vm.PowerOnVM_Task()
        except Exception as exc:
            ctx.power_requested = False
            raise call_failed(f"powering on {ctx.spec.name}", exc) from None
        ctx.waiter.task(task, f"powering on {ctx.spec.name}")
        ctx.deadline = ctx.clock() + ctx.plan.timeout_seconds

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        from pyVmomi import vim

        if not ctx.power_requested or ctx.vm is None:
            return
        state = ctx.waiter.read(ctx.vm, vim.VirtualMachine, ["runtime.powerState"]).get("runtime.powerState")
        if state == "poweredOn":
            ctx.waiter.task(ctx.vm.PowerOffVM_Task(), f"powering off {ctx.spec.name}")
            removed.append(f"powered off the endpoint VM {ctx.spec.name}")
        ctx.power_requested = False


# --- 8. wait for the client address ---------------------------------------------------------------


def usable_address(value: Any) -> bool:
    if not value:
        return False
    try:
        ip = ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return not (ip.is_link_local or ip.is_unspecified)


def static_client_address(spec) -> str | None:
    ip = spec.effective_role_ip("client")
    return str(ipaddress.ip_interface(ip).ip) if ip else None


class WaitAddressStep(Step):
    key = "address"
    title = "Wait for the client address"

    def details(self, plan) -> list[str]:
        static = static_client_address(plan.spec)
        where = f"static {static}" if static else f"DHCP on {plan.spec.effective_client_network()}"
        return [
            f"{where}: follow init.networks|client.assigned.IP in the VM's configuration (at most {plan.spec.timeout})",
            "then every session's started key (docker-personality, port-layer, vicadmin), as vic-machine waits",
        ]

    def run(self, ctx: RunContext) -> None:
        from pyVmomi import vim

        from tui.core.vic import readiness

        def ready(extra: dict[str, str]) -> bool:
            return readiness.client_address(extra) is not None and readiness.all_started(extra)

        # as vic-machine: the appliance's own report of the address even with a static IP, then every session's
        # started key (one property filter follows both)
        try:
            options = ctx.waiter.until(
                ctx.vm,
                vim.VirtualMachine,
                "config.extraConfig",
                lambda value: ready(extra_dict(value)),
                deadline=ctx.deadline or ctx.clock(),
                what="the endpoint's client address and components",
            )
        except WaitTimedOut:
            extra = current_extra(ctx)
            failure = (
                "not every appliance component launched"
                if readiness.client_address(extra)
                else "the endpoint VM reported no client address"
            )
            raise appliance_timeout(ctx, failure, extra=extra) from None
        ctx.vic_extra = extra = extra_dict(options)
        ctx.address = readiness.client_address(extra)
        ctx.outputs.address = ctx.address
        ctx.log(f"endpoint address: {ctx.address}")
        for name in readiness.sessions(extra):
            state = readiness.started(extra, name)
            if state == "true":
                ctx.log(f"component {name}: started successfully")
            else:
                ctx.log(f"component {name} did not launch successfully: {state}", "error")


def extra_dict(options: Any) -> dict[str, str]:
    return {o.key: str(o.value) for o in (options or []) if getattr(o, "value", None) is not None}


def current_extra(ctx: RunContext) -> dict[str, str]:
    from pyVmomi import vim

    return extra_dict(ctx.waiter.read(ctx.vm, vim.VirtualMachine, ["config.extraConfig"]).get("config.extraConfig"))


def appliance_timeout(
    ctx: RunContext, what: str, detail: str = "", extra: dict[str, str] | None = None, hint: str | None = None
) -> VchError:
    """The timeout error with the state of every interface and component (also logged, line by line), as
    vic-machine prints them when it gives up: not only "no IP"."""
    from tui.core.vic import readiness

    try:
        states = readiness.report(extra if extra is not None else current_extra(ctx))
    except Exception as exc:  # noqa: BLE001 - the report is best effort; the timeout is the error
        states = [f"the endpoint VM's configuration could not be read: {error_text(exc)}"]
    for line in states:
        ctx.log(line, "warning")
    return VchError(
        f"{what} within {ctx.spec.timeout} (timeout){detail}\n" + "\n".join(f"  {line}" for line in states),
        hint=hint or _address_hint(ctx),
    )


def _address_hint(ctx: RunContext) -> str:
    network = ctx.spec.effective_client_network()
    static = static_client_address(ctx.spec)
    where = f"the static address {static} on {network}" if static else f"DHCP on {network}"
    return f"check {where} and the endpoint's console (vic-machine inspect shows these states later), or raise timeout"


# --- 9. probe the Docker API ----------------------------------------------------------------------


class ProbeStep(Step):
    key = "probe"
    title = "Check that the Docker API answers"

    def details(self, plan) -> list[str]:
        scheme = "http" if plan.spec.tls_mode().value == "no-tls" else "https"
        return [
            f"GET {scheme}://<address>:{plan.docker_port}/info until the port layer is RUNNING (within the timeout)",
            "every volume store listed in its VolumeStores, else an error naming the missing ones, as vic-machine",
        ]

    def run(self, ctx: RunContext) -> None:
        from tui.core.tls.probe import ProbeKind
        from tui.core.vic import readiness

        stores = readiness.volume_store_labels(ctx.vic_extra)
        last: str | None = None
        hint: str | None = None
        while True:
            ctx.cancel.check()
            try:
                result = ctx.tls.probe_result(ctx.address, ctx.plan.docker_port)
                ready = readiness.api_readiness(result.info, stores)
                if result.kind == ProbeKind.CLIENT_CERT_MISSING:
                    # the server passed the check, then wanted a client certificate this machine does not have:
                    # vic-machine, too, takes that as the API serving as configured (tlsErrExpected)
                    ctx.log(result.message, "warning")
                    return
                if ready.running:
                    ctx.log(result.message)
                    for store in ready.missing_stores:
                        ctx.log(
                            f"volume store {store} cannot be brought online: check the network, the NFS server "
                            "and the volume_store setting",
                            "error",
                        )
                    return
                text = f"{result.message}, but its port layer is {ready.port_layer}"
                hint = "the port layer may be slow to start: raise timeout, or read its log through vicadmin"
            except VchError as exc:
                text, hint = exc.message, exc.hint
            if text != last:
                ctx.log(f"Docker API not ready yet: {text}", "warning")
            last = text
            if ctx.deadline is not None and ctx.clock() + ctx.plan.options.probe_interval > ctx.deadline:
                raise appliance_timeout(
                    ctx,
                    f"the Docker API at {ctx.address}:{ctx.plan.docker_port} did not answer with its port layer RUNNING",
                    f": {last}",
                    extra=None,
                    hint=hint,
                )
            ctx.cancel.sleep(ctx.plan.options.probe_interval)


# --- 10. .env and the created marker --------------------------------------------------------------


class FinishStep(Step):
    key = "finish"
    title = "Write the .env file"

    def details(self, plan) -> list[str]:
        from tui.core.vch.tls_bridge import env_file_path

        return [f"{env_file_path(plan.spec)}"]

    def run(self, ctx: RunContext) -> None:
        env = ctx.tls.docker_env(ctx.address, ctx.plan.docker_port)
        ctx.outputs.docker_env = env
        ctx.outputs.docker_host = env.get("DOCKER_HOST")
        ctx.env_file = ctx.tls.write_env(env)
        ctx.outputs.env_file = str(ctx.env_file) if ctx.env_file else None

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        if ctx.tls is not None:
            ctx.tls.remove_env(removed)


def steps_for(plan) -> list[Step]:
    from tui.core.vch.bridge_network import BridgeStep
    from tui.core.vch.volume_folders import VolumeFoldersStep, volume_folders

    steps: list[Step] = [ValidateStep(), TlsStep()]
    if plan.targets.make_vm_folder:
        steps.append(FolderStep())
    if plan.targets.create_pool:
        steps.append(PoolStep())
    if plan.targets.bridge_to_create:
        steps.append(BridgeStep())  # after the pool, before the VM, as vic-machine's CreateVCH
    steps.append(VmStep())
    if volume_folders(plan.spec):
        steps.append(VolumeFoldersStep())  # after CreateVM, as vic-machine's createAppliance
    steps += [UploadStep(), ConfigureStep(), PowerOnStep(), WaitAddressStep(), ProbeStep(), FinishStep()]
    return steps
