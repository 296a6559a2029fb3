"""`vch-tui inspect NAME`: the VCH's spec (limits, networks, firewall levels, TLS mode, certificate expiry),
the endpoint's state and address, its docker environment, and whether the Docker API answers.

Exit codes: 0 shown (whatever the API answered), 2 no such VCH, 3 connection/trust.
"""

from __future__ import annotations

import argparse
import json

from tui.cli.options import open_session
from tui.core.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the VCH's name (or its endpoint VM id from ls --json)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--no-probe", action="store_true", help="do not call the Docker API")


def format_sections(sections: list[tuple[str, list[tuple[str, str]]]]) -> str:
    lines: list[str] = []
    for title, rows in sections:
        if lines:
            lines.append("")
        lines.append(title)
        width = max((len(label) for label, _ in rows), default=0)
        lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from tui.core.vch.listing import inspect_vch, inspection_sections

    with open_session(args) as session:
        result = inspect_vch(session, args.name, probe=not args.no_probe)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(format_sections(inspection_sections(result)))
    return ExitCode.OK
