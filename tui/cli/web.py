"""Serve the TUI in a browser with textual-serve: every browser tab gets its own `vch-tui` process
(Textual's web driver), connected to the given vSphere target.

The child's command line carries the target, user and fingerprint; the password goes through the
environment (VIC_MACHINE_PASSWORD), never argv. textual-serve binds a socket we open first, so port 0
works and the printed address is the real one.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import socket
import sys

from tui.core.errors import InvalidInput


def _textual_serve() -> None:
    """A clear error when the optional textual-serve is not installed."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        raise InvalidInput(
            "--web needs textual-serve, which is not installed",
            field="--web",
            hint="pip install 'vch-tui[web]' (scripts/setup installs it)",
        ) from None


def child_command(target: str, user: str, thumbprint: str, theme: str | None) -> str:
    args = [sys.executable, "-m", "tui", "--target", target, "--user", user, "--thumbprint", thumbprint]
    if theme:
        args += ["--theme", theme]
    return shlex.join(args)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InvalidInput(
            f"cannot listen on {host}:{port} for the browser: {exc.strerror or exc}",
            field="--web",
            hint="pick a free port, e.g. --web 127.0.0.1:8001",
        ) from None
    sock.listen(64)
    sock.set_inheritable(False)
    return sock


def public_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = socket.getfqdn()  # the browser needs a name it can reach, not the wildcard
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def serve(command: str, sock: socket.socket, url: str, *, title: str, on_ready) -> None:
    """Blocking until SIGINT/SIGTERM. `on_ready(url)` runs once the server accepts connections."""
    from aiohttp import web

    _textual_serve()  # says what to install when textual-serve is missing
    from textual_serve.server import Server

    class BrowserServer(Server):
        async def on_startup(self, app) -> None:  # instead of textual-serve's banner
            on_ready(self.public_url)

    host, port = sock.getsockname()[:2]
    server = BrowserServer(command, host=host, port=port, title=title, public_url=url)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, server.request_exit)
    try:
        web.run_app(
            server._make_app(), sock=sock, handle_signals=False, loop=loop, print=lambda *args: None, access_log=None
        )
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        asyncio.set_event_loop(None)
        loop.close()


def child_environment(password: str) -> None:
    """The password for the child processes textual-serve starts (they inherit this environment)."""
    os.environ["VIC_MACHINE_PASSWORD"] = password
