"""What both front ends present (tui.core.present): typed outcomes, quoted export lines, plan lines, inspect
sections, the no-TLS risk. The CLI's and the TUI's texts are checked to carry the same data."""

from __future__ import annotations

import shlex

import pytest

from tui.cli.commands import create
from tui.core.errors import InvalidInput
from tui.core.present.env import export_lines
from tui.core.present.inspect import Section, inspection_sections, rows_text, sections_text
from tui.core.present.outcome import DeleteOutcome, RunOutcome
from tui.core.present.plan import plan_lines
from tui.core.present.progress import log_text
from tui.core.present.risk import no_tls_risk
from tui.core.problems import warning
from tui.core.tls.envfile import env_file_text, read_env_file
from tui.core.vch import events as ev
from tui.core.vch.plan import PlannedStep
from tui.core.vch.teardown import DeleteResult
from tui.core.vsphere.faults import error_text

SPACED = {"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/home/me/my vch", "DOCKER_HOST": "tcp://10.0.0.42:2376"}


def created(env: dict[str, str] = SPACED, name: str = "my vch") -> ev.RunResult:
    outputs = ev.Outputs(
        endpoint_vm=name,
        address="10.0.0.42",
        docker_host="10.0.0.42:2376",
        docker_env=env,
        env_file=f"/home/me/{name}/{name}.env",
        cert_path=f"/home/me/{name}",
        tls_mode="tlsverify",
    )
    return ev.RunResult(ok=True, outputs=outputs, name=name)


def failed(left: list[str]) -> ev.RunResult:
    return ev.RunResult(
        ok=False,
        failed_step="power",
        name="vch-demo",
        error="powering on failed: injected",
        removed=["endpoint VM vch-demo", "resource pool Cluster/Resources/vch-demo"],
        left=left,
    )


def shell_env(lines) -> dict[str, str]:
    """What a POSIX shell would set from the export lines."""
    words = [shlex.split(line) for line in lines]
    assert all(w[0] == "export" and len(w) == 2 for w in words), words
    return dict(w[1].split("=", 1) for w in words)


def test_export_lines_quote_as_the_env_file_does(tmp_path):
    lines = export_lines(SPACED)
    assert shell_env(lines) == SPACED
    assert lines[0] == "export DOCKER_TLS_VERIFY=1"  # nothing quoted that needs no quoting
    path = tmp_path / "vch.env"
    path.write_text(env_file_text(SPACED))
    assert [f"export {line}" for line in path.read_text().splitlines()] == lines
    assert read_env_file(path) == SPACED


def test_the_cli_prints_a_spaced_cert_path_as_one_shell_word(capsys):
    create._print_result(created(), False)
    out = capsys.readouterr().out
    assert shell_env(line.strip() for line in out.splitlines() if line.strip().startswith("export ")) == SPACED


def test_a_created_outcome_carries_the_facts_and_the_exports():
    outcome = RunOutcome.of(created())
    assert outcome.ok and outcome.status == "created" and outcome.headline == "VCH my vch created"
    assert dict(outcome.facts) == {
        "endpoint VM": "my vch",
        "address": "10.0.0.42",
        "TLS": "tlsverify",
        "certificates": "/home/me/my vch",
        ".env file": "/home/me/my vch/my vch.env",
    }
    assert shell_env(outcome.exports) == SPACED
    assert outcome.removed == outcome.left == () and outcome.remedy is None


def test_a_failed_outcome_lists_removed_and_left_as_items():
    outcome = RunOutcome.of(failed(left=["VM folder Datacenter/vm/vch-demo"]))
    assert outcome.status == "failed at 'power'" and outcome.headline == "VCH vch-demo NOT created: failed at 'power'"
    assert outcome.removed == ("endpoint VM vch-demo", "resource pool Cluster/Resources/vch-demo")
    assert outcome.left == ("VM folder Datacenter/vm/vch-demo",)
    assert outcome.remedy == "vch-tui delete vch-demo" and not outcome.clean
    assert outcome.exports == () and outcome.facts == ()
    clean = RunOutcome.of(failed(left=[]))
    assert clean.clean and clean.remedy is None
    cancelled = RunOutcome.of(ev.RunResult(ok=False, cancelled=True, name="x y", left=["VM folder x y"]))
    assert cancelled.status == "cancelled" and shlex.split(cancelled.remedy) == ["vch-tui", "delete", "x y"]


def test_the_cli_and_the_tui_say_the_same_outcome(capsys):
    from tui.ui.provision.screen import outcome_text

    result = failed(left=["VM folder Datacenter/vm/vch-demo"])
    create._print_result(result, False)
    cli = capsys.readouterr().err
    tui = outcome_text(RunOutcome.of(result))
    outcome = RunOutcome.of(result)
    for text in (cli, tui):
        assert outcome.headline in text and outcome.remedy in text
        assert all(item in text for item in outcome.removed + outcome.left)
    ok = RunOutcome.of(created())
    create._print_result(created(), False)
    cli = capsys.readouterr().out
    for text in (cli, outcome_text(ok)):
        assert ok.headline in text and all(line in text for line in ok.exports)
        assert all(value in text for _, value in ok.facts)


def test_a_delete_outcome():
    done = DeleteOutcome.of(DeleteResult("vch", removed=["endpoint VM vch", "VM folder dc/vm/vch"]))
    assert done.ok and done.headline == "VCH vch deleted (2 objects removed)" and done.remedy is None
    part = DeleteOutcome.of(DeleteResult("vch", removed=["endpoint VM vch"], left=["VM folder dc/vm/vch"]))
    assert not part.ok and part.left == ("VM folder dc/vm/vch",) and "vch-tui delete vch" in part.remedy


def test_plan_lines_number_the_steps_and_say_warning_once():
    steps = [
        PlannedStep("folder", "Create the VM folder", ("Datacenter/vm/vch",)),
        PlannedStep("pool", "Create the resource pool", ()),
    ]
    w = warning("cpu", "is above what the cluster has")
    assert plan_lines(steps, [w]) == [
        " 1. Create the VM folder",
        "      Datacenter/vm/vch",
        " 2. Create the resource pool",
        "warning: cpu: is above what the cluster has",
    ]
    assert plan_lines(steps, [str(w)])[-1] == plan_lines(steps, [w])[-1]  # the TUI gets the text: same line


def test_log_text():
    assert log_text(ev.LogLine("removed x", 0.0)) == "removed x"
    assert log_text(ev.LogLine("could not remove x", 0.0, "error")) == "error: could not remove x"


def test_the_no_tls_risk_names_the_vch_and_the_port():
    text = " ".join(no_tls_risk("lab"))
    assert "lab" in text and "2375" in text and "isolated" in text


def test_error_text():
    assert error_text(InvalidInput("no user", hint="pass --user")) == "no user\n  pass --user"
    assert error_text(OSError("refused"), "connecting") == "unexpected error while connecting: refused (OSError)"
    assert error_text(KeyError("x")) == "unexpected error: 'x' (KeyError)"


def test_rows_and_sections_text():
    assert rows_text([("a", "1"), ("long", "2")]) == "  a     1\n  long  2"
    text = sections_text([Section("One", (("a", "1"),)), Section("Empty", ())])
    assert text == "One\n  a  1\n\nEmpty"


@pytest.fixture
def inspection():
    from tui.core.spec.model import RoleNetwork, VchSpec
    from tui.core.vch.endpoint import TlsFacts
    from tui.core.vch.inspection import VchInspection
    from tui.core.vch.listing import CREATING, ContainerVm, VchSummary

    summary = VchSummary(
        "my vch", "/dc/host/c/Resources/my vch", "my vch", "poweredOn", "10.0.0.42:2376", CREATING, "vm-41"
    )
    spec = VchSpec(name="my vch", public=RoleNetwork(port_group="vch-public"))
    return VchInspection(
        summary,
        spec,
        None,
        TlsFacts("tlsverify", cert_path="/home/me/my vch"),
        "10.0.0.42",
        None,
        [ContainerVm("web", "poweredOn"), ContainerVm("stray", "poweredOff", is_container=False)],
        SPACED,
        api_error="connection refused",
    )


def test_inspection_sections_are_typed(inspection):
    sections = {s.title: s for s in inspection_sections(inspection)}
    vch = sections["VCH"]
    assert vch.value("docker API") == "does NOT answer: connection refused"
    assert "vch-tui delete 'my vch'" in vch.value("state")
    assert sections["Containers (2, 1 powered on)"].rows == (
        ("web", "poweredOn"),
        ("stray", "poweredOff (not a VIC container)"),
    )
    env = sections["Docker environment"]
    assert shell_env(f"export {k}={v}" for k, v in env.rows) == SPACED
    assert sections["TLS"].value("certificates") == "/home/me/my vch"


def test_the_vch_list_rows_and_the_note_on_what_an_interrupted_create_left():
    from tui.core.present.listing import COLUMNS, incomplete, incomplete_note, vch_row
    from tui.core.vch.listing import CREATED, INCOMPLETE, VchSummary

    ok = VchSummary(
        "vch-a",
        "Cluster/Resources/vch-a",
        "vch-a",
        "poweredOn",
        "10.0.0.42:2376",
        CREATED,
        "vm-41",
        "v1.5.8",
        "Up to date",
    )
    left = VchSummary("vch-b", "Cluster/Resources/vch-b", "-", "-", None, INCOMPLETE, "journal:vch-b")
    assert len(vch_row(ok)) == len(COLUMNS)
    assert vch_row(ok) == (
        "vch-a",
        "Cluster/Resources/vch-a",
        "vm-41",
        "v1.5.8",
        "poweredOn",
        "10.0.0.42:2376",
        "Up to date",
    )
    assert vch_row(left) == ("vch-b *", "Cluster/Resources/vch-b", "journal:vch-b", "-", "-", "-", "-")
    assert incomplete([ok, left]) == ["vch-b"] and incomplete_note([ok]) is None
    assert "(vch-b)" in incomplete_note([ok, left]) and "vch-tui delete NAME" in incomplete_note([ok, left])
