"""`vch-tui delete NAME [--force]`: remove a VCH as vic-machine delete does: its container VMs, its images (only
under its image store folder), the endpoint VM with its datastore folder and ISOs, its VM folder and resource pool.

Refuses while container VMs are powered on, and for a VCH of another VIC version, unless --force. Volume stores
are kept unless --force (as with vic-machine), and never one another VCH uses. VMs VIC protected from deletion
are unprotected first (EnableMethods). Never touches anything outside the VCH.
Exit codes: 0 removed, 1 refused or something could not be removed, 2 no such VCH, 3 connection/trust.
"""

from __future__ import annotations

import argparse
import json
import sys

from tui.cli.options import open_session
from tui.core.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the VCH's name (or its endpoint VM id from ls --json)")
    parser.add_argument(
        "--force",
        "-f",
        action="store_true",
        help="also power off and delete running container VMs, delete a VCH of another VIC version, "
        "and remove its volume stores (as vic-machine delete --force)",
    )
    parser.add_argument("--json", action="store_true", help="print what was removed and what is left as JSON")


def run(args: argparse.Namespace) -> int:
    from tui.core.present.outcome import DeleteOutcome
    from tui.core.present.progress import log_text
    from tui.core.vch.events import LogLine
    from tui.core.vch.teardown import DeleteRefused, delete_vch, plan_delete

    def show(event) -> None:
        if isinstance(event, LogLine) and not args.json:
            print(f"  {log_text(event)}", file=sys.stderr, flush=True)

    with open_session(args) as session:
        plan = plan_delete(session, args.name)
        if not args.json:
            print(f"Deleting VCH {plan.name!r}:", file=sys.stderr)
        try:
            result = delete_vch(session, plan, force=args.force, on_event=show)
        except DeleteRefused as err:
            if args.json:
                print(json.dumps({"name": plan.name, "refused": str(err), "removed": [], "left": []}, indent=2))
            else:
                print(f"vch-tui: {err}", file=sys.stderr)
            return ExitCode.FAILED
    if args.json:
        print(
            json.dumps(
                {
                    "name": result.name,
                    "removed": result.removed,
                    "left": result.left,
                    "kept": plan.kept(force=args.force),
                },
                indent=2,
            )
        )
        return ExitCode.OK if result.ok else ExitCode.FAILED
    outcome = DeleteOutcome.of(result)
    print(outcome.headline, file=sys.stdout if outcome.ok else sys.stderr)
    if outcome.remedy:
        print(f"  {outcome.remedy}", file=sys.stderr)
    return ExitCode.OK if outcome.ok else ExitCode.FAILED
