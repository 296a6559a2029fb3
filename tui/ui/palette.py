"""Command palette (ctrl+p): themes, the three jobs, connect, help; plus whatever the current screen adds.

A screen adds its own commands by defining `palette_commands(self) -> Iterable[PaletteCommand]`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.ui.destinations import DESTINATIONS


class PaletteHost(Protocol):
    """What the palette needs of the app (VchApp provides it); a Protocol, so this module never imports the app."""

    theme_names: list[str]

    def open_destination(self, key: str) -> object: ...
    def choose_theme(self, name: str) -> object: ...
    def action_connect(self) -> object: ...
    def action_help(self) -> object: ...


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    callback: Callable[[], object]
    help: str = ""


def app_commands(app: PaletteHost) -> list[PaletteCommand]:
    commands = [
        PaletteCommand(
            f"Go to: {dest.title}", partial(app.open_destination, dest.key), dest.summary[:1].upper() + dest.summary[1:]
        )
        for dest in DESTINATIONS
    ]
    commands += [
        PaletteCommand(
            f"Theme: {name}", partial(app.choose_theme, name), "Switch the colour theme (remembered in the config file)"
        )
        for name in app.theme_names
    ]
    commands += [
        PaletteCommand("Connect…", app.action_connect, "Connect to a vCenter or ESXi (or switch target)"),
        PaletteCommand("Help: keys", app.action_help, "Show the keys of the current screen"),
    ]
    return commands


class VchCommands(Provider):
    def _commands(self) -> list[PaletteCommand]:
        commands: list[PaletteCommand] = []
        extra = getattr(self.screen, "palette_commands", None)
        if callable(extra):
            commands += list(extra())
        commands += app_commands(self.app)  # type: ignore[arg-type]
        return commands

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback, help=command.help)


def keep_system_command(title: str) -> bool:
    """Textual's own "Theme" lists its 21 built-in themes and "Keys" duplicates `?`: ours replace them."""
    return title not in ("Theme", "Keys")
