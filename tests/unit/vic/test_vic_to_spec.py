"""A VCH vic-machine made reads back as the spec its command asked for."""

from dataclasses import replace

import pytest
from vic_captures import SPECS, WRITE1, WRITE2, command, load_extra, network_names, pool_json, vm_json

from tui.core.spec.model import ContainerNetwork, Resources
from tui.core.vic.config import decode
from tui.core.vic.create_options import Extras
from tui.core.vic.executor import TRUST_LEVELS
from tui.core.vic.to_spec import Allocation, extras_from_config, resources_from_pool, spec_from_config

# Named exceptions: what the config cannot carry.
# G4: vic-machine does not record certificate/key/CA file paths (create.go logArguments skips them), so the
# spec read back has the certificate mode but not the files the command named.
FILE_PATHS = {
    "G4": ("tls_ca", "tls_server_cert", "tls_server_key"),
    "G4-variant-pkcs8-key": ("tls_ca", "tls_server_cert", "tls_server_key"),
}


def _resources(name) -> Resources:
    pool, vm = pool_json(name)["vch_pool"], vm_json(name)["config.summary"]
    return resources_from_pool(
        Allocation.from_dict(pool["cpuAllocation"]),
        Allocation.from_dict(pool["memoryAllocation"]),
        endpoint_cpu=vm["numCPU"],
        endpoint_memory=vm["memoryMB"],
    )


def _expected(name):
    spec = command(name).spec
    return replace(spec, tls=replace(spec.tls, **{f: None if f != "tls_ca" else () for f in FILE_PATHS.get(name, ())}))


@pytest.mark.parametrize("name", SPECS)
@pytest.mark.parametrize("names", ["inventory", "create options"])
def test_spec_from_config_is_the_command_spec(name, names):
    cfg = decode(load_extra(name, WRITE2), key=None)
    got = spec_from_config(
        cfg, network_names=network_names() if names == "inventory" else None, resources=_resources(name)
    )
    assert got == _expected(name)


@pytest.mark.parametrize("name", SPECS)
def test_without_create_options_the_config_alone_gives_networks_roles_stores_and_tls(name):
    cfg = decode(load_extra(name, WRITE2), key=None)
    cfg.vic_machine_create_options = []
    got = spec_from_config(cfg, network_names=network_names(), resources=_resources(name))
    want = _expected(name)
    # only the create options record these; the order of container networks is the config's (sorted by alias)
    by_alias = tuple(sorted(want.container_networks, key=ContainerNetwork.effective_alias))
    recorded_only = dict(
        compute_resource=None, timeout="3m", tls=replace(want.tls, tls_cname=None), container_networks=by_alias
    )
    assert got == replace(want, **recorded_only)


def test_g2_roles_static_addresses_routes_and_firewalls():
    spec = spec_from_config(decode(load_extra("G2", WRITE2), key=None), network_names=network_names())
    assert (spec.public.port_group, spec.public.ip, spec.public.gateway) == ("vch-public", "10.0.0.5/24", "10.0.0.1")
    assert (spec.client.port_group, spec.client.ip) == ("vch-client", None)
    assert spec.management.gateway == "10.9.0.0/16:10.0.2.1"
    assert spec.dns_server == ("10.0.0.53",)
    assert spec.bridge_network_range == "172.20.0.0/16"
    assert [(c.port_group, c.alias, c.firewall) for c in spec.container_networks] == [
        ("containers", "opennet", "open"),
        ("dmz", "closednet", "closed"),
    ]
    assert spec.tls.no_tlsverify and not spec.tls.no_tls


def test_trust_levels_map_to_firewall_names():
    cfg = decode(load_extra("G1", WRITE2), key=None)
    for level, name in ((0, "published"), (1, "published"), (2, "open"), (3, "closed"), (4, "outbound"), (5, "peers")):
        cfg.network.container_networks["backend"].trust_level = level
        assert spec_from_config(cfg).container_networks[0].firewall == name
        if level:
            assert TRUST_LEVELS[name] == level


def test_a_shared_port_groups_static_address_belongs_to_the_role_it_was_given_on():
    """vic-machine copies a static address to every role on that port group; the create options say whose it was."""
    cfg = decode(load_extra("G2", WRITE2), key=None)
    client, management = cfg.init.networks["client"], cfg.init.networks["management"]
    client.network.common.id = management.network.common.id  # client and management on vch-management
    client.static, client.ip = True, management.ip
    spec = spec_from_config(cfg, network_names=network_names())
    assert spec.client.ip is None and spec.management.ip == "10.0.2.10/24"
    cfg.vic_machine_create_options = [o for o in cfg.vic_machine_create_options if "management-network-ip" not in o]
    spec = spec_from_config(cfg, network_names=network_names())
    assert spec.client.ip == "10.0.2.10/24" and spec.management.ip is None  # unrecorded: the first role owns it


def test_default_dns_of_an_all_static_vch_is_not_read_back_as_typed():
    cfg = decode(load_extra("G2", WRITE2), key=None)
    for role in ("public", "client", "management"):
        endpoint = cfg.init.networks[role]
        endpoint.static = True
        endpoint.network.nameservers = [
            bytes(10) + b"\xff\xff" + bytes([8, 8, 8, 8]),
            bytes(10) + b"\xff\xff" + bytes([8, 8, 4, 4]),
        ]
    cfg.vic_machine_create_options = [o for o in cfg.vic_machine_create_options if "dns-server" not in o]
    assert spec_from_config(cfg).dns_server == ()


def test_the_first_write_reads_back_too():
    """(Volume store paths not rewritten yet, no sessions, no bootstrap path: the same spec.)"""
    cfg = decode(load_extra("G1", WRITE1), key=None)
    assert spec_from_config(cfg, resources=_resources("G1")) == _expected("G1")


@pytest.mark.parametrize("name", SPECS)
def test_extras_from_config(name):
    assert extras_from_config(decode(load_extra(name, WRITE2), key=None)) == replace(
        command(name).extras, explicit=frozenset()
    )
    if name == "G3":  # the registry and proxy come back in the spec
        spec = spec_from_config(decode(load_extra(name, WRITE2), key=None))
        assert (spec.insecure_registry, spec.http_proxy) == (("127.0.0.1:5000",), "http://127.0.0.1:3128")


def test_resources_from_the_pool_g3():
    assert _resources("G3") == Resources(
        cpu_reservation=100,
        cpu_shares="high",
        memory_reservation=256,
        memory_shares="4000",
        endpoint_cpu=2,
        endpoint_memory=4096,
    )
    assert _resources("G1") == Resources(cpu=500, memory=500)
    assert Extras() == extras_from_config(decode(load_extra("G1", WRITE2), key=None))
