"""CPU used between refreshes: the real Monitor screen holding N containers, headless, while nothing arrives.

    .venv/bin/python benchmarks/idle_cpu.py [--containers 1000] [--seconds 10] [--size 120x36]

The app runs under Textual's Pilot (app.run_test, headless) with the Monitor screen open on the shipped
seed-story recording, paused at its end (so the replay adds nothing), and is handed one sample of N
containers (as ui_update.py makes them). Then, for --seconds, nothing happens: the process's CPU time
(every thread: time.process_time) over that wall-clock window is what the dashboard costs at rest
(timers, animations, repaints). Headless, so writing to a terminal is not counted; what a repaint
costs before it is written is.

Target (issue 15): <= 2% of a core at 1000 containers.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui_update import make_samples, open_story, terminal_size  # noqa: E402

TARGET_PCT = 2.0


async def run(containers: int, seconds: float, size: tuple[int, int]) -> dict:
    from tui.ui.app import VchApp
    from tui.ui.monitor.table import ContainerTable

    app = VchApp()
    async with app.run_test(size=size) as pilot:
        screen = await open_story(app, pilot)
        screen._apply((screen.model.t or 0.0) + 20, make_samples(screen.model.snapshots, containers, 1))
        await pilot.pause(1.0)  # the paint that follows the sample, and whatever settles after it
        table = screen.query_one(ContainerTable)
        painted = [0]
        real = table.render_line

        def counted(y: int):
            painted[0] += 1
            return real(y)

        table.render_line = counted  # type: ignore[method-assign]
        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.sleep(seconds)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return {"rows": table.row_count, "wall": wall, "cpu": cpu, "table_lines_painted": painted[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--containers", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--size", default="120x36", help="terminal WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    r = asyncio.run(run(args.containers, args.seconds, terminal_size(args.size)))
    pct = 100 * r["cpu"] / r["wall"]
    print(
        f"Monitor screen at rest, headless Pilot at {args.size}: {r['rows']} containers, "
        f"{r['wall']:.1f} s without a refresh"
    )
    print(
        f"  process CPU {r['cpu'] * 1000:.0f} ms = {pct:.2f}% of a core; table lines painted {r['table_lines_painted']}"
    )
    met = pct <= TARGET_PCT
    print(
        f"  idle CPU target <= {TARGET_PCT:.0f}% of a core: "
        f"{'met' if met else f'MISSED by {pct - TARGET_PCT:.1f} points ({pct / TARGET_PCT:.1f}x)'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
