"""Checks the appliance stand-in's tests share: trust a CA of the test's own, the docker CLI, a closed port,
the certificate a port presents."""

from __future__ import annotations

import base64
import socket
import ssl
from pathlib import Path

from tests.rig.dockerd import run_docker
from tests.rig.tls_files import Authority
from tests.rig.vic_replay import RO


def trust_my_clients(ca: Authority):
    """edit(): cert/CertificateAuthorities becomes the test's CA (a plain, unsealed key)."""
    from tui.core.tls.pem import cert_pem

    def edit(keys, box):
        keys[RO + "cert/CertificateAuthorities"] = base64.b64encode(cert_pem(ca.cert)).decode()

    return edit


def docker(tmp_path: Path, *args: str, proxy: str | None = None):
    env = {"HTTPS_PROXY": proxy} if proxy else {}
    return run_docker(env, *args, home=tmp_path / "home")


def refuses(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError:
        return True
    return False


def presented_certificate(host: str, port: int) -> bytes:
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection((host, port), timeout=10) as raw, ctx.wrap_socket(raw) as tls:
        return tls.getpeercert(binary_form=True)
