"""RSS of the `top` process with a full hour of history, at 1000 and 10,000 containers, in one run.

    .venv/bin/python benchmarks/memory.py [--vms 1000,10000] [--history 180] [--after 60]

For each N, a fresh child process (so one N's allocations do not count towards the next) starts the
simulator rig with N powered-on container VMs, makes their pool a VCH, and runs what `vch-tui top`
runs: Collector.refresh() (inventory kept current by WaitForUpdatesEx, raw QueryPerf) and
MonitorSession.apply(). The first refresh is a real one; to fill one hour of 20 s samples without
waiting an hour, the child then applies --history refreshes with new timestamps and values derived
from the real ones (the ring buffers are allocated once, so their size does not depend on the values),
reports RSS with the history full, applies --after more and reports the growth (target 0: nothing
grows once the buffers are full). The simulator is a separate process and is not counted.

Targets (issue 15): RSS <= 120 MB at 1000 containers, <= 400 MB at 10,000; growth after full 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MB = {1000: 120.0, 10_000: 400.0}
GROWTH_SLACK_MB = 2.0  # allocator noise; anything above is growth
VCH = "bench-mem"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _vary(snapshots, step: int):
    """The same containers with values moved by `step` (so every slot holds a distinct value)."""
    out = []
    for snap in snapshots:
        rows = []
        for c in snap.containers:
            m = c.metrics
            values = {
                f.name: (None if getattr(m, f.name) is None else getattr(m, f.name) + step * 0.01)
                for f in dataclasses.fields(m)
            }
            rows.append(dataclasses.replace(c, metrics=dataclasses.replace(m, **values)))
        out.append(dataclasses.replace(snap, containers=tuple(rows)))
    return out


def child(vms: int, history: int, after: int) -> dict:
    from tests.rig import vch_shape
    from tui.core.metrics import counters
    from tui.core.monitor.collector import Collector
    from tui.core.monitor.session import MonitorSession
    from tui.core.secret import Secret
    from tui.core.vsphere.connection import ConnectOptions, connect
    from tui.vchsim import simulator as rig

    values = {name: [1000 + 37 * n, 1200 + 37 * n] for n, name in enumerate(counters.COUNTER_NAMES)}
    scenario = {"interval": 20, "vms": {rig.SCALE_VM_PREFIX + "*": values}}
    sim = rig.Simulator(password=Secret("bench-Pa55word"), vms=vms, scenario=scenario).start()
    try:
        opts = ConnectOptions.resolve(
            target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password, thumbprint=sim.sha256, env={}
        )
        session = connect(opts)
        vch_shape.create_vch(
            session.content,
            VCH,
            cpu_limit_mhz=50_000,
            memory_limit_mb=100_000,
            pool=vch_shape.find_pool(session.content, rig.SCALE_POOL),
        )
        collector = Collector(session, vch=VCH)
        first = collector.refresh()
        assert first.live and len(first.samples()) == vms, (first.status, first.problems)
        model = MonitorSession(history)
        model.apply(first.t, first.snapshots)
        # Precomputed variants, so the measured process holds what `top` holds and not a growing list.
        variants = [_vary(first.snapshots, k) for k in range(1, 4)]
        t = first.t
        for i in range(history - 1):
            t += 20
            model.apply(t, variants[i % 3])
        gc.collect()
        full = rss_mb()
        stored = model.history.stored_values()
        for i in range(after):
            t += 20
            model.apply(t, variants[i % 3])
        gc.collect()
        end = rss_mb()
        result = {
            "vms": vms,
            "history": history,
            "after": after,
            "rss_full_mb": full,
            "rss_after_mb": end,
            "history_bytes": model.history.allocated_bytes(),
            "stored_values": stored,
            "stored_after": model.history.stored_values(),
            "containers_in_history": len(model.history),
        }
        collector.close()
        session.logout()
        return result
    finally:
        sim.stop()


def report(r: dict) -> bool:
    target = TARGET_MB.get(r["vms"])
    growth = r["rss_after_mb"] - r["rss_full_mb"]
    print(
        f"{r['vms']:>6} containers, history full ({r['history']} samples = {r['history'] * 20 / 60:.0f} min "
        f"of 20 s samples): RSS {r['rss_full_mb']:.1f} MB; history buffers {r['history_bytes'] / 2**20:.1f} MB "
        f"({r['stored_values']} values)"
    )
    ok = True
    if target is not None:
        met = r["rss_full_mb"] <= target
        ok &= met
        how = "met" if met else f"MISSED by {r['rss_full_mb'] - target:.1f} MB"
        print(f"{'':8}RSS target <= {target:.0f} MB: {how}")
    grown = growth > GROWTH_SLACK_MB or r["stored_after"] != r["stored_values"]
    ok &= not grown
    print(
        f"{'':8}after {r['after']} more samples: RSS {r['rss_after_mb']:.1f} MB, growth {growth:+.1f} MB, "
        f"values held {r['stored_after']} (target 0 growth: {'MISSED' if grown else 'met'})"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", default="1000,10000", help="comma-separated container counts")
    parser.add_argument("--history", type=int, default=180, help="samples per container (180 = 1 h at 20 s)")
    parser.add_argument("--after", type=int, default=60, help="samples applied after the history is full")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the results as JSON lines too")
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.history, args.after)))
        return 0
    ok = True
    for vms in (int(v) for v in args.vms.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(vms), "--history", str(args.history), "--after", str(args.after)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(f"{vms} containers: the child failed (exit {out.returncode}):\n{out.stderr[-2000:]}")
            ok = False
            continue
        result = json.loads(out.stdout.strip().splitlines()[-1])
        if args.json:
            print(json.dumps(result))
        ok &= report(result)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
