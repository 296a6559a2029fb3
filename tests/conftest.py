"""Test rig: the vSphere simulator and dockerd are started by the suite itself (tests/rig/)."""

from __future__ import annotations

import os
import tempfile

import pytest

# Tests never read or write the user's real config, known-hosts or caches; subprocesses inherit this.
# The simulator build cache is kept across runs (it is keyed by the hash of the Go sources).
_HOME = tempfile.mkdtemp(prefix="vch-tui-test-")
os.environ["VCH_TUI_HOME"] = _HOME
os.environ.setdefault("VCH_TUI_BUILD_CACHE", os.path.join(tempfile.gettempdir(), "vch-tui-build-cache"))
for _var in ("VIC_MACHINE_TARGET", "VIC_MACHINE_USER", "VIC_MACHINE_PASSWORD", "VIC_MACHINE_THUMBPRINT",
             "GOVC_URL", "GOVC_USERNAME", "GOVC_PASSWORD", "GOVC_TLS_KNOWN_HOSTS", "GOVC_TLS_CA_CERTS",
             "DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "TEXTUAL_THEME"):
    os.environ.pop(_var, None)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Each test gets its own config/state dirs."""
    monkeypatch.setenv("VCH_TUI_HOME", str(tmp_path / "vch-tui-home"))


from tests.rig.simulator_fixtures import (  # noqa: E402,F401  (fixtures)
    SIM_PASSWORD,
    SIM_PASSWORD_TEXT,
    fresh_simulator,
    plain_simulator,
    replayed_vchs,
    simulator,
    simulator_si,
    vchsim_binary,
)
