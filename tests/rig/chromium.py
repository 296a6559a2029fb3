"""Headless Chromium (Debian's `chromium`) driven over the DevTools protocol on a pipe (no port, no
extra library), for pages served on 127.0.0.1.

Nothing leaves the machine: every host name but 127.0.0.1 fails to resolve and every non-loopback
request goes to a proxy on a closed loopback port (a page's web fonts, Chromium's own services).
A fresh profile per browser. `terminal_text()` reads xterm.js's buffer (textual-serve draws on a
canvas): a hook installed before the page's scripts keeps the xterm Terminal its code creates.
"""

from __future__ import annotations

import base64
import fcntl
import itertools
import json
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.rig.binaries import require
from tests.waits import wait_until

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--no-pings",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--mute-audio",
    "--hide-scrollbars",
    "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,"
    "CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions",
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

# Keeps the xterm.js Terminal: textual.js assigns it to `this.terminal`; an own property is set in its place.
TERMINAL_HOOK = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && typeof value.write === "function") { window.__vchTerminal = value; }
  },
});
"""

TERMINAL_TEXT = """(() => {
  const t = window.__vchTerminal;
  if (!t) { return null; }
  const b = t.buffer.active, lines = [];
  for (let i = 0; i < b.length; i++) { const l = b.getLine(i); lines.push(l ? l.translateToString(true) : ""); }
  return lines.join("\\n");
})()"""


class DevToolsError(RuntimeError):
    pass


class Chromium:
    def __init__(self, *, size: tuple[int, int] = (1280, 860)) -> None:
        self.size = size
        self.profile = Path(tempfile.mkdtemp(prefix="vch-tui-chromium-"))
        self.proc: subprocess.Popen | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self._events: queue.Queue = queue.Queue()
        self._out = None
        self.session: str | None = None

    # -- process and pipe

    def start(self) -> "Chromium":
        binary = require("chromium", "chromium")
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()

        def fds_3_and_4() -> None:  # the pipe Chromium reads commands from (3) and writes replies to (4)
            a = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        width, height = self.size
        self.proc = subprocess.Popen(
            [
                binary,
                *FLAGS,
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=(self.profile / "stderr.log").open("wb"),
            preexec_fn=fds_3_and_4,
            close_fds=False,
        )  # (3 and 4 are set up in the child; the pipes are CLOEXEC)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._out = os.fdopen(to_browser_w, "wb", buffering=0)
        threading.Thread(target=self._read, args=(os.fdopen(from_browser_r, "rb", buffering=0),), daemon=True).start()
        return self

    def _read(self, pipe) -> None:
        buffer = b""
        while chunk := pipe.read(65536):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        waiter = self._pending.pop(message["id"], None)
                    if waiter is not None:
                        waiter.put(message)
                else:
                    self._events.put(message)
        with self._lock:
            for waiter in self._pending.values():
                waiter.put({"error": {"message": "the browser closed its DevTools pipe"}})
            self._pending.clear()

    def send(self, method: str, params: dict | None = None, *, timeout: float = 60, session: bool = True) -> dict:
        ident = next(self._ids)
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        waiter: queue.Queue = queue.Queue()
        with self._lock:
            self._pending[ident] = waiter
        self._out.write(json.dumps(message).encode() + b"\0")
        try:
            reply = waiter.get(timeout=timeout)
        except queue.Empty:
            raise DevToolsError(f"{method}: no reply in {timeout:g} s") from None
        if "error" in reply:
            raise DevToolsError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    # -- a page

    def open(self, url: str) -> None:
        """A new tab attached to this client, with the terminal hook, navigated to url."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)[
            "sessionId"
        ]
        self.send("Page.enable")
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": TERMINAL_HOOK})
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise DevToolsError(f"{expression[:60]}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def terminal_text(self) -> str | None:
        return self.evaluate(TERMINAL_TEXT)

    def press(self, key: str) -> None:
        """One printable key, as the keyboard sends it to the focused terminal."""
        self.evaluate("window.__vchTerminal && window.__vchTerminal.focus()")
        code = f"Key{key.upper()}" if key.isalpha() else ""
        common = {"key": key, "code": code, "windowsVirtualKeyCode": ord(key.upper())}
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": key, **common})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **common})

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def wait_for(self, what: str, check: Callable[[], Any], timeout: float = 120, every: float = 0.25) -> Any:
        return wait_until(check, what, timeout=timeout, step=every)

    def press_until(
        self, key: str, what: str, check: Callable[[], Any], *, again_after: float = 10, timeout: float = 120
    ) -> Any:
        """Press key, and again every `again_after` s until check() holds (a key the app was not yet
        ready for is lost, not queued); only for keys that are harmless once the goal is reached."""
        import time

        pressed = [0.0]

        def pressed_and_checked():
            if time.monotonic() - pressed[0] >= again_after:
                self.press(key)
                pressed[0] = time.monotonic()
            return check()

        return self.wait_for(what, pressed_and_checked, timeout)

    def stop(self) -> None:
        try:
            if self.proc is not None and self.proc.poll() is None:
                try:
                    self.send("Browser.close", session=False, timeout=10)
                except DevToolsError:
                    pass
                try:
                    self.proc.wait(15)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(10)
        finally:
            if self._out is not None:
                self._out.close()
            import shutil

            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Chromium":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
