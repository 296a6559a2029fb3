"""An autouse fixture for every test that runs a Textual app: no animations and no blinking cursors, so that
what a test sees (and every SVG snapshot) does not depend on when it looks. tests/ui/conftest.py and
tests/integration/conftest.py use it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def quiet_textual(monkeypatch):
    from textual import constants
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(constants, "TEXTUAL_ANIMATIONS", "none")  # what App.__init__ sets animation_level from
    for widget in (Input, TextArea):
        # the reactive's default: widgets made during the test start with a steady cursor
        monkeypatch.setattr(widget.__dict__["cursor_blink"], "_default", False)
