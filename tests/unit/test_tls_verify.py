"""The chain verdict without Docker: each set of tests/rig/cert_matrix.py as Go decides it (the integration
test test_tls_docker_agrees.py asks the real docker CLI the same), and the server's own CA kept apart from
the client CA."""

from __future__ import annotations

import pytest

from tests.rig.cert_matrix import ADDRESS, CASES, build_case, make, root
from tui.core.problems import errors_only
from tui.core.tls.check import check_server_certificate
from tui.core.tls.material import plan_material
from tui.core.tls.modes import TlsSettings
from tui.core.tls.pem import cert_pem, key_pem, read_certificates


@pytest.mark.parametrize("name", CASES)
def test_each_certificate_set_gets_the_verdict_go_gives_it(name, tmp_path):
    case = build_case(name, tmp_path)
    errors = errors_only(
        check_server_certificate(case.cert_path, case.key_path, ADDRESS, server_ca_paths=[case.ca_path])
    )
    assert (not errors) == case.expected_by_docker, errors
    assert all(p.field in ("tls_server_cert", "tls_server_ca") and p.hint for p in errors)


def test_the_same_sets_judged_against_tls_ca_name_tls_ca(tmp_path):
    case = build_case("other-ca", tmp_path)
    errors = errors_only(check_server_certificate(case.cert_path, case.key_path, ADDRESS, [case.ca_path]))
    assert len(errors) == 1 and "does not chain to any certificate in tls_ca" in errors[0].message


def test_a_chain_error_is_worded_for_the_user_not_in_the_verifiers_repr(tmp_path):
    case = build_case("path-length-exceeded", tmp_path)
    (error,) = errors_only(
        check_server_certificate(case.cert_path, case.key_path, ADDRESS, server_ca_paths=[case.ca_path])
    )
    assert "pathLenConstraint" in error.message and "<Certificate" not in error.message


def write_server(folder, leaf, *extra):
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "server.pem", folder / "server-key.pem"
    cert_path.write_bytes(b"".join(cert_pem(c.cert) for c in (leaf, *extra)))
    key_path.touch(mode=0o600)
    key_path.write_bytes(key_pem(leaf.key))
    return cert_path, key_path


def test_a_server_ca_other_than_the_client_ca_is_allowed_and_is_what_clients_trust(tmp_path):
    server_root, client_root = root("server-root"), root("client-root")
    leaf = make("vch", server_root)
    cert_path, key_path = write_server(tmp_path / "user", leaf, server_root)
    client_ca = tmp_path / "user" / "client-ca.pem"
    client_ca.write_bytes(cert_pem(client_root.cert))

    assert errors_only(check_server_certificate(cert_path, key_path, ADDRESS, [client_ca])) == []
    plan = plan_material(
        TlsSettings(
            name="v",
            cert_path=tmp_path / "certs",
            cname=ADDRESS,
            tls_ca=(client_ca,),
            server_cert=cert_path,
            server_key=key_path,
        )
    )
    assert not plan.refused, plan.problems
    assert plan.ca_bundle == cert_pem(server_root.cert)  # ca.pem verifies the server, not the clients
    assert plan.settings.verify_clients and plan.settings.tls_ca == (client_ca,)


def test_without_its_ca_a_server_from_another_ca_than_tls_ca_is_refused(tmp_path):
    server_root, client_root = root("server-root"), root("client-root")
    cert_path, key_path = write_server(tmp_path, make("vch", server_root))
    client_ca = tmp_path / "client-ca.pem"
    client_ca.write_bytes(cert_pem(client_root.cert))
    (error,) = errors_only(check_server_certificate(cert_path, key_path, ADDRESS, [client_ca]))
    assert "does not chain" in error.message and "end of tls_server_cert's file" in error.hint
    assert len(read_certificates(cert_path)) == 1
