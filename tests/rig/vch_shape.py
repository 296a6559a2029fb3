"""Build the shape of a VCH in the simulator with plain pyvmomi: what the monitor needs to find one.

A VCH here is a resource pool under Cluster (with CPU / memory limits, or unlimited), an endpoint VM
in it carrying `guestinfo.vice./init/common/name=<vch>` in extraConfig, and container VMs named like
VIC's `{name}-{12 hex}` with their vCPUs and memory (reference vic.md §3). No ISO, no appliance: the
provisioning code builds real VCHs; this only gives the monitor something to watch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from tui.core.metrics import scenario
from tui.core.simulator import CLUSTER, DATASTORES
from tui.core.vchs import NAME_KEY


@dataclass(frozen=True)
class ContainerSpec:
    name: str
    vcpus: int = 1
    memory_mb: int = 512


@dataclass
class VchShape:
    name: str
    pool: object  # vim.ResourcePool
    endpoint: object  # vim.VirtualMachine
    containers: dict[str, object] = field(default_factory=dict)  # container name -> vim.VirtualMachine

    def moid(self, container: str) -> str:
        return self.containers[container]._moId


def container_vm_name(name: str) -> str:
    """`{name}-{id}` with a 12-hex id derived from the name (stable across runs)."""
    return f"{name}-{hashlib.sha256(name.encode()).hexdigest()[:12]}"


def _wait(task) -> object:
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

    return vim.ResourceAllocationInfo(limit=-1 if limit is None else limit, reservation=0,
                                      expandableReservation=limit is None,
                                      shares=vim.SharesInfo(level="normal", shares=0))


def pool_config(cpu_limit_mhz: int | None, memory_limit_mb: int | None):
    from pyVmomi import vim

    return vim.ResourceConfigSpec(cpuAllocation=allocation(cpu_limit_mhz), memoryAllocation=allocation(memory_limit_mb))


def _create_vm(content, pool, name: str, vcpus: int, memory_mb: int, extra: dict[str, str] | None = None,
               power_on: bool = True):
    from pyVmomi import vim

    config = vim.vm.ConfigSpec(
        name=name, numCPUs=vcpus, memoryMB=memory_mb, guestId="otherGuest64",
        files=vim.vm.FileInfo(vmPathName=f"[{DATASTORES[0]}]"),
        extraConfig=[vim.option.OptionValue(key=k, value=v) for k, v in (extra or {}).items()])
    vm = _wait(_datacenter(content).vmFolder.CreateVM_Task(config, pool))
    if power_on:
        _wait(vm.PowerOnVM_Task())
    return vm


def create_vch(content, name: str, *, cpu_limit_mhz: int | None = None, memory_limit_mb: int | None = None,
               containers: Iterable[ContainerSpec] = (), pool=None, power_on: bool = True) -> VchShape:
    """A new pool Cluster/Resources/<name> (or `pool`, re-limited), its endpoint VM and the containers."""
    config = pool_config(cpu_limit_mhz, memory_limit_mb)
    if pool is None:
        pool = _cluster(content).resourcePool.CreateResourcePool(name, config)
    else:
        pool.UpdateConfig(None, config)
    endpoint = _create_vm(content, pool, name, 1, 2048, {NAME_KEY: name})
    shape = VchShape(name, pool, endpoint)
    for spec in containers:
        add_container(content, shape, spec, power_on=power_on)
    return shape


def add_container(content, shape: VchShape, spec: ContainerSpec, *, power_on: bool = True):
    vm = _create_vm(content, shape.pool, container_vm_name(spec.name), spec.vcpus, spec.memory_mb, power_on=power_on)
    shape.containers[spec.name] = vm
    return vm


def delete_container(shape: VchShape, name: str) -> None:
    vm = shape.containers.pop(name)
    if vm.runtime.powerState == "poweredOn":
        _wait(vm.PowerOffVM_Task())
    _wait(vm.Destroy_Task())


def find_pool(content, name: str):
    """A resource pool anywhere under Cluster by name (e.g. the simulator's `scale` pool)."""
    from tui.core.inventory import retrieve
    from pyVmomi import vim

    class _S:  # retrieve() wants an object with .content
        pass

    holder = _S()
    holder.content = content
    for item in retrieve(holder, vim.ResourcePool, ["name"]):
        if item.get("name") == name:
            return item.obj
    raise LookupError(f"no resource pool {name!r}")


def seed_story(content) -> dict[str, VchShape]:
    """The seed's two VCHs (500 MHz / 500 MB, and unlimited) with the story's four containers."""
    shapes: dict[str, VchShape] = {}
    for vch in (scenario.LIMITED, scenario.UNLIMITED):
        specs = [ContainerSpec(c.name, c.vcpus, c.memory_mb) for c in scenario.CONTAINERS if c.vch is vch]
        shapes[vch.name] = create_vch(content, vch.name, cpu_limit_mhz=vch.cpu_limit_mhz,
                                      memory_limit_mb=vch.memory_limit_mb, containers=specs)
    return shapes


# -- a simulator playing the seed story, for the monitor's end-to-end tests ----------------------------------


def story_rig(binary, tmp_dir, *, steady: bool = True, **kwargs):
    """Start a private simulator with the seed-story scenario and its two VCHs built; returns
    (simulator, connect options trusting it by fingerprint, {vch name: VchShape}, the building session)."""
    from tui.core.connection import ConnectOptions, connect
    from tui.core.simulator import Simulator

    from .simulator_fixtures import SIM_PASSWORD, SIM_USERNAME

    sim = Simulator(username=SIM_USERNAME, password=SIM_PASSWORD, binary=binary, cert_dir=tmp_dir,
                    scenario=scenario.seed_story(steady=steady), **kwargs).start()
    opts = ConnectOptions.resolve(target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password,
                                  thumbprint=sim.sha256, env={})
    session = connect(opts)
    shapes = seed_story(session.content)
    return sim, opts, shapes, session


def host_mhz(content) -> dict[str, int]:
    """CPU MHz per host moid, read from the simulator (for expected over-commit figures)."""
    from pyVmomi import vim

    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.HostSystem], True)
    try:
        return {h._moId: h.summary.hardware.cpuMhz for h in view.view}
    finally:
        view.Destroy()
