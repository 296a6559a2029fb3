"""Local validation: a good spec passes; each bad input yields a problem naming its answers-file key."""

from dataclasses import replace

import pytest

from tests.unit.good_spec import GOOD, GOOD_CN
from tui.core.problems import ProblemsError, about, errors_only, raise_if_errors, warnings_only
from tui.core.spec.model import ContainerNetwork, Tls, VchSpec
from tui.core.spec.validate_local import validate_local
from tui.vchsim.iso_image import write_iso


def with_cn(**changes):
    return lambda s: replace(s, container_networks=(replace(GOOD_CN, **changes),))


def with_cns(*networks):
    return lambda s: replace(s, container_networks=networks)


def keys(**values):
    return lambda s: s.with_values(values)


STATIC_PUBLIC = {"public_network_ip": "10.0.0.5/24", "public_network_gateway": "10.0.0.1"}
CLIENT_PG = {"client_network": "dpg-client", "client_network_ip": "10.1.0.5/24"}

# (id, mutation of GOOD, the field the problem must name, a fragment of its message)
BAD = [
    ("name-empty", keys(name=""), "name", "empty"),
    ("name-slash", keys(name="vch/1"), "name", "unsupported characters"),
    ("name-colon", keys(name="vch:1"), "name", "unsupported characters"),
    ("name-at", keys(name="admin@vch"), "name", "unsupported characters"),
    ("name-quote", keys(name='my "vch"'), "name", "unsupported characters"),
    ("name-long", keys(name="v" * 32), "name", "at most 31"),
    ("image-store-empty-ds", keys(image_store="ds://"), "image_store", "datastore name"),
    ("image-store-scheme", keys(image_store="nfs://host/x"), "image_store", "unsupported scheme"),
    ("image-store-char", keys(image_store="ds1/im?ages"), "image_store", "unsupported character"),
    ("volume-no-label", keys(volume_store=["datastore1/volumes"]), "volume_store[0]", "not a volume store"),
    ("volume-empty-label", keys(volume_store=["datastore1/v:"]), "volume_store[0]", "not a volume store"),
    ("volume-dup-label", keys(volume_store=["ds/a:default", "ds/b:default"]), "volume_store[1]", "already used"),
    ("volume-nfs-no-path", keys(volume_store=["nfs://host:x"]), "volume_store[0]", "export path"),
    ("volume-query-on-ds", keys(volume_store=["ds/a?x=1:lbl"]), "volume_store[0]", "only nfs://"),
    ("volume-bad-label", keys(volume_store=["ds/a:la|bel"]), "volume_store[0]", "unsupported character"),
    ("appliance-iso-missing", keys(appliance_iso="/nonexistent/appliance.iso"), "appliance_iso", "does not exist"),
    ("bootstrap-iso-missing", keys(bootstrap_iso="/nonexistent/bootstrap.iso"), "bootstrap_iso", "does not exist"),
    ("bridge-range-no-mask", keys(bridge_network_range="172.16.0.0"), "bridge_network_range", "CIDR"),
    ("bridge-range-small", keys(bridge_network_range="172.16.0.0/24"), "bridge_network_range", "/16"),
    ("bridge-range-garbage", keys(bridge_network_range="banana/12"), "bridge_network_range", "CIDR"),
    ("bridge-is-public", keys(bridge_network="VM Network"), "bridge_network", "public also uses"),
    ("bridge-is-client", keys(client_network="vch-bridge"), "bridge_network", "client also uses"),
    ("bridge-is-mgmt", keys(management_network="vch-bridge"), "bridge_network", "management also uses"),
    ("bridge-blank", keys(bridge_network=" "), "bridge_network", "blank"),
    (
        "public-ip-no-mask",
        keys(public_network_ip="10.0.0.5", public_network_gateway="10.0.0.1"),
        "public_network_ip",
        "no network mask",
    ),
    (
        "public-ip-bad",
        keys(public_network_ip="300.1.1.1/24", public_network_gateway="10.0.0.1"),
        "public_network_ip",
        "Failed to parse",
    ),
    (
        "public-ip-network-address",
        keys(public_network_ip="10.0.0.0/24", public_network_gateway="10.0.0.1"),
        "public_network_ip",
        "network or broadcast",
    ),
    (
        "public-ip-without-gw",
        keys(public_network_ip="10.0.0.5/24"),
        "public_network_gateway",
        "both static IP and gateway",
    ),
    ("public-gw-without-ip", keys(public_network_gateway="10.0.0.1"), "public_network_gateway", "without static IP"),
    (
        "public-gw-unreachable",
        keys(public_network_ip="10.0.0.5/24", public_network_gateway="10.0.1.1"),
        "public_network_gateway",
        "not reachable",
    ),
    (
        "public-gw-destinations",
        keys(public_network_ip="10.0.0.5/24", public_network_gateway="10.1.0.0/16:10.0.0.1"),
        "public_network_gateway",
        "must not have any routing destinations",
    ),
    (
        "public-gw-with-mask",
        keys(public_network_ip="10.0.0.5/24", public_network_gateway="10.0.0.1/24"),
        "public_network_gateway",
        "without a mask",
    ),
    (
        "public-gw-is-own-ip",
        keys(public_network_ip="10.0.0.5/24", public_network_gateway="10.0.0.5"),
        "public_network_gateway",
        "own address",
    ),
    (
        "client-ip-on-public-pg",
        keys(client_network_ip="10.0.0.6/24"),
        "client_network_ip",
        "Configuration ONLY allowed through public network options",
    ),
    (
        "client-gw-on-public-pg",
        keys(client_network="VM Network", client_network_gateway="10.9.0.0/16:10.0.0.1"),
        "client_network_gateway",
        "ONLY allowed through public",
    ),
    (
        "mgmt-ip-on-public-pg",
        keys(management_network_ip="10.0.0.7/24"),
        "management_network_ip",
        "ONLY allowed through public",
    ),
    (
        "client-gw-no-destination",
        keys(**CLIENT_PG, client_network_gateway="10.1.0.1"),
        "client_network_gateway",
        "without at least one routing destination",
    ),
    (
        "client-gw-without-ip",
        keys(client_network="dpg-client", client_network_gateway="10.9.0.0/16:10.1.0.1"),
        "client_network_gateway",
        "without static IP",
    ),
    (
        "client-gw-two-colons",
        keys(**CLIENT_PG, client_network_gateway="a:b:c"),
        "client_network_gateway",
        "more than one ':'",
    ),
    (
        "client-gw-dest-not-cidr",
        keys(**CLIENT_PG, client_network_gateway="10.9.0.0:10.1.0.1"),
        "client_network_gateway",
        "CIDR",
    ),
    (
        "mgmt-gw-unreachable",
        keys(
            management_network="dpg-mgmt",
            management_network_ip="10.2.0.5/24",
            management_network_gateway="10.9.0.0/16:10.3.0.1",
        ),
        "management_network_gateway",
        "not reachable",
    ),
    (
        "client-mgmt-two-ips",
        keys(**CLIENT_PG, management_network="dpg-client", management_network_ip="10.1.0.6/24"),
        "management_network_ip",
        "Incorrect static IP configuration",
    ),
    ("client-pg-blank", keys(client_network=" "), "client_network", "blank"),
    ("dns-not-ip", keys(dns_server=["10.0.0.53", "dns.example.com"]), "dns_server[1]", "Invalid DNS server"),
    ("dns-four", keys(dns_server=["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]), "dns_server", "Maximum of 3"),
    ("cn-pg-empty", with_cn(port_group=""), "container_network[0].port_group", "empty"),
    (
        "cn-pg-spaces-no-alias",
        with_cn(port_group="my pg", alias=None),
        "container_network[0].alias",
        "alias must be supplied",
    ),
    ("cn-alias-spaces", with_cn(alias="my alias"), "container_network[0].alias", "cannot contain spaces"),
    ("cn-alias-colon", with_cn(alias="a:b"), "container_network[0].alias", "contains ':'"),
    ("cn-pg-colon", with_cn(port_group="a:b"), "container_network[0].port_group", "contains ':'"),
    ("cn-alias-bridge", with_cn(alias="bridge"), "container_network[0].alias", "reserved name"),
    (
        "cn-pg-bridge-no-alias",
        with_cn(port_group="bridge", alias=None),
        "container_network[0].port_group",
        "reserved name",
    ),
    (
        "cn-is-bridge-network",
        with_cn(port_group="vch-bridge"),
        "container_network[0].port_group",
        "bridge network must not be shared",
    ),
    ("cn-gw-no-mask", with_cn(gateway="10.20.0.1"), "container_network[0].gateway", "no network mask"),
    ("cn-gw-network-address", with_cn(gateway="10.20.0.0/24"), "container_network[0].gateway", "not a routable"),
    ("cn-gw-broadcast", with_cn(gateway="10.20.0.255/24"), "container_network[0].gateway", "not a routable"),
    ("cn-gw-garbage", with_cn(gateway="gateway/24"), "container_network[0].gateway", "prefix length"),
    (
        "cn-range-outside-subnet",
        with_cn(ip_range=("10.30.0.5-10.30.0.9",)),
        "container_network[0].ip_range",
        "is not in subnet",
    ),
    (
        "cn-ranges-overlap",
        with_cn(ip_range=("10.20.0.10-10.20.0.20", "10.20.0.15-10.20.0.30")),
        "container_network[0].ip_range",
        "Overlapping",
    ),
    ("cn-range-backwards", with_cn(ip_range=("10.20.0.50-10",)), "container_network[0].ip_range", "last octet"),
    ("cn-range-garbage", with_cn(ip_range=("lots",)), "container_network[0].ip_range", "not an IP range"),
    ("cn-range-without-gw", with_cn(gateway=None), "container_network[0].ip_range", "without gateway"),
    (
        "cn-range-in-bridge",
        with_cn(gateway="172.16.5.1/24", ip_range=("172.16.5.10-20",)),
        "container_network[0].ip_range",
        "overlaps the bridge range",
    ),
    (
        "cn-subnet-in-bridge",
        with_cn(gateway="172.20.0.1/16", ip_range=(), firewall="open"),
        "container_network[0].gateway",
        "overlaps the bridge range",
    ),
    ("cn-dns-not-ip", with_cn(dns=("resolver",)), "container_network[0].dns", "not an IP address"),
    (
        "cn-firewall-unknown",
        with_cn(firewall="trusted"),
        "container_network[0].firewall",
        "Unrecognized container trust level",
    ),
    ("cn-peers-without-range", with_cn(ip_range=()), "container_network[0].ip_range", "peers firewall needs"),
    (
        "cn-peers-dhcp",
        with_cn(gateway=None, ip_range=(), dns=()),
        "container_network[0].ip_range",
        "peers firewall needs",
    ),
    (
        "cn-pg-twice",
        with_cns(GOOD_CN, replace(GOOD_CN, alias="other")),
        "container_network[1].port_group",
        "already container_network[0]",
    ),
    (
        "cn-alias-twice",
        with_cns(GOOD_CN, ContainerNetwork("dpg-other", alias="backend")),
        "container_network[1].alias",
        "already used",
    ),
    ("no-tls-and-no-tlsverify", keys(no_tls=True, no_tlsverify=True), "no_tlsverify", "conflicts with no_tls"),
    ("no-tls-and-ca", keys(no_tls=True, tls_ca=["ca.pem"]), "tls_ca", "conflicts with no_tls"),
    (
        "no-tls-and-server-cert",
        keys(no_tls=True, tls_server_cert="s.pem", tls_server_key="k.pem"),
        "tls_server_cert",
        "conflicts with no_tls",
    ),
    ("cert-without-key", keys(tls_server_cert="s.pem"), "tls_server_key", "at the same time"),
    ("key-without-cert", keys(tls_server_key="k.pem"), "tls_server_cert", "at the same time"),
    ("no-tlsverify-and-ca", keys(no_tlsverify=True, tls_ca=["ca.pem"]), "tls_ca", "conflicts with no_tlsverify"),
    ("ca-path-blank", keys(tls_ca=[" "]), "tls_ca[0]", "empty"),
    ("no-cname-dhcp", keys(tls_cname=None), "tls_cname", "provide Common Name"),
    (
        "no-cname-custom-cert",
        keys(tls_cname=None, tls_server_cert="s.pem", tls_server_key="k.pem"),
        "tls_cname",
        "provide Common Name",
    ),
    ("key-size-weak", keys(certificate_key_size=1024), "certificate_key_size", "too weak"),
    ("cpu-negative", keys(cpu=-1), "cpu", "0 or more"),
    ("memory-negative", keys(memory=-5), "memory", "0 or more"),
    ("memory-not-int", keys(memory="lots"), "memory", "whole number"),
    ("cpu-reservation-negative", keys(cpu_reservation=-1), "cpu_reservation", "0 or more"),
    ("cpu-reservation-above-limit", keys(cpu=1000, cpu_reservation=2000), "cpu_reservation", "above the cpu limit"),
    (
        "memory-reservation-above-limit",
        keys(memory=4096, memory_reservation=8192),
        "memory_reservation",
        "above the memory limit",
    ),
    ("cpu-shares-word", keys(cpu_shares="medium"), "cpu_shares", "not a share level"),
    ("memory-shares-negative", keys(memory_shares="-5"), "memory_shares", "not a share level"),
    ("memory-shares-zero", keys(memory_shares="0"), "memory_shares", "not a share level"),
    ("endpoint-cpu-zero", keys(endpoint_cpu=0), "endpoint_cpu", "from 1 to"),
    ("endpoint-memory-small", keys(endpoint_memory=256), "endpoint_memory", "from 512"),
    ("endpoint-memory-odd", keys(endpoint_memory=2050), "endpoint_memory", "multiple of 4"),
    ("timeout-words", keys(timeout="3 minutes"), "timeout", "not a duration"),
    ("timeout-no-unit", keys(timeout="180"), "timeout", "not a duration"),
    ("timeout-zero", keys(timeout="0s"), "timeout", "not a positive"),
    ("timeout-negative", keys(timeout="-3m"), "timeout", "not a positive"),
]


def test_the_good_spec_has_no_problem():
    assert validate_local(GOOD) == []


def test_at_least_sixty_distinct_bad_inputs():
    assert len({case[0] for case in BAD}) == len(BAD) >= 60


@pytest.mark.parametrize("mutate, field, fragment", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_input_names_its_field(mutate, field, fragment):
    problems = errors_only(validate_local(mutate(GOOD)))
    matching = [p for p in problems if p.field == field]
    assert matching, f"no error for {field}; got: {[str(p) for p in problems]}"
    assert any(fragment in p.message for p in matching), [p.message for p in matching]
    assert all(p.hint for p in problems), "every error says how to fix it"
    with pytest.raises(ProblemsError) as caught:
        raise_if_errors(problems)
    assert field in str(caught.value) and fragment in str(caught.value)


def test_every_problem_is_collected_not_just_the_first():
    spec = GOOD.with_values({"name": "a/b", "cpu": -1, "timeout": "soon", "public_network_gateway": "10.0.0.1"})
    spec = replace(spec, container_networks=(replace(GOOD_CN, firewall="nope"),))
    fields = {p.field for p in errors_only(validate_local(spec))}
    assert {"name", "cpu", "timeout", "public_network_gateway", "container_network[0].firewall"} <= fields


@pytest.mark.parametrize(
    "spec",
    [
        VchSpec(tls=Tls(no_tlsverify=True)),
        VchSpec(tls=Tls(no_tls=True)),
        VchSpec(tls=Tls(tls_ca=("ca.pem",))),
        VchSpec(tls=Tls(tls_cname="vch.example.com")),
        VchSpec().with_values(STATIC_PUBLIC),  # the public IP gives the cname
        VchSpec(tls=Tls(no_tlsverify=True)).with_values(
            {**CLIENT_PG, "client_network_gateway": "10.9.0.0/16:10.1.0.1", "management_network": "dpg-mgmt"}
        ),
    ],
    ids=["no-tlsverify", "no-tls", "tls-ca", "cname", "static-public", "client-own-pg"],
)
def test_vic_defaults_with_one_tls_choice_are_valid(spec):
    assert errors_only(validate_local(spec)) == []


@pytest.mark.parametrize("firewall", ["closed", "OUTBOUND", "Published", "open", "peers"])
def test_firewall_levels_are_case_insensitive(firewall):
    spec = replace(GOOD, container_networks=(replace(GOOD_CN, firewall=firewall),))
    assert validate_local(spec) == []


@pytest.mark.parametrize(
    "mutate, field, fragment",
    [
        (with_cn(ip_range=("10.20.0.1-10.20.0.9",)), "container_network[0].ip_range", "includes the gateway"),
        (with_cn(gateway=None, ip_range=(), firewall="open"), "container_network[0].dns", "ignored"),
        (keys(memory=3072), "memory", "not one default"),
        (keys(no_tls=True, tls_cname="x"), "tls_cname", "ignored with no_tls"),
        (keys(certificate_key_size=16384), "certificate_key_size", "slow"),
        (
            keys(client_network="dpg-client", client_network_ip="10.0.0.6/24", **STATIC_PUBLIC),
            "client_network_ip",
            "Same subnet",
        ),
    ],
    ids=["range-has-gateway", "dns-on-dhcp", "memory-too-small", "cname-without-tls", "huge-key", "same-subnet"],
)
def test_warnings_do_not_block(mutate, field, fragment):
    problems = validate_local(mutate(GOOD))
    assert any(p.field == field and fragment in p.message for p in warnings_only(problems)), [str(p) for p in problems]
    assert raise_if_errors(problems) == problems


def test_problems_error_lists_every_problem():
    problems = validate_local(GOOD.with_values({"name": "", "cpu": -1}))
    err = ProblemsError(problems, source="answers.toml")
    text = str(err)
    assert text.startswith("answers.toml: 2 problems to fix")
    assert "name: is empty" in text and "cpu: must be" in text
    assert err.exit_code == 2 and err.field == "name"


def test_problems_can_be_picked_per_field_for_inline_display():
    spec = GOOD.with_values({"volume_store": ["ds/a:x", "bad"], "cpu": -1})
    spec = replace(spec, container_networks=(replace(GOOD_CN, gateway="10.20.0.1"),))
    problems = validate_local(spec)
    assert [p.field for p in about(problems, "volume_store")] == ["volume_store[1]"]
    assert {p.field for p in about(problems, "container_network[0]")} == {"container_network[0].gateway"}
    assert [p.field for p in about(problems, "cpu")] == ["cpu"]


def test_existing_iso_files_pass(tmp_path):
    iso = tmp_path / "appliance.iso"
    write_iso(iso)
    assert validate_local(GOOD.with_values({"appliance_iso": str(iso), "bootstrap_iso": str(iso)})) == []
