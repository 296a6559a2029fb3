"""`vch-tui demo --web` as a presenter uses it: a real headless Chromium (Debian's) opens the served TUI,
goes to the dashboard with the keyboard, and the seed story's stressed containers are on it (read from
xterm.js's buffer); a screenshot is taken. The password never reaches a child's argv, and Ctrl-C stops
the server, every TUI process and the simulator."""

from __future__ import annotations

import os
import re
import signal
import struct
import time
from pathlib import Path

import pytest

from tests.rig.chromium import Chromium
from tests.rig.demo_process import start_demo
from tui.vchsim import scenario
from tui.vchsim.demo_seed import container_vm_name

pytestmark = pytest.mark.rig

URL = re.compile(r"demo in your browser: (http://127\.0\.0\.1:\d+)")


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
            out += children
            todo += children
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in _status(pid)


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


@pytest.fixture(scope="module")
def web_demo(vchsim_binary, tmp_path_factory):  # noqa: F811
    home = tmp_path_factory.mktemp("web-demo-home")
    stderr = (home / "stderr.log").open("w")
    proc, out, _ = start_demo(vchsim_binary, home, "--web", "127.0.0.1:0", "--steady", stderr=stderr, timeout=120)
    if not URL.search(out):
        proc.kill()
        pytest.fail(f"demo --web printed no URL:\n{out}\n{(home / 'stderr.log').read_text()}")
    yield proc, URL.search(out).group(1), out, home
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)
    stderr.close()


def _row(text: str, vm_name: str) -> str:
    return next((line for line in text.splitlines() if vm_name in line), "")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_dashboard_in_chromium_shows_the_stressed_containers(web_demo, tmp_path):
    proc, url, out, home = web_demo
    stressed = [container_vm_name(c.name) for c in scenario.CONTAINERS if c.vch == scenario.LIMITED]
    twins = [container_vm_name(c.name) for c in scenario.CONTAINERS if c.vch == scenario.UNLIMITED]
    with Chromium(size=(1280, 860)) as browser:
        browser.open(url)
        browser.wait_for("the home screen in the browser", lambda: "connected" in (browser.terminal_text() or ""))
        text = browser.press_until(
            "m",
            "the dashboard with the story's containers",
            lambda: (
                (t := browser.terminal_text() or "")
                and all(re.search(r"crit\s+" + re.escape(n[:20]), t) for n in stressed)
                and all(re.search(r"ok\s+" + re.escape(n[:20]), t) for n in twins)
                and t
            ),
        )
        shot = browser.screenshot(tmp_path / "demo-web.png")
        _check_the_password_is_on_no_command_line(proc, out, home)  # while the tab's TUI process runs
    for name in stressed:
        assert "crit" in _row(text, name)
    assert "over-committed" in text and scenario.LIMITED.name in text
    width, height = _png_size(shot)
    assert (width, height) == (1280, 860) or (width > 800 and height > 500)
    assert shot.stat().st_size > 20_000  # a drawn terminal, not a blank page


def _check_the_password_is_on_no_command_line(proc, out: str, home: Path) -> None:
    passwords = set()
    for pid in _descendants(proc.pid):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        passwords |= {e.split(b"=", 1)[1] for e in environ if e.startswith(b"VIC_MACHINE_PASSWORD=")}
    assert passwords, "the browser's TUI process should get the password from its environment"
    for pid in [proc.pid, *_descendants(proc.pid)]:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        assert not any(p in argv for p in passwords), pid
    logged = out + (home / "stderr.log").read_text()
    assert not any(p.decode() in logged for p in passwords)


def test_ctrl_c_stops_the_server_the_tuis_and_the_simulator(web_demo):  # last: it ends the shared demo
    proc, url, out, home = web_demo
    children = _descendants(proc.pid)
    assert children, "the simulator (and any TUI process) should be children of the demo"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(30) == 0, (home / "stderr.log").read_text()
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in children)
