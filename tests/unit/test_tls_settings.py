"""The TLS mode model and the checks on settings alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.spec.answers import parse_answers
from tui.core.tls.modes import TlsMode, TlsSettings, settings_from_spec, settings_problems


def s(**kw) -> TlsSettings:
    kw.setdefault("name", "vch1")
    kw.setdefault("cert_path", Path("vch1"))
    kw.setdefault("cname", "10.0.0.5")
    return TlsSettings(**kw)


@pytest.mark.parametrize(
    "kw, mode, port, verify, ca, files",
    [
        ({"no_tls": True}, TlsMode.NO_TLS, 2375, False, False, ()),
        (
            {"no_tlsverify": True},
            TlsMode.NO_TLSVERIFY,
            2376,
            False,
            False,
            ("ca.pem", "server-cert.pem", "server-key.pem"),
        ),
        (
            {},
            TlsMode.TLSVERIFY,
            2376,
            True,
            True,
            ("ca.pem", "ca-key.pem", "server-cert.pem", "server-key.pem", "cert.pem", "key.pem"),
        ),
        (
            {"tls_ca": ["corp.pem"]},
            TlsMode.TLSVERIFY,
            2376,
            True,
            False,
            ("ca.pem", "server-cert.pem", "server-key.pem"),
        ),
        (
            {"server_cert": "s.pem", "server_key": "k.pem", "tls_ca": ["c.pem"]},
            TlsMode.CUSTOM,
            2376,
            True,
            False,
            ("ca.pem",),
        ),
        (
            {"server_cert": "s.pem", "server_key": "k.pem", "no_tlsverify": True},
            TlsMode.CUSTOM,
            2376,
            False,
            False,
            ("ca.pem",),
        ),
    ],
)
def test_each_mode_says_its_port_verification_and_files(kw, mode, port, verify, ca, files):
    settings = s(**kw)
    assert settings.mode == mode
    assert settings.docker_port == port
    assert settings.verify_clients is verify
    assert settings.generates_ca is ca
    assert settings.files() == files


def test_relative_folder_is_made_absolute_from_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert s(cert_path="a/b").folder == tmp_path / "a" / "b"


def fields(settings) -> dict[str, str]:
    return {p.field: p.message for p in settings_problems(settings)}


def test_good_settings_have_no_problem():
    assert settings_problems(s()) == []
    assert settings_problems(s(no_tlsverify=True, cname=None)) == []


def test_tlsverify_needs_a_cname():
    assert "provide Common Name" in fields(s(cname=None))["tls_cname"]


def test_cert_and_key_go_together():
    assert "together" in fields(s(server_cert="s.pem", tls_ca=["c.pem"]))["tls_server_key"]
    assert "together" in fields(s(server_key="k.pem", tls_ca=["c.pem"]))["tls_server_cert"]


def test_custom_certificate_without_tls_ca_must_say_no_tlsverify():
    problems = settings_problems(s(server_cert="s.pem", server_key="k.pem"))
    assert [p.field for p in problems] == ["tls_ca"]
    assert "no_tlsverify = true" in problems[0].hint


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"cname": "not a name!"}, "tls_cname"),
        ({"key_type": "dsa"}, "certificate_key_type"),
        ({"key_size": 1024}, "certificate_key_size"),
        ({"validity_days": 0}, "certificate_validity_days"),
        ({"static_ip": "10.0.0.300/24"}, "client_network_ip"),
        ({"no_tls": True, "tls_ca": ["c.pem"]}, "no_tls"),
        ({"name": "a/b"}, "name"),
    ],
)
def test_bad_settings_name_their_field(kw, field):
    assert field in fields(s(**kw))


def test_settings_from_a_spec_resolve_vic_machine_defaults(tmp_path):
    spec = parse_answers(
        {
            "name": "vch7",
            "client_network_ip": "10.0.0.9/24",
            "client_network": "pg",
            "client_network_gateway": "10.0.0.1",
            "tls_ca": ["corp.pem"],
        }
    )
    settings = settings_from_spec(spec)
    assert settings.cname == "10.0.0.9"
    assert settings.static_address is not None and str(settings.static_address) == "10.0.0.9"
    assert settings.cert_path == Path("vch7")
    assert settings.tls_ca == (Path("corp.pem"),)
    assert settings.mode == TlsMode.TLSVERIFY and settings.verify_clients and not settings.generates_ca
