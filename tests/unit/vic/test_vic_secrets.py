"""VIC's config secrets: NaCl secretbox under guestinfo.ovfEnv; the captured ones open and mean what they should."""

import base64
import pickle

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from vic_captures import DATA, SPECS, WRITE1, WRITE2, load_extra

from tui.core.errors import VchError, VicConfigError
from tui.core.secret import Secret
from tui.core.vic.config import decode, encode
from tui.core.vic.secretbox import SECRET_KEY_NAME, key_from_extra, new_key, parse_key, seal, unseal

TOKEN = "guestinfo.vice./connect/token@secret"
HOST_KEY = "guestinfo.vice./cert/HostCertificate/Key@secret"


def _decoded(name, file=WRITE2):
    extra = load_extra(name, file)
    return extra, decode(extra, key=key_from_extra(extra))


def test_seal_and_unseal_round_trip_with_a_fresh_nonce_each_time():
    key = new_key()
    first, second = seal(key, "pässword"), seal(key, "pässword")
    assert first != second
    assert len(base64.b64decode(first)) == 24 + 16 + len("pässword".encode())  # nonce ‖ MAC ‖ ciphertext
    assert unseal(key, first, name="k") == unseal(key, second, name="k") == "pässword"


def test_a_wrong_key_is_a_product_error_naming_the_key():
    value = seal(new_key(), "secret")
    with pytest.raises(VicConfigError) as err:
        unseal(new_key(), value, name=TOKEN)
    assert TOKEN in str(err.value) and "guestinfo.ovfEnv" in str(err.value)
    assert isinstance(err.value, VchError) and err.value.__cause__ is None and err.value.__suppress_context__


@pytest.mark.parametrize("bad", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_damaged_value_is_a_product_error(bad):
    with pytest.raises(VicConfigError, match="connect/token"):
        unseal(new_key(), bad, name=TOKEN)


def test_decoding_a_capture_with_another_vms_key_fails_cleanly():
    extra = load_extra("G1", WRITE2)
    other = key_from_extra(load_extra("G2", WRITE2))
    with pytest.raises(VicConfigError, match="does not open"):
        decode(extra, key=other)


def test_a_malformed_stored_key_is_a_product_error():
    with pytest.raises(VicConfigError, match="ovfEnv"):
        key_from_extra({SECRET_KEY_NAME: "c2hvcnQ="})
    assert parse_key(base64.b64encode(bytes(32)).decode()) == bytes(32)


@pytest.mark.parametrize("name", SPECS)
@pytest.mark.parametrize("file", [WRITE1, WRITE2, "extraconfig.txt"])
def test_the_captured_token_opens_with_the_captured_key(name, file):
    extra, cfg = _decoded(name, file)
    token = cfg.connect.token
    assert isinstance(token, Secret) and len(token.reveal()) >= 8
    assert token.reveal() not in repr(cfg) and token.reveal() not in str(cfg.connect)
    assert _decoded(name, WRITE1)[1].connect.token == token  # both writes carry the same password


@pytest.mark.parametrize("name", [n for n in SPECS if n != "G3"])
def test_the_captured_host_key_is_the_private_key_of_the_host_certificate(name):
    extra, cfg = _decoded(name)
    host = cfg.cert.host_certificate
    pem = host.key.reveal()
    assert pem.startswith("-----BEGIN ") and "PRIVATE KEY-----" in pem
    assert pem not in repr(cfg) and "PRIVATE KEY" not in repr(cfg)
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    cert = x509.load_pem_x509_certificate(host.cert)
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    assert private.public_key().public_bytes(*spki) == cert.public_key().public_bytes(*spki)


def test_g4_stores_the_certificate_and_ca_it_was_given():
    for name in ("G4", "G4-variant-pkcs8-key"):
        _, cfg = _decoded(name)
        assert cfg.cert.host_certificate.cert == (DATA / "G4" / "inputs" / "server-cert.pem").read_bytes()
        assert cfg.cert.certificate_authorities == (DATA / "G4" / "inputs" / "ca.pem").read_bytes()
    assert _decoded("G4-variant-pkcs8-key")[1].cert.host_certificate.key.reveal().startswith("-----BEGIN PRIVATE KEY")
    assert _decoded("G4")[1].cert.host_certificate.key.reveal().startswith("-----BEGIN RSA PRIVATE KEY")


def test_the_bytes_secret_is_base64_encoded_before_encryption():
    extra, cfg = _decoded("G1")
    key = key_from_extra(extra)
    inner = unseal(key, extra[HOST_KEY], name=HOST_KEY)
    assert base64.b64decode(inner).decode() == cfg.cert.host_certificate.key.reveal()


def test_encoding_a_secret_needs_a_key_and_an_unopened_secret_cannot_move_to_a_new_key():
    extra, cfg = _decoded("G1")
    with pytest.raises(VicConfigError, match="needs a secret key"):
        encode(cfg, key=None)
    sealed = decode(extra, key=None)
    with pytest.raises(VicConfigError, match="read without the secret key"):
        encode(sealed, key=new_key())


def test_secrets_never_reach_reprs_or_pickles():
    extra, cfg = _decoded("G2")
    text = repr(cfg) + repr(cfg.connect) + repr(cfg.cert) + repr(decode(extra, key=None).connect)
    assert cfg.connect.token.reveal() not in text
    assert extra[TOKEN] not in text
    with pytest.raises(TypeError):
        pickle.dumps(cfg.connect.token)
