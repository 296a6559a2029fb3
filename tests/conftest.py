"""Every test: an isolated home for config, state and caches, and none of the user's vSphere or docker variables;
`in_folder_with_isos` for the tests that plan with vic-machine's default ISO names.
Each folder's conftest.py adds its own fixtures (tests/integration: the simulator and dockerd, started by the
suite itself from tests/rig/; tests/ui: the app without animations or blinking cursors)."""

from __future__ import annotations

import os
import tempfile

import pytest

# Tests never read or write the user's real config, known-hosts or caches; subprocesses inherit this.
# The simulator build cache is kept across runs (it is keyed by the hash of the Go sources).
_HOME = tempfile.mkdtemp(prefix="vch-tui-test-")
os.environ["VCH_TUI_HOME"] = _HOME
os.environ.setdefault("VCH_TUI_BUILD_CACHE", os.path.join(tempfile.gettempdir(), "vch-tui-build-cache"))
for _var in (
    "VIC_MACHINE_TARGET",
    "VIC_MACHINE_USER",
    "VIC_MACHINE_PASSWORD",
    "VIC_MACHINE_THUMBPRINT",
    "GOVC_URL",
    "GOVC_USERNAME",
    "GOVC_PASSWORD",
    "GOVC_TLS_KNOWN_HOSTS",
    "GOVC_TLS_CA_CERTS",
    "DOCKER_HOST",
    "DOCKER_TLS_VERIFY",
    "DOCKER_CERT_PATH",
    "TEXTUAL_THEME",
):
    os.environ.pop(_var, None)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Each test gets its own config/state dirs."""
    monkeypatch.setenv("VCH_TUI_HOME", str(tmp_path / "vch-tui-home"))


@pytest.fixture
def in_folder_with_isos(tmp_path, monkeypatch):
    """vic-machine's default ISOs (appliance.iso, bootstrap.iso) in the current folder, which is tmp_path."""
    from tui.vchsim.iso_image import write_iso

    for name in ("appliance.iso", "bootstrap.iso"):
        write_iso(tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
