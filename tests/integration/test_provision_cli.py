"""`vch-tui create / ls / inspect / delete` as a user runs them (subprocesses against the simulator):
dry runs that create nothing, refusals with exit 2, a full create with exit 0, a failed one with exit 1 after
rollback, exit 3 on an untrusted target, Ctrl-C rolling back, and a create killed with SIGKILL whose leftover
`ls` shows and `delete` removes."""

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

from tests.rig.provisioning import CREATE_STEPS, LOOPBACK, answers, cli, cli_env, cli_target, fingerprint, make_spec

pytestmark = pytest.mark.rig

STEP_TITLES = [
    "Validate the spec and the target",
    "Prepare the TLS material",
    "Create the VM folder",
    "Create the resource pool",
    "Create the endpoint VM",
    "Upload the ISOs",
    "Write VIC's configuration",
    "Power on the endpoint VM",
    "Wait for the client address",
    "Check that the Docker API answers",
    "Write the .env file",
]


def test_dry_run_prints_the_plan_and_the_vic_machine_command_and_creates_nothing(
    prov_sim, prov_session, isos, tmp_path
):
    spec = make_spec("vch-dry", isos, tmp_path / "certs", mode="tlsverify")
    before = fingerprint(prov_session)
    out = cli(prov_sim, "create", "--answers", str(answers(tmp_path, spec)), "--dry-run")
    assert out.returncode == 0, out.stderr
    for number, title in enumerate(STEP_TITLES, 1):
        assert f"{number:>2}. {title}" in out.stdout
    assert (
        "vch-dry/v1.5.8-0-2c978fe-appliance.iso" in out.stdout
        and "CPU limit 4000 MHz, reservation 500 MHz, shares high" in out.stdout
    )
    assert "vic-machine-linux create --target" in out.stdout and f"--thumbprint {prov_sim.sha1}" in out.stdout
    assert "--name vch-dry" in out.stdout and "--container-network-firewall containers:peers" in out.stdout
    assert fingerprint(prov_session) == before
    assert not (tmp_path / "certs").exists()  # no certificate was generated either

    out = cli(prov_sim, "create", "--answers", str(answers(tmp_path, spec)), "--dry-run", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] and [s["key"] for s in data["plan"]["steps"]] == CREATE_STEPS
    assert data["vic_machine"].startswith("vic-machine-linux create")


def test_dry_run_lists_every_problem_and_exits_2(prov_sim, prov_session, isos, tmp_path):
    from dataclasses import replace

    spec = make_spec("vch-bad", isos, tmp_path)
    spec = replace(spec, bridge_network="no-such-pg", resources=replace(spec.resources, cpu_reservation=9000))
    before = fingerprint(prov_session)
    out = cli(prov_sim, "create", "--answers", str(answers(tmp_path, spec)), "--dry-run")
    assert out.returncode == 2
    assert "  bridge_network: " in out.stderr and "  cpu_reservation: " in out.stderr
    out = cli(prov_sim, "create", "--answers", str(answers(tmp_path, spec)), "--dry-run", "--json")
    assert out.returncode == 2
    fields = {p["field"] for p in json.loads(out.stdout)["problems"] if p["severity"] == "error"}
    assert {"bridge_network", "cpu_reservation"} <= fields
    assert fingerprint(prov_session) == before


def test_create_without_a_terminal_needs_yes_and_no_tls_needs_its_own_flag(prov_sim, prov_session, isos, tmp_path):
    spec = make_spec("vch-ask", isos, tmp_path, mode="no-tls")
    path = str(answers(tmp_path, spec))
    before = fingerprint(prov_session)
    out = cli(prov_sim, "create", "--answers", path)
    assert out.returncode == 2 and "pass --yes" in out.stderr
    out = cli(prov_sim, "create", "--answers", path, "--yes")
    assert out.returncode == 2 and "--i-understand-no-tls" in out.stderr and "!!  no_tls = true" in out.stderr
    assert fingerprint(prov_session) == before


def test_create_ls_inspect_delete(prov_sim, prov_session, isos, tmp_path):
    spec = make_spec("vch-cli", isos, tmp_path, mode="no-tls")
    before = fingerprint(prov_session)
    out = cli(prov_sim, "create", "--answers", str(answers(tmp_path, spec)), "--yes", "--i-understand-no-tls")
    assert out.returncode == 0, out.stderr
    # the appliance stand-in serves the API on the session's port at the loopback address it gave the client NIC
    (host,) = re.findall(r"export DOCKER_HOST=tcp://(\S+):2375", out.stdout)
    assert "VCH vch-cli created" in out.stdout and host.startswith("127.")
    assert "[11/11] Write the .env file: done" in out.stderr

    out = cli(prov_sim, "ls")
    assert out.returncode == 0
    header, *rows = out.stdout.splitlines()
    assert header.split() == ["NAME", "PATH", "ID", "VERSION", "POWER", "DOCKER", "HOST", "UPGRADE", "STATUS"]
    (row,) = [r.split() for r in rows if r.split()[0] == "vch-cli"]
    assert row[:2] == ["vch-cli", "/Datacenter/host/Cluster/Resources/vch-cli"] and row[2].startswith("vm-")
    assert "poweredOn" in row and f"{host}:2375" in row

    out = cli(prov_sim, "inspect", "vch-cli")
    assert out.returncode == 0, out.stderr
    for expected in (
        "state        created",
        "docker API answers (Docker 1.5.8 (API 1.25)",
        "CPU          limit 4000 MHz",
        "container   containers as backend: firewall peers",
        "mode  no-tls",
        f"DOCKER_HOST  tcp://{host}:2375",
    ):
        assert " ".join(expected.split()) in " ".join(out.stdout.split()), (expected, out.stdout)
    assert cli(prov_sim, "inspect", "no-such-vch").returncode == 2

    out = cli(prov_sim, "delete", "vch-cli")
    assert out.returncode == 0, out.stderr
    assert "VCH vch-cli deleted" in out.stdout
    assert fingerprint(prov_session) == before


def test_a_failed_create_exits_1_after_rolling_back(clean_faults, prov_session, isos, tmp_path):
    sim = clean_faults
    spec = make_spec("vch-cli-fails", isos, tmp_path, mode="no-tls")
    sim.arm_fault("PowerOnVM_Task", stage="task", message="injected: insufficient resources")
    before = fingerprint(prov_session)
    out = cli(
        sim,
        "create",
        "--answers",
        str(answers(tmp_path, spec)),
        "--yes",
        "--i-understand-no-tls",
    )
    assert out.returncode == 1
    assert "NOT created: failed at 'power'" in out.stderr and "injected: insufficient resources" in out.stderr
    assert "nothing this run created is left" in out.stderr and "endpoint VM vch-cli-fails" in out.stderr
    assert fingerprint(prov_session) == before


def test_an_untrusted_target_exits_3(prov_sim, isos, tmp_path):
    spec = make_spec("vch-untrusted", isos, tmp_path)
    args = [
        sys.executable,
        "-m",
        "tui",
        "create",
        "--target",
        f"{prov_sim.host}:{prov_sim.port}",
        "--user",
        prov_sim.username,
        "--answers",
        str(answers(tmp_path, spec)),
        "--dry-run",
    ]
    out = subprocess.run(
        args, capture_output=True, text=True, env=cli_env(prov_sim), stdin=subprocess.DEVNULL, timeout=60
    )
    assert out.returncode == 3 and prov_sim.sha256 in out.stderr


def _start_create(sim, path: Path) -> subprocess.Popen:
    args = [
        sys.executable,
        "-m",
        "tui",
        "create",
        *cli_target(sim),
        "--answers",
        str(path),
        "--yes",
        "--i-understand-no-tls",
    ]
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(sim), stdin=subprocess.DEVNULL
    )


def _wait_for_line(proc: subprocess.Popen, text: str, timeout: float = 60) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return seen
    proc.kill()
    raise AssertionError(f"never saw {text!r}; stderr so far:\n{''.join(seen)}")


def test_ctrl_c_cancels_and_rolls_back(slow_boot, prov_sim, prov_session, isos, tmp_path):
    spec = make_spec("vch-cli-interrupted", isos, tmp_path, mode="no-tls", static_ip=False)  # slow to boot
    before = fingerprint(prov_session)
    proc = _start_create(prov_sim, answers(tmp_path, spec))
    _wait_for_line(proc, "Wait for the client address ...")
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "NOT created: cancelled" in stderr and "nothing this run created is left" in stderr
    assert "Wait for the client address: failed" in stderr and "cancelled by the user" in stderr, stderr
    assert fingerprint(prov_session) == before


def test_a_killed_create_leaves_what_ls_shows_and_delete_removes(prov_sim, prov_session, isos, tmp_path):
    spec = make_spec("vch-killed", isos, tmp_path, mode="no-tls", static_ip=False)
    before = fingerprint(prov_session)
    proc = _start_create(prov_sim, answers(tmp_path, spec))
    _wait_for_line(proc, "[ 5/11] Create the endpoint VM: done")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    out = cli(prov_sim, "ls")
    assert out.returncode == 0
    row = next(r for r in out.stdout.splitlines() if r.startswith("vch-killed"))
    assert row.split()[:2] == ["vch-killed", "*"] and row.endswith("Up to date")  # write 1 records the version
    assert "interrupted create" in out.stdout and "vch-tui delete" in out.stdout
    listed = [v for v in json.loads(cli(prov_sim, "ls", "--json").stdout) if v["name"] == "vch-killed"]
    assert listed[0]["state"] == "creating"  # its endpoint VM still says CreatingVCH, as vic-machine would list it
    assert fingerprint(prov_session) != before

    out = cli(prov_sim, "delete", "vch-killed")
    assert out.returncode == 0, out.stderr
    assert fingerprint(prov_session) == before


def _create_on_a_terminal(sim, path: Path, answer: str) -> subprocess.CompletedProcess:
    """create without --yes, its stdin a pseudo-terminal on which `answer` is typed."""
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui",
                "create",
                *cli_target(sim),
                "--answers",
                str(path),
            ],
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(sim),
        )
        os.write(master, answer.encode() + b"\n")
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        os.close(master)
        os.close(slave)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def test_on_a_terminal_create_asks_and_no_tls_wants_the_word(prov_sim, prov_session, isos, tmp_path):
    from dataclasses import replace

    spec = make_spec("vch-asked", isos, tmp_path, mode="no-tls")
    before = fingerprint(prov_session)
    out = _create_on_a_terminal(prov_sim, answers(tmp_path, spec), "y")
    assert out.returncode == 1 and "Type no-tls to create" in out.stdout and "nothing was changed" in out.stderr
    assert fingerprint(prov_session) == before

    tls_spec = replace(
        make_spec("vch-asked", isos, tmp_path, mode="no-tlsverify"),
        tls=replace(spec.tls, no_tls=False, no_tlsverify=True, tls_cname=LOOPBACK),
    )
    out = _create_on_a_terminal(prov_sim, answers(tmp_path, tls_spec), "n")
    assert out.returncode == 1 and "Create VCH 'vch-asked'? [y/N]" in out.stdout
    assert fingerprint(prov_session) == before

    out = _create_on_a_terminal(prov_sim, answers(tmp_path, spec), "no-tls")
    assert out.returncode == 0, out.stderr
    assert "VCH vch-asked created" in out.stdout
    assert cli(prov_sim, "delete", "vch-asked").returncode == 0
    assert fingerprint(prov_session) == before


# step title shown while the call runs → the SOAP method the simulator holds back (it runs after the delay,
# so the object appears after the client is gone)
KILLED_INSIDE = {
    "CreateFolder": "[ 3/11] Create the VM folder ...",
    "CreateResourcePool": "[ 4/11] Create the resource pool ...",
    "CreateVM_Task": "[ 5/11] Create the endpoint VM ...",
}


@pytest.mark.parametrize("method", list(KILLED_INSIDE))
def test_a_create_killed_inside_a_create_call_leaves_nothing_untracked(
    clean_faults, prov_session, isos, tmp_path, method
):
    """The journal holds the intent before the call: the object the server makes after the kill is found by
    name, listed by `ls` and removed by `delete`."""
    sim = clean_faults
    spec = make_spec(f"vch-kill-{method.lower().replace('_', '-')}", isos, tmp_path, mode="no-tls", static_ip=False)
    before = fingerprint(prov_session)
    sim.set_delay(0, {method: 2500})
    proc = _start_create(sim, answers(tmp_path, spec))
    _wait_for_line(proc, KILLED_INSIDE[method])
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    time.sleep(3)  # the server finishes the call the dead client made
    sim.set_delay(0)
    assert fingerprint(prov_session) != before

    listed = [v for v in json.loads(cli(sim, "ls", "--json").stdout) if v["name"] == spec.name]
    # with the VM made, it still says CreatingVCH (as vic-machine lists it); before that, the journal lists the rest
    assert listed and listed[0]["state"] == ("creating" if method == "CreateVM_Task" else "incomplete"), listed
    out = cli(sim, "delete", spec.name)
    assert out.returncode == 0, out.stderr
    assert fingerprint(prov_session) == before


def test_delete_refuses_a_journal_object_that_changed_since(clean_faults, prov_session, isos, tmp_path):
    """The folder the journal names was renamed by someone: delete refuses with a clear message, deletes
    nothing, and works again once the name is back."""
    from pyVmomi import vim

    from tui.core.vch.journal import FOLDER, Journal
    from tui.core.vsphere.wait import Waiter

    sim = clean_faults
    spec = make_spec("vch-renamed", isos, tmp_path, mode="no-tls", static_ip=False)
    before = fingerprint(prov_session)
    sim.set_delay(0, {"CreateResourcePool": 2500})
    proc = _start_create(sim, answers(tmp_path, spec))
    _wait_for_line(proc, KILLED_INSIDE["CreateResourcePool"])
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    time.sleep(3)
    sim.set_delay(0)
    folder = vim.Folder(Journal.for_session(prov_session, spec.name).get(FOLDER).ref, prov_session.si._stub)
    Waiter(prov_session).task(folder.Rename_Task("someone-elses"), "rename")
    changed = fingerprint(prov_session)

    out = cli(sim, "delete", spec.name)
    assert out.returncode != 0 and "renamed or replaced" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr
    assert fingerprint(prov_session) == changed
    Waiter(prov_session).task(folder.Rename_Task(spec.name), "rename back")
    out = cli(sim, "delete", spec.name)
    assert out.returncode == 0, out.stderr
    assert fingerprint(prov_session) == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_roll_back_like_ctrl_c(slow_boot, prov_sim, prov_session, isos, tmp_path, sig):
    spec = make_spec(f"vch-cli-{sig.name.lower()}", isos, tmp_path, mode="no-tls", static_ip=False)
    before = fingerprint(prov_session)
    proc = _start_create(prov_sim, answers(tmp_path, spec))
    _wait_for_line(proc, "Wait for the client address ...")
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1, stderr
    assert f"{sig.name}: cancelling" in stderr
    assert "NOT created: cancelled" in stderr and "nothing this run created is left" in stderr
    assert "Traceback" not in stderr
    assert fingerprint(prov_session) == before


def test_a_second_signal_stops_the_rollback_and_says_what_is_left(
    clean_faults, slow_boot, prov_session, isos, tmp_path
):
    sim = clean_faults
    spec = make_spec("vch-cli-twice", isos, tmp_path, mode="no-tls", static_ip=False)
    before = fingerprint(prov_session)
    proc = _start_create(sim, answers(tmp_path, spec))
    _wait_for_line(proc, "Wait for the client address ...")
    sim.set_delay(0, {"DeleteDatastoreFile_Task": 3000})  # the rollback is slow: time for a second signal
    proc.send_signal(signal.SIGTERM)
    _wait_for_line(proc, "rolling back")
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    sim.set_delay(0)
    assert proc.returncode == 1, stderr
    assert "SIGTERM again: stopping the rollback" in stderr and "Traceback" not in stderr
    left = next(line for line in stderr.splitlines() if line.startswith("LEFT BEHIND: "))
    assert "resource pool" in left and "VM folder" in left, left
    assert f"remove it with: vch-tui delete {spec.name}" in stderr
    out = cli(sim, "delete", spec.name)
    assert out.returncode == 0, out.stderr
    assert fingerprint(prov_session) == before
