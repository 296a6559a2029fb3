"""The VIC appliance stand-in, driven by what the real vic-machine 1.5.8 wrote (tests/data/vic-machine-1.5.8).

Each capture's effective extraConfig is replayed onto a VM with the captured NICs and an appliance.iso
CD-ROM (tests/rig/vic_replay.py) and powered on. The stand-in reports loopback addresses and session states
the way the tether does, and the real docker CLI reaches the Docker API with the capture's certificate
material (G1-G3 generated their client certificates outside the capture, so client trust uses a CA of the
test's own written into cert/CertificateAuthorities; G4's server certificate is checked against its input
CA). Broken configurations leave the VCH without an address or without an API, with the reason on the
control API.
"""

from __future__ import annotations

import base64
import socket
import ssl

import pytest
from pyVim.task import WaitForTask
from pyVmomi import vim

from tests.rig.appliance_checks import docker, presented_certificate, refuses, trust_my_clients
from tests.rig.connect_proxy import ConnectProxy
from tests.rig.tls_files import Authority, write_pair
from tests.rig.vic_replay import CAPTURES, RO, capture_pem
from tui.core.vsphere import raw_soap

pytestmark = pytest.mark.rig


@pytest.fixture
def si(simulator_si):
    return simulator_si


@pytest.fixture
def vchs(replayed_vchs):
    return replayed_vchs


@pytest.fixture(scope="module")
def client_ca(tmp_path_factory):
    """The test's own CA and a client certificate it issued, as docker's ca/cert/key files."""
    folder = tmp_path_factory.mktemp("client-tls")
    ca = Authority("vchsim-test-clients")
    cert, key = ca.client()
    write_pair(folder, "cert", cert, key)
    (folder / "key.pem").write_bytes((folder / "cert-key.pem").read_bytes())
    (folder / "key.pem").chmod(0o600)
    return ca, folder


def der(pem: bytes) -> bytes:
    return ssl.PEM_cert_to_DER_cert(pem.decode())


def assert_loopback_and_reported(vch, state: dict) -> str:
    ip = vch.guest_ip("client")
    assert ip and ip.startswith("127.") and ip != "127.0.0.1", ip
    assert state["docker_api"]["host"] == ip and state["docker_api"]["served"] is True
    assert vch.vm.guest.ipAddress == ip
    for session in ("port-layer", "docker-personality", "vicadmin"):
        assert vch.started(session) == "true", (session, state["components"])
        assert vch.extra()[f"guestinfo.vice..init.sessions|{session}.status"] == "0"
    return ip


# ------------------------------------------------------------------------------------------ the four captures


def test_g1_tlsverify_docker_cli_with_a_client_cert_of_the_configured_ca(vchs, client_ca, tmp_path):
    ca, files = client_ca
    vch = vchs("G1", edit=trust_my_clients(ca))
    state = vch.wait()
    assert state["state"] == "running", state
    ip = assert_loopback_and_reported(vch, state)
    assert state["docker_api"]["tls"] == "tlsverify" and state["docker_api"]["port"] == 2376
    # public, client and management share the NIC in PCI slot 1184, hence one address
    assert vch.guest_ip("public") == vch.guest_ip("management") == ip
    assert vch.guest_ip("bridge") is None  # static 0.0.0.0: the port layer's, not the tether's

    server_ca = files / "ca.pem"
    server_ca.write_bytes(capture_pem("G1", "cert/CertificateAuthorities"))  # vic-machine's generated CA
    assert presented_certificate(ip, 2376) == der(capture_pem("G1", "cert/HostCertificate/Cert"))
    tls = [
        "--tlsverify",
        "--tlscacert",
        str(server_ca),
        "--tlscert",
        str(files / "cert.pem"),
        "--tlskey",
        str(files / "key.pem"),
    ]
    with ConnectProxy({"g1.example.com": ip}) as proxy:
        out = docker(
            tmp_path,
            *tls,
            "-H",
            "tcp://g1.example.com:2376",
            "version",
            "--format",
            "{{.Server.Version}} {{.Server.APIVersion}}",
            proxy=proxy.url,
        )
        assert out.returncode == 0 and out.stdout.split() == ["1.5.8", "1.25"], out.stderr
        out = docker(
            tmp_path, *tls, "-H", "tcp://g1.example.com:2376", "info", "--format", "{{.Driver}}", proxy=proxy.url
        )
        assert out.stdout.strip() == "vSphere Integrated Containers v1.5.8-0-2c978fe Backend Engine", out.stderr

        stranger, stranger_key = Authority("stranger").client()
        write_pair(tmp_path / "stranger", "cert", stranger, stranger_key)
        bad = [
            "--tlsverify",
            "--tlscacert",
            str(server_ca),
            "--tlscert",
            str(tmp_path / "stranger/cert.pem"),
            "--tlskey",
            str(tmp_path / "stranger/cert-key.pem"),
        ]
        out = docker(tmp_path, *bad, "-H", "tcp://g1.example.com:2376", "version", proxy=proxy.url)
        assert out.returncode != 0 and "certificate" in out.stderr.lower(), out.stderr
    # by address the server certificate (g1.example.com only) does not verify: what a real user sees too
    out = docker(tmp_path, *tls, "-H", f"tcp://{ip}:2376", "version")
    assert out.returncode != 0 and "IP SANs" in out.stderr, out.stderr


def test_g2_static_addresses_and_no_tlsverify(vchs, tmp_path):
    vch = vchs("G2")
    state = vch.wait()
    assert state["state"] == "running", state
    ip = assert_loopback_and_reported(vch, state)
    by_role = {i["role"]: i for i in state["interfaces"]}
    assert by_role["public"]["mode"] == by_role["management"]["mode"] == "static"
    assert by_role["client"]["mode"] == "dhcp"
    assert len({vch.guest_ip(r) for r in ("public", "client", "management")}) == 3  # three NICs, three addresses
    public = vch.guest_ip("public")
    assert public == "127.0.0.5" or "taken" in by_role["public"]["note"]  # 10.0.0.5 -> 127.0.0.5
    assert vch.extra()["guestinfo.vice..init.networks|public.assigned.Mask"] == "////AA=="  # the configured /24

    assert state["docker_api"]["tls"] == "tls"
    assert presented_certificate(ip, 2376) == der(capture_pem("G2", "cert/HostCertificate/Cert"))
    server_cert = tmp_path / "server-cert.pem"  # --tls does not verify; docker 28 still wants a CA file to load
    server_cert.write_bytes(capture_pem("G2", "cert/HostCertificate/Cert"))
    out = docker(
        tmp_path,
        "--tls",
        "--tlscacert",
        str(server_cert),
        "-H",
        f"tcp://{ip}:2376",
        "version",
        "--format",
        "{{.Server.Version}}",
    )
    assert out.returncode == 0 and out.stdout.strip() == "1.5.8", out.stderr
    out = docker(tmp_path, "-H", f"tcp://{ip}:2376", "version")  # plain HTTP to a TLS port
    assert out.returncode != 0


def test_g3_no_tls(vchs, tmp_path):
    vch = vchs("G3")
    state = vch.wait()
    assert state["state"] == "running", state
    ip = assert_loopback_and_reported(vch, state)
    assert state["docker_api"]["tls"] == "plain" and state["docker_api"]["port"] == 2375
    out = docker(tmp_path, "-H", f"tcp://{ip}:2375", "version", "--format", "{{.Server.Version}}")
    assert out.returncode == 0 and out.stdout.strip() == "1.5.8", out.stderr
    out = docker(tmp_path, "-H", f"tcp://{ip}:2375", "info", "--format", "{{json .SystemStatus}}")
    assert '["VolumeStores","default"]' in out.stdout and "RUNNING" in out.stdout, out.stdout + out.stderr


def test_g4_custom_server_certificate_verifies_against_its_input_ca(vchs, client_ca, tmp_path):
    ca, files = client_ca
    vch = vchs("G4", edit=trust_my_clients(ca))
    state = vch.wait()
    ip = assert_loopback_and_reported(vch, state)
    inputs = CAPTURES / "G4" / "inputs"
    ctx = ssl.create_default_context(cafile=str(inputs / "ca.pem"))
    ctx.load_cert_chain(files / "cert.pem", files / "key.pem")
    with (
        socket.create_connection((ip, 2376), timeout=10) as raw,
        ctx.wrap_socket(raw, server_hostname="g4.example.com") as conn,
    ):
        assert conn.getpeercert(binary_form=True) == der((inputs / "server-cert.pem").read_bytes())
    tls = [
        "--tlsverify",
        "--tlscacert",
        str(inputs / "ca.pem"),
        "--tlscert",
        str(files / "cert.pem"),
        "--tlskey",
        str(files / "key.pem"),
    ]
    with ConnectProxy({"g4.example.com": ip}) as proxy:
        out = docker(
            tmp_path,
            *tls,
            "-H",
            "tcp://g4.example.com:2376",
            "version",
            "--format",
            "{{.Server.Version}}",
            proxy=proxy.url,
        )
    assert out.returncode == 0 and out.stdout.strip() == "1.5.8", out.stderr
    out = docker(tmp_path, "--tlsverify", "--tlscacert", str(inputs / "ca.pem"), "-H", f"tcp://{ip}:2376", "version")
    assert out.returncode != 0  # no client certificate: tlsverify refuses the handshake


# ------------------------------------------------------------------------------------------ broken configurations


def _set(key: str, value: str):
    def edit(keys, box):
        keys[key] = value

    return edit


def _drop(*prefixes: str):
    def edit(keys, box):
        for k in [k for k in keys if k.startswith(prefixes)]:
            del keys[k]

    return edit


def _wrong_password(keys, box):
    keys[RO + "connect/token@secret"] = box.seal("not-the-password")


def _key_not_pairing(keys, box):
    other = base64.b64decode(capture_pem("G2", "cert/HostCertificate/Cert"))  # any PEM that is not a key
    keys[RO + "cert/HostCertificate/Key@secret"] = box.seal(base64.b64encode(other).decode())


BROKEN = {
    # spec, edit, expected state, where the reason shows, text in it
    "client-nic-slot-missing": (
        "G1",
        _set(RO + "init/networks|client/Common/id", "1999"),
        "network-failed",
        "state",
        "no NIC in PCI slot 1999",
    ),
    "no-docker-session": (
        "G1",
        _set(RO + "init/sessions", "port-layer|vicadmin"),
        "degraded",
        "docker_api",
        "no active session runs /sbin/docker-engine-server",
    ),
    "no-port-layer-session": (
        "G1",
        _set(RO + "init/sessions", "docker-personality|vicadmin"),
        "degraded",
        "docker-personality",
        "no port layer is running",
    ),
    "no-image-store": ("G1", _drop(RO + "storage/image_stores"), "degraded", "port-layer", "No image stores provided"),
    "wrong-password": ("G1", _wrong_password, "degraded", "port-layer", "failed to log in"),
    "no-token": ("G3", _drop(RO + "connect/token@secret"), "degraded", "port-layer", "failed to log in"),
    "target-elsewhere": (
        "G1",
        _set(RO + "connect/target", "https://127.0.0.1:18444"),
        "degraded",
        "port-layer",
        "is not this simulator",
    ),
    "wrong-thumbprint": (
        "G3",
        _set(RO + "connect/target_thumbprint", "00:" * 19 + "00"),
        "degraded",
        "port-layer",
        "thumbprint",
    ),
    "server-key-missing": (
        "G1",
        _drop(RO + "cert/HostCertificate/Key@secret"),
        "degraded",
        "docker-personality",
        "refusing to run without TLS",
    ),
    "server-key-not-a-key": ("G2", _key_not_pairing, "degraded", "docker-personality", "refusing to run without TLS"),
    "client-cas-garbage": (
        "G1",
        _set(RO + "cert/CertificateAuthorities", base64.b64encode(b"junk").decode()),
        "degraded",
        "docker-personality",
        "Unable to load CAs in config",
    ),
    "secret-key-lost": ("G1", _drop("guestinfo.ovfEnv"), "degraded", "port-layer", "ovfEnv is missing"),
    "not-a-vch": ("G3", _drop("init/common/name"), "idle", "state", "no VIC configuration"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_config_the_appliance_cannot_use_leaves_no_address_or_no_api(vchs, case):
    spec, edit, want_state, where, text = BROKEN[case]
    vch = vchs(spec, edit=edit)
    state = vch.wait()
    assert state["state"] == want_state, state
    reason = (
        state["reason"]
        if where == "state"
        else state["docker_api"]["reason"]
        if where == "docker_api"
        else state["components"][where]["reason"]
    )
    assert text in reason, state
    assert state["docker_api"]["served"] is False
    ip = vch.guest_ip("client")
    if want_state in ("network-failed", "idle"):
        assert ip is None and all(vch.guest_ip(r) is None for r in ("public", "management"))
        assert vch.started("port-layer") in (None, "<nil>")
    else:
        assert ip is not None and refuses(ip, 2375 if spec == "G3" else 2376)
    if where in ("port-layer", "docker-personality") and "no port layer" not in text:
        component = state["components"][where]
        assert vch.started(where) == component["started"] != "true"  # the error text, in the guest key
        assert vch.extra()[f"guestinfo.vice..init.sessions|{where}.status"] == "1"


def test_no_appliance_iso_on_the_datastore_means_nothing_boots(vchs):
    vch = vchs("G3", upload_iso=False)
    state = vch.wait()
    assert state["state"] == "no-boot" and "is not on the datastore" in state["reason"]
    assert vch.guest_ip("client") is None


def test_a_vm_without_an_appliance_cd_is_not_an_appliance(si, simulator):
    spec = vim.vm.ConfigSpec(
        name="plain-vm-standin",
        guestId="otherGuest64",
        numCPUs=1,
        memoryMB=128,
        files=vim.vm.FileInfo(vmPathName="[datastore1]"),
    )
    dc = next(e for e in si.content.rootFolder.childEntity if isinstance(e, vim.Datacenter))
    task = dc.vmFolder.CreateVM_Task(spec, dc.hostFolder.childEntity[0].resourcePool)
    WaitForTask(task)
    vm = task.info.result
    WaitForTask(vm.PowerOnVM_Task())
    assert simulator.appliance(vm._moId) is None
    WaitForTask(vm.PowerOffVM_Task())
    WaitForTask(vm.Destroy_Task())


# ------------------------------------------------------------------------------------------ lifecycle


def test_power_off_stops_the_api_power_on_serves_again_destroy_needs_enable_methods(vchs, tmp_path):
    vch = vchs("G3")
    ip = vch.guest_ip("client") if vch.wait()["state"] == "running" else None
    assert ip and not refuses(ip, 2375)
    vch.power_off()
    assert vch.wait(until={"off"})["state"] == "off" and refuses(ip, 2375)
    WaitForTask(vch.vm.PowerOnVM_Task())
    state = vch.wait(until={"running"})
    assert state["state"] == "running", state
    again = vch.guest_ip("client")
    out = docker(tmp_path, "-H", f"tcp://{again}:2375", "version", "--format", "{{.Server.Version}}")
    assert out.stdout.strip() == "1.5.8", out.stderr

    raw_soap.disable_methods(vch.si, [vch.vm], ["Destroy_Task"])  # what vic-machine create does
    with pytest.raises(vim.fault.MethodDisabled):
        vch.vm.Destroy_Task()
    raw_soap.enable_methods(vch.si, [vch.vm], ["Destroy_Task"])
    with pytest.raises(vim.fault.InvalidPowerState):  # as in vCenter: a powered-on VM is not destroyed
        WaitForTask(vch.vm.Destroy_Task())
    assert not refuses(again, 2375)
    vch.power_off()
    WaitForTask(vch.vm.Destroy_Task())
    assert vch.wait(until={"off"})["state"] == "off" and refuses(again, 2375)
    vch.vm = None  # nothing left for the fixture to destroy but the pool


# ------------------------------------------------------------------------------------------ the product's codec


def _recode_with_the_product_codec(keys, box):
    """Decode with vch-tui's own codec (tui/core/vic) and encode again under a new key, as a re-write does."""
    from tui.core.vic import config, secretbox

    cfg = config.decode(keys, key=secretbox.parse_key(keys["guestinfo.ovfEnv"]))
    new = secretbox.new_key()
    fresh = config.encode(cfg, key=new)
    fresh["guestinfo.ovfEnv"] = secretbox.key_text(new)
    keys.clear()
    keys.update(fresh)


@pytest.mark.parametrize("spec", ["G1", "G2", "G3", "G4"])
def test_what_the_products_codec_writes_boots_in_the_independent_stand_in(vchs, spec, tmp_path):
    vch = vchs(spec, edit=_recode_with_the_product_codec)
    state = vch.wait()
    assert state["state"] == "running" and not state.get("config_problems"), state
    ip = assert_loopback_and_reported(vch, state)
    if spec == "G3":
        out = docker(tmp_path, "-H", f"tcp://{ip}:2375", "version", "--format", "{{.Server.Version}}")
        assert out.stdout.strip() == "1.5.8", out.stderr
    else:
        assert presented_certificate(ip, 2376) == der(capture_pem(spec, "cert/HostCertificate/Cert"))
