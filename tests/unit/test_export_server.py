"""The exporter's endpoint: --listen parsing, basic auth, TLS, paths (a real server on 127.0.0.1)."""

import base64
import ssl
import urllib.error
import urllib.request

import pytest
from prometheus_client import CollectorRegistry, Gauge

from tests.rig.tls_files import Authority, write_pair
from tui.core.errors import InvalidInput
from tui.core.export.server import BasicAuth, Listen, MetricsServer, TlsFiles
from tui.core.secret import Secret


@pytest.mark.parametrize(
    "text,host,port,loopback",
    [
        ("127.0.0.1:9273", "127.0.0.1", 9273, True),
        ("[::1]:80", "::1", 80, True),
        (":9000", "0.0.0.0", 9000, False),
        ("localhost", "localhost", 9273, True),
        ("10.0.0.5:0", "10.0.0.5", 0, False),
        ("[::]", "::", 9273, False),
    ],
)
def test_listen_forms(text, host, port, loopback):
    listen = Listen.parse(text)
    assert (listen.host, listen.port, listen.loopback) == (host, port, loopback)


@pytest.mark.parametrize("text", ["127.0.0.1:x", "::1:80", "127.0.0.1:70000", "[::1", ":"])
def test_bad_listen_names_the_option(text):
    with pytest.raises(InvalidInput) as err:
        Listen.parse(text)
    assert err.value.field == "--listen" and "127.0.0.1:9273" in str(err.value)


def _header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_auth_checks_user_and_password():
    auth = BasicAuth("prom", Secret("s3cret:with:colons"))
    assert auth.allows(_header("prom", "s3cret:with:colons"))
    assert not auth.allows(_header("prom", "wrong")) and not auth.allows(_header("other", "s3cret:with:colons"))
    assert not auth.allows(None) and not auth.allows("Basic !!!") and not auth.allows("Bearer x")
    assert "s3cret" not in repr(auth)


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("probe_value", "a value", registry=registry).set(7)
    return registry


def _get(url: str, **kw):
    headers = kw.pop("headers", {})
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10, **kw) as resp:
        return resp.status, resp.read().decode()


def test_https_with_basic_auth(tmp_path):
    ca = Authority("export-unit")
    cert, key = ca.server("127.0.0.1")
    cert_path, key_path = write_pair(tmp_path, "server", cert, key)
    server = MetricsServer(
        _registry(), Listen("127.0.0.1", 0), tls=TlsFiles(cert_path, key_path), auth=BasicAuth("prom", Secret("pw"))
    ).start()
    try:
        assert server.url.startswith("https://127.0.0.1:") and server.port != 0
        context = ssl.create_default_context(cafile=str(ca.write(tmp_path)))
        status, body = _get(server.url, context=context, headers={"Authorization": _header("prom", "pw")})
        assert status == 200 and "probe_value 7.0" in body
        with pytest.raises(urllib.error.HTTPError) as denied:
            _get(server.url, context=context)
        assert denied.value.code == 401 and "Basic" in denied.value.headers["WWW-Authenticate"]
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get(
                server.url.replace("/metrics", "/other"),
                context=context,
                headers={"Authorization": _header("prom", "pw")},
            )
        assert missing.value.code == 404
    finally:
        server.stop()


def test_plain_http_landing_page_and_busy_port():
    server = MetricsServer(_registry(), Listen("127.0.0.1", 0)).start()
    try:
        status, body = _get(server.url.replace("/metrics", "/"))
        assert status == 200 and 'href="metrics"' in body
        with pytest.raises(InvalidInput) as busy:
            MetricsServer(_registry(), Listen("127.0.0.1", server.port)).start()
        assert busy.value.field == "--listen"
    finally:
        server.stop()


def test_tls_files_that_do_not_match_are_invalid_input(tmp_path):
    ca = Authority("export-unit")
    cert, _ = ca.server("127.0.0.1")
    other_cert, other_key = ca.server("127.0.0.1")
    cert_path, _ = write_pair(tmp_path, "a", cert)
    _, key_path = write_pair(tmp_path, "b", other_cert, other_key)
    with pytest.raises(InvalidInput) as err:
        TlsFiles(cert_path, key_path).context()
    assert err.value.field == "--tls-cert"
