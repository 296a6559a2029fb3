"""`vch-tui top`: live per-container contention, headless (a compact table or JSON per refresh).

    vch-tui top [--vch NAME] [--interval S] [--once] [--json] [--record FILE] [--replay FILE]

--replay FILE opens the recording in the TUI (pause, step, seek; no vCenter). With --json or --once it
prints the recorded refreshes instead. `--replay seed-story` plays the shipped demo recording.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tui.core.errors import ConnectionFailed, ExitCode, InvalidInput


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vch", metavar="NAME", help="only this VCH (default: every VCH on the target)")
    parser.add_argument(
        "--interval",
        metavar="S",
        type=float,
        help="seconds between refreshes (default: refresh_interval of the config file, else 2)",
    )
    parser.add_argument("--once", action="store_true", help="one refresh, then exit")
    parser.add_argument(
        "--json", action="store_true", help="JSON instead of a table (one document per line; pretty with --once)"
    )
    parser.add_argument(
        "--record",
        metavar="FILE",
        help="store every refresh with its timestamp (JSON lines; gzip when FILE ends in .gz)",
    )
    parser.add_argument(
        "--replay", metavar="FILE", help="play a recording in the TUI without vCenter (`seed-story`: the shipped demo)"
    )


def _settings(args: argparse.Namespace):
    from tui.core.metrics.thresholds import Thresholds
    from tui.core.settings.config import MAX_REFRESH_INTERVAL, MIN_REFRESH_INTERVAL, Config

    config = Config.load()
    interval = config.refresh_interval if args.interval is None else args.interval
    if not MIN_REFRESH_INTERVAL <= interval <= MAX_REFRESH_INTERVAL:
        raise InvalidInput(
            f"--interval must be from {MIN_REFRESH_INTERVAL:g} to {MAX_REFRESH_INTERVAL:g} seconds, got {interval:g}",
            field="--interval",
            hint="e.g. --interval 2",
        )
    return config, interval, Thresholds.from_dict(config.thresholds)


def _emit(args: argparse.Namespace, t: float, snapshots, lines: list[str] | None = None) -> None:
    from tui.core.monitor.text_table import json_document

    if args.json:
        doc = json_document(snapshots, args.vch)
        print(json.dumps(doc, indent=2) if args.once else json.dumps(doc, separators=(",", ":")), flush=True)
    else:
        print("\n".join(lines or []), flush=True)


def run(args: argparse.Namespace) -> int:
    if args.replay:
        if args.record:
            raise InvalidInput(
                "--record and --replay cannot be combined",
                field="--record",
                hint="a replay reads a recording; record from a live target instead",
            )
        return _replay(args)
    return _live(args)


def _live(args: argparse.Namespace) -> int:
    from tui.cli.options import open_session
    from tui.core.metrics.record import Recorder
    from tui.core.monitor.collector import Collector, unknown_vch
    from tui.core.monitor.text_table import refresh_lines

    _, interval, thresholds = _settings(args)
    recorder = None
    if args.record:
        recorder = Recorder(args.record, meta={"interval": interval, "vch": args.vch})
    session = None
    collector = None
    try:
        session = open_session(args)
        collector = Collector(session, vch=args.vch, thresholds=thresholds)
        first = True
        while True:
            started = time.monotonic()
            refresh = collector.refresh()
            if first and refresh.live and args.vch is not None and args.vch not in refresh.vch_names:
                raise unknown_vch(args.vch, refresh.vch_names)
            first = first and not refresh.live
            if refresh.live:
                if recorder is not None and not recorder.write(refresh.t, refresh.snapshots):
                    print(
                        f"vch-tui top: recording {args.record} is full ({recorder.frames} refreshes); "
                        "not recording any more",
                        file=sys.stderr,
                    )
                    recorder.close()
                    recorder = None
                if args.json:
                    for problem in refresh.problems:
                        print(f"vch-tui top: {problem}", file=sys.stderr)
                    _emit(args, refresh.t, refresh.snapshots)
                else:
                    _emit(args, refresh.t, refresh.snapshots, refresh_lines(refresh))
            elif args.once:
                raise ConnectionFailed("; ".join(refresh.problems))
            else:
                print("\n".join(refresh_lines(refresh)), file=sys.stderr if args.json else sys.stdout, flush=True)
            if args.once:
                return ExitCode.OK
            wait = interval if refresh.live else min(interval, refresh.retry_in_s or interval)
            time.sleep(max(0.0, started + wait - time.monotonic()) if refresh.live else wait)
    except KeyboardInterrupt:
        return ExitCode.OK  # Ctrl-C is how a live top ends
    finally:
        if collector is not None:
            collector.close()
        if recorder is not None:
            recorder.close()
        if session is not None:
            session.logout()


def _replay(args: argparse.Namespace) -> int:
    from tui.vchsim.story_file import resolve_recording

    path = resolve_recording(args.replay)
    if not (args.json or args.once):
        from tui.ui.monitor.replay_app import run_replay

        run_replay(path, vch=args.vch, theme=getattr(args, "theme", None))
        return ExitCode.OK
    from tui.core.metrics.record import Recording
    from tui.core.monitor.refresh import Refresh, unknown_vch
    from tui.core.monitor.text_table import refresh_lines

    with Recording(path) as recording:
        for index in range(len(recording)):
            frame = recording.frame(index)
            snapshots = frame.snapshots
            if args.vch is not None:
                snapshots = tuple(s for s in snapshots if s.vch.name == args.vch)
                if not snapshots:
                    raise unknown_vch(args.vch, [s.vch.name for s in frame.snapshots])
            refresh = Refresh(t=frame.t, snapshots=snapshots, vch_names=tuple(s.vch.name for s in frame.snapshots))
            _emit(args, frame.t, snapshots, refresh_lines(refresh))
            if args.once:
                break
    return ExitCode.OK
