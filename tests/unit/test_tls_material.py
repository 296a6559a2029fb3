"""The certificate folder: what is generated, file modes, reuse, refusals, cleanup, and no keys in logs."""

from __future__ import annotations

import logging
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.rig.tls_files import Authority, write_pair
from tui.core.errors import InvalidInput, VchError
from tui.core.problems import ProblemsError
from tui.core.tls.material import load_material, plan_material, write_material
from tui.core.tls.modes import TlsSettings
from tui.core.tls.pem import common_name, now_utc, read_certificates, read_private_key

ALL = ["ca-key.pem", "ca.pem", "cert.pem", "key.pem", "server-cert.pem", "server-key.pem"]


def settings(tmp_path, **kw) -> TlsSettings:
    kw.setdefault("name", "vch1")
    kw.setdefault("cert_path", tmp_path / "certs")
    kw.setdefault("cname", "10.0.0.5")
    kw.setdefault("key_type", "ecdsa")  # fast; RSA has its own tests
    return TlsSettings(**kw)


def make(tmp_path, **kw):
    return write_material(plan_material(settings(tmp_path, **kw)))


def cert(path: Path) -> x509.Certificate:
    return read_certificates(path)[0]


def ext(c, cls):
    return c.extensions.get_extension_for_class(cls).value


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module")
def rsa_material(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rsa")
    return make(tmp, key_type="rsa", static_ip="10.0.0.9/24", organization=("Acme", "Ops"), validity_days=30)


def test_tlsverify_writes_the_six_files_with_their_modes(rsa_material):
    folder = rsa_material.folder
    assert sorted(os.listdir(folder)) == ALL
    assert mode_of(folder) == 0o700
    for name in ALL:
        assert mode_of(folder / name) == (0o600 if "key" in name else 0o644), name


@pytest.mark.parametrize("umask", [0o000, 0o077])
def test_file_modes_do_not_depend_on_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        m = make(tmp_path / "nested" / "deeper")
    finally:
        os.umask(old)
    assert mode_of(m.folder) == 0o700
    assert mode_of(m.folder / "key.pem") == 0o600 and mode_of(m.folder / "ca.pem") == 0o644


def test_the_ca_is_a_ca_named_after_the_organization(rsa_material):
    ca = cert(rsa_material.ca_cert)
    assert ext(ca, x509.BasicConstraints).ca is True
    usage = ext(ca, x509.KeyUsage)
    assert usage.key_cert_sign and usage.crl_sign
    with pytest.raises(x509.ExtensionNotFound):
        ext(ca, x509.ExtendedKeyUsage)  # an EKU on the CA would restrict its leaves in Go
    assert [a.value for a in ca.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == ["Acme", "Ops"]


def test_the_server_certificate_names_the_cname_and_the_static_ip_only(rsa_material):
    server = cert(rsa_material.server_cert)
    assert common_name(server) == "10.0.0.5"
    san = ext(server, x509.SubjectAlternativeName)
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["10.0.0.5", "10.0.0.9"]
    assert san.get_values_for_type(x509.DNSName) == []
    assert list(ext(server, x509.ExtendedKeyUsage)) == [ExtendedKeyUsageOID.SERVER_AUTH]
    usage = ext(server, x509.KeyUsage)
    assert usage.digital_signature and usage.key_encipherment and usage.key_agreement
    assert ext(server, x509.BasicConstraints).ca is False
    server.verify_directly_issued_by(cert(rsa_material.ca_cert))


def test_the_client_certificate_is_for_client_auth_and_signed_by_the_ca(rsa_material):
    client = cert(rsa_material.client_cert)
    assert list(ext(client, x509.ExtendedKeyUsage)) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert common_name(client) == "client"
    client.verify_directly_issued_by(cert(rsa_material.ca_cert))


def test_rsa_keys_are_unencrypted_pkcs1_of_the_requested_size(rsa_material):
    for path in (rsa_material.server_key, rsa_material.client_key, rsa_material.ca_key):
        text = path.read_text()
        assert text.startswith("-----BEGIN RSA PRIVATE KEY-----") and "ENCRYPTED" not in text
        key = read_private_key(path)
        assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048


def test_validity_is_configurable_and_reported(rsa_material):
    server = cert(rsa_material.server_cert)
    assert rsa_material.not_after == server.not_valid_after_utc
    assert timedelta(days=29) < server.not_valid_after_utc - now_utc() <= timedelta(days=30)
    assert server.not_valid_before_utc < now_utc() - timedelta(hours=23)  # backdated a day for clock skew
    assert set(rsa_material.expiries) == set(rsa_material.fingerprints) == {"ca", "server", "client"}
    assert any("expires" in line and rsa_material.server_sha256 in line for line in rsa_material.summary())


def test_facts_are_what_the_endpoint_records(rsa_material):
    from tui.core.vch.endpoint import TlsFacts

    facts = TlsFacts(**rsa_material.facts())
    assert facts.mode == "tlsverify" and facts.cert_path == str(rsa_material.folder)
    assert facts.server_sha256 == rsa_material.server_sha256 and len(facts.server_sha256) == 95
    assert facts.not_after == rsa_material.not_after.isoformat()


def test_a_larger_rsa_key_size_is_used(tmp_path):
    m = make(tmp_path, key_type="rsa", key_size=3072)
    assert read_private_key(m.server_key).key_size == 3072


def test_ecdsa_keys_are_p256_with_ec_usages(tmp_path):
    m = make(tmp_path, cname="vch.example.com")
    key = read_private_key(m.server_key)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    assert m.server_key.read_text().startswith("-----BEGIN EC PRIVATE KEY-----")
    server = cert(m.server_cert)
    assert ext(server, x509.SubjectAlternativeName).get_values_for_type(x509.DNSName) == ["vch.example.com"]
    usage = ext(server, x509.KeyUsage)
    assert usage.digital_signature and usage.key_agreement and not usage.key_encipherment


def test_no_tlsverify_makes_a_self_signed_server_certificate_only(tmp_path):
    m = make(tmp_path, no_tlsverify=True)
    assert sorted(os.listdir(m.folder)) == ["ca.pem", "server-cert.pem", "server-key.pem"]
    server = cert(m.server_cert)
    server.verify_directly_issued_by(server)
    assert m.ca_cert.read_bytes() == m.server_cert.read_bytes()
    assert (m.client_cert, m.client_ca_files, m.verify_clients) == (None, (), False)


def test_no_tlsverify_without_cname_uses_the_vch_name(tmp_path):
    m = make(tmp_path, no_tlsverify=True, cname=None)
    server = cert(m.server_cert)
    assert common_name(server) == "vch1"
    with pytest.raises(x509.ExtensionNotFound):
        ext(server, x509.SubjectAlternativeName)


def test_tlsverify_with_tls_ca_trusts_those_cas_for_clients(tmp_path):
    corp = Authority("corp")
    ca_file = corp.write(tmp_path)
    m = make(tmp_path, tls_ca=[ca_file])
    assert sorted(os.listdir(m.folder)) == ["ca.pem", "server-cert.pem", "server-key.pem"]
    assert m.client_ca_files == (ca_file,)
    assert m.client_ca_pem() == ca_file.read_bytes()
    assert m.verify_clients and m.client_cert is None


def test_custom_mode_copies_only_the_ca_and_uses_the_users_files_in_place(tmp_path):
    corp = Authority("corp")
    server_cert, server_key = write_pair(tmp_path / "user", "server", *corp.server("10.0.0.5"))
    ca_file = corp.write(tmp_path / "user")
    m = make(tmp_path, server_cert=server_cert, server_key=server_key, tls_ca=[ca_file])
    assert os.listdir(m.folder) == ["ca.pem"]
    assert m.ca_cert.read_bytes() == ca_file.read_bytes()
    assert (m.server_cert, m.server_key) == (server_cert, server_key)
    assert m.fingerprints.keys() == {"server"}


def test_custom_mode_with_no_tlsverify_pins_the_server_certificate(tmp_path):
    corp = Authority("corp")
    server_cert, server_key = write_pair(tmp_path / "user", "server", *corp.server("10.0.0.5"))
    m = make(tmp_path, server_cert=server_cert, server_key=server_key, no_tlsverify=True)
    assert m.ca_cert.read_bytes() == server_cert.read_bytes()
    assert not m.verify_clients


def test_a_bad_custom_certificate_refuses_the_plan_and_writes_nothing(tmp_path):
    corp = Authority("corp")
    server_cert, server_key = write_pair(tmp_path / "user", "server", *corp.server("10.0.0.5", expired=True))
    plan = plan_material(settings(tmp_path, server_cert=server_cert, server_key=server_key, no_tlsverify=True))
    assert plan.refused
    with pytest.raises(ProblemsError) as err:
        write_material(plan)
    assert err.value.field == "tls_server_cert" and "expired" in str(err.value)
    assert not (tmp_path / "certs").exists()


# --- reuse and refusals -------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {n: ((folder / n).read_bytes(), (folder / n).stat().st_mtime_ns) for n in sorted(os.listdir(folder))}


def test_a_folder_with_the_same_cn_is_reused_as_it_is(tmp_path):
    first = make(tmp_path)
    before = snapshot(first.folder)
    plan = plan_material(settings(tmp_path))
    assert {a.action for a in plan.actions} == {"reuse"} and plan.problems == []
    again = write_material(plan)
    assert snapshot(first.folder) == before
    assert again.reused and again.created == []
    assert again.fingerprints == first.fingerprints
    assert again.cleanup() == [] and snapshot(first.folder) == before


def test_a_tlsverify_folder_is_reused_for_no_tlsverify(tmp_path):
    first = make(tmp_path)
    again = write_material(plan_material(settings(tmp_path, no_tlsverify=True)))
    assert again.server_sha256 == first.server_sha256 and again.created == []


def test_a_different_cn_is_refused_with_the_way_out(tmp_path):
    first = make(tmp_path)
    before = snapshot(first.folder)
    plan = plan_material(settings(tmp_path, cname="10.0.0.6"))
    with pytest.raises(InvalidInput) as err:
        write_material(plan)
    assert err.value.field == "tls_cname"
    text = str(err.value)
    assert "10.0.0.6" in text and "its CN is '10.0.0.5'" in text
    assert "new tls_cert_path" in text and f"remove {first.folder}" in text
    assert snapshot(first.folder) == before


def test_a_folder_with_unrelated_files_is_refused(tmp_path):
    folder = tmp_path / "certs"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    plan = plan_material(settings(tmp_path))
    assert plan.refused and plan.problems[0].field == "tls_cert_path"
    assert "notes.txt" in plan.problems[0].message
    with pytest.raises(ProblemsError):
        write_material(plan)
    assert os.listdir(folder) == ["notes.txt"]


def test_a_subfolder_counts_as_unrelated(tmp_path):
    (tmp_path / "certs" / "ca.pem").mkdir(parents=True)
    assert plan_material(settings(tmp_path)).refused


def test_an_empty_folder_or_one_with_only_the_env_file_is_used(tmp_path):
    folder = tmp_path / "certs"
    folder.mkdir(mode=0o700)
    (folder / "vch1.env").write_text("DOCKER_HOST=tcp://10.0.0.5:2375\n")
    plan = plan_material(settings(tmp_path))
    assert not plan.refused and {a.action for a in plan.actions} == {"generate"}


def test_a_folder_with_part_of_the_material_is_refused(tmp_path):
    first = make(tmp_path)
    (first.folder / "ca-key.pem").unlink()
    plan = plan_material(settings(tmp_path))
    assert plan.refused and "ca-key.pem missing" in plan.problems[0].message


def test_a_no_tlsverify_folder_cannot_become_tlsverify(tmp_path):
    make(tmp_path, no_tlsverify=True)
    plan = plan_material(settings(tmp_path))
    assert plan.refused and "ca-key.pem, cert.pem, key.pem missing" in plan.problems[0].message


def test_a_path_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "certs").write_text("x")
    plan = plan_material(settings(tmp_path))
    assert plan.refused and "is not a folder" in plan.problems[0].message


def test_reuse_is_refused_when_the_server_certificate_has_expired(tmp_path):
    make(tmp_path, validity_days=1)
    plan = plan_material(settings(tmp_path), now=now_utc() + timedelta(days=3))
    assert plan.refused and any("is not valid now" in p.message for p in plan.problems)


def test_reuse_is_refused_when_the_static_ip_is_not_in_the_certificate(tmp_path):
    make(tmp_path)
    plan = plan_material(settings(tmp_path, static_ip="10.0.0.7"))
    assert plan.refused and [p.field for p in plan.problems] == ["client_network_ip"]


def test_reuse_is_refused_when_a_key_does_not_match(tmp_path):
    first = make(tmp_path)
    other = make(tmp_path / "other")
    (first.folder / "server-key.pem").write_bytes((other.folder / "server-key.pem").read_bytes())
    plan = plan_material(settings(tmp_path))
    assert plan.refused and "server-key.pem does not belong to" in plan.problems[0].message


def test_reuse_is_refused_when_the_client_certificate_is_from_another_ca(tmp_path):
    first = make(tmp_path)
    other = make(tmp_path / "other")
    for name in ("cert.pem", "key.pem"):
        (first.folder / name).write_bytes((other.folder / name).read_bytes())
    plan = plan_material(settings(tmp_path))
    assert plan.refused and "cert.pem is not signed by" in plan.problems[0].message


def test_the_plan_describes_what_it_will_do(tmp_path):
    lines = plan_material(settings(tmp_path, key_type="rsa", validity_days=90)).describe()
    assert lines[0].startswith("TLS with client certificates")
    assert (
        f"generate ca.pem, ca-key.pem, server-cert.pem, server-key.pem, cert.pem, key.pem in {tmp_path / 'certs'}"
        in lines
    )
    assert "new certificates: RSA 2048, valid 90 days, for 10.0.0.5" in lines
    assert "anyone who can reach it" in plan_material(settings(tmp_path, no_tls=True)).describe()[0]


def test_loose_permissions_on_a_reused_folder_are_warned_about_and_only_the_keys_fixed(tmp_path):
    """The folder existed before this run: it is never chmod-ed (the user is told how); its keys become 0600."""
    first = make(tmp_path)
    os.chmod(first.folder, 0o755)
    os.chmod(first.folder / "key.pem", 0o644)
    plan = plan_material(settings(tmp_path))
    assert not plan.refused and len(plan.warnings) == 2
    assert f"chmod 700 {first.folder}" in plan.warnings[0].hint
    write_material(plan)
    assert mode_of(first.folder) == 0o755 and mode_of(first.folder / "key.pem") == 0o600


def test_an_existing_empty_folder_is_used_without_changing_its_mode(tmp_path):
    folder = tmp_path / "certs"
    folder.mkdir()
    os.chmod(folder, 0o750)
    make(tmp_path)
    assert mode_of(folder) == 0o750 and mode_of(folder / "key.pem") == 0o600


@pytest.mark.parametrize("existing", [False, True])
def test_a_symlinked_folder_is_refused_naming_the_field(tmp_path, existing):
    real = tmp_path / "real"
    if existing:
        make(tmp_path, cert_path=real)
    else:
        real.mkdir(mode=0o700)
    (tmp_path / "certs").symlink_to(real)
    plan = plan_material(settings(tmp_path))
    assert plan.refused and [p.field for p in plan.problems] == ["tls_cert_path"]
    assert "symbolic link" in plan.problems[0].message
    with pytest.raises(ProblemsError):
        write_material(plan)
    assert sorted(os.listdir(real)) == (ALL if existing else [])


def test_a_folder_replaced_by_a_link_after_the_plan_is_not_written_through(tmp_path):
    folder = tmp_path / "certs"
    folder.mkdir(mode=0o700)
    plan = plan_material(settings(tmp_path))
    folder.rmdir()
    (tmp_path / "elsewhere").mkdir()
    folder.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(VchError, match="symbolic link"):
        write_material(plan)
    assert os.listdir(tmp_path / "elsewhere") == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
@pytest.mark.parametrize("what", ["folder", "key"])
def test_a_foreign_owned_folder_or_key_is_refused_and_left_alone(tmp_path, what):
    first = make(tmp_path)
    victim = first.folder if what == "folder" else first.folder / "key.pem"
    os.chmod(victim, 0o755 if what == "folder" else 0o644)
    os.chown(victim, 65534, 65534)
    plan = plan_material(settings(tmp_path))
    assert plan.refused and {p.field for p in plan.problems} == {"tls_cert_path"}
    assert "belongs to user" in plan.problems[0].message
    with pytest.raises(ProblemsError):
        write_material(plan)
    assert mode_of(victim) == (0o755 if what == "folder" else 0o644) and victim.stat().st_uid == 65534


def test_load_material_refuses_an_empty_folder(tmp_path):
    with pytest.raises(VchError, match="does not hold the TLS material"):
        load_material(settings(tmp_path))
    assert not (tmp_path / "certs").exists()


# --- cleanup --------------------------------------------------------------------------------------


def test_cleanup_removes_what_this_run_created_including_new_parent_folders(tmp_path):
    m = make(tmp_path, cert_path=tmp_path / "a" / "b" / "certs")
    removed = m.cleanup()
    assert not (tmp_path / "a").exists()
    assert removed[0].startswith("file") and removed[-1] == f"folder {tmp_path / 'a'}"


def test_cleanup_keeps_a_folder_that_existed_and_files_it_did_not_make(tmp_path):
    folder = tmp_path / "certs"
    folder.mkdir(mode=0o700)
    (folder / "vch1.env").write_text("old\n")
    m = make(tmp_path)
    m.cleanup()
    assert os.listdir(folder) == ["vch1.env"]


def test_a_file_appearing_between_plan_and_write_stops_the_write_and_rolls_back(tmp_path):
    plan = plan_material(settings(tmp_path))
    (tmp_path / "certs").mkdir(mode=0o700)
    (tmp_path / "certs" / "server-cert.pem").write_text("someone else's")
    with pytest.raises(VchError, match="appeared"):
        write_material(plan)
    assert os.listdir(tmp_path / "certs") == ["server-cert.pem"]


# --- secrets --------------------------------------------------------------------------------------


def test_no_key_material_reaches_the_logs(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    m = make(tmp_path, key_type="rsa")
    make(tmp_path)  # reuse
    (m.folder / "key.pem").write_text(
        "-----BEGIN RSA PRIVATE KEY-----\nZZZZ-secret-ZZZZ\n-----END RSA PRIVATE KEY-----\n"
    )
    plan = plan_material(settings(tmp_path))
    assert plan.refused
    problems_text = "\n".join(str(p) for p in plan.problems)
    assert caplog.records, "the material code logs what it does"
    for text in (caplog.text, problems_text):
        assert "PRIVATE KEY" not in text and "ZZZZ-secret" not in text
    for key_file in ("ca-key.pem", "server-key.pem"):
        body = "".join((m.folder / key_file).read_text().splitlines()[1:-1])
        assert body[:40] not in caplog.text
