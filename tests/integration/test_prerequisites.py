"""vCenter and host prerequisites on the real simulator: vCenter's PersistNetworkBacking setting is reported
and set only with consent (--yes; never on a dry run or a refused create), and hosts whose firewall blocks
outbound TCP 2377 are named (vchsim gives each host its own rulesets, so opening one host opens only that one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pyVmomi import vim

from tests.rig.provisioning import cli_env, cli_target, connect_to, make_spec
from tui.core.spec.answers import dump_answers
from tui.core.vch.prerequisites import (
    PERSIST_NETWORK_BACKING,
    hosts_blocking_serial_port,
    persist_backing_enabled,
    read_prerequisites,
    set_persist_backing,
)
from tui.core.vsphere.inventory import retrieve
from tui.vchsim.simulator import CLUSTER_HOSTS, STANDALONE_HOST

pytestmark = pytest.mark.rig


def _hosts(session) -> dict[str, vim.HostSystem]:
    return {h.get("name"): h.obj for h in retrieve(session, vim.HostSystem, ["name"])}


def _open_vspc(session, host: vim.HostSystem) -> None:
    host.configManager.firewallSystem.EnableRuleset(id="vSPC")


def test_blocked_hosts_are_named_and_opening_one_opens_only_that_one(fresh_simulator):
    sim = fresh_simulator()
    session = connect_to(sim)
    try:
        hosts = _hosts(session)
        every = {h._moId for h in hosts.values()}
        assert hosts_blocking_serial_port(session, every) == tuple(sorted((*CLUSTER_HOSTS, STANDALONE_HOST)))
        _open_vspc(session, hosts["esx-02"])
        cluster = {hosts[name]._moId for name in CLUSTER_HOSTS}
        prerequisites = read_prerequisites(session, cluster)
        assert prerequisites.hosts_blocking_serial == ("esx-01", "esx-03")
        text = "\n".join(str(p) for p in prerequisites.problems())
        assert "esx-01, esx-03" in text and "TCP 2377" in text and "vSPC" in text and "esx-02" not in text
    finally:
        session.logout()


def test_the_vcenter_setting_is_missing_until_set(fresh_simulator):
    sim = fresh_simulator()
    session = connect_to(sim)
    try:
        assert not persist_backing_enabled(session)
        assert read_prerequisites(session, ()).persist_backing_missing
        set_persist_backing(session)
        assert persist_backing_enabled(session)
        assert read_prerequisites(session, ()).problems() == []
    finally:
        session.logout()


def _cli(sim, *args: str) -> subprocess.CompletedProcess:
    out = subprocess.run(
        [sys.executable, "-m", "tui", "create", *cli_target(sim), *args],
        capture_output=True,
        text=True,
        env=cli_env(sim),
        stdin=subprocess.DEVNULL,
        timeout=240,
    )
    assert sim.password.reveal() not in out.stdout + out.stderr
    return out


def test_create_sets_the_vcenter_setting_only_with_consent(fresh_simulator, isos, tmp_path):
    sim = fresh_simulator()
    spec = make_spec("vch-consent", isos, tmp_path / "certs", mode="no-tlsverify")
    answers = tmp_path / "vch-consent.toml"
    answers.write_text(dump_answers(spec))
    session = connect_to(sim)
    try:
        out = _cli(sim, "--answers", str(answers), "--dry-run")
        assert out.returncode == 0, out.stderr
        assert (
            f"warning: vcenter: create will set the vCenter-wide advanced setting {PERSIST_NETWORK_BACKING}"
            in out.stdout
        )
        assert "esx-01, esx-02, esx-03 blocks outbound TCP 2377" in out.stdout
        assert not persist_backing_enabled(session)  # a dry run changes nothing

        out = _cli(sim, "--answers", str(answers))  # no terminal, no --yes: refused
        assert out.returncode == 2 and "--yes" in out.stderr
        assert not persist_backing_enabled(session)
        assert not Path(tmp_path / "certs").exists()

        out = _cli(sim, "--answers", str(answers), "--yes")
        # the appliance stand-in boots it; the setting is set before the first step (and, vCenter-wide, would
        # be kept on a rollback)
        assert out.returncode == 0, out.stderr
        assert f"set {PERSIST_NETWORK_BACKING} = true on vCenter" in out.stderr
        assert out.stderr.index("set " + PERSIST_NETWORK_BACKING) < out.stderr.index("[ 1/11] Validate the spec")
        assert persist_backing_enabled(session)
    finally:
        session.logout()


async def _provision_screen(sim, isos, tmp_path, name: str):
    from tui.core.vch.plan import RunOptions
    from tui.ui.app import VchApp
    from tui.ui.connection_bar import ConnectionInfo
    from tui.ui.provision import ProvisionScreen

    session = connect_to(sim)
    app = VchApp(theme="vch-dark")
    app.session = session
    app.connection = ConnectionInfo(session.target_label, sim.username, session.trusted_by, session.about)
    spec = make_spec(name, isos, tmp_path / "certs", mode="no-tlsverify")
    return session, app, lambda: ProvisionScreen(session=session, spec=spec, options=RunOptions())


@pytest.mark.parametrize("answer", ["#no", "#yes"])
async def test_the_progress_screen_asks_before_changing_vcenter(fresh_simulator, isos, tmp_path, answer):
    from tests.rig.provisioning import fingerprint
    from tests.waits import until
    from tui.ui.provision.confirm import ConfirmModal

    sim = fresh_simulator()
    session, app, make_screen = await _provision_screen(sim, isos, tmp_path, "vch-ask")
    checker = connect_to(sim)
    before = fingerprint(checker)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = make_screen()
            await app.push_screen(screen)
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the vCenter question", timeout=60)
            assert app.screen.body.startswith(f"This vCenter does not set {PERSIST_NETWORK_BACKING}")
            log = "\n".join(screen.query_one("#provision-log").texts)
            assert "blocks outbound TCP 2377" in log
            assert not persist_backing_enabled(checker)  # asking changed nothing
            await pilot.click(answer)
            if answer == "#no":
                await until(pilot, lambda: screen.refused is not None, "the refusal", timeout=30)
                assert PERSIST_NETWORK_BACKING in screen.refused
                assert not persist_backing_enabled(checker)
                assert fingerprint(checker) == before
            else:
                await until(pilot, lambda: persist_backing_enabled(checker), "the setting", timeout=30)
                await until(pilot, lambda: screen.result is not None, "the run to end", timeout=120)
                log = "\n".join(screen.query_one("#provision-log").texts)
                assert f"set {PERSIST_NETWORK_BACKING} = true on vCenter" in log
    finally:
        checker.logout()
