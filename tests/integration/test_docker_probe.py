"""The Docker API probe against the real dockerd: every failure gets its own kind and plain message.

Client certificates refused by dockerd all arrive as the same TLS alert, so each case also checks
dockerd's own log for its reason: the probe's diagnosis must agree with what the daemon saw.
"""

from __future__ import annotations

import http.server
import logging
import socket
import threading
import time

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID

from tests.rig.dockerd import DockerdUnavailable, dockerd_binary, free_port, start_or_fail
from tests.rig.tls_files import Authority, write_pair
from tui.core.errors import ConnectionFailed, ExitCode
from tui.core.tls import generate as g
from tui.core.tls.material import Material, plan_material, write_material
from tui.core.tls.modes import TlsSettings
from tui.core.tls.pem import read_certificates, read_private_key
from tui.core.tls.probe import ProbeKind, ProbeTls, probe_docker

pytestmark = pytest.mark.rig


@pytest.fixture(scope="module")
def verify_material(tmp_path_factory) -> Material:
    tmp = tmp_path_factory.mktemp("probe")
    return write_material(plan_material(TlsSettings(name="probe", cert_path=tmp / "probe", cname="127.0.0.1")))


@pytest.fixture(scope="module")
def tls_daemon(verify_material, tmp_path_factory):
    handle = start_or_fail(verify_material, tmp_path_factory.mktemp("tls-daemon"))
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def plain_daemon(tmp_path_factory):
    handle = start_or_fail(None, tmp_path_factory.mktemp("plain-daemon"))
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def vch_ca(verify_material):
    """The VCH's own CA, to sign deliberately wrong client certificates with."""
    return read_certificates(verify_material.ca_cert)[0], read_private_key(verify_material.ca_key)


def client_tls(material: Material, tmp_path, cert, key) -> ProbeTls:
    cert_path, key_path = write_pair(tmp_path, "client", cert, key)
    return ProbeTls(
        ca_file=material.ca_cert, cert_file=cert_path, key_file=key_path, client_ca_files=material.client_ca_files
    )


def daemon_logged(handle, text: str, wait: float = 3.0) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if text in handle.log_text():
            return True
        time.sleep(0.05)
    return False


def test_the_probe_reads_ping_version_and_info(tls_daemon, verify_material):
    result = probe_docker(tls_daemon.host, tls_daemon.port, verify_material)
    assert result.ok and result.kind == ProbeKind.OK
    assert result.api_version == "1.41" and result.os == "linux"
    assert result.info["Containers"] == 0 and result.info["ServerVersion"] == result.server_version
    assert str(tls_daemon.port) in result.message and result.raise_for_failure() is result


def test_the_probe_uses_a_folder_as_docker_cert_path_would(tls_daemon, verify_material):
    tls = ProbeTls.for_folder(verify_material.folder, verify_server=True)
    assert probe_docker(tls_daemon.host, tls_daemon.port, tls).ok


def make_client(case: str, vch_ca):
    ca_cert, ca_key = vch_ca
    key = g.new_key("ecdsa")
    if case == "other-ca":
        other = Authority("intruder")
        return other.client(key=key)
    if case == "server-eku":
        return g.build_certificate(
            key,
            issuer_cert=ca_cert,
            issuer_key=ca_key,
            common_name="client",
            key_usage=g.CLIENT_USAGES,
            extended_usage=[ExtendedKeyUsageOID.SERVER_AUTH],
        ), key
    if case == "expired":
        auth = Authority.__new__(Authority)
        auth.cert, auth.key, auth.key_type = ca_cert, ca_key, "ecdsa"
        return auth.client(key=key, expired=True)
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case, kind, says, daemon_says",
    [
        (
            "none",
            ProbeKind.CLIENT_CERT_MISSING,
            "requires a client certificate and none was sent",
            "client didn't provide a certificate",
        ),
        (
            "other-ca",
            ProbeKind.CLIENT_CERT_UNTRUSTED,
            "signed by CN=intruder CA,O=intruder, a CA the server does not trust",
            "certificate signed by unknown authority",
        ),
        (
            "server-eku",
            ProbeKind.CLIENT_CERT_WRONG_USAGE,
            "extended key usage does not include clientAuth",
            "incompatible key usage",
        ),
        ("expired", ProbeKind.CLIENT_CERT_EXPIRED, "it expired", "certificate has expired"),
    ],
)
def test_rejected_client_certificates_are_each_reported_with_their_own_message(
    case, kind, says, daemon_says, tls_daemon, verify_material, vch_ca, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    if case == "none":
        tls = ProbeTls(ca_file=verify_material.ca_cert)
    else:
        tls = client_tls(verify_material, tmp_path, *make_client(case, vch_ca))
    result = probe_docker(tls_daemon.host, tls_daemon.port, tls)
    assert not result.ok
    assert result.kind == kind, result
    assert says in result.message
    assert daemon_logged(tls_daemon, daemon_says), tls_daemon.log_tail()
    assert "PRIVATE KEY" not in caplog.text and "PRIVATE KEY" not in str(result)


def test_the_untrusted_ca_message_names_the_ca_the_server_trusts(tls_daemon, verify_material, vch_ca, tmp_path):
    tls = client_tls(verify_material, tmp_path, *make_client("other-ca", vch_ca))
    result = probe_docker(tls_daemon.host, tls_daemon.port, tls)
    assert f"the server trusts only {verify_material.ca_cert}" in result.message


def test_a_client_certificate_without_any_eku_is_accepted_as_go_does(tls_daemon, verify_material, vch_ca, tmp_path):
    ca_cert, ca_key = vch_ca
    key = g.new_key("ecdsa")
    cert = g.build_certificate(
        key, issuer_cert=ca_cert, issuer_key=ca_key, common_name="client", key_usage=g.CLIENT_USAGES, extended_usage=()
    )
    assert probe_docker(tls_daemon.host, tls_daemon.port, client_tls(verify_material, tmp_path, cert, key)).ok


def test_a_server_certificate_from_another_ca_is_untrusted(tls_daemon, verify_material, tmp_path):
    other = Authority("other").write(tmp_path)
    tls = ProbeTls(ca_file=other, cert_file=verify_material.client_cert, key_file=verify_material.client_key)
    result = probe_docker(tls_daemon.host, tls_daemon.port, tls)
    assert result.kind == ProbeKind.UNTRUSTED_SERVER and f"is not trusted by {other}" in result.message


def test_a_server_certificate_for_another_name_is_a_hostname_mismatch(tls_daemon, verify_material):
    result = probe_docker(tls_daemon.host, tls_daemon.port, verify_material, server_name="vch.example.test")
    assert result.kind == ProbeKind.HOSTNAME_MISMATCH
    assert "does not name vch.example.test" in result.message


def test_an_expired_server_certificate_is_reported(tmp_path):
    ca = Authority("old")
    cert_path, key_path = write_pair(tmp_path, "server", *ca.server("127.0.0.1", expired=True))
    settings = TlsSettings(name="old", cert_path=tmp_path, cname="127.0.0.1", no_tlsverify=True)
    material = Material(settings, tmp_path, ca_cert=ca.write(tmp_path), server_cert=cert_path, server_key=key_path)
    handle = start_or_fail(material, tmp_path)
    try:
        result = probe_docker(handle.host, handle.port, ProbeTls(ca_file=material.ca_cert))
        assert result.kind == ProbeKind.SERVER_CERT_EXPIRED and "has expired" in result.message
        assert probe_docker(handle.host, handle.port, material).ok  # no-tlsverify does not look, like --tls
    finally:
        handle.stop()


def test_plain_http_to_the_tls_port(tls_daemon):
    result = probe_docker(tls_daemon.host, tls_daemon.port, None)
    assert result.kind == ProbeKind.HTTP_TO_TLS_PORT and "expects TLS" in result.message


def test_tls_to_the_plain_port(plain_daemon, verify_material):
    result = probe_docker(plain_daemon.host, plain_daemon.port, verify_material)
    assert result.kind == ProbeKind.TLS_TO_PLAIN_PORT and "does not speak TLS" in result.message
    assert probe_docker(plain_daemon.host, plain_daemon.port, None).ok


def test_a_refused_connection(verify_material):
    result = probe_docker("127.0.0.1", free_port(), verify_material)
    assert result.kind == ProbeKind.REFUSED and "refused the connection" in result.message
    with pytest.raises(ConnectionFailed) as err:
        result.raise_for_failure()
    assert err.value.exit_code == ExitCode.CONNECTION


def test_a_silent_port_times_out(verify_material):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # never accepted: the handshake gets no answer
        started = time.monotonic()
        result = probe_docker("127.0.0.1", listener.getsockname()[1], verify_material, timeout=0.5)
    assert result.kind == ProbeKind.TIMEOUT and "within 0.5 s" in result.message
    assert time.monotonic() - started < 3


class _NotDocker(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html>hello</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_web_server_that_is_not_docker(verify_material):
    server = http.server.HTTPServer(("127.0.0.1", 0), _NotDocker)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        result = probe_docker("127.0.0.1", server.server_address[1], None)
    finally:
        server.shutdown()
        server.server_close()
    assert result.kind == ProbeKind.NOT_DOCKER and "is not a Docker API" in result.message
    assert "<html>hello</html>" in result.message


def test_missing_local_files_are_reported_before_connecting(tmp_path):
    result = probe_docker("127.0.0.1", free_port(), ProbeTls(ca_file=tmp_path / "missing-ca.pem"))
    assert result.kind == ProbeKind.LOCAL_FILES and "cannot load the TLS files" in result.message


def test_the_rig_fails_rather_than_skips_without_dockerd(tmp_path):
    with pytest.raises(DockerdUnavailable, match="apt-get install docker.io"):
        dockerd_binary(search_path=str(tmp_path))


def test_stopping_the_daemon_leaves_no_process(verify_material, tmp_path):
    handle = start_or_fail(verify_material, tmp_path)
    containerd = handle._containerd_pid()
    assert containerd is not None
    handle.stop()
    assert handle.process.poll() is not None
    assert not _alive(containerd) and not handle.short_dir.exists()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False
