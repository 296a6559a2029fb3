"""The endpoint VM's hardware (CreateVM_Task's ConfigSpec), and the TLS facts a VCH's certificates give.

VIC's configuration itself (guestinfo.vice. keys) is built by tui.core.vic.build and read by tui.core.vic.read;
vch-tui writes no keys of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui import __version__
from tui.core.spec.model import VchSpec

APPLIANCE_ISO = "appliance.iso"
BOOTSTRAP_ISO = "bootstrap.iso"
SERIAL_LOG = "tether.debug"
GUEST_ID = "otherGuest64"
IDE_CONTROLLER_KEY = 200  # vSphere gives every new VM IDE controllers 200 and 201


# --- TLS facts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TlsFacts:
    """What the endpoint records about its certificates (fingerprints are colon hex SHA-256)."""

    mode: str
    server_sha256: str | None = None
    ca_sha256: str | None = None
    client_sha256: str | None = None
    not_after: str | None = None  # ISO 8601, UTC
    cert_path: str | None = None  # absolute folder holding the client material, on the machine that created it


# --- hardware -------------------------------------------------------------------------------------

ROLE_ORDER = ("bridge", "public", "client", "management")


def distinct_port_groups(spec: VchSpec) -> list[str]:
    """One NIC per distinct port group among bridge/public/client/management, in that order."""
    seen: list[str] = []
    for pg in (
        spec.effective_bridge_network(),
        spec.effective_public_network(),
        spec.effective_client_network(),
        spec.effective_management_network(),
    ):
        if pg not in seen:
            seen.append(pg)
    return seen


@dataclass(frozen=True)
class NicBacking:
    port_group: str
    kind: str  # "dpg", "opaque" or "standard"
    network: Any  # the Network managed object
    switch_uuid: str | None = None  # for "dpg"
    portgroup_key: str | None = None  # for "dpg"


def datastore_path(datastore: str, path: str) -> str:
    return f"[{datastore}] {path}"


def config_spec(
    spec: VchSpec,
    *,
    datastore: str,
    vm_dir: str,
    nics: list[NicBacking],
    extra: dict[str, str],
    slots: list[int] | None = None,
    appliance_iso: str = APPLIANCE_ISO,
    version: str = "",
):
    """The CreateVM_Task config: otherGuest64, endpoint CPU/memory, a PVSCSI controller (no disk), one vmxnet3
    per NIC (in its PCI slot when `slots` gives them, as vic-machine sets them), the CD-ROM on the appliance ISO,
    a file-backed serial port, and the extraConfig keys; the alternate guest name vic-machine gives."""
    from pyVmomi import vim

    dev = vim.vm.device
    connect = dict(startConnected=True, allowGuestControl=True, connected=False)
    changes = [
        dev.VirtualDeviceSpec(
            operation="add", device=dev.ParaVirtualSCSIController(key=-100, busNumber=0, sharedBus="noSharing")
        )
    ]
    for index, nic in enumerate(nics):
        backing: vim.vm.device.VirtualDevice.BackingInfo
        if nic.kind == "dpg":
            backing = dev.VirtualEthernetCard.DistributedVirtualPortBackingInfo(
                port=vim.dvs.PortConnection(switchUuid=nic.switch_uuid, portgroupKey=nic.portgroup_key)
            )
        elif nic.kind == "opaque":
            backing = dev.VirtualEthernetCard.OpaqueNetworkBackingInfo(
                opaqueNetworkId=getattr(nic.network, "_moId", ""), opaqueNetworkType="nsx.LogicalSwitch"
            )
        else:
            backing = dev.VirtualEthernetCard.NetworkBackingInfo(deviceName=nic.port_group, network=nic.network)
        card = dev.VirtualVmxnet3(
            key=-(200 + index),
            backing=backing,
            addressType="generated",
            connectable=dev.VirtualDevice.ConnectInfo(**connect),
        )
        if slots is not None:
            card.slotInfo = dev.VirtualDevice.PciBusSlotInfo(pciSlotNumber=slots[index])
        changes.append(dev.VirtualDeviceSpec(operation="add", device=card))
    cdrom = dev.VirtualCdrom(
        key=-300,
        controllerKey=IDE_CONTROLLER_KEY,
        unitNumber=0,
        backing=dev.VirtualCdrom.IsoBackingInfo(fileName=datastore_path(datastore, f"{vm_dir}/{appliance_iso}")),
        connectable=dev.VirtualDevice.ConnectInfo(**connect),
    )
    changes.append(dev.VirtualDeviceSpec(operation="add", device=cdrom))
    serial = dev.VirtualSerialPort(
        key=-400,
        yieldOnPoll=True,
        backing=dev.VirtualSerialPort.FileBackingInfo(fileName=datastore_path(datastore, f"{vm_dir}/{SERIAL_LOG}")),
        connectable=dev.VirtualDevice.ConnectInfo(startConnected=True, allowGuestControl=True, connected=False),
    )
    changes.append(dev.VirtualDeviceSpec(operation="add", device=serial))
    guest_name = f"Photon - VCH {version}" if version else f"VCH {spec.name} (vch-tui {__version__})"
    options = dict(extra)
    options["answer.msg.serial.file.open"] = "Append"
    return vim.vm.ConfigSpec(
        name=spec.name,
        guestId=GUEST_ID,
        alternateGuestName=guest_name,
        numCPUs=spec.resources.endpoint_cpu,
        memoryMB=spec.resources.endpoint_memory,
        files=vim.vm.FileInfo(vmPathName=datastore_path(datastore, vm_dir)),
        deviceChange=changes,
        extraConfig=[vim.option.OptionValue(key=k, value=v) for k, v in sorted(options.items())],
    )
