"""The `vch-tui` argument parser: the top-level options and one subparser per command."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from tui import __version__
from tui.cli.options import add_connection_options
from tui.core.errors import ExitCode

COMMANDS = {
    "create": "create a VCH from an answers file (or validate it with --dry-run)",
    "ls": "list the VCHs on the target",
    "inspect": "show one VCH: spec, endpoint, docker environment, API health",
    "delete": "delete a VCH and everything it owns",
    "top": "live per-container contention (headless, or --json)",
    "export": "serve the contention metrics to Prometheus (/metrics), or print alerting rules / a dashboard",
    "demo": "start a simulated vSphere and open the TUI on it",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with a hint
        self.print_usage(sys.stderr)
        self.exit(ExitCode.INVALID, f"{self.prog}: error: {message}\n  see '{self.prog} --help'\n")


def command_module(name: str):
    return importlib.import_module(f"tui.cli.commands.{name}")


def build_parser(words: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given the command line's `words`, only the commands named in it get their options
    (and their modules imported): the others keep their name and summary, all `--help` lists."""
    parser = _Parser(
        prog="vch-tui",
        description="Create, provision and watch vSphere Integrated Containers Virtual Container Hosts. "
        "Without a subcommand, opens the terminal UI.",
        epilog="exit codes: 0 ok, 1 operation failed, 2 invalid input or usage, 3 connection or trust failure",
    )
    parser.add_argument("--version", action="version", version=f"vch-tui {__version__}")
    parser.add_argument("--theme", help="colour theme for the TUI (vch-dark, vch-light, vch-contrast)")
    add_connection_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, summary in COMMANDS.items():
        cmd = sub.add_parser(name, help=summary, description=summary)
        if words is None or name in words:
            add_connection_options(cmd, top_level=False)
            command_module(name).configure(cmd)
    return parser
