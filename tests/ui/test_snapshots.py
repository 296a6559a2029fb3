"""SVG snapshots of the shell at a fixed size: home in each theme, connected, help and the trust modal.

Update after an intended change with `pytest tests/ui/test_snapshots.py --snapshot-update`, then look at
the SVGs. Deterministic: fixed title, no clock, no animations, no toasts, fixed fingerprints.
"""

from __future__ import annotations

import pytest
from ui_support import SHA1, SHA256, StandInSession

from tui.ui.app import VchApp
from tui.ui.connection_bar import ConnectionInfo
from tui.ui.trust_modal import TrustModal

SIZE = (120, 36)


def _app(theme: str = "vch-dark") -> VchApp:
    app = VchApp(theme=theme)
    return app


@pytest.mark.parametrize("theme", ["vch-dark", "vch-light", "vch-contrast"])
def test_home(snap_compare, theme):
    assert snap_compare(_app(theme), terminal_size=SIZE)


def test_home_connected(snap_compare):
    app = _app()

    async def connect(pilot) -> None:
        session = StandInSession(trusted_by="fingerprint", about="VMware vCenter Server 6.5.0 build-5973321")
        app.set_session(
            session, ConnectionInfo("127.0.0.1:8443", "administrator@vsphere.local", session.trusted_by, session.about)
        )

    assert snap_compare(app, terminal_size=SIZE, run_before=connect)


def test_help_on_home(snap_compare):
    assert snap_compare(_app(), terminal_size=SIZE, press=["question_mark"])


@pytest.mark.parametrize("theme", ["vch-dark", "vch-light"])
def test_trust_modal(snap_compare, theme):
    app = _app(theme)

    async def ask(pilot) -> None:
        app.push_screen(TrustModal("127.0.0.1", 8443, SHA256, SHA1, saved_in="~/.config/vch-tui/known_hosts"))

    assert snap_compare(app, terminal_size=SIZE, run_before=ask)
