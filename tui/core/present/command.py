"""The equivalent `vic-machine create` command for a spec on the session's target: the dry run, the CLI's
confirmation and the wizard's summary show the same one (login user and pinned thumbprint included, never
the password)."""

from __future__ import annotations

from tui.core.spec.model import VchSpec
from tui.core.spec.vicmachine import to_vic_machine_command
from tui.core.vsphere.session import FrontEndSession


def vic_machine_command(spec: VchSpec, session: FrontEndSession | None, *, multiline: bool = False) -> str:
    if session is None:
        return to_vic_machine_command(spec, multiline=multiline)
    return to_vic_machine_command(spec, session.target, session.user, session.pinned_sha1, multiline=multiline)
