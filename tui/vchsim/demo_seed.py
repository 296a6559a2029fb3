"""Seed a demo simulator with the seed story's two VCHs: genuine VIC VCHs, built with plain pyvmomi.

A VCH here is a resource pool under Cluster (with CPU / memory limits, or unlimited), an endpoint VM in it
carrying VIC's own configuration as vic-machine 1.5.8 writes it (tui.core.vic's builder: first write with
`init/common/id=CreatingVCH`, then the VM's moref, its pool in `container/ComputeResources`), with Destroy_Task
disabled as VIC does, and container VMs named like VIC's `{name}-{12 hex}` carrying VIC's container id, with
their vCPUs and memory. So `ls`, `inspect`, `top` and `delete` take exactly
the path a real site takes. The story's counters come from the simulator's scenario (vchsim/scenario.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.secret import Secret
from tui.core.vic.read import CONTAINER_ID_KEY
from tui.vchsim import scenario
from tui.vchsim.iso_image import write_iso
from tui.vchsim.simulator import CLUSTER, DATACENTER, DATASTORES

BRIDGE_NETWORK = "vch-bridge"
PUBLIC_NETWORK = "VM Network"
DEMO_BUILD = ("v1.5.8", "0", "2c978fe")  # the VIC release whose configuration the demo's VCHs carry

if TYPE_CHECKING:
    from pyVmomi import vim

# Placeholders for the wizard's default ISOs (vic-machine looks for them in the current directory).
PLACEHOLDER_ISOS = ("appliance.iso", "bootstrap.iso")


@dataclass(frozen=True)
class ContainerSpec:
    name: str
    vcpus: int = 1
    memory_mb: int = 512


@dataclass
class VchShape:
    name: str
    pool: vim.ResourcePool
    endpoint: vim.VirtualMachine
    containers: dict[str, vim.VirtualMachine] = field(default_factory=dict)  # container name -> its VM

    def moid(self, container: str) -> str:
        return self.containers[container]._moId


def container_id(name: str) -> str:
    """A 12-hex id derived from the name, so VM names are stable across runs (screenshots, tests)."""
    return hashlib.sha256(name.encode()).hexdigest()[:12]


def container_vm_name(name: str) -> str:
    """`{name}-{id}` as VIC names container VMs."""
    return f"{name}-{container_id(name)}"


def _wait(task) -> Any:  # the task's result: its type depends on the task
    from pyVim.task import WaitForTask

    WaitForTask(task)
    return task.info.result


def _datacenter(content):
    from pyVmomi import vim

    return next(e for e in content.rootFolder.childEntity if isinstance(e, vim.Datacenter))


def _cluster(content, name: str = CLUSTER):
    return next(e for e in _datacenter(content).hostFolder.childEntity if e.name == name)


def allocation(limit: int | None):
    from pyVmomi import vim

    return vim.ResourceAllocationInfo(
        limit=-1 if limit is None else limit,
        reservation=0,
        expandableReservation=limit is None,
        shares=vim.SharesInfo(level="normal", shares=0),
    )


def pool_config(cpu_limit_mhz: int | None, memory_limit_mb: int | None):
    from pyVmomi import vim

    return vim.ResourceConfigSpec(cpuAllocation=allocation(cpu_limit_mhz), memoryAllocation=allocation(memory_limit_mb))


def _create_vm(
    content, pool, name: str, vcpus: int, memory_mb: int, extra: dict[str, str] | None = None, power_on: bool = True
):
    from pyVmomi import vim

    config = vim.vm.ConfigSpec(
        name=name,
        numCPUs=vcpus,
        memoryMB=memory_mb,
        guestId="otherGuest64",
        files=vim.vm.FileInfo(vmPathName=f"[{DATASTORES[0]}]"),
        extraConfig=[vim.option.OptionValue(key=k, value=v) for k, v in (extra or {}).items()],
    )
    vm = _wait(_datacenter(content).vmFolder.CreateVM_Task(config, pool))
    if power_on:
        _wait(vm.PowerOnVM_Task())
    return vm


def _placement(content, name: str, pool, vm=None):
    from tui.core.vic.placement import Placement
    from tui.core.vic.values import Build

    networks = {n.name: f"{n._wsdlName}:{n._moId}" for n in _datacenter(content).network}
    version, number, commit = DEMO_BUILD
    iso_prefix = f"{version}-{number}-{commit}".upper()
    return Placement(
        vch_pool=f"ResourcePool:{pool._moId}",
        networks=networks,
        datacenter=DATACENTER,
        cluster_path=f"/{DATACENTER}/host/{CLUSTER}",
        pool_path=f"/{DATACENTER}/host/{CLUSTER}/Resources",
        datastore=DATASTORES[0],
        target_url="https://127.0.0.1",
        login_user="demo",
        login_password=Secret("demo appliance login (the demo has no appliance)"),
        build=Build(
            version=version, git_commit=commit, build_date="", build_number=number, state="", plugin_version=10
        ),
        bootstrap_iso=f"{iso_prefix}-bootstrap.iso",
        target_datacenter=DATACENTER,
        vm=f"VirtualMachine:{vm._moId}" if vm is not None else None,
    )


def vic_endpoint_config(content, name: str, pool, vm=None) -> dict[str, str]:
    """The extraConfig vic-machine writes for a no-TLS VCH `name` in `pool`: its first write without `vm`,
    its final write (the VM's moref, sessions, slots) with it."""
    from tui.core.spec.model import Tls, VchSpec
    from tui.core.vic.build import build_config
    from tui.core.vic.config import encode
    from tui.core.vic.secretbox import new_key

    spec = VchSpec(
        name=name,
        compute_resource=CLUSTER,
        image_store=DATASTORES[0],
        bridge_network=BRIDGE_NETWORK,
        tls=Tls(no_tls=True),
    )
    cfg = build_config(spec, _placement(content, name, pool, vm), write=1 if vm is None else 2)
    return encode(cfg, key=new_key())


def _protect(content, vm) -> None:
    """AuthorizationManager.DisableMethods(Destroy_Task) as vic-machine create does; skipped where the server
    has no such call."""
    from pyVmomi import vmodl

    from tui.core.vsphere import raw_soap

    class _Si:  # raw_soap wants what a ServiceInstance gives
        def __init__(self) -> None:  # the plain SOAP stub under a session-oriented one (its cookie)
            self._stub, self.content = getattr(vm._stub, "soapStub", vm._stub), content

    try:
        raw_soap.disable_methods(_Si(), [vm], ["Destroy_Task"])
    except (vmodl.fault.NotSupported, vmodl.fault.MethodNotFound):
        pass


def create_vch(
    content,
    name: str,
    *,
    cpu_limit_mhz: int | None = None,
    memory_limit_mb: int | None = None,
    containers: Iterable[ContainerSpec] = (),
    pool=None,
    power_on: bool = True,
    protect: bool = True,
) -> VchShape:
    """A new pool Cluster/Resources/<name> (or `pool`, re-limited), its endpoint VM carrying VIC's configuration
    (protected from Destroy_Task unless protect=False), and the containers."""
    from pyVmomi import vim

    config = pool_config(cpu_limit_mhz, memory_limit_mb)
    if pool is None:
        pool = _cluster(content).resourcePool.CreateResourcePool(name, config)
    else:
        pool.UpdateConfig(None, config)
    endpoint = _create_vm(content, pool, name, 1, 2048, vic_endpoint_config(content, name, pool), power_on=False)
    final = vic_endpoint_config(content, name, pool, endpoint)
    _wait(
        endpoint.ReconfigVM_Task(
            vim.vm.ConfigSpec(extraConfig=[vim.option.OptionValue(key=k, value=v) for k, v in final.items()])
        )
    )
    if protect:
        _protect(content, endpoint)
    if power_on:
        _wait(endpoint.PowerOnVM_Task())
    shape = VchShape(name, pool, endpoint)
    for spec in containers:
        add_container(content, shape, spec, power_on=power_on)
    return shape


def add_container(
    content, shape: VchShape, spec: ContainerSpec, *, power_on: bool = True, extra: dict[str, str] | None = None
):
    """A container VM in the VCH's pool carrying VIC's container id (`extra` replaces the keys)."""
    keys = {CONTAINER_ID_KEY: container_id(spec.name)} if extra is None else extra
    vm = _create_vm(
        content, shape.pool, container_vm_name(spec.name), spec.vcpus, spec.memory_mb, keys, power_on=power_on
    )
    shape.containers[spec.name] = vm
    return vm


def seed_story(content) -> dict[str, VchShape]:
    """The seed's two VCHs (500 MHz / 500 MB, and unlimited) with the story's four containers."""
    shapes: dict[str, VchShape] = {}
    for vch in (scenario.LIMITED, scenario.UNLIMITED):
        shape = create_vch(content, vch.name, cpu_limit_mhz=vch.cpu_limit_mhz, memory_limit_mb=vch.memory_limit_mb)
        for c in scenario.CONTAINERS:
            if c.vch is vch:
                add_container(content, shape, ContainerSpec(c.name, c.vcpus, c.memory_mb))
        shapes[vch.name] = shape
    return shapes


def write_placeholder_isos(folder: Path, *, keep_existing: bool = False) -> list[Path]:
    """Small ISO 9660 stand-ins for VIC's ISOs (VIC 1.5.8's publisher) so the wizard's Create finds its defaults
    and validation accepts them (the simulator only uploads them). `keep_existing`: an ISO already there
    (the user's folder) is used as it is."""
    written = []
    for name in PLACEHOLDER_ISOS:
        path = folder / name
        if keep_existing and path.exists():
            written.append(path)
            continue
        write_iso(path, f"vch-tui demo placeholder for {name}\n".encode())
        written.append(path)
    return written
