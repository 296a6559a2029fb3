"""Side by side with vic-machine 1.5.8: each of the four captured specs (tests/data/vic-machine-1.5.8/G1..G4) is
created by vch-tui on the same simulator inventory, from the very command vic-machine ran (command.txt, read by
vch-tui's own vic-machine parser), and the result is compared with the capture: the endpoint VM's extraConfig
keys and non-secret values, its devices and PCI slots, the VCH pool's allocation and the datastore files.

Normalisations, each for a reason that is not vch-tui's choice (the `_normalise_*` helpers):
- morefs: inventory objects made by a run (pool, VM, folder, container port groups' ids) get the ids of this
  simulator's run; every moref is replaced by the inventory path it names, on both sides.
- the target: vic-machine went through a logging proxy (127.0.0.1:18444) with that simulator's certificate;
  this run talks to its own simulator, so its address and thumbprint replace the capture's.
- build strings: init/version/BuildDate and BuildNumber come from the link flags of the vic-machine binary
  that made the capture (README "Build values"); vch-tui writes the appliance ISO's version. Version and
  GitCommit must agree (up to xorriso's upper case in the ISO's publisher).
- secrets and generated certificates: `@secret` values and guestinfo.ovfEnv are sealed under a new key each
  write, so they are compared decrypted (the login password; the server key matches its certificate);
  certificates vch-tui generates (G1, G2) are new key pairs, compared by the names and uses they certify;
  G4's given certificate and CA must be byte-identical.
- Go 1.19: the capture's vic-machine was built with Go 1.19, whose url.URL adds RawFragment and OmitHost keys
  that an official 1.5.8 build (Go 1.8) does not write (README "Go-version artifacts"); left out of the capture.
- `govcsim`: the simulator's own mark on every VM it made, not written by either tool.
- the appliance's reports: the capture's appliance never booted; here the stand-in boots it and writes the
  read-write keys (guestinfo.vice..*: assigned IPs, sessions started, times). Those keys are compared as
  sets only (vic-machine wrote their defaults; the stand-in then reported).

Differences, each listed with why:
- on purpose: TYPED_DEFAULTS (create options record values, not what was typed), RANDOM_SLOT_ORDER (G2's NIC
  numbering was random in vic-machine), vcsim's extra IDE controller (_captured_devices);
- gaps still to close (the test fails when one closes, so the list stays true): NOT_WRITTEN and
  UNMODELLED_VALUES (empty now), the generated certificates' subjects.
"""

from __future__ import annotations

import base64
import os
import re
import urllib.request
from dataclasses import replace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyVmomi import vim

from tests.rig.simulator_fixtures import SIM_PASSWORD
from tests.unit.vic.vic_captures import DATA, command, inventory, load_extra, pool_json, vm_json
from tui.core.vch.build import build_plan
from tui.core.vch.fingerprint import datastore_files
from tui.core.vch.inspection import inspect_vch
from tui.core.vch.plan import RunOptions
from tui.core.vch.runner import run_plan
from tui.core.vch.validate_target import load_target_facts
from tui.core.vic.config import decode
from tui.core.vic.secretbox import key_from_extra
from tui.core.vsphere.connection import ConnectOptions, connect
from tui.vchsim.iso_image import write_iso
from tui.vchsim.simulator import Simulator

pytestmark = pytest.mark.rig

SPECS = ("G1", "G2", "G3", "G4")
RO = "guestinfo.vice./"
RW = "guestinfo.vice.."
CAPTURE_TARGET = "127.0.0.1:18444"
CAPTURE_THUMBPRINT = "7D:F5:82:ED:83:BD:DD:24:4C:38:4B:C0:3B:45:FD:81:43:9C:A5:1C"
# xorriso upper-cased the publisher of the capture's ISOs (README); the same publisher here gives the same names
PUBLISHER = "VMWARE INC. V1.5.8-0-2C978FE"
BUILD_LINK_FLAGS = ("init/version/BuildDate", "init/version/BuildNumber")
CERT_KEYS = (RO + "cert/HostCertificate/Cert", RO + "cert/CertificateAuthorities")
SECRET_SUFFIX = "@secret"
OVF_ENV = "guestinfo.ovfEnv"
# url.URL fields of the Go 1.19 build that made the capture, not written by an official 1.5.8 build (README)
GO119_URL_KEYS = ("/RawFragment", "/OmitHost")
SIM_MARK = "govcsim"  # the simulator marks each VM it made (the capture left it out: not vic-machine's)
MOREF = re.compile(r"\b(?:[A-Za-z]+:)?((?:vm|resgroup|dvportgroup|network|folder|datacenter|group|host)-\d+)\b")

# Keys vic-machine writes that vch-tui does not, with why. Each must really be missing (checked). None now: G3's
# --insecure-registry and --http-proxy are in vch-tui's spec since registries and proxies were added to it.
NOT_WRITTEN: dict[str, str] = {}
# Values that differ because vch-tui's spec lacks a flag the capture used (a gap still to close): spec → keys.
# Each must really differ (checked), so closing a gap makes this test say so. None left.
UNMODELLED_VALUES: dict[str, frozenset[str]] = {}
# Generated certificates: vic-machine's (G1 tlsverify) CA and server certificate have the subject Organization
# ["", <cname>] and the CA no CN, its self-signed one (G2 no-tlsverify) only O=default; vch-tui's carry
# O=<cname>, O=<name>, the CA CN "<name> CA" and the self-signed one CN=<name>. Not aligned yet (a gap):
# compared here by what a client checks against its host name and trust (the SANs, CA or not).
# vic-machine 1.5.8 numbers the NICs in Go map order (random per run): G2 got client, management, bridge,
# public; vch-tui numbers distinct port groups in the fixed order public, client, management, bridge. For these
# specs a role's PCI slot is compared as the port group of the NIC in that slot.
RANDOM_SLOT_ORDER = ("G2",)
CREATE_OPTIONS = RO + "vic_machine_create_options"
# vic-machine records in vic_machine_create_options every flag typed on its command line, even one typed with its
# default value; vch-tui's spec (answers file, wizard, CLI) holds values, not what was typed, so it records the
# flags whose value is not the default. Its `inspect` prints the same create command either way.
TYPED_DEFAULTS = ("--public-network=VM Network",)


@pytest.fixture(scope="module")
def sim(vchsim_binary, tmp_path_factory):  # noqa: F811
    """A simulator of its own: the captures' volume folders (datastore1/volumes, …) must not exist beforehand."""
    from tests.integration.conftest import _set_vcenter_prerequisite

    s = Simulator(
        username=command("G1").user,  # administrator@vsphere.local, as in the captures
        password=SIM_PASSWORD,
        binary=vchsim_binary,
        cert_dir=tmp_path_factory.mktemp("side-sim-cert"),
    )
    s.start()
    _set_vcenter_prerequisite(s)  # vic-machine had set it in its validation before G1 (README, surprise 1)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def session(sim):
    """Logged in as vic-machine was: `--target host/Datacenter`, the user, the SHA-1 thumbprint."""
    target = f"{sim.host}:{sim.port}/{command('G1').target.split('/', 1)[1]}"
    s = connect(
        ConnectOptions.resolve(target=target, user=sim.username, password=sim.password, thumbprint=sim.sha1, env={})
    )
    yield s
    s.logout()


@pytest.fixture(scope="module")
def iso_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("side-isos")
    write_iso(folder / "appliance.iso", os.urandom(64 * 1024), publisher=PUBLISHER)
    write_iso(folder / "bootstrap.iso", os.urandom(64 * 1024), publisher=PUBLISHER)
    return folder


def _spec(name: str, iso_dir, cert_dir):
    """The capture's command as vch-tui reads it; only local paths change (TLS inputs, cert folder). The ISOs are
    the defaults, ./appliance.iso and ./bootstrap.iso, as in vic-machine's working folder."""
    spec = command(name).spec
    inputs = DATA / name
    tls = spec.tls
    key_file = None
    if tls.tls_server_key:  # the private key is not shipped in inputs/: the capture holds it sealed
        captured = load_extra(name, "extraconfig.txt")
        key_file = cert_dir / "server-key.pem"
        key_file.write_text(decode(captured, key=key_from_extra(captured)).cert.host_certificate.key.reveal())
        key_file.chmod(0o600)
    tls = replace(
        tls,
        tls_server_cert=str(inputs / tls.tls_server_cert) if tls.tls_server_cert else None,
        tls_server_key=str(key_file) if key_file else None,
        tls_ca=tuple(str(inputs / p) for p in tls.tls_ca),
        tls_cert_path=str(cert_dir / spec.name),
    )
    return replace(spec, tls=tls)


# --- reading both sides --------------------------------------------------------------------------------------


def _capture_paths(name: str) -> dict[str, str]:
    """moref id → inventory path on the capture's simulator: the baseline plus what that run made."""
    out = {moref.split(":", 1)[1]: path for moref, path in inventory().items()}
    vm, pool = vm_json(name), pool_json(name)["vch_pool"]
    out[vm["moref"].split(":", 1)[1]] = vm["path"]
    out[vm["folder"]["moref"].split(":", 1)[1]] = vm["folder"]["path"]
    out[pool["moref"].split(":", 1)[1]] = pool["path"]
    return out


def _live_paths(session) -> dict[str, str]:
    content = session.content
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.ManagedEntity], True)
    out = {}
    try:
        for obj in view.view:
            parts, node = [], obj
            while node is not None and node != content.rootFolder:
                parts.append(node.name)
                node = node.parent
            out[obj._moId] = "/" + "/".join(reversed(parts))
    finally:
        view.Destroy()
    return out


def _normalise_morefs(extra: dict[str, str], paths: dict[str, str]) -> dict[str, str]:
    def sub(match: re.Match) -> str:
        return f"<{paths[match.group(1)]}>" if match.group(1) in paths else match.group(0)

    return {k: MOREF.sub(sub, v) for k, v in extra.items()}


def _normalise_target(extra: dict[str, str], sim) -> dict[str, str]:
    ours = f"{sim.host}:{sim.port}"
    return {k: v.replace(CAPTURE_TARGET, ours).replace(CAPTURE_THUMBPRINT, sim.sha1) for k, v in extra.items()}


def _without_typed_defaults(extra: dict[str, str]) -> dict[str, str]:
    """The capture's create options less the flags typed with their default value (TYPED_DEFAULTS)."""
    options = extra[CREATE_OPTIONS + "~"].split("|")
    kept = [o for o in options if o not in TYPED_DEFAULTS]
    return {
        **extra,
        CREATE_OPTIONS + "~": "|".join(kept),
        CREATE_OPTIONS: str(int(extra[CREATE_OPTIONS]) - (len(options) - len(kept))),
    }


def _slots_as_networks(extra: dict[str, str], slots: dict[int, str]) -> dict[str, str]:
    """init/networks|<role>/Common/id (a PCI slot) → the port group of the NIC in that slot (RANDOM_SLOT_ORDER)."""
    pattern = re.compile(re.escape(RO) + r"init/networks\|[^/]+/Common/id$")
    return {k: (slots[int(v)] if pattern.match(k) else v) for k, v in extra.items()}


def _comparable(extra: dict[str, str]) -> dict[str, str]:
    """Leave out what is compared apart: secrets, certificates, the build's link flags, the appliance's reports."""
    return {
        k: v
        for k, v in extra.items()
        if not k.endswith(SECRET_SUFFIX)
        and k not in (OVF_ENV, SIM_MARK)
        and k not in CERT_KEYS
        and not k.startswith(RW)
        and not k.endswith(BUILD_LINK_FLAGS)
        and not k.endswith(("init/version/Version", "init/version/GitCommit"))
    }


def _vmx_secret_key(sim, session, name: str, datastore: str) -> str:
    """guestinfo.ovfEnv from the VM's .vmx: the simulator hides it from API reads as vCenter does (vic-machine
    downloads the .vmx to read it, too); the capture's simulator showed it in extraConfig."""
    req = urllib.request.Request(
        sim.datastore_url(f"{name}/{name}.vmx", datastore), headers={"Cookie": session.cookie()}
    )
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=sim.ssl_context())
    )
    with opener.open(req, timeout=30) as resp:
        lines = resp.read().decode().splitlines()
    return next(line.split(" = ", 1)[1].strip('"') for line in lines if line.startswith(OVF_ENV + " = "))


def _devices(vm) -> list[tuple]:
    out = []
    for d in vm.config.hardware.device:
        kind = type(d).__name__.rsplit(".", 1)[-1]
        if isinstance(d, vim.vm.device.VirtualEthernetCard):
            backing = d.backing
            key = getattr(getattr(backing, "port", None), "portgroupKey", None)
            net = next(
                n.name for n in vm.network if (key and n._moId == key) or n.name == getattr(backing, "deviceName", None)
            )
            out.append((kind, d.slotInfo.pciSlotNumber, net))
        elif isinstance(d, vim.vm.device.VirtualCdrom):
            out.append((kind, None, d.backing.fileName.rsplit("/", 1)[-1]))
        else:
            out.append((kind, None, None))
    return sorted(out, key=repr)


def _captured_devices(name: str) -> list[tuple]:
    by_key = {}
    for moref, path in inventory().items():
        by_key[moref.split(":", 1)[1]] = path.rsplit("/", 1)[1]
    out = []
    for d in vm_json(name)["devices"]:
        backing = d.get("backing") or {}
        if d["type"] in ("VirtualVmxnet3", "VirtualE1000"):
            port = backing.get("port")
            net = by_key[port["portgroupKey"]] if port else backing["deviceName"]
            out.append((d["type"], d["slotInfo.pciSlotNumber"], net))
        elif d["type"] == "VirtualCdrom":
            out.append((d["type"], None, backing["fileName"].rsplit("/", 1)[-1]))
        elif d["type"] == "VirtualIDEController" and d["label"].startswith("ide-") and not d["device"]:
            # vic-machine adds an IDE controller on bus 0 in CreateVM, which vSphere already has; vcsim added
            # it as a third, empty one (ide-202). Both tools put the CD-ROM on IDE 0 (200); vch-tui sends none.
            continue
        else:
            out.append((d["type"], None, None))
    return sorted(out, key=repr)


def _allocation(a) -> dict:
    get = (lambda o, k: o[k]) if isinstance(a, dict) else getattr
    shares = get(a, "shares")
    return {
        "reservation": get(a, "reservation"),
        "limit": get(a, "limit"),
        "expandable": get(a, "expandableReservation"),
        "level": str(get(shares, "level")),
        "shares": get(shares, "shares") if str(get(shares, "level")) == "custom" else None,
    }


def _captured_files(name: str) -> set[str]:
    """The capture's files of this VCH: its folder and its volume store folders (files.txt lists every VCH so far)."""
    vols = [v.split(":")[0].split("/", 1) for v in command(name).spec.volume_store]
    mine = {f"[{ds}]/{path}" for ds, path in vols}
    out = set()
    for line in (DATA / name / "files.txt").read_text().splitlines():
        path = line.split("\t")[0]
        if path.split("/", 2)[1] == name.lower() or path in mine:
            out.add(path)
    return out


def _subjects(pem: str) -> list[str]:
    return [c.subject.rfc4514_string() for c in x509.load_pem_x509_certificates(base64.b64decode(pem))]


def _cert_names(pem: str) -> list:
    """What a client checks of each certificate: its SANs, whether it is a CA (subjects: see above)."""
    certs = x509.load_pem_x509_certificates(base64.b64decode(pem))
    out = []
    for c in certs:
        try:
            san = sorted(str(n) for n in c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
        except x509.ExtensionNotFound:
            san = []
        try:
            ca = c.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            ca = False
        out.append((san, ca))
    return out


# --- the test ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SPECS)
def test_vch_tui_creates_what_vic_machine_created(name, sim, session, iso_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(iso_dir)
    spec = _spec(name, iso_dir, tmp_path)
    plan = build_plan(spec, load_target_facts(session), RunOptions())
    result = run_plan(plan, session)
    assert result.ok, (result.error, sim.appliance(spec.name))
    vm = session.content.searchIndex.FindByInventoryPath(f"Datacenter/vm/{spec.name}/{spec.name}")
    assert vm is not None
    ours = {o.key: o.value for o in vm.config.extraConfig}
    assert OVF_ENV not in ours
    ours[OVF_ENV] = _vmx_secret_key(sim, session, spec.name, spec.image_store)
    captured = {k: v for k, v in load_extra(name, "extraconfig.txt").items() if not k.endswith(GO119_URL_KEYS)}

    # extraConfig: the same keys; the same values up to the named normalisations
    extra_keys = {k for k in set(ours) - set(captured) if not k.startswith(RW) and k != SIM_MARK}
    assert extra_keys == set(), "keys vch-tui writes that vic-machine does not"
    missing = set(captured) - set(ours)
    assert sorted(missing) == sorted(k for k in NOT_WRITTEN if k in captured), (
        "keys vic-machine writes that vch-tui does not"
    )
    theirs_n = _comparable(
        _without_typed_defaults(_normalise_target(_normalise_morefs(captured, _capture_paths(name)), sim))
    )
    ours_n = _comparable(_normalise_morefs(ours, _live_paths(session)))
    if name in RANDOM_SLOT_ORDER:
        theirs_n = _slots_as_networks(theirs_n, {slot: net for _, slot, net in _captured_devices(name) if slot})
        ours_n = _slots_as_networks(ours_n, {slot: net for _, slot, net in _devices(vm) if slot})
    unmodelled = UNMODELLED_VALUES.get(name, frozenset())
    assert all(theirs_n.get(k) != ours_n.get(k) for k in unmodelled), "a gap closed: update UNMODELLED_VALUES"
    theirs_n = {k: v for k, v in theirs_n.items() if k not in unmodelled}
    ours_n = {k: v for k, v in ours_n.items() if k not in unmodelled}
    differ = {
        k: (theirs_n.get(k), ours_n.get(k)) for k in theirs_n.keys() | ours_n.keys() if theirs_n.get(k) != ours_n.get(k)
    }
    assert differ == {}, differ

    # build strings: the release and commit agree
    for key in ("init/version/Version", "init/version/GitCommit"):
        assert ours[RO + key].lower() == captured[RO + key].lower(), key

    # secrets, decrypted: the appliance logs in with this login, as vic-machine's with its own
    cfg = decode(ours, key=key_from_extra(ours))
    theirs_cfg = decode(captured, key=key_from_extra(captured))
    assert cfg.connect.token.reveal() == SIM_PASSWORD.reveal()
    assert theirs_cfg.connect.token.reveal()  # the capture's own password (that simulator's), present too
    host = cfg.cert.host_certificate
    if theirs_cfg.cert.host_certificate is None:
        assert host is None
    else:
        key = serialization.load_pem_private_key(host.key.reveal().encode(), None)
        leaf = x509.load_pem_x509_certificate(host.cert)
        assert key.public_key().public_numbers() == leaf.public_key().public_numbers()
    for cert_key in CERT_KEYS:
        assert (cert_key in ours) == (cert_key in captured), cert_key
        if cert_key not in ours:
            continue
        if name == "G4":  # the user's own certificate and CA: exactly as given
            assert ours[cert_key] == captured[cert_key], cert_key
        else:
            assert _cert_names(ours[cert_key]) == _cert_names(captured[cert_key]), cert_key
            assert _subjects(ours[cert_key]) != _subjects(captured[cert_key]), "subjects aligned: update the note"

    # the appliance's read-write keys: the same set, vic-machine wrote them and the stand-in then reported
    assert {k for k in ours if k.startswith(RW)} >= {k for k in captured if k.startswith(RW)}

    # devices and PCI slots; the VM's size
    if name in RANDOM_SLOT_ORDER:  # the same NICs; the same slots, given out in another order
        assert sorted(d[:1] + d[2:] for d in _devices(vm)) == sorted(d[:1] + d[2:] for d in _captured_devices(name))
        assert sorted(d[1] or 0 for d in _devices(vm)) == sorted(d[1] or 0 for d in _captured_devices(name))
    else:
        assert _devices(vm) == _captured_devices(name)
    summary = vm_json(name)["config.summary"]
    assert (vm.config.hardware.numCPU, vm.config.hardware.memoryMB) == (summary["numCPU"], summary["memoryMB"])
    assert vm.config.guestId == summary["guestId"]
    assert vm.config.alternateGuestName.lower() == summary["alternateGuestName"].lower()  # build string
    assert "Destroy_Task" in vm.disabledMethod

    # the pool
    pool = vm.resourcePool
    theirs_pool = pool_json(name)["vch_pool"]
    assert pool.name == theirs_pool["name"] and pool.parent.name == "Resources"
    assert _allocation(pool.config.cpuAllocation) == _allocation(theirs_pool["cpuAllocation"])
    assert _allocation(pool.config.memoryAllocation) == _allocation(theirs_pool["memoryAllocation"])

    # datastore files: the VCH's folder and its volume store folders
    files = set()
    for ds in session.content.rootFolder.childEntity[0].datastore:
        files |= {f.replace("] ", "]/", 1) for f in datastore_files(session, ds, ds.name)}  # files.txt's form
    ours_files = {f for f in files if f.split("/", 2)[1] == spec.name or f in _captured_files(name)}
    create_log = {f for f in ours_files if re.search(r"/vic-machine_.*_create_\d+\.1\.log$", f)}
    assert len(create_log) == 1, "the create log beside the VM (vic-machine's was cut off by its --timeout)"
    assert ours_files - create_log == _captured_files(name)

    # inspect reads the registries and proxies back from the configuration, and prints them in the create command
    inspected = inspect_vch(session, spec.name, probe=False)
    assert inspected.spec is not None, inspected.spec_error
    fields = ("insecure_registry", "whitelist_registry", "http_proxy", "https_proxy", "no_proxy")
    assert {k: inspected.spec.get(k) for k in fields} == {k: spec.get(k) for k in fields}
    assert (name == "G3") == bool(spec.insecure_registry and spec.http_proxy)  # G3 typed both
    for registry in spec.insecure_registry:
        assert f"--insecure-registry {registry}" in inspected.create_command, inspected.create_command
    if spec.http_proxy:
        assert f"--http-proxy {spec.http_proxy}" in inspected.create_command, inspected.create_command
