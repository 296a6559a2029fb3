"""Replay a vic-machine 1.5.8 capture onto the simulator: an endpoint VM the VIC appliance stand-in boots.

    vch = replay(si, sim, "G1", edit=lambda keys, box: ...)
    vch.wait()                 # until the stand-in has decided (state no longer "booting")
    vch.state(), vch.guest_ip("client"), vch.started("port-layer")

What it builds, as vic-machine did (tests/data/vic-machine-1.5.8/<spec>/vm.json, extraconfig.txt): a
resource pool under Cluster, the VM with one vmxnet3 per captured NIC on the same PCI slots and port
groups, a CD-ROM on `[datastore1] <vm>/V1.5.8-0-2C978FE-appliance.iso` (a placeholder file uploaded there),
and the captured effective extraConfig written in two steps (`init/common/id=CreatingVCH`, then the VM's
moref and its pool in `container/ComputeResources|0`). Rewritten so the appliance can log in to this
simulator: connect/target, VC_URL, the target thumbprint, the user name and connect/token@secret (sealed
again with the capture's own key from guestinfo.ovfEnv); the VCH name gets a unique suffix (also in the
image store folder and bootstrap path). `edit(keys, box)` changes the keys before the VM is created; `box`
seals values with the config's key (box.seal("text")).
"""

from __future__ import annotations

import base64
import ipaddress
import json
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyVim.task import WaitForTask
from pyVmomi import vim

from tui.core.vic import secretbox

CAPTURES = Path(__file__).resolve().parents[1] / "data" / "vic-machine-1.5.8"
RO = "guestinfo.vice./"
SECRET_KEY = "guestinfo.ovfEnv"


def capture_keys(spec: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    for line in (CAPTURES / spec / "extraconfig.txt").read_text().splitlines():
        key, _, value = line.partition("=")
        keys[key] = value
    return keys


def capture_pem(spec: str, key: str) -> bytes:
    return base64.b64decode(capture_keys(spec)[RO + key])


class SecretBox:
    """Seals values under the config's own key (guestinfo.ovfEnv), with the product's VIC codec."""

    def __init__(self, keys: dict[str, str]) -> None:
        self._key = secretbox.parse_key(keys[SECRET_KEY])

    def seal(self, text: str) -> str:
        return secretbox.seal(self._key, text)


def _rewrite(keys: dict[str, str], spec_name: str, name: str, sim) -> None:
    target = sim.url.rsplit("/sdk", 1)[0]
    old_target = keys[RO + "connect/target"]
    keys["init/common/name"] = name
    keys[RO + "storage/image_stores|0/Path"] = name
    boot = RO + "container/bootstrap_image_path"
    keys[boot] = keys[boot].replace(f"] {spec_name}/", f"] {name}/")
    keys[RO + "connect/target"] = target
    keys[RO + "connect/target_thumbprint"] = sim.sha1
    keys[RO + "connect/username"] = sim.username
    keys[RO + "connect/token@secret"] = SecretBox(keys).seal(sim.password.reveal())
    env = RO + "init/sessions|port-layer/cmd/Env~"
    keys[env] = keys[env].replace(old_target, target)


def _datacenter(si):
    return next(e for e in si.content.rootFolder.childEntity if isinstance(e, vim.Datacenter))


def _networks(si) -> dict[str, object]:
    return {n.name: n for n in _datacenter(si).network}


def _nic_specs(si, spec: str) -> list:
    """One vmxnet3 per captured NIC, same PCI slot, on the same-named network of this simulator."""
    vm = json.loads((CAPTURES / spec / "vm.json").read_text())
    names = {}
    for entry in vm["network"]:
        moref, _, label = entry.partition("\t")
        names[moref.split(":", 1)[1]] = label
    nets = _networks(si)
    dev = vim.vm.device
    out = []
    for i, d in enumerate(x for x in vm["devices"] if x["type"] == "VirtualVmxnet3"):
        backing = d["backing"]
        if "port" in backing:
            pg = nets[names[backing["port"]["portgroupKey"]]]
            b = dev.VirtualEthernetCard.DistributedVirtualPortBackingInfo(
                port=vim.dvs.PortConnection(switchUuid=pg.config.distributedVirtualSwitch.uuid, portgroupKey=pg.key)
            )
        else:
            b = dev.VirtualEthernetCard.NetworkBackingInfo(
                deviceName=backing["deviceName"], network=nets[backing["deviceName"]]
            )
        card = dev.VirtualVmxnet3(
            key=-(100 + i),
            backing=b,
            slotInfo=dev.VirtualDevice.PciBusSlotInfo(pciSlotNumber=d["slotInfo.pciSlotNumber"]),
        )
        out.append(dev.VirtualDeviceSpec(operation="add", device=card))
    return out


def _options(keys: dict[str, str]) -> list:
    return [vim.option.OptionValue(key=k, value=v) for k, v in keys.items()]


ISO_NAME = "V1.5.8-0-2C978FE-appliance.iso"


@dataclass
class ReplayedVch:
    sim: object
    si: object
    vm: object
    name: str
    keys: dict[str, str]
    pool: object = None

    @property
    def moref(self) -> str:
        return self.vm._moId

    def appliance(self) -> dict:
        return self.sim.appliance(self.moref)

    def wait(self, until: set[str] | None = None, timeout: float = 60.0) -> dict:
        """The stand-in's state once it has decided (not booting or stopping), or once it is in `until`;
        fails the test on timeout. Power changes reach the stand-in asynchronously: after one, say what
        state to wait for."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.appliance()
            if state and (state["state"] in until if until else state["state"] not in ("booting", "stopping")):
                return state
            time.sleep(0.05)
        raise AssertionError(
            f"the appliance stand-in of {self.name} did not reach {until or 'a decision'} "
            f"within {timeout:g} s: {self.appliance()}"
        )

    def extra(self) -> dict[str, str]:
        return {o.key: str(o.value) for o in self.vm.config.extraConfig}

    def guest_ip(self, role: str) -> str | None:
        """`guestinfo.vice..init.networks|<role>.assigned.IP` decoded (None when unset)."""
        value = self.extra().get(f"guestinfo.vice..init.networks|{role}.assigned.IP")
        if not value:
            return None
        raw = base64.b64decode(value)
        assert len(raw) == 16, f"assigned.IP must be Go's 16-byte form, got {len(raw)} bytes"
        return str(ipaddress.IPv6Address(raw).ipv4_mapped or ipaddress.IPv6Address(raw))

    def started(self, session: str) -> str | None:
        return self.extra().get(f"guestinfo.vice..init.sessions|{session}.started")

    def power_off(self) -> None:
        WaitForTask(self.vm.PowerOffVM_Task())

    def destroy(self) -> None:
        """Power off and destroy the VM (lifting VIC's protection first) and its pool; vm=None: pool only."""
        from tui.core.vsphere import raw_soap

        if self.vm is not None:
            if self.vm.runtime.powerState == "poweredOn":
                self.power_off()
            raw_soap.enable_methods(self.si, [self.vm], ["Destroy_Task"])
            WaitForTask(self.vm.Destroy_Task())
        WaitForTask(self.pool.Destroy_Task())


def replay(
    si,
    sim,
    spec: str,
    *,
    edit: Callable[[dict[str, str], SecretBox], None] | None = None,
    upload_iso: bool = True,
    power_on: bool = True,
) -> ReplayedVch:
    keys = capture_keys(spec)
    spec_name = keys["init/common/name"]
    name = f"{spec_name}-{uuid.uuid4().hex[:6]}"
    _rewrite(keys, spec_name, name, sim)
    if edit is not None:
        edit(keys, SecretBox(keys))
    dc = _datacenter(si)
    cluster = dc.hostFolder.childEntity[0]
    pool = cluster.resourcePool.CreateResourcePool(
        name,
        vim.ResourceConfigSpec(
            cpuAllocation=vim.ResourceAllocationInfo(
                limit=-1, reservation=0, expandableReservation=True, shares=vim.SharesInfo(level="normal", shares=0)
            ),
            memoryAllocation=vim.ResourceAllocationInfo(
                limit=-1, reservation=0, expandableReservation=True, shares=vim.SharesInfo(level="normal", shares=0)
            ),
        ),
    )
    dev = vim.vm.device
    cdrom = dev.VirtualCdrom(
        key=-300,
        controllerKey=200,
        unitNumber=0,
        backing=dev.VirtualCdrom.IsoBackingInfo(fileName=f"[datastore1] {name}/{ISO_NAME}"),
        connectable=dev.VirtualDevice.ConnectInfo(startConnected=True, allowGuestControl=True, connected=True),
    )
    first = {k: v for k, v in keys.items() if k != RO + "container/ComputeResources|0/Value"}
    first[RO + "init/common/id"] = "CreatingVCH"
    config = vim.vm.ConfigSpec(
        name=name,
        guestId="otherGuest64",
        numCPUs=1,
        memoryMB=2048,
        files=vim.vm.FileInfo(vmPathName="[datastore1]"),
        deviceChange=[*_nic_specs(si, spec), dev.VirtualDeviceSpec(operation="add", device=cdrom)],
        extraConfig=_options(first),
    )
    task = dc.vmFolder.CreateVM_Task(config, pool)
    WaitForTask(task)
    vm = task.info.result
    keys[RO + "init/common/id"] = f"VirtualMachine:{vm._moId}"
    keys[RO + "container/ComputeResources|0/Value"] = pool._moId
    WaitForTask(vm.ReconfigVM_Task(vim.vm.ConfigSpec(extraConfig=_options(keys))))
    vch = ReplayedVch(sim, si, vm, name, keys, pool)
    if upload_iso:
        upload(si, sim, f"{name}/{ISO_NAME}", b"placeholder appliance ISO (the stand-in never reads it)\n")
    if power_on:
        option = vim.option.OptionValue(key="OverrideAutomationLevel", value="fullyAutomated")
        multi = dc.PowerOnMultiVM_Task([vm], [option])
        WaitForTask(multi)
        WaitForTask(multi.info.result.attempted[0].task)
    return vch


def upload(si, sim, path: str, data: bytes) -> None:
    """HTTP PUT of a datastore file with the session's cookie, as vic-machine uploads its ISOs."""
    req = urllib.request.Request(
        sim.datastore_url(path),
        data=data,
        method="PUT",
        headers={"Cookie": si._stub.cookie, "Content-Type": "application/octet-stream"},
    )
    handlers: list = [urllib.request.ProxyHandler({})]
    if sim.mode == "https":
        handlers.append(urllib.request.HTTPSHandler(context=sim.ssl_context()))
    with urllib.request.build_opener(*handlers).open(req, timeout=30) as resp:
        assert resp.status in (200, 201), resp.status
