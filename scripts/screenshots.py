#!/usr/bin/env python3
"""Regenerate the README's SVG screenshots (screenshots/NN-what.svg) from the real app, headless at 120x36
(and two at the default terminal's 80x24).

Deterministic data: the demo simulator with its seeded VCHs on a fixed port (home, wizard, VCH list), scripted
provisioning events on a fake clock (a real run waits on DHCP and a Docker API), and the shipped seed-story
recording at its last refresh with UTC times (dashboard, drill-down, themes). Settings go to a throw-away
VCH_TUI_HOME. Run from the repository root: `.venv/bin/python scripts/screenshots.py [--port N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
SIZE = (120, 36)
DEFAULT_PORT = 47443  # fixed so the connection bar reads the same every run

sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui")]  # the app, and the scripted provisioning events

Setup = Callable[[object, object], Awaitable[None]]


async def _until(pilot, condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: gave up waiting for {what}")
        await pilot.pause(0.05)


def demo_spec():
    from tui.core.spec.model import ContainerNetwork, Resources, VchSpec

    return VchSpec(
        name="vch-demo",
        compute_resource="Cluster",
        image_store="datastore1/vch-demo",
        volume_store=("datastore2/volumes:default",),
        bridge_network="vch-bridge",
        container_networks=(
            ContainerNetwork(
                "containers",
                alias="backend",
                gateway="10.20.0.1/24",
                ip_range=("10.20.0.100-10.20.0.199",),
                firewall="peers",
            ),
            ContainerNetwork("dmz", alias="dmz", firewall="published"),
        ),
        resources=Resources(cpu=2000, memory=4096, memory_reservation=1024),
    ).with_values(
        {
            "public_network": "vch-public",
            "public_network_ip": "10.0.0.5/24",
            "public_network_gateway": "10.0.0.1",
            "client_network": "vch-client",
            "dns_server": ("10.0.0.53",),
            "tls_cname": "vch-demo.example.com",
            "appliance_iso": "appliance.iso",
            "bootstrap_iso": "bootstrap.iso",
        }
    )


def wizard_step(step: int) -> Setup:
    async def setup(app, pilot) -> None:
        from textual.widgets import Input

        from tui.ui.wizard import WizardScreen

        screen = WizardScreen(session=app.session, spec=demo_spec())
        await app.push_screen(screen)
        await _until(pilot, lambda: screen.facts is not None, "the wizard's target facts")
        screen.go(step)
        await _until(pilot, lambda: screen.checked, "the wizard's full check")
        for field in screen.query(Input):
            field.cursor_blink = False
        if WIZARD_STEPS[step] == "summary":  # scroll to the equivalent vic-machine command
            await pilot.pause()
            screen.query_one("#summary-command").scroll_visible(top=False, animate=False)

    return setup


def provisioning(done: bool) -> Setup:
    async def setup(app, pilot) -> None:
        from provision_support import STEPS, FakeClock, run_until, success_result

        from tui.core.vch import events as ev
        from tui.ui.provision import ProvisionScreen

        clock = FakeClock()
        screen = ProvisionScreen(session=None, spec=demo_spec(), clock=clock, autostart=False)
        await app.push_screen(screen)
        screen.show_plan(STEPS)
        if done:
            for event in run_until(clock, "finish"):
                screen.apply(event)
            screen.apply(ev.Finished(success_result(), clock.now))
        else:
            screen.running = True  # as a started run is: the footer offers Cancel
            screen.refresh_bindings()
            for event in run_until(clock, "upload", final_state=ev.RUNNING):
                screen.apply(event)
            screen.apply(ev.LogLine("uploading appliance.iso to [datastore1] vch-demo/appliance.iso", clock.now))
            screen.apply(ev.BytesSent("upload", "appliance.iso", 41_943_040, 104_857_600, clock.now))
            clock.now += 3.0
        await pilot.pause()
        screen._tick()  # rows are mounted now: show the running step's time
        await pilot.pause()

    return setup


async def vch_list(app, pilot) -> None:
    from tui.ui.vchs import VchListScreen

    screen = VchListScreen(session=app.session)
    await app.push_screen(screen)
    await _until(pilot, lambda: len(screen.vchs) >= 2, "the VCH list")
    await pilot.pause(0.2)


def dashboard(*keys: str) -> Setup:
    async def setup(app, pilot) -> None:
        from tui.ui.monitor import MonitorScreen
        from tui.vchsim import story

        screen = MonitorScreen(replay=story.PATH, replay_position=-1, replay_paused=True, local_time=time.gmtime)
        app.push_screen(screen)
        await _until(pilot, lambda: screen.replay_total and not screen._replay_busy, "the recording")
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return setup


async def home(app, pilot) -> None:
    await pilot.pause()


WIZARD_STEPS = ["connect", "general", "compute", "storage", "networks", "container-networks", "security", "summary"]

SHOTS: list[tuple[str, str, Setup]] = (
    [("01-home", "vch-dark", home)]
    + [
        (f"{n:02d}-wizard-{name}", "vch-dark", wizard_step(i))
        for i, (n, name) in enumerate(zip(range(2, 10), WIZARD_STEPS, strict=True))
    ]
    + [
        ("10-provision-running", "vch-dark", provisioning(False)),
        ("11-provision-done", "vch-dark", provisioning(True)),
        ("12-vch-list", "vch-dark", vch_list),
        ("20-dashboard-vch-dark", "vch-dark", dashboard()),
        ("21-drilldown", "vch-dark", dashboard("enter")),
        ("22-dashboard-vch-light", "vch-light", dashboard()),
        ("23-dashboard-vch-contrast", "vch-contrast", dashboard()),
        ("24-dashboard-80x24", "vch-dark", dashboard()),
        ("25-wizard-general-80x24", "vch-dark", wizard_step(1)),
    ]
)
SIZES = {"24-dashboard-80x24": (80, 24), "25-wizard-general-80x24": (80, 24)}  # the others: SIZE


async def shoot(rig, name: str, theme: str, setup: Setup) -> Path:
    from tui.core.vsphere.connection import connect
    from tui.ui.app import VchApp
    from tui.ui.connection_bar import ConnectionInfo

    opts = rig.connect_options()
    session = await asyncio.to_thread(connect, opts)  # a fresh one: the app logs its session out on exit
    info = ConnectionInfo(session.target_label, opts.user or "", session.trusted_by, session.about)
    app = VchApp(theme=theme)
    app.animation_level = "none"
    async with app.run_test(size=SIZES.get(name, SIZE)) as pilot:
        app.set_session(session, info)
        await pilot.pause()
        await setup(app, pilot)
        await app.workers.wait_for_complete()
        for _ in range(6):  # let the footer catch up with the focused widget's bindings (debounced)
            await pilot.pause(0.05)
        path = OUT / f"{name}.svg"
        path.write_text(app.export_screenshot(title=f"vch-tui: {name[3:].replace('-', ' ')}"), encoding="utf-8")
    return path


async def main_async(port: int, only: list[str]) -> list[Path]:
    from tui.vchsim.demo import DemoRig

    # the same certificate every run (kept beside the simulator build, never in the repository), so the
    # thumbprint in the summary's command does not change
    cert_dir = Path(os.environ["VCH_TUI_BUILD_CACHE"]) / "screenshots-cert"
    cert_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    rig = await asyncio.to_thread(DemoRig.start, f"127.0.0.1:{port}", steady=True, cert_dir=cert_dir)
    before = os.getcwd()
    os.chdir(rig.workdir)  # the wizard's ISOs are found here, as in `vch-tui demo`
    try:
        written = []
        for name, theme, setup in SHOTS:
            if only and not any(word in name for word in only):
                continue
            written.append(await shoot(rig, name, theme, setup))
            print(written[-1].relative_to(ROOT), flush=True)
        return written
    finally:
        os.chdir(before)
        rig.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"simulator port (default {DEFAULT_PORT})")
    parser.add_argument("only", nargs="*", help="only the shots whose name contains one of these words")
    args = parser.parse_args()
    from tui.core import paths

    # reuse the usual simulator build, but keep settings (theme, known hosts) out of the user's files
    os.environ.setdefault("VCH_TUI_BUILD_CACHE", str(paths.cache_dir()))
    os.environ["VCH_TUI_HOME"] = tempfile.mkdtemp(prefix="vch-tui-shots-")
    OUT.mkdir(exist_ok=True)
    try:
        written = asyncio.run(main_async(args.port, args.only))
    finally:
        shutil.rmtree(os.environ["VCH_TUI_HOME"], ignore_errors=True)
    print(f"{len(written)} screenshots written to {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
