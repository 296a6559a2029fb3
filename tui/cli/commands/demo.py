"""`vch-tui demo`: start a simulated vCenter on 127.0.0.1 and open the TUI connected to it."""

from __future__ import annotations

import argparse
import signal
import sys

from tui.core.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--listen", default="127.0.0.1:0", help="address for the simulator (default: a free port)")
    parser.add_argument("--no-tui", action="store_true",
                        help="only run the simulator and print how to reach it, until Ctrl-C")


def _print_details(rig) -> None:
    sim = rig.simulator
    print(f"vSphere simulator on {sim.url}  (SHA-256 {sim.sha256})")
    print(f"user {sim.username}; the password is random for this run and is not printed")


def run(args: argparse.Namespace) -> int:
    from tui.core.demo import DemoRig

    print("starting the vSphere simulator (the first run builds it, about a minute)...", file=sys.stderr)
    with DemoRig.start(args.listen) as rig:
        if args.no_tui:
            _print_details(rig)
            try:
                signal.pause()
            except KeyboardInterrupt:
                pass
            return ExitCode.OK
        from tui.app import VchApp

        VchApp(connect_options=rig.connect_options(), theme=args.theme).run()
    return ExitCode.OK
