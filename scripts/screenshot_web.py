#!/usr/bin/env python3
"""Regenerate the README's browser screenshot (screenshots/30-demo-web.png) from the real app: `vch-tui demo
--web --steady` on loopback, opened in headless Chromium (Debian's), keyboard to the dashboard.

Run from the repository root: `.venv/bin/python scripts/screenshot_web.py [--port N]`. Settings go to a
throw-away VCH_TUI_HOME; the simulator build is the usual cached one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots" / "30-demo-web.png"
SIZE = (1280, 800)
DEFAULT_PORT = 47443  # the simulator's, fixed so the connection bar reads the same every run

sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"simulator port (default {DEFAULT_PORT})")
    args = parser.parse_args()
    from tests.rig.chromium import Chromium
    from tui.core import paths
    from tui.vchsim import scenario
    from tui.vchsim.demo_seed import container_vm_name

    home = tempfile.mkdtemp(prefix="vch-tui-shots-")
    env = {**os.environ, "VCH_TUI_HOME": home}
    env.setdefault("VCH_TUI_BUILD_CACHE", str(paths.cache_dir()))
    env.pop("VIC_MACHINE_PASSWORD", None)
    demo = subprocess.Popen(
        [sys.executable, "-m", "tui", "demo", "--web", "127.0.0.1:0", "--steady", "--listen", f"127.0.0.1:{args.port}"],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    try:
        url = None
        deadline = time.monotonic() + 180
        while url is None and time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line:
                raise SystemExit("screenshot_web: the demo ended before serving")
            if match := re.search(r"demo in your browser: (\S+)", line):
                url = match.group(1)
        if url is None:
            raise SystemExit("screenshot_web: the demo printed no URL")
        stressed = [container_vm_name(c.name) for c in scenario.CONTAINERS]
        with Chromium(size=SIZE) as browser:
            browser.open(url)
            browser.wait_for("the home screen", lambda: "connected" in (browser.terminal_text() or ""))
            browser.press_until(
                "m",
                "every container on the dashboard",
                lambda: all(n[:20] in (browser.terminal_text() or "") for n in stressed),
            )
            time.sleep(5)  # a few refreshes, so the trend columns have points (a picture, not a check)
            OUT.parent.mkdir(exist_ok=True)
            browser.screenshot(OUT)
        print(OUT.relative_to(ROOT))
        return 0
    finally:
        if demo.poll() is None:
            demo.send_signal(signal.SIGINT)
            try:
                demo.wait(30)
            except subprocess.TimeoutExpired:
                demo.kill()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
