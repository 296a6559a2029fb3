"""Recognising and reading vic-machine's VCHs as `ls`, `inspect` and `delete` do, on the vic-machine 1.5.8 captures:
name, ID, version, upgrade status and docker host as vic-machine's own ls/inspect printed them; TLS facts; the
image and volume store folders delete may touch."""

from __future__ import annotations

import base64
import re
from types import SimpleNamespace

import pytest

from tests.unit.vic.vic_captures import DATA, EFFECTIVE, load_extra
from tui.core.vch import listing, vic_stores, vic_version
from tui.core.vch.inspection import tls_facts
from tui.core.vic import read
from tui.core.vic.values import Build

SPECS = {"G1": "vm-61", "G2": "vm-74", "G3": "vm-87", "G4": "vm-100"}
LOOPBACK_16 = base64.b64encode(bytes(10) + b"\xff\xff" + bytes([127, 0, 0, 1])).decode()  # as the README sets it


def vm(moid: str, name: str) -> SimpleNamespace:
    props = {"name": name, "runtime.powerState": "poweredOn"}
    return SimpleNamespace(moid=moid, get=lambda path, default=None: props.get(path, default))


def ls_rows() -> dict[str, tuple[str, str, str]]:
    """name → (ID, VERSION, UPGRADE STATUS) from vic-machine ls's own output."""
    rows = {}
    for line in (DATA / "ls" / "stdout.txt").read_text().splitlines():
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) == 5 and parts[0].startswith("vm-"):
            rows[parts[2]] = (parts[0], parts[3], parts[4])
    return rows


@pytest.mark.parametrize("spec", sorted(SPECS))
def test_each_capture_is_listed_as_vic_machine_ls_lists_it(spec):
    extra = load_extra(spec, EFFECTIVE)
    summary = listing._summary(vm(SPECS[spec], spec.lower()), extra, "/Datacenter/host/Cluster/Resources/x")
    assert summary is not None
    assert (summary.id, summary.version, summary.upgrade_status) == ls_rows()[summary.name]
    assert summary.state == listing.CREATED
    assert summary.docker_host is None  # no appliance ran: no client address, so no docker host guessed


def test_not_a_vch_without_vics_identity():
    extra = load_extra("G1", EFFECTIVE)
    assert listing._summary(vm("vm-62", "copy"), extra, "") is None  # another VM's config copied: not a VCH
    creating = dict(extra, **{read.ID_KEY: "CreatingVCH"})
    assert listing._summary(vm("vm-99", "g1"), creating, "").state == listing.CREATING
    assert listing._summary(vm("vm-1", "x"), {"guestinfo.vice./init/common/name": "x"}, "") is None
    container = {read.CONTAINER_ID_KEY: "abc", read.NAME_KEY: "c"}
    assert listing._summary(vm("vm-2", "c"), container, "") is None


@pytest.mark.parametrize("spec,host", [("G2", "127.0.0.1:2376"), ("G4", "127.0.0.1:2376"), ("G3", "127.0.0.1:2375")])
def test_docker_host_is_the_client_address_and_the_personalitys_port(spec, host):
    """inspect-g2/g4-simulated-ips: vic-machine printed DOCKER_HOST=127.0.0.1:2376 once the client IP was set."""
    extra = dict(load_extra(spec, EFFECTIVE), **{read.CLIENT_IP_KEY: LOOPBACK_16})
    assert listing.docker_host(extra) == host
    if spec != "G3":
        printed = (DATA / f"inspect-{spec.lower()}-simulated-ips" / "stdout.txt").read_text()
        assert f"DOCKER_HOST={host}" in printed


@pytest.mark.parametrize(
    "spec,mode,ca",
    [("G1", "tlsverify", True), ("G2", "no-tlsverify", False), ("G3", "no-tls", False), ("G4", "tlsverify", True)],
)
def test_tls_facts_from_the_config(spec, mode, ca):
    facts = tls_facts(load_extra(spec, EFFECTIVE))
    assert facts.mode == mode
    assert (facts.server_sha256 is not None, facts.not_after is not None) == (mode != "no-tls",) * 2
    assert (facts.ca_sha256 is not None) == ca


def test_g4s_facts_are_its_input_certificates():
    from cryptography import x509

    from tui.core.tls.pem import sha256_fingerprint

    facts = tls_facts(load_extra("G4", EFFECTIVE))
    inputs = DATA / "G4" / "inputs"
    server = next(p for p in inputs.iterdir() if p.name.startswith("server") and p.name.endswith("cert.pem"))
    cert = x509.load_pem_x509_certificate(server.read_bytes())
    assert facts.server_sha256 == sha256_fingerprint(cert)
    assert facts.not_after == cert.not_valid_after_utc.isoformat()


def record(spec: str, moid: str, **changes):
    extra = dict(load_extra(spec, EFFECTIVE), **changes)
    summary = listing.VchSummary(read.vch_name(extra), "", spec.lower(), "poweredOn", None, id=moid)
    return listing.VchRecord(summary, None, extra, None, None, None, uuid=f"uuid-{moid}")


def test_image_store_folders_are_under_the_vchs_own_image_store():
    """vic-machine delete-g1 searched [datastore1] g1/VIC/<vm uuid>, then g1/kvStores, then g1."""
    g1 = record("G1", "vm-61")
    dirs = vic_stores.image_dirs(g1, [])
    assert [(d.path, d.inside, d.only_if_empty) for d in dirs] == [
        ("[datastore1] g1/VIC/uuid-vm-61", "[datastore1] g1", False),
        ("[datastore1] g1/kvStores", "[datastore1] g1", False),
        ("[datastore1] g1/VIC", "[datastore1] g1", True),
        ("[datastore1] g1", "[datastore1] g1", True),
    ]
    soap = (DATA / "delete-g1" / "soap-summary.txt").read_text()
    uuid = re.search(r"g1/VIC/([0-9a-f-]{36})", soap).group(1)
    assert uuid in (DATA / "G1" / "vm.json").read_text()


def test_a_shared_image_store_keeps_its_key_value_store_and_folder():
    g1, twin = record("G1", "vm-61"), record("G1", "vm-62", **{read.NAME_KEY: "twin"})
    dirs = vic_stores.image_dirs(g1, [twin])
    assert [d.path for d in dirs if not d.shared_with] == ["[datastore1] g1/VIC/uuid-vm-61"]


def test_volume_stores_as_vic_machine_names_them_and_shared_ones():
    g1 = record("G1", "vm-61")
    (store,) = vic_stores.volume_dirs(g1, [])
    assert (store.label, store.path, store.shared_with) == ("volume store default", "[datastore1] volumes", ())
    printed = (DATA / "delete-g1" / "stdout.txt").read_text()
    assert "default: [datastore1] volumes" in printed  # what vic-machine said it kept
    g2 = record("G2", "vm-74")
    assert vic_stores.volume_dirs(g2, [g1])[0].path == "[datastore1] g2vols"
    assert vic_stores.volume_dirs(g1, [g2])[0].shared_with == ()
    other = record("G2", "vm-74", **{"guestinfo.vice./storage/VolumeLocations|default/Path": "[datastore1] volumes"})
    assert vic_stores.volume_dirs(g1, [other])[0].shared_with == (other.name,)


def test_upgrade_status_like_vic_machines():
    build = Build(version="v1.5.8", build_number="0", git_commit="2c978fe")
    assert vic_version.upgrade_status(build, {}) == "Up to date"
    assert vic_version.upgrade_status(Build(version="v1.4.3"), {}) == f"Upgradeable to {vic_version.KNOWN_RELEASE}"
    assert vic_version.upgrade_status(Build(version="v1.6.0"), {}) == "VCH has newer version"
    assert vic_version.upgrade_status(build, {vic_version.UPDATE_IN_PROGRESS_KEY: "true"}) == "Upgrade in progress"
    assert vic_version.upgrade_status(None, {}).startswith("Unknown")
    assert vic_version.same_series(Build(version="v1.5.2")) and not vic_version.same_series(Build(version="v1.4.3"))
    assert not vic_version.same_series(None)
