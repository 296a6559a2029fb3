"""Seed a demo simulator with the seed story's two VCHs, built with plain pyvmomi.

A VCH here is a resource pool under Cluster (with CPU / memory limits, or unlimited), an endpoint VM in it
carrying the `guestinfo.vice.` keys `ls` / `inspect` / the monitor read, and container VMs named like VIC's
`{name}-{12 hex}` with their vCPUs and memory (reference vic.md §3). The story's counters come from the
simulator's scenario (metrics/scenario.py); this only builds the inventory they attach to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tui.vchsim import scenario
from tui.core.vch.endpoint import CONTAINER_ID_KEY, NAME_KEY, STATE_CREATED, STATE_KEY
from tui.vchsim.simulator import CLUSTER, DATASTORES
from tui.vchsim.iso_image import write_iso

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
    pool: object  # vim.ResourcePool
    endpoint: object  # vim.VirtualMachine
    containers: dict[str, object] = field(default_factory=dict)  # container name -> vim.VirtualMachine

    def moid(self, container: str) -> str:
        return self.containers[container]._moId


def container_id(name: str) -> str:
    """A 12-hex id derived from the name, so VM names are stable across runs (screenshots, tests)."""
    return hashlib.sha256(name.encode()).hexdigest()[:12]


def container_vm_name(name: str) -> str:
    """`{name}-{id}` as VIC names container VMs."""
    return f"{name}-{container_id(name)}"


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


def endpoint_keys(name: str) -> dict[str, str]:
    """What a finished vch-tui create leaves on the endpoint VM, as far as `ls` and the monitor read it."""
    return {NAME_KEY: name, STATE_KEY: STATE_CREATED}


def create_vch(content, name: str, *, cpu_limit_mhz: int | None = None, memory_limit_mb: int | None = None,
               containers: Iterable[ContainerSpec] = (), pool=None, power_on: bool = True,
               extra: dict[str, str] | None = None) -> VchShape:
    """A new pool Cluster/Resources/<name> (or `pool`, re-limited), its endpoint VM and the containers."""
    config = pool_config(cpu_limit_mhz, memory_limit_mb)
    if pool is None:
        pool = _cluster(content).resourcePool.CreateResourcePool(name, config)
    else:
        pool.UpdateConfig(None, config)
    endpoint = _create_vm(content, pool, name, 1, 2048, {NAME_KEY: name} if extra is None else extra)
    shape = VchShape(name, pool, endpoint)
    for spec in containers:
        add_container(content, shape, spec, power_on=power_on)
    return shape


def add_container(content, shape: VchShape, spec: ContainerSpec, *, power_on: bool = True,
                  extra: dict[str, str] | None = None):
    vm = _create_vm(content, shape.pool, container_vm_name(spec.name), spec.vcpus, spec.memory_mb, extra,
                    power_on=power_on)
    shape.containers[spec.name] = vm
    return vm


def seed_story(content, *, product_keys: bool = False) -> dict[str, VchShape]:
    """The seed's two VCHs (500 MHz / 500 MB, and unlimited) with the story's four containers.

    product_keys=True also writes the state key `ls` shows as "created" and VIC's container id on the
    container VMs (the demo); without it the shape is the bare minimum the monitor recognises (tests).
    """
    shapes: dict[str, VchShape] = {}
    for vch in (scenario.LIMITED, scenario.UNLIMITED):
        keys = endpoint_keys(vch.name) if product_keys else None
        shape = create_vch(content, vch.name, cpu_limit_mhz=vch.cpu_limit_mhz,
                           memory_limit_mb=vch.memory_limit_mb, extra=keys)
        for c in scenario.CONTAINERS:
            if c.vch is vch:
                container_keys = {CONTAINER_ID_KEY: container_id(c.name)} if product_keys else None
                add_container(content, shape, ContainerSpec(c.name, c.vcpus, c.memory_mb), extra=container_keys)
        shapes[vch.name] = shape
    return shapes


def write_placeholder_isos(folder: Path) -> list[Path]:
    """Small ISO 9660 stand-ins for VIC's ISOs (VIC 1.5.8's publisher) so the wizard's Create finds its defaults
    and validation accepts them (the simulator only uploads them)."""
    written = []
    for name in PLACEHOLDER_ISOS:
        path = folder / name
        write_iso(path, f"vch-tui demo placeholder for {name}\n".encode())
        written.append(path)
    return written
