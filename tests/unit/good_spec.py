"""A spec that passes local validation: the base the validation tests change one value of."""

from tui.core.spec.model import ContainerNetwork, Tls, VchSpec

GOOD_CN = ContainerNetwork(
    "dpg-containers",
    alias="backend",
    gateway="10.20.0.1/24",
    ip_range=("10.20.0.100-10.20.0.199",),
    dns=("10.20.0.2",),
    firewall="peers",
)
GOOD = VchSpec(
    name="vch-1",
    compute_resource="cluster1",
    image_store="datastore1/vch-1",
    volume_store=("datastore1/volumes:default", "nfs://nas.example.com/exports/vch:shared"),
    bridge_network="vch-bridge",
    dns_server=("10.0.0.53",),
    container_networks=(GOOD_CN,),
    tls=Tls(tls_cname="vch-1.example.com"),
).with_values(
    {
        "cpu": 8000,
        "cpu_reservation": 1000,
        "memory": 16384,
        "memory_reservation": 2048,
        "cpu_shares": "high",
        "memory_shares": "4000",
    }
)
