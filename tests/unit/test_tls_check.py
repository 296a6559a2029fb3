"""Checks on a custom server certificate: one deliberately broken certificate per rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, PrivateFormat
from cryptography.x509.oid import ExtendedKeyUsageOID

from tests.rig.tls_files import Authority, write_pair
from tui.core.tls import generate as g
from tui.core.tls.check import FileProblem, check_server_certificate
from tui.core.tls.pem import now_utc


@pytest.fixture(scope="module")
def ca() -> Authority:
    return Authority("corp")


@pytest.fixture(scope="module")
def rsa_ca() -> Authority:
    return Authority("corp-rsa", key_type="rsa")


def check(tmp_path, cert, key, cname="127.0.0.1", ca_paths=(), **kw):
    cert_path, key_path = write_pair(tmp_path, "server", cert, key)
    return cert_path, key_path, check_server_certificate(cert_path, key_path, cname, ca_paths, **kw)


def only(problems, severity="error") -> FileProblem:
    picked = [p for p in problems if p.severity == severity]
    assert len(picked) == 1, problems
    return picked[0]


def test_a_good_certificate_has_no_problem(tmp_path, ca):
    cert, key = ca.server()
    _, _, problems = check(tmp_path, cert, key, ca_paths=[ca.write(tmp_path)])
    assert problems == []


def test_a_file_that_is_not_a_certificate_is_an_error_on_tls_server_cert(tmp_path, ca):
    _, key = ca.server()
    cert_path = tmp_path / "server.pem"
    cert_path.write_text("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")
    _, key_path = write_pair(tmp_path, "k", ca.cert, key)
    problem = only(check_server_certificate(cert_path, key_path, "127.0.0.1"))
    assert problem.field == "tls_server_cert" and problem.path == str(cert_path)
    assert "not a valid X.509 certificate" in problem.message and str(cert_path) in problem.message


def test_a_key_given_as_the_certificate_is_named_as_such(tmp_path, ca):
    _, key = ca.server()
    _, key_path = write_pair(tmp_path, "server", ca.cert, key)
    problem = only(check_server_certificate(key_path, key_path, "127.0.0.1"))
    assert problem.field == "tls_server_cert" and "holds a private key, not a certificate" in problem.message


def test_an_encrypted_key_is_an_error_with_the_decrypt_command(tmp_path, ca):
    cert, key = ca.server()
    cert_path, key_path = write_pair(tmp_path, "server", cert, key)
    key_path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(b"pw")))
    problem = only(check_server_certificate(cert_path, key_path, "127.0.0.1"))
    assert problem.field == "tls_server_key" and "encrypted" in problem.message
    assert "openssl pkey" in problem.hint


def test_a_key_of_another_certificate_is_an_error(tmp_path, ca):
    cert, _ = ca.server()
    _, other_key = ca.server()
    _, key_path, problems = check(tmp_path, cert, other_key)
    problem = only(problems)
    assert problem.field == "tls_server_key" and problem.path == str(key_path)
    assert "does not belong to the certificate" in problem.message


def test_an_expired_certificate_is_an_error(tmp_path, ca):
    cert, key = ca.server(expired=True)
    _, _, problems = check(tmp_path, cert, key)
    assert "expired on" in only(problems).message


def test_a_certificate_not_valid_yet_is_an_error(tmp_path, ca):
    cert, key = ca.server(not_yet_valid=True)
    _, _, problems = check(tmp_path, cert, key)
    problem = only(problems)
    assert "not valid yet" in problem.message and "clock" in problem.hint


def test_the_check_uses_the_time_it_is_given(tmp_path, ca):
    cert, key = ca.server()
    _, _, problems = check(tmp_path, cert, key, now=now_utc() + timedelta(days=400))
    assert "expired on" in only(problems).message


def test_missing_digital_signature_is_only_a_warning_as_the_docker_cli_ignores_key_usage(tmp_path, ca):
    cert, key = ca.server(usages={"key_agreement"})
    _, _, problems = check(tmp_path, cert, key)
    assert "digitalSignature" in only(problems, "warning").message
    assert not [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize("missing", ["key_encipherment", "key_agreement"])
def test_missing_key_encipherment_or_agreement_is_only_a_warning(tmp_path, rsa_ca, missing):
    cert, key = rsa_ca.server(usages=set(g.RSA_SERVER_USAGES) - {missing})
    _, _, problems = check(tmp_path, cert, key)
    warning = only(problems, "warning")
    assert [p for p in problems if p.severity == "error"] == []
    assert {"key_encipherment": "keyEncipherment", "key_agreement": "keyAgreement"}[missing] in warning.message


def test_an_ecdsa_certificate_is_not_asked_for_key_encipherment(tmp_path, ca):
    cert, key = ca.server()  # ECDSA: digitalSignature + keyAgreement
    _, _, problems = check(tmp_path, cert, key)
    assert problems == []


def test_an_eku_without_server_auth_is_an_error_and_no_eku_at_all_is_fine(tmp_path, ca):
    cert, key = ca.server(eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    _, _, problems = check(tmp_path, cert, key)
    assert "serverAuth" in only(problems).message
    cert, key = ca.server(eku=())
    _, _, problems = check(tmp_path / "no-eku", cert, key)
    assert problems == []


def test_a_san_that_does_not_cover_the_cname_is_an_error(tmp_path, ca):
    cert, key = ca.server(cn="10.0.0.5", sans=("10.0.0.5", "vch.example.com"))
    _, _, problems = check(tmp_path, cert, key, cname="10.0.0.6")
    problem = only(problems)
    assert "does not cover 10.0.0.6" in problem.message and "10.0.0.5" in problem.message
    assert "IP:10.0.0.6" in problem.hint
    _, _, problems = check(tmp_path, cert, key, cname="vch.example.com")
    assert problems == []


def test_a_cn_without_san_does_not_cover_the_cname(tmp_path, ca):
    cert, key = ca.server(cn="vch.example.com", sans=())
    _, _, problems = check(tmp_path, cert, key, cname="vch.example.com")
    assert "no subjectAltName at all" in only(problems).message


def test_a_wildcard_san_covers_one_label(tmp_path, ca):
    cert, key = ca.server(cn="*.example.com", sans=("*.example.com",))
    assert check(tmp_path, cert, key, cname="vch.example.com")[2] == []
    assert check(tmp_path, cert, key, cname="a.vch.example.com")[2] != []


def test_a_certificate_that_does_not_chain_to_tls_ca_is_an_error(tmp_path, ca):
    other = Authority("other")
    cert, key = ca.server()
    cert_path, _, problems = check(tmp_path, cert, key, ca_paths=[other.write(tmp_path, "other-ca")])
    problem = only(problems)
    assert problem.field == "tls_server_cert" and "does not chain to any certificate in tls_ca" in problem.message
    assert "O=corp" in problem.message


def test_an_intermediate_below_a_ca_with_path_length_0_is_refused_as_go_does(tmp_path, ca):
    """vch-tui's CAs say pathLenConstraint 0 (tests/rig/cert_matrix.py has the accepted intermediate)."""
    inter_key = g.new_key("ecdsa")
    inter = g.build_certificate(
        inter_key, issuer_cert=ca.cert, issuer_key=ca.key, common_name="inter", is_ca=True, key_usage=g.CA_USAGES
    )
    key = g.new_key("ecdsa")
    leaf = g.make_server(
        key,
        cname="127.0.0.1",
        fallback_cn="x",
        static_ip=None,
        organization=["x"],
        days=5,
        ca_cert=inter,
        ca_key=inter_key,
    )
    cert_path, key_path = write_pair(tmp_path, "server", leaf, key)
    with_chain = cert_path.read_bytes() + write_pair(tmp_path, "inter", inter)[0].read_bytes()
    cert_path.write_bytes(with_chain)
    problem = only(check_server_certificate(cert_path, key_path, "127.0.0.1", [ca.write(tmp_path)]))
    assert problem.field == "tls_server_cert" and "pathLenConstraint" in problem.message


def test_an_unreadable_or_expired_tls_ca_is_an_error_on_tls_ca(tmp_path, ca):
    cert, key = ca.server()
    bad = tmp_path / "bad-ca.pem"
    bad.write_text("not pem")
    _, _, problems = check(tmp_path, cert, key, ca_paths=[bad, ca.write(tmp_path)])
    problem = only(problems)
    assert problem.field == "tls_ca" and problem.path == str(bad)
    _, _, problems = check(tmp_path, cert, key, ca_paths=[ca.write(tmp_path)], now=now_utc() + timedelta(days=31))
    assert any(p.field == "tls_ca" and "has expired" in p.message for p in problems)


def test_missing_files_are_named(tmp_path):
    problems = check_server_certificate(tmp_path / "nope.pem", tmp_path / "nokey.pem", "127.0.0.1")
    assert {p.field for p in problems} == {"tls_server_cert", "tls_server_key"}
    assert all("does not exist" in p.message for p in problems)


def test_a_weak_rsa_key_is_a_warning(tmp_path):
    ca = Authority("weak", key_type="rsa")
    key = g.new_key("rsa", 1024)
    cert, _ = ca.server(key=key)
    _, _, problems = check(tmp_path, cert, key)
    assert "1024 bits" in only(problems, "warning").message


def test_a_key_readable_by_others_is_a_warning(tmp_path, ca):
    cert, key = ca.server()
    cert_path, key_path = write_pair(tmp_path, "server", cert, key)
    key_path.chmod(0o644)
    warning = only(check_server_certificate(cert_path, key_path, "127.0.0.1"), "warning")
    assert warning.field == "tls_server_key" and "chmod 600" in warning.hint
