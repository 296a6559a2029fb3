"""Textual's crash report prints the locals of every frame: a password typed into the connect form must
not be in it. The app runs headless in a fresh interpreter and is made to crash while the password is
being used; its whole output is searched."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

PASSWORD = "Crash-Pa55word-7731"

SCRIPT = textwrap.dedent(f"""
    import tui.ui.connect as connect_module
    from textual.widgets import Input
    from tui.ui.app import VchApp

    def resolve_that_breaks(**kwargs):
        raise RuntimeError("simulated bug while resolving options")

    connect_module.ConnectOptions.resolve = staticmethod(resolve_that_breaks)

    async def auto_pilot(pilot):
        app = pilot.app
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#target", Input).value = "127.0.0.1:8443"
        app.screen.query_one("#user", Input).value = "root"
        app.screen.query_one("#password", Input).value = {PASSWORD!r}
        app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await pilot.pause(0.5)

    app = VchApp(session_factory=lambda opts: None)
    app.animation_level = "none"
    app.run(headless=True, size=(100, 32), auto_pilot=auto_pilot)
    print("return code", app.return_code)
""")


def test_crash_report_does_not_show_the_typed_password(tmp_path):
    env = dict(os.environ, VCH_TUI_HOME=str(tmp_path / "home"), COLUMNS="200")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=root, env=env, timeout=60
    )
    output = result.stdout + result.stderr
    assert "simulated bug while resolving options" in output  # it did crash, with the report shown
    assert "password = Secret('********')" in output  # the report shows the local that holds it ...
    assert PASSWORD not in output  # ... masked
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert not any(PASSWORD in p.read_text(errors="replace") for p in written)
