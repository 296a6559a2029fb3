"""Each TLS mode judged by the real dockerd and the real docker CLI.

For every mode: the material is planned and written, dockerd serves it on 127.0.0.1, the probe gets
/_ping, /version and /info, and `docker info` succeeds with ONLY the variables of the written .env file
(and with the equivalent `docker context create`). Without those variables the same call fails.
"""

from __future__ import annotations

import shutil

import pytest

from tests.rig.dockerd import docker_info, docker_info_ok, run_docker
from tests.rig.tls_files import Authority, write_pair
from tui.core.tls.envfile import docker_context_args, read_env_file, write_env_file
from tui.core.tls.material import plan_material, write_material
from tui.core.tls.modes import TlsMode, TlsSettings
from tui.core.tls.probe import ProbeKind, probe_docker

pytestmark = pytest.mark.rig


def corp_files(tmp_path, *, client: bool = True):
    """The user's own CA, server certificate for 127.0.0.1 and client pair, as files (CUSTOM and tls_ca)."""
    corp = Authority("corp", key_type="rsa")
    user = tmp_path / "user"
    ca = corp.write(user)
    server_cert, server_key = write_pair(user, "server", *corp.server("127.0.0.1"))
    client_pair = write_pair(user, "client", *corp.client()) if client else None
    return ca, server_cert, server_key, client_pair


def variant(name: str, tmp_path):
    base = {"name": "vch-it", "cert_path": tmp_path / "vch-it", "cname": "127.0.0.1"}
    client_pair = None
    if name == "no-tls":
        settings = TlsSettings(**base, no_tls=True)
    elif name == "no-tlsverify":
        # a DNS cname the CLI never checks: --tls does not verify the server
        settings = TlsSettings(**{**base, "cname": "vch.example.test"}, no_tlsverify=True)
    elif name == "tlsverify":
        settings = TlsSettings(**base)
    elif name == "tlsverify-ecdsa":
        settings = TlsSettings(**base, key_type="ecdsa", validity_days=7)
    elif name == "tlsverify-tls-ca":
        ca, _, _, client_pair = corp_files(tmp_path)
        settings = TlsSettings(**base, tls_ca=[ca])
    elif name == "custom":
        ca, server_cert, server_key, client_pair = corp_files(tmp_path)
        settings = TlsSettings(**base, server_cert=server_cert, server_key=server_key, tls_ca=[ca])
    elif name == "custom-no-tlsverify":
        _, server_cert, server_key, _ = corp_files(tmp_path, client=False)
        settings = TlsSettings(**base, server_cert=server_cert, server_key=server_key, no_tlsverify=True)
    else:
        raise AssertionError(name)
    return settings, client_pair


VARIANTS = [
    "no-tls",
    "no-tlsverify",
    "tlsverify",
    "tlsverify-ecdsa",
    "tlsverify-tls-ca",
    "custom",
    "custom-no-tlsverify",
]


@pytest.mark.parametrize("name", VARIANTS)
def test_each_mode_works_with_the_probe_and_the_docker_cli_using_only_the_env_file(name, tmp_path, dockerd_factory):
    settings, client_pair = variant(name, tmp_path)
    plan = plan_material(settings)
    assert not plan.refused, plan.problems
    material = write_material(plan)
    if client_pair is not None:  # what the user does with their own client certificate
        shutil.copy(client_pair[0], material.folder / "cert.pem")
        shutil.copy(client_pair[1], material.folder / "key.pem")
    daemon = dockerd_factory(material)

    result = probe_docker(daemon.host, daemon.port, material, timeout=10)
    assert result.ok, result
    assert result.kind == ProbeKind.OK and result.api_version == "1.41"
    assert result.server_version and result.server_version.startswith("20.10")
    assert result.info["Driver"] == "vfs"

    env_path = write_env_file(material, daemon.host, daemon.port)
    env = read_env_file(env_path)
    assert env["DOCKER_HOST"] == f"tcp://127.0.0.1:{daemon.port}"
    out = docker_info(env, tmp_path / "home")
    assert docker_info_ok(out), out
    assert out.stdout.split() == [result.server_version, "vfs"]

    docker_config = tmp_path / "docker-config"
    create = run_docker(
        {"DOCKER_CONFIG": str(docker_config)},
        *docker_context_args(material, daemon.host, daemon.port)[1:],
        home=tmp_path / "home",
    )
    assert create.returncode == 0, create.stderr
    via_context = run_docker(
        {"DOCKER_CONFIG": str(docker_config)},
        "--context",
        "vch-it",
        "info",
        "--format",
        "{{.ServerVersion}}",
        home=tmp_path / "home",
    )
    assert via_context.returncode == 0 and via_context.stdout.strip() == result.server_version, via_context

    if settings.mode != TlsMode.NO_TLS:
        without_tls = docker_info({"DOCKER_HOST": env["DOCKER_HOST"]}, tmp_path / "home")
        assert not docker_info_ok(without_tls)
        assert "Client sent an HTTP request to an HTTPS server" in without_tls.stderr


def test_why_the_no_tlsverify_env_is_what_it_is(tmp_path, dockerd_factory):
    """docker CLI 28 needs ca.pem in DOCKER_CERT_PATH even with DOCKER_TLS (no verification), and with
    DOCKER_TLS_VERIFY the same folder is refused: its certificate names vch.example.test, not 127.0.0.1."""
    settings, _ = variant("no-tlsverify", tmp_path)
    material = write_material(plan_material(settings))
    daemon = dockerd_factory(material)
    env = read_env_file(write_env_file(material, daemon.host, daemon.port))
    assert docker_info_ok(docker_info(env, tmp_path / "home"))
    empty = tmp_path / "empty"
    empty.mkdir()
    out = docker_info({**env, "DOCKER_CERT_PATH": str(empty)}, tmp_path / "home")
    assert not docker_info_ok(out) and "ca.pem" in out.stderr
    verifying = {k: v for k, v in env.items() if k != "DOCKER_TLS"} | {"DOCKER_TLS_VERIFY": "1"}
    out = docker_info(verifying, tmp_path / "home")
    assert not docker_info_ok(out) and "x509" in out.stderr
