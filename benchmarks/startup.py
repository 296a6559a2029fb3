"""Start-up with a whole-process timer: `vch-tui --version` against `python -c pass`, and
`vch-tui top --replay seed-story --once`, in one run.

    .venv/bin/python benchmarks/startup.py [--rounds 7]

Targets (issue 15): --version <= 3x `python -c pass`; top --replay seed-story --once < 0.3 s.
Medians of --rounds, each a fresh process (subprocess.run wall time, fork to exit).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _median(cmd: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    py = sys.executable
    script = Path(py).parent / "vch-tui"  # the installed entry point, what a user runs
    cli = [str(script)] if script.exists() else [py, "-m", "tui.cli.main"]
    bare = _median([py, "-c", "pass"], args.rounds)
    version = _median([*cli, "--version"], args.rounds)
    top = _median([*cli, "top", "--replay", "seed-story", "--once"], args.rounds)
    ratio = version / bare
    print(f"python -c pass                          {bare * 1000:7.1f} ms")
    print(
        f"vch-tui --version                       {version * 1000:7.1f} ms = {ratio:.1f}x python -c pass   "
        f"(target <= 3x: {'met' if ratio <= 3 else f'MISSED by {ratio - 3:.1f}x'})"
    )
    print(
        f"vch-tui top --replay seed-story --once  {top * 1000:7.1f} ms   "
        f"(target < 300 ms: {'met' if top < 0.3 else f'MISSED by {(top - 0.3) * 1000:.0f} ms'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
