"""The builder writes what vic-machine 1.5.8 wrote for the same command, key for key."""

from dataclasses import replace

import pytest
from vic_captures import (
    SPECS,
    WRITE1,
    WRITE2,
    command,
    load_extra,
    network_names,
    nic_slots,
    placement,
    plain_items,
)

from tui.core.errors import VicConfigError
from tui.core.secret import Secret
from tui.core.spec.model import ContainerNetwork, RoleNetwork, Tls, VchSpec
from tui.core.vic.build import build_config, write1_config
from tui.core.vic.config import decode, encode
from tui.core.vic.create_options import Extras
from tui.core.vic.placement import default_pci_slots
from tui.core.vic.secretbox import key_from_extra, new_key
from tui.core.vic.to_spec import spec_from_config

GO119_URL_KEYS = ("RawFragment", "OmitHost")


def _built(name, write, **changes):
    file = WRITE1 if write == 1 else WRITE2
    cmd = command(name)
    cfg = build_config(cmd.spec, placement(name, file, **changes), extras=cmd.extras, write=write)
    return load_extra(name, file), cfg


@pytest.mark.parametrize("name", SPECS)
@pytest.mark.parametrize("write", [1, 2])
def test_builder_reproduces_every_key_and_value_vic_machine_wrote(name, write):
    captured, cfg = _built(name, write)
    key = new_key()
    out = encode(cfg, key=key)
    assert set(out) == set(captured)
    assert plain_items(out) == plain_items(captured)
    # the secret values: the same plaintext under our key
    assert decode(out, key=key).connect.token == decode(captured, key=key_from_extra(captured)).connect.token
    assert decode(out, key=key).cert == decode(captured, key=key_from_extra(captured)).cert


@pytest.mark.parametrize("name", SPECS)
def test_an_official_go18_build_writes_no_raw_fragment_or_omit_host(name):
    """Named exception: the captures come from a Go 1.19 build; url.URL's RawFragment and OmitHost keys would not
    be written by an official 1.5.8 build (Go 1.8). Without the option the builder leaves exactly those out."""
    captured, cfg = _built(name, 2, go119_url_fields=False)
    out = plain_items(encode(cfg, key=new_key()))
    expected = {k: v for k, v in plain_items(captured).items() if not k.endswith(GO119_URL_KEYS)}
    assert out == expected
    assert len(plain_items(captured)) - len(expected) == 2 * (1 + len(cfg.storage.volume_locations))


@pytest.mark.parametrize("name", ["G1", "G3", "G4"])
def test_default_pci_slots_match_the_captures_that_numbered_public_first(name):
    cfg = build_config(command(name).spec, placement(name, pci_slots=None), extras=command(name).extras)
    assert {e.network.common.id: int(e.common.id) for e in cfg.init.networks.values()} == nic_slots(name)


def test_g2_slots_follow_the_vms_nics():
    """vic-machine 1.5.8 numbers NICs in Go map order (random): G2 got client, management, bridge, public."""
    cfg = build_config(command("G2").spec, placement("G2"), extras=command("G2").extras)
    assert {r: int(e.common.id) for r, e in cfg.init.networks.items()} == {
        "client": 1184,
        "management": 1216,
        "bridge": 1248,
        "public": 1280,
    }
    ports = {r: e.network.common.id for r, e in cfg.init.networks.items()}
    assert sorted(default_pci_slots(ports).values()) == [1184, 1216, 1248, 1280]


def test_write1_is_the_create_vm_form():
    cfg = write1_config(command("G1").spec, placement("G1", WRITE1), extras=command("G1").extras)
    assert cfg.id == "CreatingVCH" and cfg.init.sessions == {}
    assert cfg.init.networks["bridge"].common.id == cfg.init.networks["bridge"].network.common.id
    assert cfg.storage.volume_locations["default"].path == "volumes" and cfg.storage.image_stores[0].path == ""
    assert cfg.unknown == {"answer.msg.serial.file.open": "Append"}


def test_a_vch_vch_tui_would_create_reads_back_as_its_spec():
    spec = VchSpec(
        name="vch-9",
        compute_resource="Cluster",
        image_store="datastore2/images",
        volume_store=("datastore1:default", "datastore2/vols:fast"),
        bridge_network="vch-bridge",
        public=RoleNetwork("vch-public", "10.0.0.5/24", "10.0.0.1"),
        client=RoleNetwork("vch-client", "10.1.0.5/24", "10.9.0.0/16,10.8.0.0/16:10.1.0.1"),
        management=RoleNetwork("vch-public"),
        dns_server=("10.0.0.53", "10.0.0.54"),
        container_networks=(
            ContainerNetwork(
                "containers",
                "web.prod",
                "10.20.0.1/24",
                ("10.20.0.0/28", "10.20.0.100-10.20.0.199"),
                ("10.20.0.2",),
                "outbound",
            ),
            ContainerNetwork("dmz"),
        ),
        tls=Tls(no_tlsverify=True, tls_cname="vch-9.example.com"),
        timeout="90s",
    )
    place = placement(
        "G2",
        server_cert=b"-----BEGIN CERTIFICATE-----\n",
        server_key=Secret("-----BEGIN KEY"),
        client_ca=None,
        vm="VirtualMachine:vm-900",
        vm_folder="vch-9",
        pci_slots=None,
    )
    key = new_key()
    cfg = decode(encode(build_config(spec, place), key=key), key=key)
    # read back as typed, the timeout in its short form
    assert spec_from_config(cfg, network_names=network_names(), resources=spec.resources) == replace(
        spec, timeout="1m30s"
    )
    assert cfg.storage.volume_locations["default"].path == "[datastore1] VIC"
    assert cfg.storage.image_stores[0].path == "images"
    assert cfg.init.networks["management"].ip == cfg.init.networks["public"].ip  # shared port group: copied
    assert "--timeout=1m30s" in cfg.vic_machine_create_options
    assert cfg.init.sessions["docker-personality"].cmd.args[1] == "-port=2376"


def test_no_tls_runs_the_api_on_2375_without_certificates():
    _, cfg = _built("G3", 2)
    assert cfg.cert.host_certificate is None and cfg.init.sessions["docker-personality"].cmd.args[1] == "-port=2375"
    assert "HTTP_PROXY=http://127.0.0.1:3128" in cfg.init.sessions["docker-personality"].cmd.env


def test_missing_placement_facts_are_product_errors():
    spec = command("G1").spec
    with pytest.raises(VicConfigError, match="vch-bridge"):
        build_config(
            spec,
            placement(
                "G1",
                networks={
                    "VM Network": "Network:network-7",
                    "containers": "DistributedVirtualPortgroup:dvportgroup-55",
                },
            ),
        )
    with pytest.raises(VicConfigError, match="Placement.vm"):
        build_config(spec, placement("G1", vm=None))
    with pytest.raises(VicConfigError, match="server certificate"):
        build_config(spec, placement("G1", server_key=None))
    with pytest.raises(VicConfigError, match="CA"):
        build_config(spec, placement("G1", client_ca=None))
    plain = build_config(
        replace(spec, tls=Tls(no_tls=True)), placement("G1", server_cert=None, server_key=None), extras=Extras()
    )
    assert plain.cert.host_certificate is None


def test_registry_cas_whitelist_and_proxies_are_written_as_vic_machine_writes_them():
    """--registry-ca's files concatenated into cert/RegistryCertificateAuthorities (with or without TLS); a whitelist
    also permits the insecure registries; the proxies in the Docker personality's and vicadmin's environment."""
    spec = replace(
        command("G3").spec,
        registry_ca=("a.pem", "b.pem"),
        whitelist_registry=("10.0.0.0/8",),
        https_proxy="https://p:3129",
        no_proxy="localhost",
    )
    cas = b"-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n" * 2
    extra = encode(build_config(spec, placement("G3", registry_ca=cas)), key=new_key())
    ro = "guestinfo.vice./"
    assert decode(extra, key=key_from_extra(extra)).cert.registry_certificate_authorities == cas
    assert ro + "cert/RegistryCertificateAuthorities" in extra
    assert extra[ro + "registry/whitelist_registries~"] == "10.0.0.0/8|127.0.0.1:5000"
    assert extra[ro + "init/sessions|docker-personality/cmd/Env~"] == (
        "PATH=/sbin|GOTRACEBACK=all|HTTP_PROXY=http://127.0.0.1:3128|HTTPS_PROXY=https://p:3129|NO_PROXY=localhost"
    )
    assert extra[ro + "init/sessions|vicadmin/cmd/Env~"] == (
        "PATH=/sbin:/bin|GOTRACEBACK=all|VICADMIN_HTTP_PROXY=http://127.0.0.1:3128"
        "|VICADMIN_HTTPS_PROXY=https://p:3129|NO_PROXY=localhost"
    )
    options = extra[ro + "vic_machine_create_options~"].split("|")
    assert "--whitelist-registry=10.0.0.0/8" in options and not any("registry-ca" in o for o in options)
    back = spec_from_config(decode(extra, key=None))
    assert (back.whitelist_registry, back.https_proxy, back.no_proxy) == (
        ("10.0.0.0/8",),
        "https://p:3129",
        "localhost",
    )
    assert back.registry_ca == ()  # the config holds the certificates, not the files' paths
    with pytest.raises(VicConfigError, match="registry CA"):
        build_config(spec, placement("G3"))
