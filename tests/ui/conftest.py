"""Fixtures for the UI tests (helpers live in ui_support.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def make_app() -> Callable:
    """A VchApp with animations off, for Pilot tests."""
    from tui.ui.app import VchApp

    def make(**kwargs) -> VchApp:
        app = VchApp(**kwargs)
        app.animation_level = "none"
        return app

    return make


@pytest.fixture
def features_absent(monkeypatch):
    """A build without the three feature screens: the app must say so instead of failing."""
    import sys

    from tui.ui.destinations import DESTINATIONS

    for dest in DESTINATIONS:
        monkeypatch.setitem(sys.modules, dest.module, None)  # `import` now raises ModuleNotFoundError
