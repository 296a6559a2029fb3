"""`vch-tui demo --no-tui` as a user runs it: it prints how to reach a seeded simulator, `ls` and `top` work
against it with the printed details, and Ctrl-C stops everything."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.rig.demo_process import start_demo
from tui.vchsim import scenario

pytestmark = pytest.mark.rig

URL = re.compile(r"simulator on (https://127\.0\.0\.1:(\d+)/sdk)\s+\(SHA-256 ([0-9A-F:]{95})\)")
USER = re.compile(r"^user (\S+)$", re.M)
PASSWORD_FILE = re.compile(r"^password file (\S+)", re.M)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


@pytest.fixture(scope="module")
def demo(vchsim_binary, tmp_path_factory):  # noqa: F811
    iso_dir = tmp_path_factory.mktemp("demo-isos") / "isos"  # made by the demo
    proc, out, env = start_demo(
        vchsim_binary, tmp_path_factory.mktemp("demo-home"), "--no-tui", "--steady", "--iso-dir", str(iso_dir)
    )
    if not URL.search(out):
        proc.kill()
        pytest.fail(f"demo printed no URL:\n{out}\n{proc.stderr.read()}")
    sim_pids = _children(proc.pid)
    yield proc, out, env, sim_pids
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


def _cli(demo, *args: str) -> subprocess.CompletedProcess:
    proc, out, env, _ = demo
    url, port, sha256 = URL.search(out).groups()
    password = Path(PASSWORD_FILE.search(out).group(1)).read_text()
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            *args,
            "--target",
            f"127.0.0.1:{port}",
            "--user",
            USER.search(out).group(1),
            "--thumbprint",
            sha256,
        ],
        env={**env, "VIC_MACHINE_PASSWORD": password},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_prints_url_fingerprint_user_and_a_private_password_file(demo):
    proc, out, env, sim_pids = demo
    assert URL.search(out) and USER.search(out)
    path = Path(PASSWORD_FILE.search(out).group(1))
    assert path.parent == Path(env["VCH_TUI_HOME"]) / "state"
    assert path.stat().st_mode & 0o777 == 0o600
    password = path.read_text()
    assert len(password) >= 16 and password not in out
    assert sim_pids, "the demo should run the simulator as its child"
    isos = re.search(r"^ISOs \(.*, kept on exit\): (\S+) (\S+)$", out, re.M)
    assert isos and all(Path(p).is_file() and Path(p).is_absolute() for p in isos.groups()), out
    assert {Path(p).parent.name for p in isos.groups()} == {"isos"}  # in --iso-dir


def test_the_try_line_works_as_printed(demo):
    """Run exactly what the demo prints after `try:` in a shell, with this checkout's vch-tui on PATH."""
    proc, out, env, _ = demo
    line = re.search(r"^try:\s+(.+)$", out, re.M).group(1)
    path = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(["bash", "-c", line], env={**env, "PATH": path}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, (line, result.stderr)
    assert scenario.LIMITED.name in result.stdout and scenario.UNLIMITED.name in result.stdout


def test_the_demo_sets_loopback_guest_addresses_only():
    """The addresses the demo gives its endpoint VMs are on 127.0.0.0/8 (the simulator maps every other guest
    address there too, tui/vchsim/vic_loopback.go): nothing the demo shows points at a real network."""
    import ipaddress

    from tui.vchsim.demo import ENDPOINT_IPS

    assert ENDPOINT_IPS and all(ipaddress.ip_address(ip).is_loopback for ip in ENDPOINT_IPS.values())


def test_ls_lists_both_vchs(demo):
    result = _cli(demo, "ls", "--json")
    assert result.returncode == 0, result.stderr
    listed = {v["name"]: v for v in json.loads(result.stdout)}
    assert set(listed) == {scenario.LIMITED.name, scenario.UNLIMITED.name}
    assert all(v["state"] == "created" and v["power"] == "poweredOn" for v in listed.values())


def _states(demo, vch: str) -> dict[str, str]:
    result = _cli(demo, "top", "--once", "--json", "--vch", vch)
    assert result.returncode == 0, result.stderr
    return {re.sub(r"-[0-9a-f]{12}$", "", c["name"]): c["state"] for c in json.loads(result.stdout)["containers"]}


def test_top_flags_the_limited_vch_and_not_its_twin(demo):
    assert _states(demo, scenario.LIMITED.name) == {"cpu-stress": "crit", "mem-stress": "crit"}
    assert _states(demo, scenario.UNLIMITED.name) == {"twin-cpu-stress": "ok", "twin-mem-stress": "ok"}


def test_ctrl_c_stops_the_demo_and_its_simulator(demo):  # last: it ends the shared demo
    proc, out, env, sim_pids = demo
    password_file = Path(PASSWORD_FILE.search(out).group(1))
    proc.send_signal(signal.SIGINT)
    assert proc.wait(20) == 0
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in sim_pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in sim_pids)
    assert not password_file.exists()
    isos = re.search(r"^ISOs \(.*\): (\S+) (\S+)$", out, re.M).groups()
    assert all(Path(p).is_file() for p in isos)  # the user's --iso-dir: kept
