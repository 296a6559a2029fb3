"""`vch-tui inspect NAME`: what vic-machine inspect shows (versions, upgrade status, ID, admin portal, bridge
range, published and management addresses, docker environment) plus the spec rebuilt from VIC's configuration
(limits, networks, container networks with firewall levels, stores, TLS mode and certificate expiry), the
container VMs, and whether the Docker API answers. `--config` prints the equivalent `vic-machine create`
command, like vic-machine's `inspect config`. No secret is needed or read.

Exit codes: 0 shown (whatever the API answered), 2 no such VCH, 3 connection/trust.
"""

from __future__ import annotations

import argparse
import json

from tui.cli.options import open_session
from tui.core.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the VCH's name (or its endpoint VM id from ls)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--no-probe", action="store_true", help="do not call the Docker API")
    parser.add_argument(
        "--config",
        action="store_true",
        help="print the equivalent vic-machine create command (as vic-machine inspect config)",
    )


def run(args: argparse.Namespace) -> int:
    from tui.core.errors import VchError
    from tui.core.present.inspect import inspection_sections, sections_text
    from tui.core.vch.inspection import inspect_vch

    with open_session(args) as session:
        result = inspect_vch(session, args.name, probe=not (args.no_probe or args.config))
    if args.config:
        if result.create_command is None:
            raise VchError(
                f"VCH {result.summary.name!r}: no vic-machine create command can be rebuilt",
                hint=result.spec_error or "its configuration is not VIC's (see vch-tui inspect)",
            )
        if args.json:
            print(json.dumps({"name": result.summary.name, "create_command": result.create_command}, indent=2))
        else:
            print(result.create_command)
        return ExitCode.OK
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(sections_text(inspection_sections(result)))
    return ExitCode.OK
