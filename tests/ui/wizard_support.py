"""The wizard tests' fixed inventory (shaped like the simulator's, so that free space, ports and fingerprints do
not change from run to run) and a fully filled spec on it."""

from __future__ import annotations

from tui.core.spec.model import ContainerNetwork, Resources, VchSpec
from tui.core.vch.validate_target import Capacity, TargetFacts
from tui.core.vsphere.inventory_snapshot import ComputeResource, Datastore, Inventory, Network

GB = 1024**3
CLUSTER_HOSTS = frozenset({"host-1", "host-2", "host-3"})
ALL_HOSTS = CLUSTER_HOSTS | {"host-4"}
PORT_GROUPS = ("vch-bridge", "vch-public", "vch-client", "vch-management", "containers", "dmz", "Container Net")


def fixed_facts() -> TargetFacts:
    inv = Inventory(datacenter="Datacenter", datacenter_ref=None, vm_folder=None)
    inv.compute = [
        ComputeResource("Cluster", "cluster", None, None, True, 6882, 12286, CLUSTER_HOSTS),
        ComputeResource("esx-04", "host", None, None, False, 2294, 4095, frozenset({"host-4"})),
    ]
    inv.datastores = {
        name: Datastore(name, None, True, free * GB, 250 * GB, hosts)
        for name, free, hosts in (
            ("datastore1", 228, CLUSTER_HOSTS),
            ("datastore2", 120, CLUSTER_HOSTS),
            ("esx-04-local", 40, frozenset({"host-4"})),
        )
    }
    inv.networks = {name: Network(name, None, "dpg", ALL_HOSTS) for name in PORT_GROUPS}
    inv.networks["VM Network"] = Network("VM Network", None, "standard", frozenset())
    inv.pool_names = {"Cluster": set(), "esx-04": set()}
    capacity = {"Cluster": Capacity(6882, 12286, 6, 3), "esx-04": Capacity(2294, 4095, 2, 1)}
    return TargetFacts(inv, capacity, True)


def esxi_facts() -> TargetFacts:
    """A standalone ESXi host as its own target: ha-datacenter, one datastore, standard port groups only."""
    inv = Inventory(datacenter="ha-datacenter", datacenter_ref=None, vm_folder=None)
    inv.compute = [ComputeResource("esx.lab", "host", None, None, False, 2294, 4095, frozenset({"ha-host"}))]
    inv.datastores = {"datastore1": Datastore("datastore1", None, True, 40 * GB, 250 * GB, frozenset({"ha-host"}))}
    inv.networks = {name: Network(name, None, "standard", frozenset()) for name in ("VM Network", "esx-existing-pg")}
    inv.pool_names = {"esx.lab": set()}
    return TargetFacts(inv, {"esx.lab": Capacity(2294, 4095, 2, 1)}, False)


FILLED = VchSpec(
    name="vch-demo",
    compute_resource="Cluster",
    image_store="datastore1/vch-demo",
    volume_store=("datastore2/volumes:default", "datastore1/fast:fast"),
    bridge_network="vch-bridge",
    container_networks=(
        ContainerNetwork(
            "containers",
            alias="backend",
            gateway="10.20.0.1/24",
            ip_range=("10.20.0.100-10.20.0.199",),
            firewall="peers",
        ),
        ContainerNetwork("dmz", alias="dmz", firewall="published"),
    ),
    resources=Resources(cpu=4000, memory=8192, memory_reservation=2048),
).with_values(
    {
        "public_network": "vch-public",
        "public_network_ip": "10.0.0.5/24",
        "public_network_gateway": "10.0.0.1",
        "client_network": "vch-client",
        "dns_server": ("10.0.0.53",),
        "tls_cname": "vch-demo.example.com",
        "appliance_iso": "appliance.iso",
        "bootstrap_iso": "bootstrap.iso",
    }
)
