"""The app shell driven with Pilot: help, palette, themes, navigation and settings problems."""

from __future__ import annotations

import sys
import tomllib
import types

from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static
from ui_support import StandInSession

from tui.core import paths
from tui.core.settings.config import Config
from tui.ui.help import HelpScreen
from tui.ui.home import HomeScreen
from tui.ui.not_available import NotAvailableScreen

SIZE = (100, 32)


def _help_rows(app) -> list[list[str]]:
    table = app.screen.query_one("#help-keys", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_question_mark_shows_the_keys_of_the_home_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        ordered = _help_rows(app)
        rows = {row[1]: row for row in ordered}
        assert [row[1] for row in ordered[:4]] == ["Create", "VCHs", "Monitor", "Connect"]  # the screen's own first
        assert rows["Create"][0] == "c" and "wizard" in rows["Create"][2]
        assert rows["VCHs"][0] == "v" and rows["Monitor"][0] == "m" and rows["Connect"][0] == "o"
        assert rows["Quit"][0] == "q / ^c / ^q" and rows["Quit"][2] == "Quit vch-tui"
        assert rows["Help"][0] == "? / f1"
        assert rows["Palette"][0] == "^p"
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_lists_the_keys_of_the_screen_you_are_on(make_app, features_absent):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "f1")
        assert isinstance(app.screen, HelpScreen)
        actions = [row[1] for row in _help_rows(app)]
        assert "Back" in actions and "Create" not in actions
        assert "Create a VCH" in str(app.screen.query_one(".dialog-title", Static).render())
        await pilot.press("question_mark")
        assert isinstance(app.screen, NotAvailableScreen)


async def test_palette_switches_theme_and_the_choice_is_remembered(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "vch-dark"
        await pilot.press("ctrl+p")
        await pilot.press(*"vch-light")
        await pilot.pause(0.3)  # the palette searches in a task
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "vch-light"
        assert app.has_class("-light-mode")
    assert tomllib.loads(paths.config_file().read_text()) == {"theme": "vch-light"}
    again = make_app()
    async with again.run_test(size=SIZE):
        assert again.theme == "vch-light"


async def test_theme_switch_keeps_the_rest_of_the_config(make_app):
    paths.config_file().parent.mkdir(parents=True)
    paths.config_file().write_text("refresh_interval = 4.0\n[thresholds]\ncpu = 5\n")
    app = make_app()
    async with app.run_test(size=SIZE):
        app.choose_theme("vch-contrast")
    assert tomllib.loads(paths.config_file().read_text()) == {
        "theme": "vch-contrast",
        "refresh_interval": 4.0,
        "thresholds": {"cpu": 5},
    }


async def test_theme_option_wins_over_config_and_is_not_saved(make_app):
    app = make_app(theme="vch-contrast")
    async with app.run_test(size=SIZE):
        assert app.theme == "vch-contrast" and app.problems == []
    assert not paths.config_file().exists()


async def test_app_variables_follow_the_theme(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dark = app.get_css_variables()
        app.theme = "vch-light"
        await pilot.pause()
        light = app.get_css_variables()
    for name in ("state-crit", "fw-open", "tls-tlsverify"):
        assert dark[name] != light[name]
    assert light["state-crit"].lower() == "#b91c1c"


def _write_user_theme(name: str, text: str):
    directory = paths.config_dir() / "themes"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.toml"
    path.write_text(text)
    return path


async def test_broken_theme_file_falls_back_to_the_default_with_a_message(make_app):
    broken = _write_user_theme("mine", 'primary = "#112233"\nbackground = "not-a-colour"\n')
    notes = []
    app = make_app(config=Config(theme="mine"))
    async with app.run_test(size=SIZE, message_hook=notes.append) as pilot:
        await pilot.pause()
        assert app.theme == "vch-dark"
    assert any(str(broken) in p and "'background'" in p and "not a colour" in p for p in app.problems)
    assert any("'mine'" in p and "using vch-dark" in p for p in app.problems)
    shown = [m.notification.message for m in notes if type(m).__name__ == "Notify"]
    assert any(str(broken) in text for text in shown)


async def test_a_good_user_theme_can_be_chosen(make_app):
    _write_user_theme("mine", 'primary = "#112233"\n[variables]\nstate-crit = "#ff00ff"\n')
    app = make_app(theme="mine")
    async with app.run_test(size=SIZE):
        assert app.theme == "mine" and "mine" in app.theme_names
        variables = app.get_css_variables()
        assert variables["state-crit"].lower() == "#ff00ff"
        assert variables["state-ok"]  # not set by the file: follows the theme's own success colour


async def test_unknown_theme_name_falls_back_and_lists_the_choices(make_app):
    app = make_app(theme="nord")
    async with app.run_test(size=SIZE):
        assert app.theme == "vch-dark"
    assert any("'nord'" in p and "--theme" in p and "vch-light" in p for p in app.problems)


async def test_bad_config_file_is_reported_and_defaults_are_used(make_app):
    paths.config_file().parent.mkdir(parents=True)
    paths.config_file().write_text('theme = "vch-light"\nrefresh = 3\n')
    app = make_app()
    async with app.run_test(size=SIZE):
        assert app.config == Config() and app.theme == "vch-dark"
    assert any("'refresh'" in p and "did you mean 'refresh_interval'" in p for p in app.problems)


async def test_jobs_not_in_this_build_say_so(make_app, features_absent):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key, title in (("c", "Create a VCH"), ("v", "VCHs"), ("m", "Monitor contention")):
            await pilot.press(key)
            assert isinstance(app.screen, NotAvailableScreen)
            text = " ".join(str(s.render()) for s in app.screen.query(Static))
            assert title in text and "not available in this build" in text
            await pilot.press("escape")
            assert isinstance(app.screen, HomeScreen)


async def test_menu_is_keyboard_driven(make_app, features_absent):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, NotAvailableScreen) and app.screen.feature == "Monitor contention"


async def test_keymap_from_config_rebinds_by_id(make_app, features_absent):
    app = make_app(config=Config(keymap={"home.create": "n"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NotAvailableScreen)


class _FeatureScreen(Screen):
    def __init__(self, session) -> None:
        super().__init__()
        self.session = session


async def test_a_built_feature_gets_the_session_after_connecting(make_app, monkeypatch):
    module = types.ModuleType("tui.ui.monitor")
    module.MonitorScreen = _FeatureScreen
    monkeypatch.setitem(sys.modules, "tui.ui.monitor", module)
    session = StandInSession()
    app = make_app(session_factory=lambda opts: session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert type(app.screen).__name__ == "ConnectScreen"  # no session yet: connect first
        for field, value in (("target", "127.0.0.1:8443"), ("user", "root"), ("password", "pw")):
            app.screen.query_one(f"#{field}", Input).value = value
        await pilot.click("#connect")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, _FeatureScreen) and app.screen.session is session
        await pilot.press("escape")  # the feature's own keys are its business; the stack is intact
        app.pop_screen()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("m")  # connected now: straight in
        assert isinstance(app.screen, _FeatureScreen)


async def test_palette_offers_the_jobs_themes_and_connect(make_app):
    from tui.ui.palette import app_commands

    app = make_app()
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app_commands(app)]
        system = [c.title for c in app.get_system_commands(app.screen)]
    assert titles[:3] == ["Go to: Create a VCH", "Go to: VCHs", "Go to: Monitor contention"]
    assert {"Theme: vch-dark", "Theme: vch-light", "Theme: vch-contrast", "Connect…"} <= set(titles)
    assert "Quit" in system and "Theme" not in system


async def test_home_shows_not_connected(make_app):
    app = make_app()
    async with app.run_test(size=SIZE):
        bar = app.screen.query_one("ConnectionBar")
        assert "not connected" in str(bar.query_one("#conn-state", Label).render())
        assert bar.has_class("-disconnected")
