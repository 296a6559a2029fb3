"""Connecting and trusting, against the real HTTPS simulator (issue: Foundation, "Done when")."""

from __future__ import annotations

import http.server
import os
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.core.errors import ConnectionFailed
from tui.core.secret import Secret
from tui.core.vsphere import trust
from tui.core.vsphere.connection import ConnectOptions, FingerprintMismatch, UnknownCertificate, connect

pytestmark = pytest.mark.rig


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def creds(sim) -> list[str]:
    return ["--target", f"{sim.host}:{sim.port}", "--user", sim.username, "--password", sim.password.reveal()]


def opts_for(sim, **kw) -> ConnectOptions:
    return ConnectOptions.resolve(
        target=f"{sim.host}:{sim.port}",
        user=sim.username,
        password=sim.password,
        env={"VCH_TUI_HOME": os.environ["VCH_TUI_HOME"]},
        **kw,
    )


def test_unknown_certificate_is_refused_headless_with_its_fingerprint(simulator):
    out = run_cli("ls", *creds(simulator))
    assert out.returncode == 3, out
    assert simulator.sha256 in out.stderr
    assert "--thumbprint" in out.stderr
    assert simulator.password.reveal() not in out.stdout + out.stderr


def test_loopback_is_verified_like_any_other_host(simulator):
    with pytest.raises(UnknownCertificate) as err:
        connect(opts_for(simulator))
    assert err.value.sha256 == simulator.sha256 and err.value.sha1 == simulator.sha1


@pytest.mark.parametrize("which", ["sha256", "sha1", "sha256-lower-nocolons"])
def test_thumbprint_flag_accepts_sha256_and_sha1(simulator, which):
    value = {
        "sha256": simulator.sha256,
        "sha1": simulator.sha1,
        "sha256-lower-nocolons": simulator.sha256.replace(":", "").lower(),
    }[which]
    out = run_cli("ls", *creds(simulator), "--thumbprint", value)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("NAME")


def test_wrong_thumbprint_is_refused_showing_both(simulator):
    wrong = "AB:" * 31 + "AB"
    out = run_cli("ls", *creds(simulator), "--thumbprint", wrong)
    assert out.returncode == 3
    assert wrong in out.stderr and simulator.sha256 in out.stderr
    with pytest.raises(FingerprintMismatch):
        connect(opts_for(simulator, thumbprint=wrong))


def test_known_hosts_entry_is_honoured_and_a_stale_one_refused(simulator, tmp_path):
    trust.remember_fingerprint(simulator.host, simulator.port, simulator.sha256)
    with connect(opts_for(simulator)) as session:
        assert session.trusted_by == "fingerprint"
        assert "VMware" in session.about
    govc_file = tmp_path / "govc_known_hosts"
    govc_file.write_text(f"{simulator.host}:{simulator.port} {simulator.sha1}\n")
    out = run_cli(
        "ls",
        *creds(simulator),
        env={"GOVC_TLS_KNOWN_HOSTS": str(govc_file), "VCH_TUI_HOME": str(tmp_path / "other-home")},
    )
    assert out.returncode == 0, out.stderr
    trust.remember_fingerprint(simulator.host, simulator.port, "00" * 32)
    with pytest.raises(FingerprintMismatch) as err:
        connect(opts_for(simulator))
    assert err.value.source == "known-hosts"


def test_ca_file_makes_the_certificate_trusted(simulator):
    assert simulator.cert_pem and Path(simulator.cert_pem).is_file()
    with connect(opts_for(simulator, ca_file=simulator.cert_pem)) as session:
        assert session.trusted_by == "ca"


def test_bad_password_is_a_clear_connection_error(simulator):
    out = run_cli(
        "ls",
        "--target",
        f"{simulator.host}:{simulator.port}",
        "--user",
        simulator.username,
        "--password",
        "Wrong-Pa55word!",
        "--thumbprint",
        simulator.sha256,
    )
    assert out.returncode == 3
    assert "wrong user name or password" in out.stderr
    assert "Wrong-Pa55word!" not in out.stderr + out.stdout


def test_missing_password_without_terminal_is_invalid_usage(simulator):
    out = run_cli(
        "ls",
        "--target",
        f"{simulator.host}:{simulator.port}",
        "--user",
        simulator.username,
        "--thumbprint",
        simulator.sha256,
    )
    assert out.returncode == 2
    assert "--password" in out.stderr


def test_terminated_session_is_re_established_transparently(simulator):
    with connect(opts_for(simulator, thumbprint=simulator.sha256)) as session:
        before = session.cookie()
        assert session.content.rootFolder.childEntity  # a real call
        simulator.terminate_sessions()
        datacenters = session.content.rootFolder.childEntity  # NotAuthenticated → re-login → retried
        assert [dc.name for dc in datacenters]
        assert session.cookie() != before


def test_plain_http_simulator_with_http_target(plain_simulator):
    target = f"http://{plain_simulator.host}:{plain_simulator.port}"
    with connect(
        ConnectOptions.resolve(target=target, user=plain_simulator.username, password=plain_simulator.password, env={})
    ) as session:
        assert session.trusted_by == "plain-http"
        assert session.content.about.apiType == "VirtualCenter"


def test_https_target_on_a_plain_port_says_it_does_not_speak_tls(plain_simulator):
    with pytest.raises(ConnectionFailed) as err:
        connect(
            ConnectOptions.resolve(
                target=f"{plain_simulator.host}:{plain_simulator.port}", user="u", password=Secret("p"), env={}
            )
        )
    assert "does not speak TLS" in str(err.value)


def test_refused_port_is_exit_3():
    out = run_cli("ls", "--target", "127.0.0.1:1", "--user", "u", "--password", "p")
    assert out.returncode == 3 and "refused" in out.stderr


@pytest.fixture
def not_vsphere(simulator):
    """A TLS server that is not vSphere, using the simulator's certificate so trust can be pinned."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    key = Path(simulator.cert_pem).with_name("vchsim-key.pem")
    ctx.load_cert_chain(simulator.cert_pem, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def test_endpoint_that_is_not_vsphere(not_vsphere, simulator):
    with pytest.raises(ConnectionFailed) as err:
        connect(
            ConnectOptions.resolve(
                target=f"127.0.0.1:{not_vsphere}", user="u", password=Secret("p"), thumbprint=simulator.sha256, env={}
            )
        )
    assert "does not look like vCenter or ESXi" in str(err.value)


def test_password_never_reaches_output_or_files(simulator, tmp_path):
    home = tmp_path / "home"
    pw = simulator.password.reveal()
    outputs = [
        run_cli("ls", *creds(simulator), env={"VCH_TUI_HOME": str(home)}),
        run_cli("ls", *creds(simulator), "--thumbprint", simulator.sha256, env={"VCH_TUI_HOME": str(home)}),
        run_cli(
            "ls",
            "--target",
            f"{simulator.host}:{simulator.port}",
            "--thumbprint",
            simulator.sha256,
            env={"VIC_MACHINE_USER": simulator.username, "VIC_MACHINE_PASSWORD": pw, "VCH_TUI_HOME": str(home)},
        ),
    ]
    assert [o.returncode for o in outputs] == [3, 0, 0]
    for o in outputs:
        assert pw not in o.stdout and pw not in o.stderr
    for f in home.rglob("*"):
        if f.is_file():
            assert pw.encode() not in f.read_bytes(), f
    # an exception carrying the options, formatted with locals, still hides it
    opts = opts_for(simulator)
    assert pw not in repr(opts) and pw not in f"{opts}"


def test_explicit_relogin_after_termination_gives_a_working_session(simulator):
    with connect(opts_for(simulator, thumbprint=simulator.sha256)) as session:
        simulator.terminate_sessions()
        before = session.cookie()
        session.relogin()  # must not deadlock on the stub's lock
        assert session.cookie() and session.cookie() != before
        assert session.content.rootFolder.childEntity
