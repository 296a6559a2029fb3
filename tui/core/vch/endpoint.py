"""The endpoint VM: its hardware, and the VCH configuration it carries in `guestinfo.vice.` extraConfig keys.

The keys are written at creation so `ls`/`inspect` can rebuild the spec from vSphere alone:
  guestinfo.vice./init/common/name             the VCH name (VIC's own key; vic-machine VCHs have it too)
  guestinfo.vice./vch-tui/state                creating | created  (a leftover of a killed run says creating)
  guestinfo.vice./vch-tui/spec/<answers key>   every answers-file value, JSON encoded (networks, limits, TLS…)
  guestinfo.vice./vch-tui/spec/container_network|<i>/<key>   each container network, firewall level included
  guestinfo.vice./vch-tui/tls/*                TLS mode, certificate fingerprints and expiry, cert folder
  guestinfo.vice./vch-tui/docker_port, docker_host
Nothing secret goes here: the guest can read every guestinfo key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tui import __version__
from tui.core.spec.answers import answers_dict, parse_answers
from tui.core.spec.model import CONTAINER_NETWORK_TABLE, VchSpec

PREFIX = "guestinfo.vice."
NAME_KEY = PREFIX + "/init/common/name"
TOOL_PREFIX = PREFIX + "/vch-tui/"
STATE_KEY = TOOL_PREFIX + "state"
VERSION_KEY = TOOL_PREFIX + "version"
SPEC_PREFIX = TOOL_PREFIX + "spec/"
TLS_PREFIX = TOOL_PREFIX + "tls/"
DOCKER_PORT_KEY = TOOL_PREFIX + "docker_port"
DOCKER_HOST_KEY = TOOL_PREFIX + "docker_host"
CONTAINER_ID_KEY = PREFIX + "/common/id"  # set by VIC on container VMs

STATE_CREATING = "creating"
STATE_CREATED = "created"

APPLIANCE_ISO = "appliance.iso"
BOOTSTRAP_ISO = "bootstrap.iso"
SERIAL_LOG = "tether.debug"
GUEST_ID = "otherGuest64"
IDE_CONTROLLER_KEY = 200  # vSphere gives every new VM IDE controllers 200 and 201


# --- guestinfo ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TlsFacts:
    """What the endpoint records about its certificates (fingerprints are colon hex SHA-256)."""

    mode: str
    server_sha256: str | None = None
    ca_sha256: str | None = None
    client_sha256: str | None = None
    not_after: str | None = None  # ISO 8601, UTC
    cert_path: str | None = None  # absolute folder holding the client material, on the machine that created it


def spec_keys(spec: VchSpec) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in answers_dict(spec).items():
        if key == CONTAINER_NETWORK_TABLE:
            for index, table in enumerate(value):
                for sub, sub_value in table.items():
                    out[f"{SPEC_PREFIX}{CONTAINER_NETWORK_TABLE}|{index}/{sub}"] = json.dumps(sub_value)
        else:
            out[SPEC_PREFIX + key] = json.dumps(value)
    return out


def guestinfo(spec: VchSpec, *, tls: TlsFacts, docker_port: int, state: str = STATE_CREATING) -> dict[str, str]:
    keys = {NAME_KEY: spec.name, STATE_KEY: state, VERSION_KEY: __version__, DOCKER_PORT_KEY: str(docker_port)}
    keys.update(spec_keys(spec))
    for field in ("mode", "server_sha256", "ca_sha256", "client_sha256", "not_after", "cert_path"):
        value = getattr(tls, field)
        if value:
            keys[TLS_PREFIX + field] = str(value)
    return keys


def spec_from_guestinfo(extra: dict[str, str]) -> VchSpec | None:
    """The spec recorded by vch-tui, or None for a VCH without vch-tui keys (e.g. made by vic-machine).

    Raises ProblemsError when the keys are there but do not form a valid answers table."""
    data: dict[str, Any] = {}
    networks: dict[int, dict[str, Any]] = {}
    for key, raw in extra.items():
        if not key.startswith(SPEC_PREFIX):
            continue
        name = key[len(SPEC_PREFIX) :]
        value = json.loads(raw)
        if name.startswith(CONTAINER_NETWORK_TABLE + "|"):
            index_text, _, sub = name[len(CONTAINER_NETWORK_TABLE) + 1 :].partition("/")
            networks.setdefault(int(index_text), {})[sub] = value
        else:
            data[name] = value
    if not data:
        return None
    if networks:
        data[CONTAINER_NETWORK_TABLE] = [networks[i] for i in sorted(networks)]
    return parse_answers(data, source="the endpoint VM's guestinfo")


def tls_facts_from_guestinfo(extra: dict[str, str]) -> TlsFacts | None:
    values = {k[len(TLS_PREFIX) :]: v for k, v in extra.items() if k.startswith(TLS_PREFIX)}
    if "mode" not in values:
        return None
    return TlsFacts(**{k: v for k, v in values.items() if k in TlsFacts.__dataclass_fields__})


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
