"""`vch-tui demo` as a child process with its own VCH_TUI_HOME, read until it says how to stop it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def start_demo(
    binary: Path, home: Path, *args: str, stderr=subprocess.PIPE, timeout: float = 90
) -> tuple[subprocess.Popen, str, dict]:
    """(process, what it printed up to its "Ctrl-C ..." line, its environment). The simulator build is
    the suite's (`binary`'s cache); no password in the environment."""
    env = {**os.environ, "VCH_TUI_HOME": str(home), "VCH_TUI_BUILD_CACHE": str(binary.parent.parent)}
    env.pop("VIC_MACHINE_PASSWORD", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "demo", *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
    )
    lines = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Ctrl-C"):
            break
    return proc, "".join(lines), env
