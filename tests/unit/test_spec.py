"""The VCH spec: vic-machine's defaults, what they resolve to, and access by answers-file key."""

import pytest

from tui.core.spec.model import (
    FIELDS,
    ContainerNetwork,
    Resources,
    RoleNetwork,
    Tls,
    TlsMode,
    VchSpec,
    answer_keys,
)


def test_defaults_are_vic_machines():
    spec = VchSpec()
    assert spec.name == "virtual-container-host"
    assert spec.effective_bridge_network() == "virtual-container-host"
    assert spec.bridge_network_range == "172.16.0.0/12"
    assert spec.effective_public_network() == "VM Network"
    assert spec.effective_client_network() == "VM Network"
    assert spec.effective_management_network() == "VM Network"
    assert (spec.resources.cpu, spec.resources.memory) == (None, None)
    assert (spec.resources.cpu_reservation, spec.resources.memory_reservation) == (None, None)
    assert (spec.resources.cpu_shares, spec.resources.memory_shares) == ("normal", "normal")
    assert (spec.resources.endpoint_cpu, spec.resources.endpoint_memory) == (1, 2048)
    assert spec.tls.certificate_key_size == 2048
    assert spec.timeout == "3m"
    assert spec.effective_tls_cert_path() == "./virtual-container-host"
    assert spec.tls_mode() is TlsMode.TLSVERIFY
    assert spec.effective_dns_servers() == ()


def test_role_defaults_chain_public_client_management():
    spec = VchSpec(public=RoleNetwork("pub"), client=RoleNetwork("cli"))
    assert spec.effective_client_network() == "cli"
    assert spec.effective_management_network() == "cli"
    spec = VchSpec(public=RoleNetwork("pub"), management=RoleNetwork("mgmt"))
    assert spec.effective_client_network() == "pub"
    assert spec.effective_management_network() == "mgmt"


def test_bridge_defaults_to_the_name_and_cert_path_too():
    spec = VchSpec(name="vch-7")
    assert spec.effective_bridge_network() == "vch-7"
    assert spec.effective_tls_cert_path() == "./vch-7"
    assert VchSpec(name="vch-7", bridge_network="br").effective_bridge_network() == "br"


def test_container_network_defaults():
    cn = ContainerNetwork("dpg-a")
    assert cn.effective_alias() == "dpg-a"
    assert cn.firewall == "published"
    assert ContainerNetwork("dpg-a", alias="", firewall="").firewall == "published"
    assert ContainerNetwork("dpg-a", alias="").alias is None


def test_normalisation_makes_equal_specs_equal():
    a = VchSpec(volume_store=["ds/v:default"], compute_resource="", resources=Resources(cpu_shares=4000))
    b = VchSpec(volume_store=("ds/v:default",), resources=Resources(cpu_shares="4000"))
    assert a == b
    assert VchSpec(public=RoleNetwork(None)).public.port_group == "VM Network"


@pytest.mark.parametrize(
    "tls, mode, verify",
    [
        (Tls(no_tls=True), TlsMode.NO_TLS, False),
        (Tls(no_tlsverify=True), TlsMode.NO_TLSVERIFY, False),
        (Tls(), TlsMode.TLSVERIFY, True),
        (Tls(tls_ca=("ca.pem",)), TlsMode.TLSVERIFY, True),
        (Tls(tls_server_cert="s.pem", tls_server_key="k.pem"), TlsMode.CUSTOM, True),
        (Tls(tls_server_cert="s.pem", tls_server_key="k.pem", no_tlsverify=True), TlsMode.CUSTOM, False),
    ],
)
def test_tls_modes(tls, mode, verify):
    spec = VchSpec(tls=tls)
    assert spec.tls_mode() is mode
    assert str(mode) == mode.value
    assert spec.tls_verifies_clients() is verify


def test_generated_ca_only_without_tls_ca():
    assert VchSpec().tls_generates_ca()
    assert not VchSpec(tls=Tls(tls_ca=("ca.pem",))).tls_generates_ca()
    assert not VchSpec(tls=Tls(no_tlsverify=True)).tls_generates_ca()


@pytest.mark.parametrize(
    "spec, cname",
    [
        (VchSpec(tls=Tls(tls_cname="vch.example.com")), "vch.example.com"),
        (VchSpec(client=RoleNetwork("cli", "10.1.0.5/24")), "10.1.0.5"),
        (VchSpec(public=RoleNetwork("VM Network", "10.0.0.5/24", "10.0.0.1")), "10.0.0.5"),
        # the public IP is not the client's address when the client has its own port group
        (VchSpec(public=RoleNetwork("VM Network", "10.0.0.5/24", "10.0.0.1"), client=RoleNetwork("cli")), None),
        (VchSpec(client=RoleNetwork("cli"), management=RoleNetwork("cli", "10.2.0.5/24")), "10.2.0.5"),
        (VchSpec(management=RoleNetwork("VM Network", "10.2.0.5/24")), "10.2.0.5"),
        (VchSpec(), None),
    ],
)
def test_cname_falls_back_like_vic_machine(spec, cname):
    assert spec.effective_tls_cname() == cname


def test_organization_defaults_to_name_plus_cname():
    assert VchSpec(name="v", tls=Tls(tls_cname="h.example.com")).effective_organization() == ("v", "h.example.com")
    assert VchSpec(name="v", tls=Tls(tls_cname="*.example.com")).effective_organization() == ("v",)
    assert VchSpec(tls=Tls(organization=("A", "B"), tls_cname="h")).effective_organization() == ("A", "B")


def test_tls_settings_dict_carries_the_resolved_values():
    d = VchSpec(name="v", client=RoleNetwork("cli", "10.1.0.5/24"), tls=Tls(tls_ca=("ca.pem",))).tls_settings_dict()
    assert d["mode"] == "tlsverify" and d["verify_clients"] and not d["generate_ca"]
    assert d["cname"] == "10.1.0.5" and d["cert_path"] == "./v" and d["ca_files"] == ["ca.pem"]
    assert d["key_size"] == 2048 and d["organization"] == ["v", "10.1.0.5"]


def test_shared_port_group_shares_the_static_ip_and_dns_defaults():
    spec = VchSpec(public=RoleNetwork("VM Network", "10.0.0.5/24", "10.0.0.1"))
    assert [spec.effective_role_ip(r) for r in ("public", "client", "management")] == ["10.0.0.5/24"] * 3
    assert spec.effective_dns_servers() == ("8.8.8.8", "8.8.4.4")
    assert VchSpec(public=spec.public, dns_server=("10.0.0.53",)).effective_dns_servers() == ("10.0.0.53",)
    assert VchSpec(public=spec.public, client=RoleNetwork("cli")).effective_dns_servers() == ()


def test_get_and_with_values_by_answers_key():
    spec = VchSpec().with_values(
        {"public_network_ip": "10.0.0.5/24", "cpu": 4000, "no_tlsverify": True, "organization": ["Acme"]}
    )
    assert spec.public.ip == "10.0.0.5/24" and spec.public.port_group == "VM Network"
    assert spec.resources.cpu == 4000 and spec.tls.no_tlsverify and spec.tls.organization == ("Acme",)
    assert spec.get("public_network_ip") == "10.0.0.5/24"
    assert {f.key for f in FIELDS} == set(answer_keys())
    for f in FIELDS:
        assert f.flag == "--" + f.key.replace("_", "-")
        assert VchSpec().get(f.key) == f.default
    with pytest.raises(KeyError, match="not an answers-file key"):
        VchSpec().get("nope")


def test_role_rejects_unknown_names():
    with pytest.raises(KeyError):
        VchSpec().role("bridge")
