"""Soak the monitor: N containers refreshed every S seconds for M minutes; memory must stay flat.

    .venv/bin/python scripts/soak.py [--vms 1000] [--interval 1] [--minutes 30] [--history 180]

Runs exactly what the Monitor screen runs off-screen: Collector.refresh() (inventory watch + raw
QueryPerf) and MonitorSession.apply() (bounded history + alert log) against the simulator rig, whose
per-VM scenario makes values and states change all the time. Prints this process's RSS over time
and, at the end, the growth from the moment the history buffers were full (everything bounded is
allocated by then) to the end. Exit status 1 when that growth is above --max-growth-mb.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rig import vch_shape  # noqa: E402
from tui.core.metrics import counters  # noqa: E402
from tui.core.metrics.history import DEFAULT_MAXLEN  # noqa: E402
from tui.core.monitor.collector import Collector  # noqa: E402
from tui.core.monitor.session import MonitorSession  # noqa: E402
from tui.core.secret import Secret  # noqa: E402
from tui.core.vsphere.connection import ConnectOptions, connect  # noqa: E402
from tui.vchsim import simulator as rig  # noqa: E402

VCH = "soak"


def rss_mb(pid: str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _scenario() -> dict:
    # Every counter moves and the containers go ok -> crit -> ok every few seconds, so the alert log
    # keeps getting entries (it must stay bounded too). Zeros are dropped by the simulator (read as 0).
    values = {name: [0, 100 + 10 * n, 0, 2500 + n, 40 + n] for n, name in enumerate(counters.COUNTER_NAMES)}
    return {"interval": 1, "vms": {rig.SCALE_VM_PREFIX + "*": values}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--history", type=int, default=DEFAULT_MAXLEN, help="history length per container")
    parser.add_argument("--report-every", type=float, default=60.0, help="seconds between RSS lines")
    parser.add_argument("--max-growth-mb", type=float, default=10.0)
    args = parser.parse_args(argv)

    sim = rig.Simulator(password=Secret("soak-Pa55word"), vms=args.vms, scenario=_scenario()).start()
    try:
        opts = ConnectOptions.resolve(
            target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password, thumbprint=sim.sha256, env={}
        )
        session = connect(opts)
        vch_shape.create_vch(
            session.content,
            VCH,
            cpu_limit_mhz=10_000,
            memory_limit_mb=10_000,
            pool=vch_shape.find_pool(session.content, rig.SCALE_POOL),
        )
        collector = Collector(session, vch=VCH)
        model = MonitorSession(args.history)
        print(
            f"soak: {args.vms} containers, every {args.interval:g} s, for {args.minutes:g} min, history "
            f"{args.history} refreshes per container; RSS at start {rss_mb():.1f} MB",
            flush=True,
        )
        print(
            f"{'minute':>7} {'refreshes':>9} {'RSS MB':>8} {'sim RSS':>8} {'history values':>15} "
            f"{'alerts':>6} {'median ms':>9} {'problems':>8}",
            flush=True,
        )
        started = time.monotonic()
        end = started + args.minutes * 60
        next_report = started + args.report_every
        full_rss = None
        durations: list[float] = []
        problems = 0
        refreshes = 0
        while True:
            tick = time.monotonic()
            if tick >= end:
                break
            refresh = collector.refresh()
            durations.append(refresh.duration_s)
            if refresh.live:
                model.apply(refresh.t, refresh.snapshots)
                refreshes += 1
            problems += bool(refresh.problems)
            if full_rss is None and refreshes == args.history:
                gc.collect()
                full_rss = rss_mb()
                print(f"history full after {refreshes} refreshes: RSS {full_rss:.1f} MB", flush=True)
            now = time.monotonic()
            if now >= next_report:
                gc.collect()
                print(
                    f"{(now - started) / 60:7.1f} {refreshes:9d} {rss_mb():8.1f} {rss_mb(str(sim.pid)):8.1f} "
                    f"{model.history.stored_values():15d} {len(model.alerts):6d} "
                    f"{statistics.median(durations) * 1000:9.0f} {problems:8d}",
                    flush=True,
                )
                durations.clear()
                next_report += args.report_every
            time.sleep(max(0.0, tick + args.interval - time.monotonic()))
        collector.close()
        session.logout()
    finally:
        sim.stop()

    gc.collect()
    final = rss_mb()
    bound = len(model.history) * (len(counters.COUNTER_NAMES) + 1) * args.history
    print(
        f"\n{refreshes} refreshes; history holds {model.history.stored_values()} values "
        f"(bound {bound}), alert log {len(model.alerts)} entries (bound {model.alerts.entries.maxlen})"
    )
    if full_rss is None:
        print(
            f"RSS at the end {final:.1f} MB; the run was shorter than the history "
            f"({args.history} refreshes), so growth is not judged: use --history smaller or run longer"
        )
        return 0
    growth = final - full_rss
    verdict = "flat" if growth <= args.max_growth_mb else "GROWING"
    print(
        f"RSS when the history was full {full_rss:.1f} MB, at the end {final:.1f} MB: growth {growth:+.1f} MB "
        f"({verdict}; allowed {args.max_growth_mb:g} MB)"
    )
    return 0 if growth <= args.max_growth_mb else 1


if __name__ == "__main__":
    sys.exit(main())
