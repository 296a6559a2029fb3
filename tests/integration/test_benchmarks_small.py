"""Each benchmark in benchmarks/ at a small N, so they cannot rot.

Structure and sizes are asserted, never speed (the machine is shared and noisy): the figures print,
the targets are named, the history's buffers have exactly their designed size and stop growing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.metrics.model import METRIC_FIELDS

pytestmark = pytest.mark.rig
BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout, check=False)


def test_memory_benchmark_small(vchsim_binary):
    out = _run(str(BENCH / "memory.py"), "--vms", "40", "--history", "12", "--after", "6", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    result = json.loads(out.stdout.splitlines()[0])
    assert result["containers_in_history"] == 40
    assert result["history_bytes"] == 40 * 12 * (8 + 4 * len(METRIC_FIELDS))  # the ring buffers, nothing more
    assert result["stored_values"] == result["stored_after"] == 40 * 12 * (len(METRIC_FIELDS) + 1)
    assert "growth" in out.stdout and "target 0 growth: met" in out.stdout


def test_refresh_benchmark_small(vchsim_binary):
    out = _run(str(BENCH / "refresh.py"), "--vms", "300", "--rounds", "2", "--naive-sample", "3", "--latency-ms", "2")
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    assert "concurrency 2 (by size" in text
    assert text.count("ours / chunked floor =") == 2 and text.count("target <= 1.5x") == 4
    # 300 containers: two QueryPerf chunks, and nothing else per steady-state refresh but the watch.
    assert text.count("worst of 2: 2   (target <= ceil(300/256)+1 = 3: met)") == 1


def test_ui_update_benchmark_small():
    out = _run(str(BENCH / "ui_update.py"), "--containers", "60", "--refreshes", "2", "--size", "80x24")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "60 containers, table rows 60, history of 60 containers" in out.stdout
    assert "UI-thread update per refresh target < 100 ms:" in out.stdout


def test_startup_benchmark_small():
    out = _run(str(BENCH / "startup.py"), "--rounds", "1")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "x python -c pass   (target <= 3x:" in out.stdout and "(target < 300 ms:" in out.stdout


def test_idle_cpu_benchmark_small():
    out = _run(str(BENCH / "idle_cpu.py"), "--containers", "40", "--seconds", "1", "--size", "80x24")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "40 containers, 1.0 s without a refresh" in out.stdout
    assert "% of a core; table lines painted " in out.stdout and "idle CPU target <= 2% of a core:" in out.stdout
