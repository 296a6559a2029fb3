"""`vch-tui export`: the contention metrics of every container for Prometheus (OpenMetrics /metrics).

    vch-tui export [--listen 127.0.0.1:9273] [--vch NAME...] [--interval 20s]
                   [--web-user NAME --web-password-file FILE] [--tls-cert FILE --tls-key FILE]
    vch-tui export --print-rules | --print-dashboard

One collector refreshed in the background serves every scrape; a scrape never calls vSphere. Basic
auth's password comes from --web-password-file or VCH_TUI_EXPORT_PASSWORD, never from the command line.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from pathlib import Path

from tui.core.errors import ConnectionFailed, ExitCode, InvalidInput

DEFAULT_LISTEN = "127.0.0.1:9273"
DEFAULT_INTERVAL = "20s"
PASSWORD_ENV = "VCH_TUI_EXPORT_PASSWORD"
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h)?$")
_SCALE = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--listen",
        default=DEFAULT_LISTEN,
        metavar="HOST:PORT",
        help=f"address to serve /metrics on (default {DEFAULT_LISTEN}; port 0 picks a free one)",
    )
    parser.add_argument(
        "--vch", metavar="NAME", nargs="+", action="extend", help="only these VCHs (default: every VCH on the target)"
    )
    parser.add_argument(
        "--interval",
        default=DEFAULT_INTERVAL,
        metavar="DURATION",
        help=f"time between refreshes: 20s, 1m, 500ms (default {DEFAULT_INTERVAL}, vSphere's realtime interval)",
    )
    auth = parser.add_argument_group("serving beyond loopback (as the Prometheus exporter toolkit)")
    auth.add_argument("--web-user", metavar="NAME", help="require HTTP basic auth with this user name")
    auth.add_argument(
        "--web-password-file",
        metavar="FILE",
        help=f"the basic-auth password (first line of FILE, which must not be readable by others); "
        f"else the {PASSWORD_ENV} environment variable",
    )
    auth.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this PEM certificate (chain)")
    auth.add_argument("--tls-key", metavar="FILE", help="the PEM private key of --tls-cert")
    out = parser.add_mutually_exclusive_group()
    out.add_argument(
        "--print-rules",
        action="store_true",
        help="print Prometheus alerting rules for the thresholds of your config file, then exit",
    )
    out.add_argument(
        "--print-dashboard",
        action="store_true",
        help="print the Grafana dashboard JSON for the thresholds of your config file, then exit",
    )


def parse_duration(text: str, *, option: str = "--interval") -> float:
    from tui.core.settings.config import MAX_REFRESH_INTERVAL, MIN_REFRESH_INTERVAL

    match = _DURATION.match(text.strip())
    if not match:
        raise InvalidInput(f"{option} {text!r} is not a duration", field=option, hint="e.g. 20s, 1m or 500ms")
    seconds = float(match.group(1)) * _SCALE[match.group(2)]
    if not MIN_REFRESH_INTERVAL <= seconds <= MAX_REFRESH_INTERVAL:
        raise InvalidInput(
            f"{option} must be from {MIN_REFRESH_INTERVAL:g} s to {MAX_REFRESH_INTERVAL:g} s, got {seconds:g} s",
            field=option,
            hint="e.g. --interval 20s",
        )
    return seconds


def _auth(args: argparse.Namespace):
    from tui.core.export.server import BasicAuth
    from tui.core.secret import Secret

    if args.web_password_file and not args.web_user:
        raise InvalidInput(
            "--web-password-file needs --web-user",
            field="--web-user",
            hint="e.g. --web-user prometheus --web-password-file /etc/vch-tui/export-password",
        )
    if not args.web_user:
        return None
    if args.web_password_file:
        path = Path(args.web_password_file)
        try:
            mode = path.stat().st_mode
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(
                f"--web-password-file {path}: {exc.strerror or exc}",
                field="--web-password-file",
                hint="a file holding the password on its first line",
            ) from None
        if mode & 0o077:
            raise InvalidInput(
                f"--web-password-file {path} can be read by other users ({mode & 0o777:o})",
                field="--web-password-file",
                hint=f"chmod 600 {path}",
            )
        password = text.splitlines()[0] if text else ""
    else:
        password = os.environ.get(PASSWORD_ENV, "")
    if not password:
        raise InvalidInput(
            "--web-user needs a password",
            field="--web-password-file",
            hint=f"put it in a 0600 file passed with --web-password-file, or in {PASSWORD_ENV}",
        )
    return BasicAuth(args.web_user, Secret(password))


def _tls(args: argparse.Namespace):
    from tui.core.export.server import TlsFiles

    if bool(args.tls_cert) != bool(args.tls_key):
        missing = "--tls-key" if args.tls_cert else "--tls-cert"
        raise InvalidInput(
            f"{missing} is missing: TLS needs both a certificate and its key",
            field=missing,
            hint="--tls-cert server.pem --tls-key server-key.pem",
        )
    return TlsFiles(Path(args.tls_cert), Path(args.tls_key)) if args.tls_cert else None


def _thresholds():
    from tui.core.metrics.thresholds import Thresholds
    from tui.core.settings.config import Config

    return Thresholds.from_dict(Config.load().thresholds)


def _reporter():
    """Tell stderr when the collector loses or regains vCenter, and new problems (not every refresh)."""
    last: dict[str, object] = {"up": True, "problems": ()}

    def report(refresh, state) -> None:
        if state.up != last["up"]:
            print(
                "vch-tui export: "
                + ("vCenter reachable again" if state.up else f"reconnecting ({'; '.join(refresh.problems)})"),
                file=sys.stderr,
                flush=True,
            )
        elif state.up and refresh.problems and refresh.problems != last["problems"]:
            for problem in refresh.problems:
                print(f"vch-tui export: {problem}", file=sys.stderr, flush=True)
        last["up"], last["problems"] = state.up, refresh.problems

    return report


def _sigterm_as_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    thresholds = _thresholds()
    if args.print_rules:
        from tui.core.export.rules import rules_yaml

        sys.stdout.write(
            rules_yaml(
                thresholds,
                header="vch-tui alerting rules for Prometheus, written by "
                "`vch-tui export --print-rules` from the\n[thresholds] of your config file "
                "(defaults where it sets none).",
            )
        )
        return ExitCode.OK
    if args.print_dashboard:
        from tui.core.export.dashboard import dashboard_json

        sys.stdout.write(dashboard_json(thresholds))
        return ExitCode.OK
    from prometheus_client import CollectorRegistry

    from tui.cli.options import open_session
    from tui.core.export.families import StateCollector
    from tui.core.export.poller import Poller, SoapCallCounter
    from tui.core.export.server import Listen, MetricsServer
    from tui.core.monitor.collector import Collector, unknown_vch

    listen = Listen.parse(args.listen)
    interval = parse_duration(args.interval)
    auth, tls = _auth(args), _tls(args)
    if tls is not None:
        tls.context()  # bad files are invalid input before anything connects
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    session = collector = poller = server = None
    try:
        session = open_session(args)
        calls = SoapCallCounter(session.soap_stub)
        collector = Collector(session, vch=args.vch, thresholds=thresholds)
        poller = Poller(
            collector,
            vcenter=session.target_label,
            interval_s=interval,
            soap_calls=lambda: calls.count,
            on_refresh=_reporter(),
        )
        first = poller.poll_once()
        if not first.live:
            raise ConnectionFailed("; ".join(first.problems))
        for name in args.vch or ():
            if name not in first.vch_names:
                raise unknown_vch(name, first.vch_names)
        registry = CollectorRegistry(auto_describe=False)
        registry.register(StateCollector(poller.state))
        server = MetricsServer(registry, listen, tls=tls, auth=auth).start()
        containers = sum(len(s.containers) for s in first.snapshots)
        print(
            f"vch-tui export: serving {server.url} for {session.target_label}: {len(first.snapshots)} VCHs, "
            f"{containers} containers, refreshed every {interval:g} s",
            file=sys.stderr,
            flush=True,
        )
        if not listen.loopback and (auth is None or tls is None):
            print(
                f"vch-tui export: warning: {listen.label(server.port)} is reachable from other machines without "
                f"{'TLS' if tls is None else 'basic auth'}; see --tls-cert and --web-user",
                file=sys.stderr,
                flush=True,
            )
        poller.start()
        while True:
            signal.pause()
    except KeyboardInterrupt:
        return ExitCode.OK  # Ctrl-C or SIGTERM is how the exporter ends
    finally:
        if poller is not None:
            poller.stop()
        if server is not None:
            server.stop()
        if collector is not None:
            collector.close()
        if session is not None:
            session.logout()
