"""The .env hand-off and the docker context command (the real docker CLI runs them in tests/integration)."""

from __future__ import annotations

import shlex
import stat

import pytest

from tests.rig.tls_files import Authority, write_pair
from tui.core.tls.envfile import (
    context_name,
    docker_context_args,
    docker_context_command,
    docker_env,
    env_file_text,
    read_env_file,
    write_env_file,
)
from tui.core.tls.material import plan_material, write_material
from tui.core.tls.modes import TlsSettings


def material(tmp_path, **kw):
    kw.setdefault("name", "vch1")
    kw.setdefault("cert_path", tmp_path / "certs")
    kw.setdefault("cname", "10.0.0.5")
    kw.setdefault("key_type", "ecdsa")
    return write_material(plan_material(TlsSettings(**kw)))


def test_tlsverify_env_verifies_with_an_absolute_cert_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    m = material(tmp_path, cert_path="nested/deeper/vch1")
    assert docker_env(m, "10.0.0.5") == {
        "DOCKER_HOST": "tcp://10.0.0.5:2376",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(tmp_path / "nested" / "deeper" / "vch1"),
        "COMPOSE_TLS_VERSION": "TLSv1_2",
    }


def test_no_tlsverify_env_turns_tls_on_without_verification_and_keeps_the_cert_path(tmp_path):
    env = docker_env(material(tmp_path, no_tlsverify=True), "10.0.0.5")
    assert env["DOCKER_TLS"] == "1" and "DOCKER_TLS_VERIFY" not in env
    assert env["DOCKER_CERT_PATH"] == str(tmp_path / "certs")  # the CLI refuses TLS without ca.pem there


def test_no_tls_env_is_only_the_plain_port(tmp_path):
    assert docker_env(material(tmp_path, no_tls=True), "10.0.0.5") == {"DOCKER_HOST": "tcp://10.0.0.5:2375"}


def test_custom_with_tls_ca_verifies(tmp_path):
    corp = Authority("corp")
    cert, key = write_pair(tmp_path / "user", "server", *corp.server("10.0.0.5"))
    m = material(tmp_path, server_cert=cert, server_key=key, tls_ca=[corp.write(tmp_path / "user")])
    assert docker_env(m, "10.0.0.5")["DOCKER_TLS_VERIFY"] == "1"


def test_an_ipv6_host_is_bracketed(tmp_path):
    assert docker_env(material(tmp_path, no_tls=True), "fd00::5")["DOCKER_HOST"] == "tcp://[fd00::5]:2375"


def test_the_file_is_one_variable_per_line_and_reads_back(tmp_path):
    m = material(tmp_path, cert_path=tmp_path / "with space" / "vch1")
    path = write_env_file(m, "10.0.0.5", 12345)
    assert path == tmp_path / "with space" / "vch1" / "vch1.env"
    text = path.read_text()
    assert text.splitlines()[0] == "DOCKER_HOST=tcp://10.0.0.5:12345"
    assert f"DOCKER_CERT_PATH={shlex.quote(str(m.folder))}" in text.splitlines()
    assert read_env_file(path) == docker_env(m, "10.0.0.5", 12345)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_writing_the_env_file_is_undone_by_cleanup(tmp_path):
    m = material(tmp_path, no_tls=True)
    assert not m.folder.exists()  # no_tls writes no material
    path = write_env_file(m, "10.0.0.5")
    assert stat.S_IMODE(m.folder.stat().st_mode) == 0o700
    assert m.cleanup() == [f"file {path}", f"folder {m.folder}"]
    assert not m.folder.exists()


def test_cleanup_restores_an_env_file_it_replaced(tmp_path):
    m = material(tmp_path)
    (m.folder / "vch1.env").write_text("DOCKER_HOST=tcp://old:2376\n")
    m2 = material(tmp_path)  # reused
    write_env_file(m2, "10.0.0.5")
    assert "10.0.0.5" in (m.folder / "vch1.env").read_text()
    m2.cleanup()
    assert (m.folder / "vch1.env").read_text() == "DOCKER_HOST=tcp://old:2376\n"


def test_env_text_quotes_what_the_shell_would_split():
    assert env_file_text({"A": "plain/path", "B": "a b"}) == "A=plain/path\nB='a b'\n"


@pytest.mark.parametrize(
    "kw, docker_opt",
    [
        ({}, "host=tcp://10.0.0.5:2376,ca={f}/ca.pem,cert={f}/cert.pem,key={f}/key.pem"),
        ({"no_tlsverify": True}, "host=tcp://10.0.0.5:2376,skip-tls-verify=true"),
        ({"no_tls": True}, "host=tcp://10.0.0.5:2375"),
    ],
)
def test_the_context_command_matches_the_env(tmp_path, kw, docker_opt):
    m = material(tmp_path, **kw)
    args = docker_context_args(m, "10.0.0.5")
    assert args[:4] == ["docker", "context", "create", "vch1"]
    assert args[-2:] == ["--docker", docker_opt.format(f=m.folder)]
    assert shlex.split(docker_context_command(m, "10.0.0.5")) == args


def test_a_comma_in_a_path_is_csv_quoted_for_the_docker_option(tmp_path):
    m = material(tmp_path, cert_path=tmp_path / "a,b")
    opt = docker_context_args(m, "10.0.0.5")[-1]
    assert f'"ca={m.folder}/ca.pem"' in opt


def test_context_names_are_what_docker_accepts():
    assert context_name("my vch/1") == "my-vch-1"
    assert context_name("_x") == "x"
