"""`vch-tui` entry point. Imports stay lazy: `--version` must not load textual or pyvmomi."""

from __future__ import annotations

import argparse
import sys

from tui.cli.parser import build_parser, command_module
from tui.core.errors import ExitCode, VchError


def _run_tui(args: argparse.Namespace) -> int:
    from tui.cli.options import connect_options

    try:
        opts = connect_options(args, interactive=False)
    except VchError:
        opts = None  # the connect screen asks for what is missing
    from tui.ui.app import VchApp

    VchApp(connect_options=opts, theme=args.theme).run()
    return ExitCode.OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    # Subcommand options may also come before the subcommand (vch-tui --target X ls); merge both.
    args = parser.parse_args(argv)
    try:
        if not args.command:
            return _run_tui(args)
        return int(command_module(args.command).run(args))
    except VchError as err:
        print(f"vch-tui: {err}", file=sys.stderr)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print("vch-tui: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
