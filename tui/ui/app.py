"""The vch-tui application shell: themes, config, connection, navigation, help and palette.

Feature screens get the connected session as `cls(session=...)` (see tui/ui/destinations.py) and can
read `app.session`, `app.connection` (ConnectionInfo or None) and `app.config` (tui.core.settings.config.Config).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from tui.core import paths
from tui.core.errors import InvalidInput
from tui.core.settings.config import Config, save_theme
from tui.core.vsphere.session import FrontEndSession
from tui.ui.connect import ConnectScreen
from tui.ui.connection_bar import ConnectionInfo
from tui.ui.destinations import destination, screen_class
from tui.ui.help import HelpScreen, key_help
from tui.ui.home import HomeScreen
from tui.ui.not_available import NotAvailableScreen
from tui.ui.palette import VchCommands, keep_system_command
from tui.ui.themes import LoadedThemes, app_variable_defaults, load_themes

START_SCREENS = ("home", "create", "vchs", "monitor")


def _default_session_factory(opts: Any) -> Any:
    from tui.core.vsphere.connection import connect

    return connect(opts)


class VchApp(App[None]):
    TITLE = "vch-tui"
    SUB_TITLE = "vSphere Integrated Containers"
    CSS_PATH = ["app.tcss"]
    COMMANDS = App.COMMANDS | {VchCommands}
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="vch.help", tooltip="Show the keys of this screen"),
        # ctrl+c quits as in most terminal programs (selected text is copied instead), the same in the demo
        # and here; it asks first where ctrl+q does (unsaved answers, a create running)
        Binding(
            "ctrl+c",
            "copy_or_quit",
            "Quit",
            show=False,
            priority=True,
            id="vch.ctrl_c",
            tooltip="Quit vch-tui (with text selected: copy it)",
        ),
    ]

    connection: reactive[ConnectionInfo | None] = reactive(None)

    def __init__(
        self,
        connect_options: Any = None,
        theme: str | None = None,
        config: Config | None = None,
        session_factory: Callable[[Any], Any] | None = None,
        start_screen: str = "home",
        *,
        theme_dirs: list[Path] | None = None,
        start_dir: str | Path | None = None,
    ) -> None:
        super().__init__()
        # Files the user asks for (answers, recordings, certificates) go where vch-tui was started from,
        # even when the process later runs elsewhere (the demo runs in a temporary folder).
        self.start_dir = Path(start_dir if start_dir is not None else os.getcwd()).absolute()
        self.monitor_sessions: dict[str | None, Any] = {}  # the dashboard's history and alerts, per VCH choice
        if start_screen not in START_SCREENS:
            raise ValueError(f"start_screen must be one of {START_SCREENS}, not {start_screen!r}")
        self.problems: list[str] = []  # shown as notifications once the app runs
        self.notes: list[str] = []  # likewise, as information (the demo says how its story loops)
        self.config = config if config is not None else self._load_config()
        self.connect_options = connect_options
        self.session_factory = session_factory or _default_session_factory
        self.session: FrontEndSession | None = None
        self.start_screen = start_screen
        loaded = load_themes(theme_dirs)
        for loaded_theme in loaded.themes.values():
            self.register_theme(loaded_theme)
        self.problems += [str(problem) for problem in loaded.problems]
        self.theme_names = sorted(loaded.themes)
        self.theme = self._initial_theme(theme, loaded)
        if self.config.keymap:
            self.set_keymap(self.config.keymap)

    # -- start-up -----------------------------------------------------------------------------------

    def _load_config(self) -> Config:
        try:
            return Config.load()
        except InvalidInput as err:
            self.problems.append(f"{err}\n  (using the default settings for now)")
            return Config()

    def _initial_theme(self, requested: str | None, loaded: LoadedThemes) -> str:
        name = requested or self.config.theme
        if name in loaded.themes:
            return name
        origin = "--theme" if requested else f"the config file {paths.config_file()}"
        fallback = loaded.default.name
        if any(problem.path.stem == name for problem in loaded.problems):
            self.problems.append(f"theme {name!r} (from {origin}) cannot be used, see above; using {fallback}")
        else:
            available = ", ".join(self.theme_names) or "none"
            self.problems.append(
                f"theme {name!r} (from {origin}) does not exist; available: {available}; using {fallback}"
            )
        return fallback

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        for problem in self.problems:
            self.notify(problem, title="vch-tui settings", severity="error", timeout=20, markup=False)
        for note in self.notes:
            self.notify(note, timeout=15, markup=False)
        if self.connect_options is not None:
            self._connect_then(self._after_start_connect, auto_connect=True)
        elif self.start_screen != "home":
            self.open_destination(self.start_screen)

    def _after_start_connect(self) -> None:
        if self.start_screen != "home":
            self.open_destination(self.start_screen)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.logout()
            self.session = None

    # -- themes and variables -----------------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return app_variable_defaults(self.current_theme)

    def choose_theme(self, name: str) -> None:
        """Switch theme and remember it in the config file (palette, or a screen's own key)."""
        if name not in self.theme_names:
            self.notify(f"no theme {name!r}; available: {', '.join(self.theme_names)}", severity="error", markup=False)
            return
        self.theme = name
        self.config = replace(self.config, theme=name)
        try:
            save_theme(name)
        except (InvalidInput, OSError) as err:
            self.notify(
                f"Theme switched to {name} but not remembered: {err}", severity="warning", timeout=15, markup=False
            )

    # -- connection -------------------------------------------------------------------------------------

    def set_session(self, session: FrontEndSession, info: ConnectionInfo, options: Any = None) -> None:
        """Adopt a new session (the connect screen calls this); the previous one is logged out."""
        previous, self.session = self.session, session
        self.connection = info
        if options is not None:
            self.connect_options = options
        session.start_keepalive()
        if previous is not None and previous is not session:
            self._logout(previous)

    @work(thread=True, exit_on_error=False, group="logout", description="log out of the previous session")
    def _logout(self, session: FrontEndSession) -> None:
        session.logout()

    def _connect_then(self, then: Callable[[], object] | None, *, auto_connect: bool) -> None:
        if isinstance(self.screen, ConnectScreen):
            return  # already asking (e.g. "Connect…" chosen from the palette on the connect screen)

        def done(connected: bool | None) -> None:
            if connected and then is not None:
                then()

        self.push_screen(ConnectScreen(self.connect_options, auto_connect=auto_connect), callback=done)

    async def action_quit(self) -> None:
        """ctrl+q / ctrl+c: a screen with unsaved work (the wizard) asks first, once, and a second press on
        its question quits; a create in progress is cancelled and rolled back first."""
        ask = getattr(self.screen, "asked_before_quitting", None)
        if callable(ask) and ask():
            return
        self.exit()

    async def action_copy_or_quit(self) -> None:
        focused = self.focused
        selected = getattr(focused, "selected_text", None) or self.screen.get_selected_text()
        if isinstance(selected, str) and selected:
            self.copy_to_clipboard(selected)
            return
        await self.action_quit()

    def action_connect(self) -> None:
        self._connect_then(None, auto_connect=False)

    # -- navigation -------------------------------------------------------------------------------------

    def open_destination(self, key: str) -> None:
        """Open one of the three jobs; asks for a connection first when there is none."""
        dest = destination(key)
        cls = screen_class(dest)
        if cls is None:
            self.push_screen(NotAvailableScreen(dest.title))
        elif self.session is None:
            self._connect_then(lambda: self.push_screen(cls(session=self.session)), auto_connect=True)
        else:
            self.push_screen(cls(session=self.session))

    def action_open_destination(self, key: str) -> None:
        self.open_destination(key)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        screen = self.screen
        title = getattr(screen, "HELP_TITLE", None) or type(screen).__name__.removesuffix("Screen") or "Screen"
        self.push_screen(HelpScreen(title, key_help(self, screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if keep_system_command(command.title):
                yield command
