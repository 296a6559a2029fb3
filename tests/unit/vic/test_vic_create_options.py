"""The create options vic-machine records: its flag order and Go's printing of values."""

import pytest

from tui.core.spec.model import ContainerNetwork, Resources, RoleNetwork, Tls, VchSpec
from tui.core.vic.create_options import Extras, create_options, go_flag_value, parse_options, record
from tui.core.vic.goduration import go_duration_string, parse_go_duration


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("30s", "30s"),
        ("3m", "3m0s"),
        ("90s", "1m30s"),
        ("1.5h", "1h30m0s"),
        ("500", "500"),
        ("0x10", "16"),
        ("010", "8"),
        ("0", "0"),
        ("high", "high"),
        ("1e3", "1000.000000"),
        ("VM Network", "VM Network"),
        ("10.0.0.5/24", "10.0.0.5/24"),
    ],
)
def test_values_print_as_go_reads_them(typed, recorded):
    assert go_flag_value(typed) == recorded


def test_go_durations():
    assert parse_go_duration("1h2m3.5s") == 3_723_500_000_000 and go_duration_string(3_723_500_000_000) == "1h2m3.5s"
    assert go_duration_string(300_000_000) == "300ms" and go_duration_string(1_500) == "1.5µs"
    assert parse_go_duration("5") is None and parse_go_duration("") is None and parse_go_duration("-0") == 0


def test_flags_are_recorded_in_vic_machines_definition_order_not_as_typed():
    spec = VchSpec(
        name="v",
        compute_resource="Cluster",
        resources=Resources(cpu=500, memory=500),
        public=RoleNetwork("pub", "10.0.0.5/24", "10.0.0.1"),
        client=RoleNetwork("cli"),
        container_networks=(ContainerNetwork("a", "x", firewall="open"), ContainerNetwork("b")),
        tls=Tls(no_tlsverify=True, certificate_key_size=4096, tls_server_cert="c.pem"),
        registry_ca=("reg-ca.pem",),
        insecure_registry=("r:5000",),
        whitelist_registry=("w.example.com", "10.0.0.0/8"),
        https_proxy="https://p:3129",
        http_proxy="http://p:3128",
        no_proxy="localhost,.example.com",
    )
    options = create_options(spec, target="https://vc", thumbprint="AA:BB", extras=Extras(ops_user="ops"))
    assert options == [
        "--target=https://vc",
        "--thumbprint=AA:BB",
        "--name=v",
        "--compute-resource=Cluster",
        "--ops-user=ops",
        "--client-network=cli",
        "--public-network=pub",
        "--public-network-gateway=10.0.0.1",
        "--public-network-ip=10.0.0.5/24",
        "--container-network=a:x",
        "--container-network=b",
        "--container-network-firewall=a:open",
        "--memory=500",
        "--cpu=500",
        "--no-tlsverify=true",
        "--certificate-key-size=4096",
        "--insecure-registry=r:5000",
        "--whitelist-registry=w.example.com",
        "--whitelist-registry=10.0.0.0/8",
        "--https-proxy=https://p:3129",
        "--http-proxy=http://p:3128",
        "--no-proxy=localhost,.example.com",
    ]  # no cert file paths (nor --registry-ca), no user or password
    assert parse_options(options)["container-network"] == ["a:x", "b"]
    with pytest.raises(ValueError):
        record({"password-file": "x"})
    with pytest.raises(ValueError, match="--volume-store takes values"):
        record({"volume-store": True})
