"""create's Placement for the builder, from the run's vSphere objects: the same facts the captures record."""

from dataclasses import dataclass, fields

import pytest
from vic_captures import SPECS, command, network_morefs, placement

from tui.core.secret import Secret
from tui.core.spec.ops_user import OpsCredentials
from tui.core.vch import vic_write
from tui.core.vic.placement import default_pci_slots
from tui.core.vsphere.target import Target
from tui.vchsim.iso_image import write_iso


@dataclass
class _Ref:
    _wsdlName: str
    _moId: str


def _ref(moref: str) -> _Ref:
    kind, _, value = moref.partition(":")
    return _Ref(kind, value)


@dataclass
class _Options:
    user: str
    password: Secret


@dataclass
class _Session:
    target: Target
    options: _Options
    pinned_sha1: str | None


def _session(name: str) -> _Session:
    cmd = command(name)
    address, _, dc = (cmd.target or "").partition("/")
    host, _, port = address.rpartition(":")
    return _Session(
        Target(host=host, port=int(port), datacenter=dc or None), _Options(cmd.user, Secret("login-pw")), cmd.thumbprint
    )


@pytest.mark.parametrize("name", SPECS)
def test_placement_from_the_run_s_objects_has_the_capture_s_facts(name):
    want = placement(name)
    got = vic_write.placement(
        spec=command(name).spec,
        session=_session(name),
        ops=None,
        pool=_ref(want.vch_pool),
        networks={n: _ref(m) for n, m in network_morefs().items()},
        datacenter=want.datacenter,
        cluster_path=want.cluster_path,
        datastore=want.datastore,
        build=want.build,
        bootstrap_iso=want.bootstrap_iso,
        vm=_ref(want.vm or ""),
        vm_folder=want.vm_folder,
        server_cert=want.server_cert,
        server_key=want.server_key,
        client_ca=want.client_ca,
    )
    same = (
        "vch_pool",
        "networks",
        "datacenter",
        "cluster_path",
        "pool_path",
        "target_url",
        "login_user",
        "thumbprint",
        "target_datacenter",
        "vm",
        "build",
        "bootstrap_iso",
    )
    for field in same:
        assert getattr(got, field) == getattr(want, field), field
    assert got.login_password.reveal() == "login-pw"
    roles = vic_write.role_port_groups(command(name).spec, {n: _ref(m) for n, m in network_morefs().items()})
    assert got.pci_slots == default_pci_slots(roles)
    assert sorted(got.pci_slots.values()) == [1184 + 32 * i for i in range(len(set(roles.values())))]
    assert set(got.pci_slots) == set(want.pci_slots or {})  # one NIC per distinct port group, as vic-machine made
    assert {f.name for f in fields(got)} >= set(same)


def test_the_ops_user_replaces_the_login_in_connect():
    ops = OpsCredentials("vch-ops@vsphere.local", Secret("ops-pw"))
    user, password = vic_write.connect_credentials(_session(SPECS[0]), ops)
    assert (user, password.reveal()) == ("vch-ops@vsphere.local", "ops-pw")
    assert vic_write.connect_credentials(_session(SPECS[0]), None)[0] == command(SPECS[0]).user


def test_target_url_keeps_only_a_non_default_port():
    assert vic_write.target_url(Target(host="vc.example.com", port=443)) == "https://vc.example.com"
    assert vic_write.target_url(Target(host="127.0.0.1", port=8989)) == "https://127.0.0.1:8989"


def test_isos_are_named_after_the_version_in_their_publisher(tmp_path):
    isos = {"appliance_iso": tmp_path / "a.iso", "bootstrap_iso": tmp_path / "b.iso"}
    for path in isos.values():
        write_iso(path, payload=b"x")
    assert vic_write.iso_remote_names(isos) == {
        "appliance_iso": "v1.5.8-0-2c978fe-appliance.iso",
        "bootstrap_iso": "v1.5.8-0-2c978fe-bootstrap.iso",
    }
