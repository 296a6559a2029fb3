"""Walk the whole create wizard against the real simulator with the keyboard alone, save the answers file, and
check that `vch-tui create --dry-run` of that file yields the same spec and the same vic-machine command."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, RadioSet, Select

from tests.waits import until
from tui.cli.main import main
from tui.core.spec.answers import load_answers
from tui.core.spec.model import ContainerNetwork
from tui.core.spec.vicmachine import parse_vic_machine_command
from tui.core.vsphere.connection import ConnectOptions
from tui.ui.app import VchApp
from tui.ui.wizard import WizardScreen
from tui.vchsim.simulator import CLUSTER, DATASTORES, PORT_GROUPS

pytestmark = pytest.mark.rig

SIZE = (120, 40)


async def type_text(pilot, text: str) -> None:
    await pilot.press("ctrl+u", *text)  # ctrl+u: empty the field first


async def choose(pilot, app, value: str) -> None:
    """Pick `value` in the focused Select with enter / arrows / enter."""
    select = app.focused
    assert isinstance(select, Select), f"focus is on {select!r}, not a Select"
    values = [v for _, v in select._options]
    current = values.index(select.value)
    await pilot.press("enter")
    step = "down" if values.index(value) >= current else "up"
    await pilot.press(*[step] * abs(values.index(value) - current), "enter")
    await pilot.pause()
    assert select.value == value


async def to(pilot, app, widget_id: str) -> None:
    """Tab until the widget has focus (fails if it is not in the focus chain)."""
    for _ in range(30):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}; focus is on {app.focused!r}")


async def next_step(pilot, screen: WizardScreen, expected: int) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert screen.index == expected, f"still on {screen.step.TITLE}: {screen.blocker(screen.index)} {screen.problems}"


async def test_walk_the_wizard_with_the_keyboard_then_dry_run_the_saved_file(
    simulator, in_folder_with_isos, capsys, monkeypatch
):
    opts = ConnectOptions.resolve(
        target=f"{simulator.host}:{simulator.port}",
        user=simulator.username,
        password=simulator.password,
        thumbprint=simulator.sha256,
        env={},
    )
    app = VchApp(connect_options=opts, start_screen="create")
    answers = in_folder_with_isos / "walk.toml"
    async with app.run_test(size=SIZE) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, WizardScreen) and app.screen.index == 1,
            "the wizard to read the inventory and open General",
        )
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        # General
        await pilot.pause()
        assert app.focused.id == "name"
        await type_text(pilot, "vch-walk")
        await pilot.press("tab")
        await choose(pilot, app, CLUSTER)
        await next_step(pilot, screen, 2)
        # Compute capacity: a limit above the cluster blocks Next until it is fixed
        assert app.focused.id == "cpu"
        await type_text(pilot, "99999")
        await pilot.press("ctrl+n")
        assert (
            screen.index == 2 and app.focused.id == "cpu" and screen.blocker(2) is not None
        )  # Next went to the problem
        await type_text(pilot, "3000")
        for key, value in (("cpu_reservation", "500"), ("cpu_shares", "high"), ("memory", "8192")):
            await pilot.press("tab")
            assert app.focused.id == key
            await type_text(pilot, value)
        await next_step(pilot, screen, 3)
        # Storage
        assert app.focused.id == "image-datastore"
        await choose(pilot, app, DATASTORES[0])
        await pilot.press("tab")
        await type_text(pilot, "vch-walk")
        await to(pilot, app, "vs-datastore")
        await choose(pilot, app, DATASTORES[1])
        await pilot.press("tab")
        await type_text(pilot, "volumes")
        await pilot.press("tab", "enter")  # an empty label means default; Enter adds the store
        await pilot.pause()
        assert screen.spec.volume_store == (f"{DATASTORES[1]}/volumes:default",)
        await next_step(pilot, screen, 4)
        # Networks
        assert app.focused.id == "bridge_network"
        await choose(pilot, app, PORT_GROUPS["bridge"])
        await to(pilot, app, "public_network")
        await choose(pilot, app, PORT_GROUPS["public"])
        await pilot.press("tab", "space", "tab")  # static address
        await type_text(pilot, "10.0.0.5/24")
        await pilot.press("tab")
        await type_text(pilot, "10.0.0.1")
        await pilot.press("tab")
        await choose(pilot, app, PORT_GROUPS["client"])
        await next_step(pilot, screen, 5)
        # Container networks: add one, set its addresses and the peers firewall
        assert app.focused.id == "cn-add"
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "cn-port_group"
        await choose(pilot, app, PORT_GROUPS["containers"])
        for key, value in (("cn-alias", "back"), ("cn-gateway", "10.2.0.1/24"), ("cn-ip_range", "10.2.0.9-99")):
            await pilot.press("tab")
            assert app.focused.id == key
            await type_text(pilot, value)
        await to(pilot, app, "cn-firewall")
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")  # from published to peers
        await pilot.pause()
        assert screen.spec.container_networks[0].firewall == "peers"
        await next_step(pilot, screen, 6)
        # Security: verify clients (the default) needs the name clients use
        assert screen.blocker(6) is not None
        await to(pilot, app, "tls_cname")
        await type_text(pilot, "walk.lab")
        await next_step(pilot, screen, 7)
        # Summary: ready (once the full check of the files has answered), save the answers file
        await until(pilot, lambda: screen.checked, "the full check")
        assert screen.ready_to_create() == (True, "")
        assert not screen.query_one("#next", Button).disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "path"
        await type_text(pilot, answers.name)
        await pilot.press("enter")
        await pilot.pause()
        wizard_spec = screen.spec
        wizard_command = screen.command(multiline=False)

    assert answers.is_file()
    saved = load_answers(answers)
    assert saved == wizard_spec
    assert saved.container_networks == (
        ContainerNetwork(
            PORT_GROUPS["containers"], alias="back", gateway="10.2.0.1/24", ip_range=("10.2.0.9-99",), firewall="peers"
        ),
    )
    assert (saved.name, saved.compute_resource, saved.resources.cpu, saved.resources.cpu_shares) == (
        "vch-walk",
        CLUSTER,
        3000,
        "high",
    )

    monkeypatch.setenv("VIC_MACHINE_PASSWORD", simulator.password.reveal())
    capsys.readouterr()
    code = main(
        [
            "create",
            "--answers",
            str(answers),
            "--dry-run",
            "--target",
            f"{simulator.host}:{simulator.port}",
            "--user",
            simulator.username,
            "--thumbprint",
            simulator.sha256,
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    command = out.out.split("Equivalent vic-machine command:", 1)[1].strip()
    assert command == wizard_command
    assert parse_vic_machine_command(command) == wizard_spec
