"""`vch-tui create --answers FILE`: validate, show the plan, confirm, provision with rollback.

  --dry-run [--json]  validate locally and against the target; print every problem (exit 2) or the plan
                      and the equivalent vic-machine command (exit 0). Nothing is created anywhere.
  --yes               do not ask (needed without a terminal).
  no_tls = true       the Docker API would be open to anyone who reaches it: create warns loudly; on a
                      terminal you must type `no-tls` to go on; with --yes you must also pass
                      --i-understand-no-tls.
Ctrl-C, SIGTERM or SIGHUP during the run cancels it and rolls back what it created; a second one stops the
rollback and says what is left and how to remove it.
Exit codes: 0 created, 1 failed (after rollback), 2 invalid input, 3 connection/trust.
"""

from __future__ import annotations

import argparse
import http.client
import json
import signal
import sys
from typing import Any

from tui.cli.options import open_session, read_password_file
from tui.core.errors import ExitCode, InvalidInput, VchError
from tui.core.problems import Problem, ProblemsError

NO_TLS_WORD = "no-tls"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--answers", "-a", required=True, metavar="FILE", help="the answers file (TOML) to create from")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="only validate and print the plan and the vic-machine command; create nothing",
    )
    parser.add_argument("--json", action="store_true", help="print the result (problems, plan or outcome) as JSON")
    parser.add_argument("--yes", "-y", action="store_true", help="create without asking for confirmation")
    parser.add_argument(
        "--i-understand-no-tls",
        action="store_true",
        dest="accept_no_tls",
        help="with --yes: accept a VCH whose Docker API has no TLS (no_tls = true)",
    )
    # tests run a real dockerd on a free port and point the VCH's Docker API there
    parser.add_argument(
        "--ops-password-file",
        metavar="PATH",
        help="the ops user's password (answers key ops_user) from the first line of this file or "
        "pipe; else VIC_MACHINE_OPS_PASSWORD",
    )


def _print_problems(problems: list[Problem], as_json: bool, source: str) -> None:
    if as_json:
        print(json.dumps({"ok": False, "problems": [p.to_dict() for p in problems]}, indent=2))
    else:
        print(str(ProblemsError(problems, source=source)), file=sys.stderr)


def format_plan(plan, command: str) -> str:
    from tui.core.present.plan import plan_lines
    from tui.core.vch.plan import iso_lines

    lines = [f"Plan for VCH {plan.spec.name!r} ({len(plan.steps)} steps):"]
    lines += [f"  {line}" for line in plan_lines(plan.describe(), plan.warnings)]
    lines += ["", "ISOs:", *(f"  {line}" for line in iso_lines(plan.spec))]
    lines += ["", "Equivalent vic-machine command:", f"  {command}"]
    return "\n".join(lines)


def _confirm(args: argparse.Namespace, plan) -> int | None:
    """None to go on, or the exit code to stop with."""
    from tui.core.present.risk import no_tls_risk

    no_tls = plan.spec.tls.no_tls
    if no_tls:
        print("\n" + "\n".join(f"  !!  {line}" for line in no_tls_risk(plan.spec.name)) + "\n", file=sys.stderr)
    if args.yes:
        if no_tls and not args.accept_no_tls:
            raise InvalidInput(
                "refusing to create a VCH without TLS unattended",
                field="no_tls",
                hint="pass --i-understand-no-tls as well, or remove no_tls from the answers file",
            )
        return None
    if not sys.stdin.isatty():
        raise InvalidInput(
            "create needs a confirmation and there is no terminal to ask on",
            field="--yes",
            hint="pass --yes to create without asking, or --dry-run to only check the answers file",
        )
    try:
        if no_tls and not args.accept_no_tls:
            answer = input(f"Type {NO_TLS_WORD} to create this VCH without TLS (anything else cancels): ")
            ok = answer.strip() == NO_TLS_WORD
        else:
            ok = input(f"Create VCH {plan.spec.name!r}? [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        ok = False
    if not ok:
        from tui.core.present.outcome import refused_headline

        print(refused_headline(plan.spec.name), file=sys.stderr)
        return ExitCode.FAILED
    return None


class ProgressPrinter:
    """Events as lines on stderr: one per step state, uploads in 25 % steps, the log."""

    def __init__(self, plan, out=sys.stderr) -> None:
        self.titles = {s.key: s.title for s in plan.steps}
        self.numbers = {s.key: i for i, s in enumerate(plan.steps, 1)}
        self.total = len(plan.steps)
        self.started: dict[str, float] = {}
        self.quarters: dict[str, int] = {}
        self.out = out

    def __call__(self, event: Any) -> None:
        from tui.core.present.progress import log_text
        from tui.core.vch import events as ev

        if isinstance(event, ev.StepChanged):
            label = f"[{self.numbers[event.key]:>2}/{self.total}] {self.titles[event.key]}"
            if event.state == ev.RUNNING:
                self.started[event.key] = event.at
                self._line(f"{label} ...")
            elif event.state in (ev.DONE, ev.FAILED, ev.ROLLED_BACK, ev.ROLLBACK_FAILED):
                took = event.at - self.started.get(event.key, event.at)
                extra = f" ({took:.1f} s)" if event.state in (ev.DONE, ev.FAILED) else ""
                self._line(f"{label}: {event.state}{extra}" + (f": {event.message}" if event.message else ""))
        elif isinstance(event, ev.BytesSent):
            quarter = event.done * 4 // event.total if event.total else 4
            if quarter != self.quarters.get(event.label, -1):
                self.quarters[event.label] = quarter
                self._line(f"        {event.label}: {event.done:,} of {event.total:,} bytes ({quarter * 25} %)")
        elif isinstance(event, ev.LogLine):
            self._line(f"        {log_text(event)}")

    def _line(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _print_result(result, as_json: bool, out=None, err=None) -> None:
    from dataclasses import asdict

    from tui.core.present.inspect import rows_text
    from tui.core.present.outcome import NOTHING_LEFT, RunOutcome

    out, err = out or sys.stdout, err or sys.stderr
    if as_json:
        print(json.dumps(asdict(result), indent=2), file=out)
        return
    outcome = RunOutcome.of(result)
    if outcome.ok:
        print(outcome.headline, file=out)
        print(rows_text(outcome.facts), file=out)
        print("  docker environment:", file=out)
        for line in outcome.exports:
            print(f"    {line}", file=out)
        return
    print(f"{outcome.headline}: {outcome.error}", file=err)
    if outcome.removed:
        print("rolled back: " + "; ".join(outcome.removed), file=err)
    if outcome.left:
        print("LEFT BEHIND: " + "; ".join(outcome.left), file=err)
        print(f"  remove it with: {outcome.remedy}", file=err)
    elif outcome.clean:
        print(NOTHING_LEFT, file=err)


def ops_credentials(args: argparse.Namespace, ops_user: str | None):
    """The ops user's credentials from --ops-password-file or VIC_MACHINE_OPS_PASSWORD; None = the login's.
    Checked before connecting: a missing or stray password is invalid input (exit 2) naming the field."""
    from tui.core.spec.ops_user import ops_password_from_env, resolve_ops_credentials

    path = getattr(args, "ops_password_file", None)
    password = read_password_file(path, flag="--ops-password-file") if path else ops_password_from_env()
    return resolve_ops_credentials(ops_user, password)


def run(args: argparse.Namespace) -> int:
    from pyVmomi import vmodl

    from tui.core.present.command import vic_machine_command
    from tui.core.spec.answers import load_answers
    from tui.core.vch.build import build_plan
    from tui.core.vch.plan import RunOptions, datastore_folder_problems
    from tui.core.vch.prerequisites import PERSIST_NETWORK_BACKING, read_prerequisites, set_persist_backing
    from tui.core.vch.validate_target import load_target_facts
    from tui.core.vsphere.faults import target_read_failed

    try:
        spec = load_answers(args.answers)
    except ProblemsError as err:
        _print_problems(err.problems, args.json, args.answers)
        return ExitCode.INVALID
    ops = ops_credentials(args, spec.ops_user)
    with open_session(args) as session:
        try:
            plan = build_plan(spec, load_target_facts(session), RunOptions(ops=ops))
            problems = datastore_folder_problems(session, plan)
            if problems:
                raise ProblemsError(problems + plan.warnings)
            prerequisites = read_prerequisites(session, plan.targets.compute.hosts)
            plan.warnings.extend(prerequisites.problems())
        except ProblemsError as err:
            _print_problems(err.problems, args.json, args.answers)
            return ExitCode.INVALID
        except VchError:
            raise
        except (vmodl.MethodFault, OSError, http.client.HTTPException) as exc:  # a fault at plan time
            raise target_read_failed(exc) from None
        command = vic_machine_command(plan.spec, session)
        if args.dry_run:
            if args.json:
                print(json.dumps({"ok": True, "plan": plan.to_json(), "vic_machine": command}, indent=2))
            else:
                print(format_plan(plan, command))
            return ExitCode.OK
        if not args.json:
            print(format_plan(plan, command), file=sys.stderr)
        stop = _confirm(args, plan)
        if stop is not None:
            return stop
        if prerequisites.persist_backing_missing:  # the confirmation (or --yes) is the consent the plan asked for
            set_persist_backing(session)
            print(f"set {PERSIST_NETWORK_BACKING} = true on vCenter", file=sys.stderr)
        return _provision(session, plan, args.json)


def _provision(session, plan, as_json: bool) -> int:
    from tui.core.cancel import CancelToken
    from tui.core.vch.runner import run_plan

    token = CancelToken()
    names = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM", signal.SIGHUP: "SIGHUP"}

    def interrupted(signum, frame) -> None:
        if token.cancelled:
            token.abandon()
            print(
                f"\n{names.get(signum, signum)} again: stopping the rollback; what is left is listed below",
                file=sys.stderr,
                flush=True,
            )
            raise KeyboardInterrupt
        token.cancel()
        print(
            f"\n{names.get(signum, signum)}: cancelling: the current call finishes, then everything this run "
            "created is rolled back (a second signal stops the rollback)",
            file=sys.stderr,
            flush=True,
        )

    previous = {sig: signal.signal(sig, interrupted) for sig in names}
    try:
        result = run_plan(plan, session, on_event=ProgressPrinter(plan), cancel=token)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    _print_result(result, as_json)
    return ExitCode.OK if result.ok else ExitCode.FAILED
