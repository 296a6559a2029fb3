"""The UI thread's work per refresh at 10,000 containers, through the real Monitor screen, headless.

    .venv/bin/python benchmarks/ui_update.py [--containers 10000] [--refreshes 5] [--size 120x36]

Runs the app under Textual's Pilot (app.run_test, headless) with the Monitor screen open on the
shipped seed-story recording (paused at its end, so the replay adds nothing), then hands the screen
--refreshes new samples of N containers, made from the story's last frame (the same VCH headers,
containers copied under distinct VM ids, values moved every refresh so cells really change). Each
sample goes through MonitorScreen._apply, exactly what the Refreshed handler calls on a new vSphere
sample: history, alert log, filter + sort, the table's keyed update, the header panel. Timed on the UI
thread (the app's event loop), then the paint that follows (pilot.pause()) is timed too.

Target (issue 15): under 100 ms of UI-thread work per refresh at 10,000 containers.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 100.0


def make_samples(template, containers: int, step: int):
    """`containers` containers spread over the template's VCHs, values moved by `step`."""
    per_vch = -(-containers // len(template))
    out = []
    made = 0
    for snap in template:
        rows = []
        base = snap.containers
        for i in range(min(per_vch, containers - made)):
            c = base[i % len(base)]
            m = c.metrics
            moved = {
                f.name: (None if getattr(m, f.name) is None else getattr(m, f.name) + ((i + step) % 7) * 0.5)
                for f in dataclasses.fields(m)
            }
            rows.append(
                dataclasses.replace(
                    c, vm=f"vm-b{made + i}", name=f"{c.name}-{made + i}", metrics=dataclasses.replace(m, **moved)
                )
            )
        made += len(rows)
        out.append(dataclasses.replace(snap, containers=tuple(rows)))
    return tuple(out)


async def run(containers: int, refreshes: int, size: tuple[int, int]) -> dict:
    from tui.ui.app import VchApp
    from tui.ui.monitor import MonitorScreen
    from tui.ui.monitor.table import ContainerTable
    from tui.vchsim import story

    app = VchApp()
    results: dict = {"apply_ms": [], "paint_ms": []}
    async with app.run_test(size=size) as pilot:
        screen = MonitorScreen(replay=story.PATH, replay_position=-1, replay_paused=True, local_time=time.gmtime)
        app.push_screen(screen)
        for _ in range(400):
            await pilot.pause(0.05)
            if screen.replay_total and not screen._replay_busy and screen._replay_pending is None:
                break
        else:
            raise RuntimeError("the seed-story replay did not load")
        template = screen.model.snapshots
        samples = [make_samples(template, containers, step) for step in range(refreshes + 1)]
        t = (screen.model.t or 0.0) + 20
        for n, snaps in enumerate(samples):
            started = time.perf_counter()
            screen._apply(t, snaps)
            applied = time.perf_counter()
            await pilot.pause()
            painted = time.perf_counter()
            if n == 0:
                results["first_apply_ms"] = (applied - started) * 1000
            else:
                results["apply_ms"].append((applied - started) * 1000)
                results["paint_ms"].append((painted - applied) * 1000)
            t += 20
        table = screen.query_one(ContainerTable)
        results["rows"] = table.row_count
        results["history"] = len(screen.model.history)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--containers", type=int, default=10_000)
    parser.add_argument("--refreshes", type=int, default=5)
    parser.add_argument("--size", default="120x36")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    r = asyncio.run(run(args.containers, args.refreshes, (width, height)))
    apply_ms = statistics.median(r["apply_ms"])
    paint_ms = statistics.median(r["paint_ms"])
    print(
        f"Monitor screen, headless Pilot at {args.size}: {args.containers} containers, table rows {r['rows']}, "
        f"history of {r['history']} containers"
    )
    print(f"  first sample (every row added):      {r['first_apply_ms']:8.1f} ms on the UI thread")
    print(
        f"  later samples, median of {len(r['apply_ms'])} (keyed): {apply_ms:8.1f} ms on the UI thread, "
        f"then {paint_ms:.1f} ms to paint"
    )
    met = apply_ms <= TARGET_MS
    print(
        f"  UI-thread update per refresh target < {TARGET_MS:.0f} ms: "
        f"{'met' if met else f'MISSED by {apply_ms - TARGET_MS:.0f} ms ({apply_ms / TARGET_MS:.1f}x)'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
