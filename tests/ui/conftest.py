"""Fixtures for the UI tests (helpers live in ui_support.py, provision_support.py and wizard_support.py). Every
test here runs without the simulator (those that need it are in tests/integration); animations and cursor
blinking are off for all of them (tests/quiet_textual.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.quiet_textual import quiet_textual  # noqa: F401  (autouse fixture)


@pytest.fixture
def make_app() -> Callable:
    """A VchApp for Pilot tests (animations are off in every UI test)."""
    from tui.ui.app import VchApp

    def make(**kwargs) -> VchApp:
        return VchApp(**kwargs)

    return make


@pytest.fixture
def features_absent(monkeypatch):
    """A build without the three feature screens: the app must say so instead of failing."""
    import sys

    from tui.ui.destinations import DESTINATIONS

    for dest in DESTINATIONS:
        monkeypatch.setitem(sys.modules, dest.module, None)  # `import` now raises ModuleNotFoundError
