"""`vch-tui` entry point. Imports stay lazy: `--version` loads nothing but this module and `tui` (not even
argparse), and a command loads its own module only (see build_parser)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from tui import __version__

if TYPE_CHECKING:
    import argparse


def _run_tui(args: argparse.Namespace) -> int:
    from tui.cli.options import connect_options
    from tui.core.errors import ExitCode, VchError

    try:
        opts = connect_options(args, interactive=False)
    except VchError:
        opts = None  # the connect screen asks for what is missing
    from tui.ui.app import VchApp

    VchApp(connect_options=opts, theme=args.theme).run()
    return ExitCode.OK


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if words == ["--version"]:  # what argparse's version action prints, without building the parser
        print(f"vch-tui {__version__}")
        return 0
    from tui.cli.parser import build_parser, command_module
    from tui.core.errors import VchError

    parser = build_parser(words)
    # Subcommand options may also come before the subcommand (vch-tui --target X ls); merge both.
    args = parser.parse_args(words)
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
