"""Helpers of the provisioning tests (tests/integration/conftest.py has their fixtures): a spec on the rig's
inventory (`make_spec`), a session on a simulator (`connect_to`), every folder, pool, VM and datastore file
(`fingerprint`, tui.core.vch.fingerprint), the CLI's target flags and password environment, a user's own PKI
(`make_custom_tls`)."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tui.core.spec.answers import dump_answers
from tui.core.spec.model import Resources, RoleNetwork, Tls, VchSpec
from tui.core.vch.fingerprint import inventory_fingerprint
from tui.core.vsphere.connection import ConnectOptions, connect
from tui.vchsim.simulator import CLUSTER, DATASTORES, PORT_GROUPS, Simulator

LOOPBACK = "127.0.0.1"
# the steps of a create that makes its own pool, in order (tui.core.vch.steps)
CREATE_STEPS = ["validate", "tls", "folder", "pool", "vm", "upload", "configure", "power", "address", "probe", "finish"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def free_loopback(ports: tuple[int, ...] = (2375, 2376)) -> str:
    """A loopback address 127.2-63.x.y with the Docker ports free on it: a static client IP the appliance
    stand-in serves on as configured (it maps a.b.c.d to 127.b.c.d and gives DHCP leases from 127.64 up)."""
    rnd = random.Random()
    for _ in range(200):
        address = f"127.{rnd.randint(2, 63)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}"
        try:
            for port in ports:
                with socket.socket() as s:
                    s.bind((address, port))
        except OSError:
            continue
        return address
    raise RuntimeError(f"no loopback address with ports {ports} free after 200 tries")


# --- the simulator ---------------------------------------------------------------------------------


def connect_to(sim: Simulator):
    return connect(
        ConnectOptions.resolve(
            target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password, thumbprint=sim.sha256, env={}
        )
    )


def fingerprint(session) -> dict[str, list[str]]:
    return inventory_fingerprint(session)


def cli_target(sim: Simulator) -> list[str]:
    return ["--target", f"{sim.host}:{sim.port}", "--user", sim.username, "--thumbprint", sim.sha256]


def cli_env(sim: Simulator) -> dict[str, str]:
    """The password travels in the environment, never on a command line."""
    return {**os.environ, "VIC_MACHINE_PASSWORD": sim.password.reveal()}


def plan_and_run(session, spec, port: int | None = None, *, cancel=None, hook=None):
    """Plan `spec` on a fresh read of the target and run it: (plan, result, events). The simulator's appliance
    stand-in boots the VCH and serves its Docker API; `port` only points the probe elsewhere."""
    from tui.core.vch.build import build_plan
    from tui.core.vch.plan import RunOptions
    from tui.core.vch.runner import run_plan
    from tui.core.vch.validate_target import load_target_facts

    plan = build_plan(spec, load_target_facts(session), RunOptions(docker_port=port))
    events: list = []

    def on_event(event) -> None:
        events.append(event)
        if hook:
            hook(event)

    return plan, run_plan(plan, session, on_event=on_event, cancel=cancel), events


# --- ISOs and specs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Isos:
    appliance: Path
    bootstrap: Path


def make_spec(
    name: str, isos: Isos, cert_dir: Path, *, mode: str = "no-tls", static_ip: bool = True, **resources
) -> VchSpec:
    """A spec on the rig: Cluster, datastore1, bridge/public/client distributed port groups, one container
    network. `static_ip` puts the client role on a free loopback address (free_loopback; the appliance stand-in
    serves there) and the generated certificate names it, as vic-machine names the static client IP without
    --tls-cname; otherwise DHCP, and the certificate names the DNS name `<name>.vch.test` (tls_cname), which
    clients reach through a CONNECT proxy (tests/rig/connect_proxy.py)."""
    address = free_loopback() if static_ip else None
    cname = None if static_ip else f"{name}.vch.test"
    tls = (
        {
            "no-tls": Tls(no_tls=True),
            "no-tlsverify": Tls(no_tlsverify=True, tls_cname=cname),
            "tlsverify": Tls(tls_cname=cname),
        }[mode]
        if mode != "custom"
        else resources.pop("tls")
    )
    from dataclasses import replace

    tls = replace(tls, tls_cert_path=str(cert_dir / name))
    client = (
        RoleNetwork(port_group=PORT_GROUPS["client"], ip=f"{address}/8", gateway="10.0.0.0/8:127.0.0.254")
        if address
        else RoleNetwork(port_group=PORT_GROUPS["client"])
    )
    from tui.core.spec.model import ContainerNetwork

    return VchSpec(
        name=name,
        compute_resource=CLUSTER,
        image_store=DATASTORES[0],
        bridge_network=PORT_GROUPS["bridge"],
        public=RoleNetwork(port_group=PORT_GROUPS["public"]),
        client=client,
        container_networks=(
            ContainerNetwork(
                port_group=PORT_GROUPS["containers"],
                alias="backend",
                gateway="10.20.0.1/24",
                ip_range=("10.20.0.100-10.20.0.199",),
                firewall="peers",
            ),
        ),
        tls=tls,
        resources=Resources(**resources)
        if resources
        else Resources(cpu=4000, cpu_reservation=500, cpu_shares="high", memory=8192, memory_shares="2000"),
        appliance_iso=str(isos.appliance),
        bootstrap_iso=str(isos.bootstrap),
        timeout="20s",
    )


@dataclass(frozen=True)
class CustomTls:
    """A user's own PKI: a CA, a server certificate for one name (127.0.0.1 unless told) signed by it, and a
    client pair."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def make_custom_tls(folder: Path, server_name: str = LOOPBACK) -> CustomTls:
    from tui.core.tls import generate as g
    from tui.core.tls.pem import cert_pem, key_pem

    folder.mkdir(parents=True, exist_ok=True)
    ca_key = g.new_key("rsa", 2048)
    ca = g.make_ca(ca_key, name="Example Corp", organization=["Example Corp"], days=30)
    server_key = g.new_key("rsa", 2048)
    server = g.make_server(
        server_key,
        cname=server_name,
        fallback_cn=server_name,
        static_ip=None,
        organization=["Example Corp"],
        days=30,
        ca_cert=ca,
        ca_key=ca_key,
    )
    client_key = g.new_key("ecdsa")
    client = g.make_client(client_key, ca_cert=ca, ca_key=ca_key, organization=["Example Corp"], days=30)
    paths = CustomTls(
        folder / "corp-ca.pem",
        folder / "vch-server.pem",
        folder / "vch-server-key.pem",
        folder / "me-cert.pem",
        folder / "me-key.pem",
    )
    for path, data, mode in (
        (paths.ca, cert_pem(ca), 0o644),
        (paths.server_cert, cert_pem(server), 0o644),
        (paths.server_key, key_pem(server_key), 0o600),
        (paths.client_cert, cert_pem(client), 0o644),
        (paths.client_key, key_pem(client_key), 0o600),
    ):
        path.write_bytes(data)
        path.chmod(mode)
    return paths


# --- another process's files ----------------------------------------------------------------------


def put_foreign_file(session, tmp_path, remote: str) -> str:
    """Another process's file on the rig's datastore (a real upload): returns its datastore path."""
    from tui.core.vsphere.upload import upload_file
    from tui.vchsim.simulator import DATACENTER

    local = tmp_path / "theirs.txt"
    local.write_bytes(b"not vch-tui's")
    upload_file(session, local, datacenter=DATACENTER, datastore=DATASTORES[0], remote=remote)
    return f"[{DATASTORES[0]}] {remote}"


def remove_foreign_file(session, path: str) -> None:
    """Remove what put_foreign_file put there, and its folder."""
    from tui.core.vsphere.datastore_files import delete_path
    from tui.core.vsphere.inventory_snapshot import load_inventory
    from tui.core.vsphere.wait import Waiter

    folder = path.rpartition("/")[0]
    delete_path(session, Waiter(session), path, load_inventory(session).datacenter_ref, inside=folder)
    delete_path(session, Waiter(session), folder, load_inventory(session).datacenter_ref, inside=folder)


def answers(tmp_path: Path, spec) -> Path:
    path = tmp_path / f"{spec.name}.toml"
    path.write_text(dump_answers(spec))
    return path


def cli(sim, command: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    out = subprocess.run(
        [sys.executable, "-m", "tui", command, *cli_target(sim), *args],
        capture_output=True,
        text=True,
        env=cli_env(sim),
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )
    assert sim.password.reveal() not in out.stdout + out.stderr
    return out
