"""The FrontEndSession Protocol: what the TUI and the CLI read of a session. The real VSphereSession meets it
(pinned_sha1 only when the certificate was trusted by its fingerprint), and the vic-machine command both
front ends show is built from it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tui.core.present.command import vic_machine_command
from tui.core.secret import Secret
from tui.core.spec.model import RoleNetwork, VchSpec
from tui.core.vsphere.connection import ConnectOptions, TrustDecision, VSphereSession
from tui.core.vsphere.session import FrontEndSession
from tui.core.vsphere.trust import Fingerprints

FP = Fingerprints("AA:" * 31 + "AA", "BB:" * 19 + "BB")
SPEC = VchSpec(name="vch1", compute_resource="Cluster", public=RoleNetwork(port_group="vch-public"))


def session(trusted_by: str) -> VSphereSession:
    opts = ConnectOptions.resolve(target="vc.lab:443", user="admin@vsphere.local", password=Secret("pw"), env={})
    about = SimpleNamespace(fullName="VMware vCenter Server 8.0.2", apiType="VirtualCenter")
    return VSphereSession(
        opts,
        TrustDecision(None, trusted_by, FP if trusted_by != "plain-http" else None),
        None,
        None,
        None,
        SimpleNamespace(about=about),
    )


@pytest.mark.parametrize("trusted_by, sha1", [("fingerprint", FP.sha1), ("ca", None), ("plain-http", None)])
def test_the_real_session_meets_the_protocol(trusted_by, sha1):
    s = session(trusted_by)
    assert isinstance(s, FrontEndSession)
    assert (s.target_label, s.user, s.trusted_by, s.pinned_sha1) == (
        "vc.lab:443",
        "admin@vsphere.local",
        trusted_by,
        sha1,
    )


def test_the_command_names_the_user_and_the_pinned_thumbprint_never_the_password():
    command = vic_machine_command(SPEC, session("fingerprint"))
    assert "--user admin@vsphere.local" in command and f"--thumbprint {FP.sha1}" in command
    assert "pw" not in command.split()
    assert "--thumbprint" not in vic_machine_command(SPEC, session("ca"))
    assert "--user" not in vic_machine_command(SPEC, None)
