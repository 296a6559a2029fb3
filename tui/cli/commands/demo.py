"""`vch-tui demo`: start a simulated vCenter on 127.0.0.1 with two seeded VCHs and open the TUI connected to it."""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys

from tui.core.errors import ExitCode

WEB_DEFAULT = "127.0.0.1:8000"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--listen", default="127.0.0.1:0", help="address for the simulator (default: a free port)")
    parser.add_argument(
        "--no-tui", action="store_true", help="only run the simulator and print how to reach it, until Ctrl-C"
    )
    parser.add_argument(
        "--iso-dir",
        metavar="DIR",
        help="put the placeholder ISOs (appliance.iso, bootstrap.iso) in DIR and keep them there (made if "
        "missing; ISOs already there are used); the TUI starts there, so the wizard finds them",
    )
    parser.add_argument(
        "--web",
        nargs="?",
        const=WEB_DEFAULT,
        metavar="HOST:PORT",
        help=f"serve the TUI in a browser instead of this terminal (textual-serve; default address "
        f"{WEB_DEFAULT}, port 0 picks a free one)",
    )
    parser.add_argument(
        "--steady",
        action="store_true",
        help="hold every counter at the story's peak instead of playing its 10-minute loop "
        "(stable figures for tests and screenshots)",
    )


def _print_details(rig) -> None:
    sim = rig.simulator
    target = f"{sim.host}:{sim.port}"
    print(f"vSphere simulator on {sim.url}  (SHA-256 {sim.sha256})")
    print(f"user {sim.username}")
    print(f"password file {rig.password_file}  (random for this run, 0600, removed on exit)")
    print(f"VCHs: {', '.join(rig.vchs)}")
    from tui.vchsim.demo_seed import PLACEHOLDER_ISOS

    isos = [rig.workdir / name for name in PLACEHOLDER_ISOS]
    kept = "kept on exit" if rig.keep_workdir else "removed on exit"
    print(f"ISOs (placeholders the simulated appliance boots, {kept}): {' '.join(str(p) for p in isos)}")
    password = shlex.quote(str(rig.password_file))
    print(
        f'try:  VIC_MACHINE_PASSWORD="$(cat {password})" vch-tui ls --target {target} '
        f"--user {shlex.quote(sim.username)} --thumbprint {sim.sha256}"
    )
    print(rig.story_note())
    print("Ctrl-C stops the simulator", flush=True)


def _sigterm_as_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _demo_app(options, theme, start_dir=None):
    from tui.ui.app import VchApp

    return VchApp(connect_options=options, theme=theme, start_dir=start_dir)  # Ctrl-C quits, as in the app


def _web(rig, listen, theme: str | None) -> int:
    from tui.cli import web

    sim = rig.simulator
    command = web.child_command(f"{sim.host}:{sim.port}", sim.username, sim.sha256, theme)
    sock = web.bind(listen.host, listen.port)
    url = web.public_url(listen.host, sock.getsockname()[1])
    web.child_environment(sim.password.reveal())

    def ready(url: str) -> None:
        print(f"demo in your browser: {url}  (each tab runs its own vch-tui; VCHs: {', '.join(rig.vchs)})")
        if not listen.loopback:
            print(
                f"warning: {listen.label()} lets anyone who can reach it use the TUI on the simulator", file=sys.stderr
            )
        print("Ctrl-C stops the server and the simulator", flush=True)

    web.serve(command, sock, url, title="vch-tui demo", on_ready=ready)
    return ExitCode.OK


def run(args: argparse.Namespace) -> int:
    from tui.vchsim.demo import DemoRig

    if args.web is not None and args.no_tui:
        from tui.core.errors import InvalidInput

        raise InvalidInput(
            "--web and --no-tui cannot be combined",
            field="--web",
            hint="--web serves the TUI in a browser; --no-tui runs only the simulator",
        )
    listen = None
    if args.web is not None:  # bad input, or textual-serve missing: said before anything starts
        from tui.cli.web import _textual_serve
        from tui.core.export.server import Listen

        listen = Listen.parse(args.web, option="--web", default_port=8000)
        _textual_serve()
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)  # `kill` stops the simulator too, like Ctrl-C
    print("starting the vSphere simulator (the first run builds it, about a minute)...", file=sys.stderr)
    try:
        with DemoRig.start(args.listen, steady=args.steady, iso_dir=args.iso_dir) as rig:
            if args.no_tui:
                rig.write_password_file()
                _print_details(rig)
                signal.pause()
                return ExitCode.OK
            before = os.getcwd()
            os.chdir(rig.workdir)  # the wizard's default ISOs (./appliance.iso, ./bootstrap.iso) are here
            try:
                if listen is not None:
                    return _web(rig, listen, args.theme)  # the TUI processes inherit this folder
                app = _demo_app(rig.connect_options(), args.theme, start_dir=before)
                app.notes.append(rig.story_note()[:1].upper() + rig.story_note()[1:] + ".")
                app.run()
            finally:
                os.chdir(before)
            return ExitCode.OK if not app.return_code else ExitCode.FAILED
    except KeyboardInterrupt:
        print("demo stopped", file=sys.stderr)
    return ExitCode.OK
