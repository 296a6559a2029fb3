"""The connect flow with Pilot: the form, trusting an unknown certificate, refusing a mismatch, errors.

The connect function is a scripted stand-in here; tests/integration runs the real one against the simulator.
"""

from __future__ import annotations

from dataclasses import fields

from textual.widgets import Button, Input, Label, Static
from ui_support import SHA1, SHA256, ScriptedConnect, StandInSession, unknown_certificate

from tui.core import paths
from tui.core.errors import ConnectionFailed
from tui.core.secret import Secret
from tui.core.vsphere.connection import ConnectOptions, FingerprintMismatch
from tui.core.vsphere.trust import Fingerprints, lookup
from tui.ui.connect import ConnectScreen
from tui.ui.home import HomeScreen
from tui.ui.message_modal import MessageModal
from tui.ui.not_available import NotAvailableScreen
from tui.ui.trust_modal import TrustModal

SIZE = (100, 32)
PASSWORD = "s3cret-Pa55word"


def _options(**overrides) -> ConnectOptions:
    values = dict(target="127.0.0.1:8443", user="root", password=Secret(PASSWORD), env={})
    values.update(overrides)
    return ConnectOptions.resolve(**values)


def _status(app) -> str:
    return str(app.screen.query_one("#connect-status", Static).render())


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _fill_form(app, pilot, target="127.0.0.1:8443", user="root", password=PASSWORD) -> None:
    """Set the fields (typing every key is slow; one test does type) and press enter in the password."""
    for field, value in (("target", target), ("user", user), ("password", password)):
        app.screen.query_one(f"#{field}", Input).value = value
    app.screen.query_one("#password", Input).focus()
    await pilot.press("enter")


def _all_text(node) -> str:
    return " ".join(str(w.render()) for w in node.query("Static, Label"))


async def test_complete_options_connect_at_once(make_app):
    session = StandInSession(trusted_by="ca", about="VMware vCenter Server 6.5.0 build-5973321")
    connect = ScriptedConnect(session)
    app = make_app(connect_options=_options(), session_factory=connect)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.session is session
        bar = _all_text(app.screen.query_one("ConnectionBar"))
        for text in ("connected", "127.0.0.1:8443", "root", "trusted by CA", "vCenter Server 6.5.0"):
            assert text in bar
    assert connect.calls[0].password.reveal() == PASSWORD
    assert session.logged_out == 1  # logged out when the app ends


async def test_start_screen_opens_after_connecting(make_app, features_absent):
    app = make_app(connect_options=_options(), session_factory=ScriptedConnect(StandInSession()), start_screen="create")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, NotAvailableScreen) and app.screen.feature == "Create a VCH"


async def test_missing_password_waits_for_the_form(make_app):
    connect = ScriptedConnect(StandInSession())
    app = make_app(connect_options=_options(password=None), session_factory=connect)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConnectScreen) and connect.calls == []
        assert app.focused.id == "password"
        assert app.screen.query_one("#target", Input).value == "https://127.0.0.1:8443"
        assert app.screen.query_one("#user", Input).value == "root"
        await pilot.press(*PASSWORD, "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    assert connect.calls[0].password.reveal() == PASSWORD


async def test_the_typed_password_becomes_a_secret_and_leaves_the_input(make_app):
    connect = ScriptedConnect(ConnectionFailed("connection to 127.0.0.1:8443 refused"))
    app = make_app(session_factory=connect)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await _fill_form(app, pilot)
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ConnectScreen)
        assert screen.query_one("#password", Input).value == ""
        assert "given already" in screen.query_one("#password", Input).placeholder
        holders = [screen, app, *screen.query("*")]
        for holder in holders:
            for name, value in vars(holder).items():
                assert value != PASSWORD, f"{type(holder).__name__}.{name} holds the password"
        assert isinstance(connect.calls[0].password, Secret)


async def test_a_failed_connect_is_shown_in_the_form(make_app):
    connect = ScriptedConnect(
        ConnectionFailed("127.0.0.1:8443 refused the login for user 'root': wrong user name or password"),
        StandInSession(),
    )
    app = make_app(session_factory=connect)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await _fill_form(app, pilot)
        await _settle(app, pilot)
        assert isinstance(app.screen, ConnectScreen)
        assert "wrong user name or password" in _status(app)
        assert app.screen.query_one("#connect-status").has_class("-error")
        assert not app.screen.query_one("#connect", Button).disabled
        await pilot.click("#connect")  # the kept password is used again
        await _settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    assert [c.password.reveal() for c in connect.calls] == [PASSWORD, PASSWORD]


async def test_an_unexpected_error_is_shown_not_a_crash(make_app):
    app = make_app(session_factory=ScriptedConnect(RuntimeError("socket went away")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await _fill_form(app, pilot)
        await _settle(app, pilot)
        assert "unexpected error while connecting: socket went away (RuntimeError)" in _status(app)


async def test_bad_input_names_the_field(make_app):
    connect = ScriptedConnect()
    app = make_app(session_factory=connect)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.press(*"127.0.0.1:8443", "enter", "enter", "enter")
        await pilot.pause()
        assert "no user name given" in _status(app)
        assert app.focused.id == "user"
        app.screen.query_one("#target", Input).value = "ftp://x"
        await pilot.click("#connect")
        assert "unsupported scheme" in _status(app) and app.focused.id == "target"
    assert connect.calls == []


async def test_unknown_certificate_accepted_is_remembered_and_pinned(make_app):
    session = StandInSession(trusted_by="fingerprint")
    connect = ScriptedConnect(unknown_certificate(), session)
    app = make_app(connect_options=_options(), session_factory=connect)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        modal = app.screen
        assert isinstance(modal, TrustModal)
        shown = _all_text(modal)
        assert "127.0.0.1:8443" in shown and SHA1 in shown
        assert SHA256.replace(":", "") in shown.replace(":", "").replace("\n", "").replace(" ", "")
        assert app.focused.id == "reject"  # the safe choice is the default
        await pilot.press("tab", "enter")  # Accept and remember
        await _settle(app, pilot)
        assert isinstance(app.screen, HomeScreen) and app.session is session
        assert "trusted by fingerprint" in _all_text(app.screen.query_one("ConnectionBar"))
    assert lookup("127.0.0.1", 8443, [paths.known_hosts_file()]) == [SHA256]
    assert connect.calls[1].thumbprint == SHA256
    assert connect.calls[1].password.reveal() == PASSWORD


async def test_unknown_certificate_rejected_saves_nothing(make_app):
    connect = ScriptedConnect(unknown_certificate())
    app = make_app(connect_options=_options(), session_factory=connect)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, TrustModal)
        await pilot.press("escape")
        assert isinstance(app.screen, ConnectScreen)
        assert "rejected" in _status(app)
        assert app.session is None
    assert not paths.known_hosts_file().exists()
    assert len(connect.calls) == 1


async def test_fingerprint_mismatch_shows_both_and_offers_no_accept(make_app):
    actual = Fingerprints(SHA256, SHA1)
    pinned = "AB:" * 31 + "AB"
    connect = ScriptedConnect(FingerprintMismatch("127.0.0.1", 8443, [pinned], actual, "known-hosts"))
    app = make_app(connect_options=_options(), session_factory=connect)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        modal = app.screen
        assert isinstance(modal, MessageModal)
        text = _all_text(modal)
        assert pinned in text and SHA256 in text and SHA1 in text and "does NOT match" in text
        assert [b.id for b in modal.query(Button)] == ["close"]
        await pilot.press("enter")
        assert isinstance(app.screen, ConnectScreen) and "does not match" in _status(app)
    assert not paths.known_hosts_file().exists()


async def test_cancel_returns_home_unconnected(make_app):
    app = make_app(session_factory=ScriptedConnect())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, ConnectScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen) and app.session is None
        assert "not connected" in str(app.screen.query_one("#conn-state", Label).render())


async def test_connect_asked_again_on_the_connect_screen_does_not_stack(make_app):
    app = make_app(session_factory=ScriptedConnect())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        app.action_connect()
        await pilot.pause()
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_switching_target_logs_the_old_session_out(make_app):
    first, second = StandInSession(), StandInSession(target_label="127.0.0.1:9443")
    app = make_app(connect_options=_options(), session_factory=ScriptedConnect(first, second))
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("o")
        assert app.screen.query_one("#target", Input).value == "https://127.0.0.1:8443"
        app.screen.query_one("#target", Input).value = "127.0.0.1:9443"
        await pilot.click("#connect")
        await _settle(app, pilot)
        assert app.session is second and first.logged_out == 1
        assert "127.0.0.1:9443" in _all_text(app.screen.query_one("ConnectionBar"))


def test_connect_options_still_have_the_fields_the_form_relies_on():
    names = {f.name for f in fields(ConnectOptions)}
    assert {"target", "user", "password", "thumbprint", "ca_files", "known_hosts"} <= names
