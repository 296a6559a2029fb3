"""The appliance stand-in with a real dockerd as the VCH's Docker API (Simulator(dockerd=...)).

dockerd serves on the VCH's loopback address and Docker port with exactly the configuration's certificate,
key and client CAs; power-off and the simulator's shutdown stop it (and its containerd): no daemon leaks.
"""

from __future__ import annotations

import time

import pytest

from tests.rig.appliance_checks import docker, refuses, trust_my_clients
from tests.rig.connect_proxy import ConnectProxy
from tests.rig.simulator_fixtures import dockerd_or_fail
from tests.rig.tls_files import Authority, write_pair
from tests.rig.vic_replay import capture_pem

pytestmark = pytest.mark.rig


def gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[-1].split()[0] == "Z":
                    return True  # a zombie has stopped; its parent reaps it
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def dockerd_sim(fresh_simulator):
    return fresh_simulator(dockerd=dockerd_or_fail())


def test_tlsverify_vch_served_by_dockerd_then_power_off_stops_it(dockerd_sim, replayed_vchs, tmp_path):
    sim = dockerd_sim
    ca = Authority("dockerd-clients")
    cert, key = ca.client()
    write_pair(tmp_path, "cert", cert, key)
    (tmp_path / "ca.pem").write_bytes(capture_pem("G1", "cert/CertificateAuthorities"))
    vch = replayed_vchs("G1", sim=sim, edit=trust_my_clients(ca))
    state = vch.wait()
    assert state["state"] == "running", state
    api = state["docker_api"]
    assert api["backend"] == "dockerd" and api["tls"] == "tlsverify" and api["pid"] > 0
    tls = [
        "--tlsverify",
        "--tlscacert",
        str(tmp_path / "ca.pem"),
        "--tlscert",
        str(tmp_path / "cert.pem"),
        "--tlskey",
        str(tmp_path / "cert-key.pem"),
    ]
    with ConnectProxy({"g1.example.com": api["host"]}) as proxy:
        out = docker(
            tmp_path,
            *tls,
            "-H",
            "tcp://g1.example.com:2376",
            "info",
            "--format",
            "{{.ServerVersion}} {{.Driver}}",
            proxy=proxy.url,
        )
        assert out.returncode == 0 and out.stdout.split()[1] == "vfs", out.stderr  # a real dockerd answered
        assert out.stdout.split()[0][:1].isdigit()
        out = docker(
            tmp_path,
            "--tlsverify",
            "--tlscacert",
            str(tmp_path / "ca.pem"),
            "-H",
            "tcp://g1.example.com:2376",
            "version",
            proxy=proxy.url,
        )
        assert out.returncode != 0  # no client certificate: dockerd's --tlsverify refuses
    vch.power_off()
    assert vch.wait(until={"off"})["state"] == "off"
    assert gone(api["pid"]) and refuses(api["host"], 2376)


def test_simulator_shutdown_stops_its_dockerds(dockerd_sim, replayed_vchs, tmp_path):
    vch = replayed_vchs("G3", sim=dockerd_sim)
    state = vch.wait()
    assert state["state"] == "running", state
    ip, pid = state["docker_api"]["host"], state["docker_api"]["pid"]
    out = docker(tmp_path, "-H", f"tcp://{ip}:2375", "info", "--format", "{{.Driver}}")
    assert out.stdout.strip() == "vfs", out.stderr
    dockerd_sim.stop()
    assert gone(pid, 1.0), "dockerd outlived the simulator"
    assert refuses(ip, 2375)
