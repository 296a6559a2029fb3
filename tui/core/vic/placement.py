"""The vSphere facts the config builder needs beyond the spec: where the VCH landed and what it runs with.

PCI slots: vic-machine gives each distinct port group of the appliance's roles one vmxnet3 NIC with an explicit
slot, 1184 (0x4A0) and then +32, and records the slot as that role's `Common/id`. Which port group gets which
slot follows Go's random map iteration over the roles in vic-machine 1.5.8 (G2 captured client, management,
bridge, public), so any order is faithful; pass the slots the VM was created with in `pci_slots`, or let
`default_pci_slots` number them public, client, management, bridge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tui.core.secret import Secret
from tui.core.vic.values import Build

FIRST_PCI_SLOT = 0x4A0  # 1184
PCI_SLOT_STEP = 1 << 5  # 32
SLOT_ORDER = ("public", "client", "management", "bridge")
SCRATCH_SIZE_KB = 8_000_000  # --base-image-size 8GB, in KB as VIC's units.FromHumanSize counts (1000s)
DEFAULT_BRIDGE_WIDTH = 16


@dataclass(frozen=True)
class Placement:
    vch_pool: str  # the VCH's own pool, "ResourcePool:resgroup-58"
    networks: Mapping[str, str]  # port group name → moref ("Network:network-7", "DistributedVirtualPortgroup:…")
    datacenter: str  # "Datacenter"
    cluster_path: str  # "/Datacenter/host/Cluster"
    pool_path: str  # the cluster's root pool, "/Datacenter/host/Cluster/Resources" (POOL_PATH, vicadmin --pool)
    datastore: str  # the image store's datastore when the spec names none (vic-machine's default datastore)
    target_url: str  # "https://vc.example.com" (connect/target and the port layer's VC_URL)
    login_user: str  # the user the appliance logs in as: the ops user, else the admin
    login_password: Secret
    build: Build  # vic-machine's version (init/version)
    bootstrap_iso: str  # the uploaded bootstrap ISO's name, "V1.5.8-0-2C978FE-bootstrap.iso"
    thumbprint: str | None = None  # the target's SHA-1 thumbprint, colon hex
    target_datacenter: str | None = None  # the datacenter named in --target (recorded in the create options)
    vm: str | None = None  # the endpoint VM, "VirtualMachine:vm-61" (second write)
    vm_folder: str | None = None  # the VM's datastore folder vSphere chose (default: the VCH name)
    pci_slots: Mapping[str, int] | None = None  # port group moref → PCI slot of its NIC
    server_cert: bytes | None = None  # PEM
    server_key: Secret | None = None  # PEM text
    client_ca: bytes | None = None  # PEM bundle the Docker API verifies clients against
    registry_ca: bytes | None = None  # PEM bundle of the spec's registry_ca files (vic-machine concatenates them)
    go119_url_fields: bool = False  # write url.URL's RawFragment/OmitHost, as a vic-machine built with Go ≥ 1.19 does
    create_bridge_network: bool = False  # standalone ESXi without the bridge port group: vic-machine makes it

    def create_target(self) -> str:
        return f"{self.target_url}/{self.target_datacenter}" if self.target_datacenter else self.target_url


def default_pci_slots(role_port_groups: Mapping[str, str], order: Iterable[str] = SLOT_ORDER) -> dict[str, int]:
    """Port group moref → slot, numbering the distinct port groups of the roles in `order`."""
    slots: dict[str, int] = {}
    for role in order:
        moref = role_port_groups.get(role)
        if moref is not None and moref not in slots:
            slots[moref] = FIRST_PCI_SLOT + PCI_SLOT_STEP * len(slots)
    return slots
