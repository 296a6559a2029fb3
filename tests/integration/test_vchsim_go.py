"""The simulator's Go unit tests (tui/vchsim/*_test.go), run with the same GOPATH-mode toolchain as its build:
the VIC configuration decoder against the vic-machine 1.5.8 captures."""

from __future__ import annotations

import pytest

from tui.vchsim.simulator import SimulatorUnavailable, go_test

pytestmark = pytest.mark.rig


def test_go_unit_tests_pass():
    try:
        out = go_test("-count=1", "-vet=off", "-v")
    except SimulatorUnavailable as exc:
        pytest.fail(f"Go toolchain unavailable: {exc}", pytrace=False)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    passed = [line for line in out.stdout.splitlines() if line.startswith("--- PASS")]
    assert len(passed) >= 8 and "--- FAIL" not in out.stdout, out.stdout[-4000:]
