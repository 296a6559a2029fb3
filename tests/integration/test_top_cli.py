"""`vch-tui top` as a user runs it, against the simulator playing the steady seed story."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.rig import vch_shape
from tui.core.metrics.model import METRIC_FIELDS
from tui.vchsim import scenario

pytestmark = pytest.mark.rig

VCH_KEYS = ["name", "cpu_limit_mhz", "memory_limit_mb", "configured_cpu_mhz", "configured_memory_mb", "overcommitted"]
CONTAINER_KEYS = [
    "name",
    "vm",
    "vcpus",
    "memory_mb",
    "power_state",
    "cpu_usage_mhz",
    "cpu_demand_mhz",
    "cpu_entitlement_mhz",
    "cpu_ready_pct",
    "cpu_costop_pct",
    "cpu_maxlimited_pct",
    "mem_consumed_mb",
    "mem_active_mb",
    "mem_entitlement_mb",
    "mem_balloon_mb",
    "mem_swapped_mb",
    "mem_swapin_kbps",
    "mem_latency_pct",
    "state",
    "reasons",
]  # the JSON shape, in its order


@pytest.fixture(scope="module")
def story(vchsim_binary, tmp_path_factory):  # noqa: F811
    sim, opts, shapes, session = vch_shape.story_rig(vchsim_binary, tmp_path_factory.mktemp("top-cert"))
    session.logout()
    yield sim, shapes
    sim.stop()


def _args(sim) -> list[str]:
    return ["--target", f"{sim.host}:{sim.port}", "--user", sim.username, "--thumbprint", sim.sha256]


def _env(sim) -> dict:
    return {**os.environ, "VIC_MACHINE_PASSWORD": sim.password.reveal()}


def top(sim, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", "top", *_args(sim), *args],
        capture_output=True,
        text=True,
        env=_env(sim),
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def _check_container(doc: dict, shapes: dict, vch: str) -> None:
    assert list(doc) == CONTAINER_KEYS
    story = next(c for c in scenario.CONTAINERS if doc["name"] == vch_shape.container_vm_name(c.name))
    assert story.vch.name == vch
    assert doc["vm"] == shapes[vch].moid(story.name)
    assert (doc["vcpus"], doc["memory_mb"], doc["power_state"]) == (story.vcpus, story.memory_mb, "poweredOn")
    assert {f: doc[f] for f in METRIC_FIELDS} == scenario.plateau_display(story)


def test_once_json_for_one_vch(story):
    sim, shapes = story
    out = top(sim, "--once", "--json", "--vch", scenario.LIMITED.name)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert list(doc) == ["vch", "containers"]
    assert list(doc["vch"]) == VCH_KEYS
    assert doc["vch"]["name"] == scenario.LIMITED.name
    assert (doc["vch"]["cpu_limit_mhz"], doc["vch"]["memory_limit_mb"]) == (500, 500)
    assert doc["vch"]["overcommitted"] is True
    assert len(doc["containers"]) == 2
    for c in doc["containers"]:
        _check_container(c, shapes, scenario.LIMITED.name)
    states = {c["name"].rsplit("-", 1)[0]: (c["state"], c["reasons"]) for c in doc["containers"]}
    assert states["cpu-stress"][0] == "crit" and any("CPU ready" in r for r in states["cpu-stress"][1])
    assert any("throttled by CPU limit" in r for r in states["cpu-stress"][1])
    assert states["mem-stress"][0] == "crit" and any("ballooning" in r for r in states["mem-stress"][1])
    assert any("memory latency" in r for r in states["mem-stress"][1])
    assert sim.password.reveal() not in out.stdout + out.stderr


def test_once_json_without_vch_lists_every_vch(story):
    sim, shapes = story
    out = top(sim, "--once", "--json")
    assert out.returncode == 0, out.stderr
    docs = json.loads(out.stdout)
    assert [d["vch"]["name"] for d in docs] == [scenario.LIMITED.name, scenario.UNLIMITED.name]
    unlimited = docs[1]
    assert unlimited["vch"]["cpu_limit_mhz"] is None and unlimited["vch"]["overcommitted"] is False
    for c in unlimited["containers"]:
        _check_container(c, shapes, scenario.UNLIMITED.name)
        assert (c["state"], c["reasons"]) == ("ok", [])


def test_once_table(story):
    sim, _ = story
    out = top(sim, "--once")
    assert out.returncode == 0, out.stderr
    assert "over-committed" in out.stdout
    for c in scenario.CONTAINERS:
        assert vch_shape.container_vm_name(c.name) in out.stdout
    assert "throttled by CPU limit" in out.stdout and "memory latency" in out.stdout


def test_unknown_vch_is_invalid_input_naming_the_vchs(story):
    sim, _ = story
    out = top(sim, "--once", "--json", "--vch", "nope")
    assert out.returncode == 2
    assert "nope" in out.stderr and scenario.LIMITED.name in out.stderr and scenario.UNLIMITED.name in out.stderr
    assert out.stdout == ""


def test_bad_interval_is_invalid_input(story):
    sim, _ = story
    out = top(sim, "--interval", "0.1", "--once")
    assert out.returncode == 2 and "--interval" in out.stderr


def test_record_then_replay_prints_the_same(story, tmp_path):
    sim, _ = story
    recording = tmp_path / "story.jsonl.gz"
    live = top(sim, "--once", "--json", "--record", str(recording))
    assert live.returncode == 0, live.stderr
    replay = subprocess.run(
        [sys.executable, "-m", "tui", "top", "--replay", str(recording), "--json", "--once"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert replay.returncode == 0, replay.stderr
    assert json.loads(replay.stdout) == json.loads(live.stdout)
    again = top(sim, "--once", "--json", "--record", str(recording))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_live_json_lines_until_interrupted(story):
    sim, _ = story
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "top", *_args(sim), "--json", "--interval", "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(sim),
        stdin=subprocess.DEVNULL,
    )
    lines = []
    deadline = time.monotonic() + 30
    while len(lines) < 3 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(json.loads(line))
    proc.send_signal(signal.SIGINT)
    assert proc.wait(15) == 0
    assert len(lines) == 3
    assert all([d["vch"]["name"] for d in doc] == [scenario.LIMITED.name, scenario.UNLIMITED.name] for doc in lines)
