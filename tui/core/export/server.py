"""The exporter's HTTP(S) endpoint: /metrics from a prometheus_client registry, optional TLS and basic auth.

Loopback by default. For other addresses, TLS (a certificate and key file) and basic auth (one user,
the password from a file or the environment, never argv) are available, as the Prometheus exporter
toolkit offers them; Prometheus then scrapes with `scheme: https` and `basic_auth.password_file`.
Requests are not logged (so neither is any credential); a wrong password gets 401 after the same
constant-time comparison as a right one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from tui.core.errors import InvalidInput
from tui.core.secret import Secret

DEFAULT_PORT = 9273
CONNECTION_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Listen:
    host: str
    port: int

    @classmethod
    def parse(cls, text: str, *, option: str = "--listen", default_port: int = DEFAULT_PORT) -> "Listen":
        """HOST:PORT, [IPv6]:PORT, :PORT (every interface) or HOST; port 0 picks a free one."""
        raw = text.strip()
        hint = f"e.g. {option} 127.0.0.1:{default_port} (or [::1]:{default_port}, :{default_port} for every address)"
        if raw.startswith("["):
            host, sep, rest = raw[1:].partition("]")
            if not sep or (rest and not rest.startswith(":")):
                raise InvalidInput(f"{option} {text!r} is not HOST:PORT", field=option, hint=hint)
            port_text = rest[1:] if rest else str(default_port)
        elif raw.count(":") == 1:
            host, port_text = raw.split(":")
            host = host or "0.0.0.0"
        elif ":" in raw:
            raise InvalidInput(f"{option} {text!r}: write an IPv6 address in brackets", field=option, hint=hint)
        else:
            host, port_text = raw, str(default_port)
        if not host:
            raise InvalidInput(f"{option} {text!r} has no host", field=option, hint=hint)
        if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
            raise InvalidInput(f"{option} {text!r}: the port must be a number from 0 to 65535", field=option, hint=hint)
        return cls(host, int(port_text))

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def label(self, port: int | None = None) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port if port is None else port}"


@dataclass(frozen=True)
class BasicAuth:
    user: str
    password: Secret

    def allows(self, header: str | None) -> bool:
        given_user, given_password = "", ""
        if header and header[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                decoded = ""
            given_user, _, given_password = decoded.partition(":")
        # hash both sides so the comparison takes the same time whatever the lengths
        ok_user = hmac.compare_digest(_digest(given_user), _digest(self.user))
        ok_password = hmac.compare_digest(_digest(given_password), _digest(self.password.reveal()))
        return ok_user and ok_password


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path

    def context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            ctx.load_cert_chain(str(self.cert), str(self.key))
        except FileNotFoundError as exc:
            raise InvalidInput(
                f"TLS file not found: {exc.filename}",
                field="--tls-cert",
                hint="pass the PEM certificate with --tls-cert and its key with --tls-key",
            ) from None
        except ssl.SSLError as exc:
            raise InvalidInput(
                f"--tls-cert {self.cert} / --tls-key {self.key} cannot be used: {exc.reason or exc}",
                field="--tls-cert",
                hint="a PEM certificate and the PEM private key that matches it",
            ) from None
        return ctx


LANDING = b"""<!doctype html><html><head><title>vch-tui exporter</title></head><body>
<h1>vch-tui exporter</h1><p><a href="metrics">/metrics</a></p></body></html>
"""


def wsgi_app(metrics_app, auth: BasicAuth | None):
    def app(environ, start_response):
        if auth is not None and not auth.allows(environ.get("HTTP_AUTHORIZATION")):
            start_response(
                "401 Unauthorized", [("WWW-Authenticate", 'Basic realm="vch-tui"'), ("Content-Type", "text/plain")]
            )
            return [b"Unauthorized\n"]
        path = environ.get("PATH_INFO") or "/"
        if path == "/metrics":
            return metrics_app(environ, start_response)
        if path == "/":
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [LANDING]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not Found: the metrics are at /metrics\n"]

    return app


class _Handler(WSGIRequestHandler):
    def setup(self) -> None:
        self.request.settimeout(CONNECTION_TIMEOUT_S)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()  # in this request's thread, not the accepting one
        super().setup()

    def log_message(self, format, *args) -> None:  # noqa: A002 - no request log: nothing to leak
        pass


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up or fails the TLS handshake is its own problem


def _server_class(host: str):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return type("MetricsHTTPServer", (_Server,), {"address_family": family})


class MetricsServer:
    """Serve a registry until stop(). start() binds (port 0: a free one, see `port`)."""

    def __init__(self, registry, listen: Listen, *, tls: TlsFiles | None = None, auth: BasicAuth | None = None) -> None:
        from prometheus_client import make_wsgi_app

        self.listen = listen
        self.tls = tls
        self.auth = auth
        self._app = wsgi_app(make_wsgi_app(registry), auth)
        self._httpd = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1] if self._httpd is not None else self.listen.port

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.listen.label(self.port)}/metrics"

    def start(self) -> "MetricsServer":
        context = self.tls.context() if self.tls else None
        try:
            httpd = make_server(
                self.listen.host,
                self.listen.port,
                self._app,
                server_class=_server_class(self.listen.host),
                handler_class=_Handler,
            )
        except OSError as exc:
            raise InvalidInput(
                f"cannot listen on {self.listen.label()}: {exc.strerror or exc}",
                field="--listen",
                hint="pick a free port, or an address of this machine",
            ) from None
        if context is not None:
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="vch-tui-export-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(10)
