"""The three jobs the home screen offers, and where each one's screen lives.

A feature screen is found by import, so a helper adds a feature by creating its module; nothing here or
in tui/ui/app.py changes. The screen class is called as `cls(session=<the connected session>)`.
Until the module exists the app shows `NotAvailableScreen` instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.screen import Screen


@dataclass(frozen=True)
class Destination:
    key: str
    title: str
    summary: str
    module: str
    attribute: str


DESTINATIONS: tuple[Destination, ...] = (
    Destination(
        "create",
        "Create a VCH",
        "answer the wizard, review, then provision with live progress",
        "tui.ui.wizard",
        "WizardScreen",
    ),
    Destination("vchs", "VCHs", "list the VCHs on the target; inspect or delete one", "tui.ui.vchs", "VchListScreen"),
    Destination(
        "monitor",
        "Monitor contention",
        "live CPU and memory contention per container",
        "tui.ui.monitor",
        "MonitorScreen",
    ),
)


def destination(key: str) -> Destination:
    for dest in DESTINATIONS:
        if dest.key == key:
            return dest
    raise KeyError(f"no destination {key!r}; known: {', '.join(d.key for d in DESTINATIONS)}")


# Not type[Screen]: a feature screen's class takes its own keyword arguments (session=, vch=, ...).
ScreenClass = Callable[..., Screen[Any]]


def screen_class(dest: Destination) -> ScreenClass | None:
    """The feature's screen class, or None while its module is not part of this build.

    Only the feature's own module being absent counts as "not built"; any other import error is a bug
    and is raised.
    """
    try:
        module = importlib.import_module(dest.module)
    except ModuleNotFoundError as exc:
        if exc.name and (dest.module == exc.name or dest.module.startswith(exc.name + ".")):
            return None
        raise
    return getattr(module, dest.attribute)
