"""vch-tui's verdict on a custom server certificate equals the docker CLI's, for each set in
tests/rig/cert_matrix.py: a real dockerd serves the set, and the real docker CLI, trusting only the set's
ca.pem (`DOCKER_TLS_VERIFY=1`), either talks to it or refuses it with an x509 error.
"""

from __future__ import annotations

import pytest

from tests.rig.cert_matrix import ADDRESS, CASES, build_case
from tests.rig.dockerd import docker_info, docker_info_ok
from tui.core.problems import errors_only
from tui.core.tls.check import check_server_certificate
from tui.core.tls.material import Material
from tui.core.tls.modes import TlsSettings

pytestmark = pytest.mark.rig


def serve(case, folder) -> Material:
    """dockerd with the set's certificate and key, not asking for client certificates."""
    settings = TlsSettings(
        name="matrix", cert_path=folder, no_tlsverify=True, server_cert=case.cert_path, server_key=case.key_path
    )
    return Material(settings=settings, folder=folder, server_cert=case.cert_path, server_key=case.key_path)


@pytest.mark.parametrize("name", CASES)
def test_our_verdict_on_a_server_certificate_is_dockers(name, tmp_path, dockerd_factory):
    case = build_case(name, tmp_path / "set")
    ours = errors_only(check_server_certificate(case.cert_path, case.key_path, ADDRESS, server_ca_paths=[case.ca_path]))

    daemon = dockerd_factory(serve(case, tmp_path / "set"))
    client = tmp_path / "client"
    client.mkdir()
    (client / "ca.pem").write_bytes(case.ca_path.read_bytes())
    out = docker_info(
        {"DOCKER_HOST": f"tcp://{ADDRESS}:{daemon.port}", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(client)},
        tmp_path / "home",
    )
    dockers = docker_info_ok(out)
    if not dockers:  # refused for the certificate, not for anything else
        assert "x509" in out.stderr or "tls:" in out.stderr, out.stderr

    assert dockers == case.expected_by_docker, (name, out.stderr)
    assert (not ours) == dockers, (name, ours, out.stderr)
