"""How the wizard behaves, on a stand-in session and the fixed inventory of the snapshots: inline problems under
their field, Next gated per step, answers files loaded into every step (or refused with their problems),
certificate files checked when typed, container networks added and removed, copy, create, leave."""

from __future__ import annotations

import sys
import types
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, Static
from ui_support import StandInSession
from wizard_support import FILLED, fixed_facts

from tests.waits import until
from tui.core.spec.answers import save_answers
from tui.core.spec.model import VchSpec
from tui.ui.app import VchApp
from tui.ui.connect import ConnectScreen
from tui.ui.message_modal import MessageModal
from tui.ui.provision.confirm import ConfirmModal
from tui.ui.wizard import WizardScreen
from tui.ui.wizard import screen as wizard_module
from tui.ui.wizard.dialogs import PathPrompt, StepHelp

SIZE = (120, 40)


pytestmark = pytest.mark.usefixtures("in_folder_with_isos")


def make_app() -> VchApp:
    app = VchApp(theme="vch-dark")
    return app


async def open_wizard(app, pilot, spec: VchSpec | None = None, session=None, loads: list | None = None) -> WizardScreen:
    session = session or StandInSession()
    facts = fixed_facts()

    def load(_session):
        if loads is not None:
            loads.append(_session)
        return facts

    screen = WizardScreen(session=session, spec=spec, facts_loader=load)
    await app.push_screen(screen)
    await settle(pilot, screen)
    return screen


async def settle(pilot, screen: WizardScreen) -> None:
    await until(pilot, lambda: screen.facts is not None and screen.checked, "the wizard to load and check")


def shown_problems(screen: WizardScreen, key: str) -> str:
    slot = next(s for s in screen.query("FieldProblems") if s.keys == (key,))
    return str(slot.render()) if slot.display else ""


async def test_a_new_spec_shows_no_problem_until_next_which_draws_them_and_focuses_the_first():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot)
        # focus moves to the step's first field once the step is shown (slower under load)
        await until(
            pilot,
            lambda: app.focused is not None and app.focused.id == "name",
            lambda: f"focus on #name (it is on {app.focused!r})",
        )
        assert screen.index == 1 and app.focused.id == "name"
        assert shown_problems(screen, "compute_resource") == ""  # nothing touched yet: no error drawn
        assert not screen.query_one("#steplabel-1", Static).has_class("-errors")
        await pilot.press("ctrl+n")
        await settle(pilot, screen)
        assert screen.index == 1 and app.focused.id == "compute_resource"
        shown = shown_problems(screen, "compute_resource")
        assert "No unambiguous default compute resource" in shown
        assert "Compute resource: one of" in shown and "compute_resource" not in shown  # the label on screen
        assert screen.query_one("#steplabel-1", Static).has_class("-errors")
        await pilot.press("enter", "down", "enter")
        await settle(pilot, screen)
        assert screen.spec.compute_resource == "Cluster"
        assert shown_problems(screen, "compute_resource") == ""
        await pilot.press("ctrl+n")
        assert screen.index == 2


async def test_problems_show_under_their_field_as_you_type_and_go_away_when_fixed():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(1)
        await pilot.pause()
        await pilot.press("ctrl+u", *"vch/1")
        await settle(pilot, screen)
        assert "unsupported characters" in shown_problems(screen, "name")
        assert screen.blocker(1) == "1 problem to fix on this step."
        assert screen.query_one("#steplabel-1", Static).has_class("-errors")
        await pilot.press("backspace", "backspace", "-", "1")
        await settle(pilot, screen)
        assert shown_problems(screen, "name") == "" and screen.blocker(1) is None


async def test_a_warning_does_not_block_next():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, replace(FILLED, resources=replace(FILLED.resources, memory=2048)))
        screen.go(2)
        await settle(pilot, screen)
        assert "not one default" in shown_problems(screen, "memory")
        assert screen.blocker(2) is None
        assert "1 warning" in str(screen.query_one("#step-status", Static).render())


async def test_constructor_spec_prefills_every_step():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        values = {
            "#name": "vch-demo",
            "#cpu": "4000",
            "#image-folder": "vch-demo",
            "#bridge_network_range": "172.16.0.0/12",
            "#public_network_ip": "10.0.0.5/24",
            "#dns_server": "10.0.0.53",
            "#tls_cname": "vch-demo.example.com",
        }
        for selector, value in values.items():
            assert screen.query_one(selector, Input).value == value, selector
        for selector, value in {
            "#compute_resource": "Cluster",
            "#image-datastore": "datastore1",
            "#bridge_network": "vch-bridge",
            "#client_network": "vch-client",
        }.items():
            assert screen.query_one(selector, Select).value == value, selector
        assert screen.query_one("#cn-table").row_count == 2
        assert screen.spec == FILLED
        assert screen.ready_to_create() == (True, "")


async def test_load_answers_file_fills_every_step(in_folder_with_isos):
    path = in_folder_with_isos / "saved.toml"
    save_answers(FILLED, path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot)
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, PathPrompt)
        await pilot.press(*path.name, "enter")
        await settle(pilot, screen)
        assert app.screen is screen and screen.spec == FILLED
        assert screen.query_one("#memory", Input).value == "8192"
        assert screen.query_one("#cn-alias", Input).value in ("backend", "dmz")


async def test_a_bad_answers_file_is_refused_with_its_problems_and_changes_nothing(in_folder_with_isos):
    (in_folder_with_isos / "bad.toml").write_text('name = "x"\ncpus = 4\npassword = "hunter2"\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        await pilot.press("ctrl+o", *"bad.toml", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageModal)
        body = app.screen.body
        assert "cpus" in body and "did you mean" in body.lower() and "password" in body and "hunter2" not in body
        await pilot.press("escape")
        assert app.screen is screen and screen.spec == FILLED


async def test_save_writes_an_answers_file_that_loads_back(in_folder_with_isos):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(7)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PathPrompt)
        assert app.screen.query_one("#path", Input).value == "vch-demo.toml"
        await pilot.press("enter")
        await pilot.pause()
    from tui.core.spec.answers import load_answers

    assert load_answers(in_folder_with_isos / "vch-demo.toml") == FILLED


async def test_save_goes_to_the_folder_vch_tui_started_in_and_the_toast_gives_the_command(
    in_folder_with_isos, tmp_path_factory
):
    started_in = tmp_path_factory.mktemp("started-in")
    app = VchApp(theme="vch-dark", start_dir=started_in)  # the demo runs in its own folder, started elsewhere
    toasts: list = []
    async with app.run_test(size=SIZE, message_hook=toasts.append) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(7)
        await pilot.press("ctrl+s")
        await pilot.press("enter")
        await pilot.pause()
    saved = started_in / "vch-demo.toml"
    assert saved.is_file() and not (in_folder_with_isos / "vch-demo.toml").exists()
    text = next(m.notification.message for m in toasts if type(m).__name__ == "Notify")
    assert str(saved) in text and f"vch-tui create --answers {saved} -t " in text


async def test_custom_certificate_files_are_checked_when_typed(in_folder_with_isos):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(6)
        await pilot.pause()
        screen.query_one("#tls-custom").value = True
        await settle(pilot, screen)
        assert "choose the server certificate file" in shown_problems(screen, "tls_server_cert")
        screen.query_one("#tls_server_cert", Input).focus()
        await pilot.press(*"server.pem", "tab", *"appliance.iso")
        await settle(pilot, screen)
        assert "server.pem" in shown_problems(screen, "tls_server_cert")  # the file does not exist
        assert "appliance.iso" in shown_problems(screen, "tls_server_key")  # not a PEM key
        assert "without 'CA files'" in shown_problems(screen, "tls_ca")  # checked together, not one after the other
        assert screen.blocker(6) is not None


async def test_container_networks_are_added_and_removed_with_the_buttons():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, replace(FILLED, container_networks=()))
        screen.go(5)
        await pilot.pause()
        assert app.focused.id == "cn-add"
        await pilot.press("enter")
        await settle(pilot, screen)
        first = screen.spec.container_networks[0]
        taken = {"vch-bridge", "vch-public", "vch-client"}
        assert first.port_group not in taken and first.firewall == "published"
        screen.query_one("#cn-add", Button).focus()
        await pilot.press("enter")
        await settle(pilot, screen)
        assert len(screen.spec.container_networks) == 2
        assert screen.spec.container_networks[1].port_group != first.port_group
        screen.query_one("#cn-remove", Button).focus()
        await pilot.press("enter")
        await settle(pilot, screen)
        assert screen.spec.container_networks == (first,)


async def test_help_explains_the_step_and_lists_its_keys():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(5)
        await pilot.press("f1")
        assert isinstance(app.screen, StepHelp)
        assert "firewall level" in app.screen.text and app.screen.screen_title.endswith("Container networks")
        assert {"Next", "Back", "Load", "Save"} <= {row.action for row in app.screen.rows}
        await pilot.press("escape")
        assert app.screen is screen


async def test_copy_puts_the_one_line_command_on_the_clipboard():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(7)
        await pilot.pause()
        screen.query_one("#copy-command", Button).focus()
        await pilot.press("enter")
        assert app.clipboard == screen.command(multiline=False)
        assert "\n" not in app.clipboard and "--name vch-demo" in app.clipboard


async def test_create_hands_the_spec_to_the_provisioning_screen(monkeypatch):
    received = {}

    class FakeProvision(wizard_module.Screen):
        def __init__(self, session=None, spec=None, options=None):
            super().__init__()
            received.update(session=session, spec=spec, ops=options.ops)

    module = types.ModuleType("fake_provision")
    module.ProvisionScreen = FakeProvision
    monkeypatch.setitem(sys.modules, "fake_provision", module)
    monkeypatch.setattr(wizard_module, "PROVISION_MODULE", "fake_provision")
    app = make_app()
    session = StandInSession()
    loads: list = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED, session=session, loads=loads)
        screen.go(7)
        await pilot.pause()
        await pilot.press("ctrl+n")  # never creates: only the Create button does
        assert not received
        assert app.focused.id == "next"
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmModal) and "vch-demo" in app.screen.title_text
        for name in ("appliance", "bootstrap"):  # the ISOs it will upload: resolved paths and VIC's version
            assert f"{name} ISO: {Path.cwd() / (name + '.iso')} (v1.5.8-0-2c978fe)" in app.screen.body
        assert app.focused.id == "no"  # Enter again would not create
        await pilot.press("enter")
        assert app.screen is screen and not received
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the create question")
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FakeProvision)
        assert received == {"session": session, "spec": FILLED, "ops": None}  # no ops user: the login
        app.pop_screen()  # back from provisioning: the inventory is read again (the VCH now exists)
        await until(pilot, lambda: len(loads) == 2, "the inventory to be read again")
        assert loads == [session, session]


async def test_the_ops_password_goes_to_the_run_never_into_the_spec(monkeypatch):
    from dataclasses import replace

    from tui.core.spec.ops_user import OPS_PASSWORD_ENV
    from tui.ui.wizard.step_general import GeneralStep

    received = {}

    class FakeProvision(wizard_module.Screen):
        def __init__(self, session=None, spec=None, options=None):
            super().__init__()
            received.update(spec=spec, ops=options.ops)

    module = types.ModuleType("fake_provision")
    module.ProvisionScreen = FakeProvision
    monkeypatch.setitem(sys.modules, "fake_provision", module)
    monkeypatch.setattr(wizard_module, "PROVISION_MODULE", "fake_provision")
    monkeypatch.delenv(OPS_PASSWORD_ENV, raising=False)
    spec = replace(FILLED, ops_user="vch-ops@vsphere.local")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, spec, session=StandInSession())
        screen.go(7)
        await pilot.pause()
        screen.create()  # the ops user has no password: refused, naming the field
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert any("ops_password" in str(n.message) for n in app._notifications)
        screen.query_one(GeneralStep).query_one("#ops_password").value = "ops s3cret"
        screen.create()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "ops s3cret" not in app.screen.body
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FakeProvision)
        assert received["spec"].ops_user == "vch-ops@vsphere.local"
        assert received["ops"].user == "vch-ops@vsphere.local" and received["ops"].password.reveal() == "ops s3cret"


async def test_create_says_checking_at_once_until_the_question_is_up():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(7)
        await pilot.pause()
        screen.create()
        button = screen.query_one("#next", Button)
        assert str(button.label) == "Checking…"  # before the question is built
        screen.create()  # pressed again meanwhile: one question
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the create question")
        assert str(button.label) == "Create" and len(app.screen_stack) == 3


async def test_create_says_so_when_this_build_cannot_provision(monkeypatch):
    monkeypatch.setattr(wizard_module, "PROVISION_MODULE", "tui.ui.no_such_provision")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(7)
        await pilot.pause()
        await pilot.press("enter", "tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageModal) and "not available" in app.screen.title_text


async def test_create_is_disabled_while_anything_is_wrong():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED.with_values({"cpu": 99999}))
        screen.go(7)
        await settle(pilot, screen)
        assert screen.query_one("#next", Button).disabled
        assert "Compute capacity" in screen.ready_to_create()[1]


async def test_escape_leaves_at_once_when_nothing_changed_and_asks_otherwise():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(0)
        await pilot.press("escape")
        assert app.screen is not screen
        screen = await open_wizard(app, pilot, FILLED)
        await pilot.press("ctrl+u", "x")  # on General: the name changes
        await pilot.press("escape")  # back to Connect
        assert screen.index == 0
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmModal) and "Leave" in app.screen.title_text
        await pilot.press("escape")  # stay
        assert app.screen is screen


async def test_ctrl_q_with_unsaved_answers_asks_once_then_quits():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, FILLED)
        screen.go(1)
        await pilot.pause()
        await pilot.press("ctrl+u", "x")
        await settle(pilot, screen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "Leave" in app.screen.title_text
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.screen is screen and app.return_code is None
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+q")  # asked once: a second ctrl+q on the question quits
        await pilot.pause()
    assert app.return_code == 0


async def test_without_a_session_it_asks_to_connect_first():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = WizardScreen(session=None, facts_loader=lambda _s: fixed_facts())
        await app.push_screen(screen)
        await pilot.pause()
        assert isinstance(app.screen, ConnectScreen)
        await pilot.press("escape")
        assert app.screen is screen and screen.index == 0
        assert screen.blocker(0) == "Connect first."
        assert screen.query_one("#connect-button", Button).display


async def test_create_gets_the_focus_when_the_full_check_answers_after_the_summary_is_shown(monkeypatch):
    """Under load the background check answers after the summary took focus: Create was still disabled, so
    focus went nowhere and the summary snapshot differed. The check is held here until the summary is up."""
    import threading

    release = threading.Event()
    real_check = wizard_module.plan_check

    def slow_check(spec, facts):
        release.wait(10)
        return real_check(spec, facts)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = WizardScreen(session=StandInSession(), spec=FILLED, facts_loader=lambda _s: fixed_facts())
        await app.push_screen(screen)
        for _ in range(100):
            if screen.facts is not None and screen.checked:
                break
            await pilot.pause(0.01)
        monkeypatch.setattr(wizard_module, "plan_check", slow_check)
        screen.go(6)
        screen.spec = replace(screen.spec, timeout="4m")  # a new spec: the full check must run again
        screen.go(7)
        for _ in range(5):
            await pilot.pause(0.02)
        create = screen.query_one("#next", Button)
        assert not screen.checked and create.disabled and str(create.label) == "Create"
        release.set()
        for _ in range(200):
            if screen.checked and app.focused is create:
                break
            await pilot.pause(0.02)
        assert screen.checked and not create.disabled
        assert app.focused is create  # Enter now creates, as when the check was quick


async def test_a_late_check_does_not_steal_focus_the_user_moved(monkeypatch):
    import threading

    release = threading.Event()
    real_check = wizard_module.plan_check
    monkeypatch.setattr(wizard_module, "plan_check", lambda spec, facts: (release.wait(10), real_check(spec, facts))[1])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = WizardScreen(session=StandInSession(), spec=FILLED, facts_loader=lambda _s: fixed_facts())
        await app.push_screen(screen)
        for _ in range(100):
            if screen.facts is not None:
                break
            await pilot.pause(0.01)
        screen.go(7)
        await pilot.pause(0.05)
        copy = screen.query_one("#copy-command", Button)
        copy.focus()
        await pilot.pause()
        release.set()
        for _ in range(200):
            if screen.checked:
                break
            await pilot.pause(0.02)
        await pilot.pause(0.05)
        assert app.focused is copy


async def test_the_summary_shows_units_hides_what_no_tls_does_not_use_and_warns_loudly():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        spec = FILLED.with_values({"no_tls": True, "tls_cname": None})
        screen = await open_wizard(app, pilot, spec)
        screen.go(7)
        await settle(pilot, screen)
        values = str(screen.query_one("#summary-values", Static).render())
        assert "4000 MHz (4 GHz)" in values and "8192 MB (8 GB)" in values
        assert "tls_cert_path" not in values and "no_tls " not in values and "no-tls" in values
        status = str(screen.query_one("#summary-status", Static).render())
        assert status.startswith("⚠ NO TLS") and "plain HTTP on port 2375" in status


async def test_registries_and_proxies_round_trip_through_their_steps_and_a_bad_proxy_is_named():
    """Networks holds the proxies, Security the registries (as VIC's own create wizard); a spec's values prefill
    them, the summary lists them, and a proxy that is not an http(s) URL is drawn under its field."""
    spec = FILLED.with_values(
        {
            "http_proxy": "http://127.0.0.1:3128",
            "no_proxy": "localhost,.example.com",
            "insecure_registry": ["127.0.0.1:5000", "r2:5000"],
            "whitelist_registry": ["10.0.0.0/8"],
        }
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_wizard(app, pilot, spec)
        assert screen.query_one("#http_proxy", Input).value == "http://127.0.0.1:3128"
        assert screen.query_one("#insecure_registry", Input).value == "127.0.0.1:5000, r2:5000"
        assert screen.spec == spec  # what the fields show reads back as the same spec
        screen.go(7)
        await settle(pilot, screen)
        values = str(screen.query_one("#summary-values", Static).render())
        assert "insecure_registry" in values and "127.0.0.1:5000, r2:5000" in values and "no_proxy" in values
        command = str(screen.query_one("#summary-command", Static).render())
        assert "--insecure-registry 127.0.0.1:5000" in command and "--http-proxy http://127.0.0.1:3128" in command
        screen.go(4)
        await settle(pilot, screen)
        screen.query_one("#http_proxy", Input).focus()
        await pilot.press("ctrl+u", *"proxy:3128")
        await settle(pilot, screen)
        assert "expected format http(s)://" in shown_problems(screen, "http_proxy")
        assert screen.blocker(4) == "1 problem to fix on this step."
        assert screen.spec.http_proxy == "proxy:3128"
