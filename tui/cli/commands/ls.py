"""`vch-tui ls`: the VCHs on the target, recognised by VIC's own configuration as vic-machine ls does (so the
VCHs vic-machine made are listed, and vch-tui's are listed by vic-machine), in the datacenter --target names."""

from __future__ import annotations

import argparse
import json

from tui.cli.options import open_session
from tui.core.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def run(args: argparse.Namespace) -> int:
    from tui.core.present.listing import COLUMNS, incomplete_note, vch_row
    from tui.core.vch.site import list_vchs

    with open_session(args) as session:
        vchs = list_vchs(session)
    if args.json:
        print(json.dumps([v.to_json() for v in vchs], indent=2))
        return ExitCode.OK
    print(table([COLUMNS, *(vch_row(v) for v in vchs)]))
    note = incomplete_note(vchs)
    if note:
        print(f"\n{note}")
    return ExitCode.OK
