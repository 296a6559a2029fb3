"""`vch-tui top`: not implemented in this build yet."""

from __future__ import annotations

import argparse
import sys

from tui.core.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    print("vch-tui top: not available in this build yet", file=sys.stderr)
    return ExitCode.FAILED
