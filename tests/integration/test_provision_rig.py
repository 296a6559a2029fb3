"""Shared rig for the provisioning tests (fixtures and helpers, imported by test_provision*.py and
test_vch_manage*.py), plus checks that the rig itself can tell a change apart.

- `prov_sim` / `prov_session`: a private simulator for the session (these tests create and delete VCHs; the
  shared `simulator` stays clean), and one logged-in session on it.
- `plain_dockerd`: a real dockerd (tests/rig/dockerd.py) serving plain HTTP on a free 127.0.0.1 port: the
  Docker API of no-TLS VCHs.
- `isos`: appliance and bootstrap ISO 9660 stand-ins with random content after the header (uploads are checked byte-exact).
- `make_spec(...)`: a spec on the rig's inventory; `fingerprint(session)`: every folder, pool, VM and datastore
  file (tui.core.vch.fingerprint).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tui.core.vsphere.connection import ConnectOptions, connect
from tui.core.vch.fingerprint import inventory_fingerprint
from tui.vchsim.simulator import CLUSTER, DATASTORES, PORT_GROUPS, Simulator
from tui.core.spec.model import Resources, RoleNetwork, Tls, VchSpec
from tests.rig.dockerd import DockerdHandle, start_or_fail
from tests.rig.simulator_fixtures import SIM_PASSWORD, SIM_USERNAME
from tui.vchsim.iso_image import write_iso

pytestmark = pytest.mark.rig

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


# --- the simulator ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def prov_sim(vchsim_binary, tmp_path_factory) -> Iterator[Simulator]:
    sim = Simulator(username=SIM_USERNAME, password=SIM_PASSWORD, binary=vchsim_binary,
                    cert_dir=tmp_path_factory.mktemp("prov-sim-cert"))
    sim.start()
    yield sim
    sim.stop()


def connect_to(sim: Simulator):
    return connect(ConnectOptions.resolve(target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password,
                                          thumbprint=sim.sha256, env={}))


@pytest.fixture(scope="session")
def prov_session(prov_sim):
    session = connect_to(prov_sim)
    yield session
    session.logout()


@pytest.fixture
def clean_faults(prov_sim):
    prov_sim.clear_faults()
    yield prov_sim
    prov_sim.clear_faults()
    prov_sim.set_delay(0)


def fingerprint(session) -> dict[str, list[str]]:
    return inventory_fingerprint(session)


def cli_target(sim: Simulator) -> list[str]:
    return ["--target", f"{sim.host}:{sim.port}", "--user", sim.username, "--thumbprint", sim.sha256]


def cli_env(sim: Simulator) -> dict[str, str]:
    """The password travels in the environment, never on a command line."""
    return {**os.environ, "VIC_MACHINE_PASSWORD": sim.password.reveal()}


# --- ISOs and specs --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Isos:
    appliance: Path
    bootstrap: Path


@pytest.fixture(scope="session")
def isos(tmp_path_factory) -> Isos:
    folder = tmp_path_factory.mktemp("isos")
    appliance, bootstrap = folder / "appliance-1.5.8.iso", folder / "bootstrap-1.5.8.iso"
    write_iso(appliance, os.urandom(3 * 1024 * 1024 + 17))  # several upload chunks, not a round size
    write_iso(bootstrap, os.urandom(300 * 1024))
    return Isos(appliance, bootstrap)


def make_spec(name: str, isos: Isos, cert_dir: Path, *, mode: str = "no-tls", static_ip: bool = True,
              **resources) -> VchSpec:
    """A spec on the rig: Cluster, datastore1, bridge/public/client distributed port groups, one container
    network. `static_ip` puts the client role on 127.0.0.1 (no wait); otherwise DHCP with tls_cname 127.0.0.1."""
    tls = {"no-tls": Tls(no_tls=True), "no-tlsverify": Tls(no_tlsverify=True, tls_cname=LOOPBACK),
           "tlsverify": Tls(tls_cname=LOOPBACK)}[mode] if mode != "custom" else resources.pop("tls")
    from dataclasses import replace

    tls = replace(tls, tls_cert_path=str(cert_dir / name))
    client = (RoleNetwork(port_group=PORT_GROUPS["client"], ip=f"{LOOPBACK}/8", gateway="10.0.0.0/8:127.0.0.254")
              if static_ip else RoleNetwork(port_group=PORT_GROUPS["client"]))
    from tui.core.spec.model import ContainerNetwork

    return VchSpec(
        name=name, compute_resource=CLUSTER, image_store=DATASTORES[0], bridge_network=PORT_GROUPS["bridge"],
        public=RoleNetwork(port_group=PORT_GROUPS["public"]), client=client,
        container_networks=(ContainerNetwork(port_group=PORT_GROUPS["containers"], alias="backend",
                                             gateway="10.20.0.1/24", ip_range=("10.20.0.100-10.20.0.199",),
                                             firewall="peers"),),
        tls=tls, resources=Resources(**resources) if resources else Resources(cpu=4000, cpu_reservation=500,
                                                                              cpu_shares="high", memory=8192,
                                                                              memory_shares="2000"),
        appliance_iso=str(isos.appliance), bootstrap_iso=str(isos.bootstrap), timeout="20s")


# --- dockerd (tests/rig/dockerd.py) ------------------------------------------------------------------

@pytest.fixture(scope="session")
def plain_dockerd(tmp_path_factory) -> Iterator[DockerdHandle]:
    """The Docker API of every no-TLS VCH in these tests (they point the VCH's docker port at it)."""
    handle = start_or_fail(None, tmp_path_factory.mktemp("plain-dockerd"))
    yield handle
    handle.stop()


@dataclass(frozen=True)
class CustomTls:
    """A user's own PKI: a CA, a server certificate for 127.0.0.1 signed by it, and a client pair."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def make_custom_tls(folder: Path) -> CustomTls:
    from tui.core.tls import generate as g
    from tui.core.tls.pem import cert_pem, key_pem

    folder.mkdir(parents=True, exist_ok=True)
    ca_key = g.new_key("rsa", 2048)
    ca = g.make_ca(ca_key, name="Example Corp", organization=["Example Corp"], days=30)
    server_key = g.new_key("rsa", 2048)
    server = g.make_server(server_key, cname=LOOPBACK, fallback_cn=LOOPBACK, static_ip=None,
                           organization=["Example Corp"], days=30, ca_cert=ca, ca_key=ca_key)
    client_key = g.new_key("ecdsa")
    client = g.make_client(client_key, ca_cert=ca, ca_key=ca_key, organization=["Example Corp"], days=30)
    paths = CustomTls(folder / "corp-ca.pem", folder / "vch-server.pem", folder / "vch-server-key.pem",
                      folder / "me-cert.pem", folder / "me-key.pem")
    for path, data, mode in ((paths.ca, cert_pem(ca), 0o644), (paths.server_cert, cert_pem(server), 0o644),
                             (paths.server_key, key_pem(server_key), 0o600),
                             (paths.client_cert, cert_pem(client), 0o644), (paths.client_key, key_pem(client_key), 0o600)):
        path.write_bytes(data)
        path.chmod(mode)
    return paths


# --- the rig's own checks ---------------------------------------------------------------------------

def test_fingerprint_sees_a_new_folder_and_a_new_datastore_file(prov_sim, prov_session):
    from tui.core.vsphere.inventory_snapshot import load_inventory
    from tui.core.vsphere.wait import Waiter

    before = fingerprint(prov_session)
    folder = load_inventory(prov_session).vm_folder.CreateFolder("rig-check")
    try:
        with_folder = fingerprint(prov_session)
        assert set(with_folder["entities"]) - set(before["entities"]) == {"folder /Datacenter/vm/rig-check"}
    finally:
        Waiter(prov_session).task(folder.Destroy_Task(), "removing the check folder")
    url = prov_sim.datastore_url("rig-check.txt")
    cookie = prov_session.cookie().split(";")[0]
    assert httpx.put(url, content=b"x", headers={"Cookie": cookie}, verify=prov_sim.ssl_context()).status_code == 200
    assert "[datastore1] rig-check.txt" in fingerprint(prov_session)["files"]
    task = prov_session.content.fileManager.DeleteDatastoreFile_Task(f"[{DATASTORES[0]}] rig-check.txt",
                                                                    load_inventory(prov_session).datacenter_ref)
    Waiter(prov_session).task(task, "removing the check file")
    assert fingerprint(prov_session) == before


def test_plain_dockerd_answers_ping(plain_dockerd):
    response = httpx.get(f"http://{LOOPBACK}:{plain_dockerd.port}/_ping", timeout=5.0)
    assert response.status_code == 200 and response.text == "OK"
