"""`vch-tui ls`: the VCHs on the target."""

from __future__ import annotations

import argparse
import json

from tui.cli.options import open_session
from tui.core.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace) -> int:
    from tui.core.vchs import list_vchs

    with open_session(args) as session:
        vchs = list_vchs(session)
    if args.json:
        print(json.dumps([v.to_json() for v in vchs], indent=2))
        return ExitCode.OK
    rows = [("NAME", "PATH", "ENDPOINT VM", "POWER", "DOCKER HOST")]
    rows += [(v.name, v.path, v.endpoint_vm, v.power, v.docker_host or "-") for v in vchs]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return ExitCode.OK
