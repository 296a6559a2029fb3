"""Bad answers files through `vch-tui create --dry-run` against the simulator: each is refused with exit 2,
the output names the answers-file key, and nothing is created in vSphere (VM, pool and folder names unchanged).

The table mixes shape problems (the file itself), local rules (validate_local) and target rules
(validate_target). A good base file passes, so every refusal comes from the one change a case makes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w

from tui.cli.main import main
from tui.core.vsphere.connection import ConnectOptions, connect
from tui.core.vsphere.inventory import retrieve
from tui.vchsim.simulator import CLUSTER, DATASTORES, PORT_GROUPS, STANDALONE_HOST, UNREACHABLE_DATASTORE, VM_NETWORK

pytestmark = pytest.mark.rig

DELETE = object()  # a case removes this key from the base file

BASE: dict = {
    "name": "vch-bad-input",
    "compute_resource": CLUSTER,
    "image_store": f"{DATASTORES[0]}/vch-bad-input",
    "volume_store": [f"{DATASTORES[1]}/volumes:default"],
    "bridge_network": PORT_GROUPS["bridge"],
    "public_network": PORT_GROUPS["public"],
    "tls_cname": "vch.example.com",
    "appliance_iso": "appliance.iso",
    "bootstrap_iso": "bootstrap.iso",
    "container_network": [
        {
            "port_group": PORT_GROUPS["containers"],
            "alias": "backend",
            "gateway": "10.20.0.1/24",
            "ip_range": ["10.20.0.100-10.20.0.199"],
            "firewall": "peers",
        }
    ],
}
CN = BASE["container_network"][0]


def cn(**changes) -> list[dict]:
    """The base container network with some keys changed (None removes a key)."""
    table = {**CN, **changes}
    return [{k: v for k, v in table.items() if v is not None}]


# (case id, changes to the base file or the whole file text, the key the output must name)
CASES: list[tuple[str, dict | str, str]] = [
    # the file's shape
    ("unknown-key", {"nmae": "x"}, "nmae"),
    ("dashed-key", {"image-store": "datastore1"}, "image-store"),
    ("password-in-file", {"password": "hunter2"}, "password"),
    ("target-in-file", {"target": "vc.example.com"}, "target"),
    ("cpu-not-a-number", {"cpu": "lots"}, "cpu"),
    ("volume-store-not-a-list", {"volume_store": "datastore1/v:default"}, "volume_store"),
    ("bool-as-string", {"no_tls": "yes"}, "no_tls"),
    ("cn-unknown-key", {"container_network": cn(firewal="open")}, "container_network[0].firewal"),
    ("cn-missing-port-group", {"container_network": cn(port_group=None)}, "container_network[0].port_group"),
    ("cn-not-tables", {"container_network": "containers"}, "container_network"),
    ("not-toml", 'name = "vch"\ncpu = = 3\n', "answers file"),
    # name, storage, ISOs, timeout
    ("name-slash", {"name": "vch/1"}, "name"),
    ("name-32-chars", {"name": "v" * 32}, "name"),
    ("name-blank", {"name": "  "}, "name"),
    ("image-store-scheme", {"image_store": "http://datastore1/x"}, "image_store"),
    ("image-store-no-datastore", {"image_store": "/images"}, "image_store"),
    ("volume-store-no-label", {"volume_store": ["datastore1/volumes"]}, "volume_store[0]"),
    ("volume-store-label-twice", {"volume_store": ["datastore1/a:default", "datastore2/b:default"]}, "volume_store[1]"),
    ("volume-store-nfs-no-path", {"volume_store": ["nfs://nas.example.com:shared"]}, "volume_store[0]"),
    ("appliance-iso-missing", {"appliance_iso": "/nonexistent/appliance.iso"}, "appliance_iso"),
    ("bootstrap-iso-missing", {"bootstrap_iso": "/nonexistent/bootstrap.iso"}, "bootstrap_iso"),
    ("timeout-words", {"timeout": "3 minutes"}, "timeout"),
    ("timeout-zero", {"timeout": "0s"}, "timeout"),
    # bridge and role networks
    ("bridge-range-no-mask", {"bridge_network_range": "172.16.0.0"}, "bridge_network_range"),
    ("bridge-range-too-small", {"bridge_network_range": "172.16.0.0/24"}, "bridge_network_range"),
    ("bridge-shared-with-public", {"bridge_network": PORT_GROUPS["public"]}, "bridge_network"),
    (
        "public-ip-garbage",
        {"public_network_ip": "10.0.0.300/24", "public_network_gateway": "10.0.0.1"},
        "public_network_ip",
    ),
    ("public-ip-without-gateway", {"public_network_ip": "10.0.0.2/24"}, "public_network_gateway"),
    (
        "public-gateway-with-routes",
        {"public_network_ip": "10.0.0.2/24", "public_network_gateway": "10.1.0.0/16:10.0.0.1"},
        "public_network_gateway",
    ),
    (
        "public-gateway-outside-subnet",
        {"public_network_ip": "10.0.0.2/24", "public_network_gateway": "10.9.0.1"},
        "public_network_gateway",
    ),
    (
        "client-gateway-without-ip",
        {"client_network": PORT_GROUPS["client"], "client_network_gateway": "10.1.0.0/16:10.0.1.1"},
        "client_network_gateway",
    ),
    (
        "client-gateway-without-routes",
        {
            "client_network": PORT_GROUPS["client"],
            "client_network_ip": "10.0.1.2/24",
            "client_network_gateway": "10.0.1.1",
        },
        "client_network_gateway",
    ),
    (
        "management-ip-on-public-port-group",
        {"management_network": PORT_GROUPS["public"], "management_network_ip": "10.0.2.2/24"},
        "management_network_ip",
    ),
    (
        "client-and-management-ip-on-one-port-group",
        {
            "client_network": PORT_GROUPS["client"],
            "client_network_ip": "10.0.1.2/24",
            "management_network": PORT_GROUPS["client"],
            "management_network_ip": "10.0.1.3/24",
        },
        "management_network_ip",
    ),
    ("dns-not-an-ip", {"dns_server": ["dns.example.com"]}, "dns_server[0]"),
    ("dns-four-servers", {"dns_server": ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]}, "dns_server"),
    # container networks
    ("cn-alias-with-space", {"container_network": cn(alias="back end")}, "container_network[0].alias"),
    (
        "cn-port-group-with-space-no-alias",
        {"container_network": [{"port_group": PORT_GROUPS["alias"]}]},
        "container_network[0].alias",
    ),
    ("cn-alias-bridge", {"container_network": cn(alias="bridge")}, "container_network[0].alias"),
    (
        "cn-is-the-bridge",
        {"container_network": cn(port_group=PORT_GROUPS["bridge"])},
        "container_network[0].port_group",
    ),
    ("cn-gateway-no-mask", {"container_network": cn(gateway="10.20.0.1")}, "container_network[0].gateway"),
    ("cn-gateway-network-address", {"container_network": cn(gateway="10.20.0.0/24")}, "container_network[0].gateway"),
    ("cn-range-without-gateway", {"container_network": cn(gateway=None)}, "container_network[0].ip_range"),
    (
        "cn-range-outside-subnet",
        {"container_network": cn(ip_range=["10.30.0.1-10.30.0.9"])},
        "container_network[0].ip_range",
    ),
    (
        "cn-ranges-overlap",
        {"container_network": cn(ip_range=["10.20.0.10-10.20.0.50", "10.20.0.40-10.20.0.60"])},
        "container_network[0].ip_range",
    ),
    (
        "cn-range-in-bridge-range",
        {"container_network": cn(gateway="172.16.5.1/24", ip_range=["172.16.5.10-20"])},
        "container_network[0].ip_range",
    ),
    ("cn-range-garbage", {"container_network": cn(ip_range=["10.20.0.9-10.20.0.1"])}, "container_network[0].ip_range"),
    ("cn-firewall-unknown", {"container_network": cn(firewall="secure")}, "container_network[0].firewall"),
    ("cn-peers-without-range", {"container_network": cn(ip_range=None)}, "container_network[0].ip_range"),
    ("cn-dns-not-an-ip", {"container_network": cn(dns=["ns1"])}, "container_network[0].dns"),
    (
        "cn-port-group-twice",
        {"container_network": cn() + [{"port_group": PORT_GROUPS["containers"], "alias": "x"}]},
        "container_network[1].port_group",
    ),
    (
        "cn-alias-twice",
        {"container_network": cn() + [{"port_group": PORT_GROUPS["dmz"], "alias": "backend"}]},
        "container_network[1].alias",
    ),
    # TLS
    ("no-tls-with-no-tlsverify", {"no_tls": True, "no_tlsverify": True}, "no_tlsverify"),
    ("no-tls-with-server-cert", {"no_tls": True, "tls_server_cert": "server.pem"}, "tls_server_cert"),
    ("cert-without-key", {"tls_server_cert": "server.pem"}, "tls_server_key"),
    ("key-without-cert", {"tls_server_key": "server-key.pem"}, "tls_server_cert"),
    ("ca-with-no-tlsverify", {"no_tlsverify": True, "tls_ca": ["ca.pem"]}, "tls_ca"),
    ("tlsverify-without-cname", {"tls_cname": DELETE}, "tls_cname"),
    ("key-size-1024", {"certificate_key_size": 1024}, "certificate_key_size"),
    (
        "custom-cert-files-missing",
        {"tls_server_cert": "nope.pem", "tls_server_key": "nope-key.pem", "no_tlsverify": True},
        "tls_server_cert",
    ),
    (
        "custom-cert-not-pem",
        {"tls_server_cert": "appliance.iso", "tls_server_key": "bootstrap.iso", "no_tlsverify": True},
        "tls_server_key",
    ),
    ("appliance-iso-not-iso9660", {"appliance_iso": "answers.toml"}, "appliance_iso"),
    ("bootstrap-iso-not-iso9660", {"bootstrap_iso": "answers.toml"}, "bootstrap_iso"),
    ("cert-folder-not-empty", {"tls_cert_path": "."}, "tls_cert_path"),
    # resources
    ("cpu-negative", {"cpu": -1}, "cpu"),
    ("cpu-reservation-above-limit", {"cpu": 1000, "cpu_reservation": 2000}, "cpu_reservation"),
    ("memory-shares-word", {"memory_shares": "lots"}, "memory_shares"),
    ("cpu-shares-zero", {"cpu_shares": 0}, "cpu_shares"),
    ("endpoint-cpu-zero", {"endpoint_cpu": 0}, "endpoint_cpu"),
    ("endpoint-memory-256", {"endpoint_memory": 256}, "endpoint_memory"),
    ("endpoint-memory-not-multiple-of-4", {"endpoint_memory": 2050}, "endpoint_memory"),
    # against the target
    ("compute-resource-missing", {"compute_resource": DELETE}, "compute_resource"),
    ("compute-resource-unknown", {"compute_resource": "Clustr"}, "compute_resource"),
    ("image-store-omitted", {"image_store": DELETE}, "image_store"),
    ("image-datastore-unknown", {"image_store": "datastore9/x"}, "image_store"),
    ("image-datastore-unreachable", {"image_store": f"{UNREACHABLE_DATASTORE}/x"}, "image_store"),
    ("volume-datastore-unreachable", {"volume_store": [f"{UNREACHABLE_DATASTORE}/v:default"]}, "volume_store[0]"),
    ("volume-datastore-unknown", {"volume_store": ["datastore1/a:default", "nowhere/b:b"]}, "volume_store[1]"),
    ("bridge-default-missing", {"bridge_network": DELETE}, "bridge_network"),
    ("bridge-standard", {"bridge_network": VM_NETWORK}, "bridge_network"),
    ("public-missing", {"public_network": "vch-publik"}, "public_network"),
    ("client-missing", {"client_network": "nowhere"}, "client_network"),
    ("management-missing", {"management_network": "nowhere"}, "management_network"),
    ("cn-missing", {"container_network": cn(port_group="nowhere")}, "container_network[0].port_group"),
    ("cn-standard", {"container_network": cn(port_group=VM_NETWORK)}, "container_network[0].port_group"),
    ("cpu-above-cluster", {"cpu": 10**7}, "cpu"),
    ("memory-above-cluster", {"memory": 10**8}, "memory"),
    ("memory-reservation-above-cluster", {"memory_reservation": 10**8}, "memory_reservation"),
    (
        "endpoint-above-host",
        {
            "compute_resource": STANDALONE_HOST,
            "image_store": UNREACHABLE_DATASTORE,
            "volume_store": DELETE,
            "endpoint_memory": 1024 * 1024,
        },
        "endpoint_memory",
    ),
]


def answers_text(change: dict | str) -> str:
    if isinstance(change, str):
        return change
    data = {**BASE, **change}
    return tomli_w.dumps({k: v for k, v in data.items() if v is not DELETE})


def fingerprint(session) -> dict[str, list[str]]:
    """Names of every VM, resource pool and folder: what a create would add to."""
    from pyVmomi import vim

    return {
        kind.__name__: sorted(o.get("name") for o in retrieve(session, kind, ["name"]))
        for kind in (vim.VirtualMachine, vim.ResourcePool, vim.Folder)
    }


@pytest.fixture(scope="module")
def session(simulator):
    s = connect(
        ConnectOptions.resolve(
            target=f"{simulator.host}:{simulator.port}",
            user=simulator.username,
            password=simulator.password,
            thumbprint=simulator.sha256,
            env={},
        )
    )
    yield s
    s.logout()


@pytest.fixture
def folder(in_folder_with_isos):
    """A working folder with the ISOs the base file names (a dry run checks they exist)."""
    return in_folder_with_isos


def dry_run(simulator, path: Path, capsys, monkeypatch) -> tuple[int, str]:
    """`vch-tui create --answers PATH --dry-run` against the simulator (the CLI's own main, in this process):
    exit code and everything it printed."""
    monkeypatch.setenv("VIC_MACHINE_PASSWORD", simulator.password.reveal())
    capsys.readouterr()
    code = main(
        [
            "create",
            "--answers",
            str(path),
            "--dry-run",
            "--target",
            f"{simulator.host}:{simulator.port}",
            "--user",
            simulator.username,
            "--thumbprint",
            simulator.sha256,
        ]
    )
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_table_is_big_enough_and_each_case_is_unique():
    ids = [case[0] for case in CASES]
    assert len(ids) >= 60 and len(set(ids)) == len(ids)


def test_the_base_file_passes(simulator, folder, capsys, monkeypatch):
    path = folder / "good.toml"
    path.write_text(answers_text({}))
    code, output = dry_run(simulator, path, capsys, monkeypatch)
    assert code == 0, output
    assert "Equivalent vic-machine command:" in output and "--name vch-bad-input" in output
    assert f"appliance ISO: {folder.resolve() / 'appliance.iso'} (v1.5.8-0-2c978fe)" in output


@pytest.mark.parametrize("change,field", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_answers_are_refused_naming_the_key(simulator, session, folder, capsys, monkeypatch, change, field):
    path = folder / "answers.toml"
    path.write_text(answers_text(change))
    before = fingerprint(session)
    code, output = dry_run(simulator, path, capsys, monkeypatch)
    assert code == 2, output
    assert f"  {field}: " in output, output  # listed as an error (warnings read "warning: KEY: ...")
    assert simulator.password.reveal() not in output
    assert fingerprint(session) == before
