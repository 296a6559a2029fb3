"""Server certificate sets that differ from a good one in one way each, for judging vch-tui's verdict against
Docker's (tests/integration/test_tls_docker_agrees.py) and the verifier's unit tests.

    case = build_case("any-eku", folder)   # folder/server.pem (leaf + intermediates), server-key.pem, ca.pem
    case.expected_by_docker                 # what Go's crypto/x509 decides, as documented; the test asks Docker
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from tui.core.tls.pem import cert_pem, key_pem, now_utc

ADDRESS = "127.0.0.1"
SERVER_AUTH = [ExtendedKeyUsageOID.SERVER_AUTH]


@dataclass
class Issued:
    cert: Any
    key: Any


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make(
    cn: str,
    issuer: Issued | None,
    *,
    ca: bool | None = False,
    path_length: int | None = None,
    sans: tuple[str, ...] = (ADDRESS,),
    eku: list[Any] | None = SERVER_AUTH,
    key_usage: str | None = "server",
    aki: bool = True,
    days: tuple[int, int] = (-1, 30),
    extra: list[tuple[Any, bool]] = (),
) -> Issued:
    """One certificate; ca=None leaves basicConstraints out; eku/key_usage None leave those out."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = now_utc()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer.cert.subject if issuer else _name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + timedelta(days=days[0]))
        .not_valid_after(now + timedelta(days=days[1]))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca is not None:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True
        )
    if key_usage == "server":
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, True, False, False, False, False), critical=True
        )
    elif key_usage == "ca":
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
    elif key_usage == "no-digital-signature":
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, True, False, False, False, False), critical=True
        )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if sans:
        entries: list[x509.GeneralName] = []
        for s in sans:
            try:
                entries.append(x509.IPAddress(ipaddress.ip_address(s)))
            except ValueError:
                entries.append(x509.DNSName(s))
        builder = builder.add_extension(x509.SubjectAlternativeName(entries), critical=False)
    if aki and issuer is not None:
        ski = issuer.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
    for ext, critical in extra:
        builder = builder.add_extension(ext, critical=critical)
    signer = issuer.key if issuer else key
    return Issued(builder.sign(signer, hashes.SHA256()), key)


def root(cn: str = "root", **kw: Any) -> Issued:
    kw.setdefault("path_length", None)
    return make(cn, None, ca=True, sans=(), eku=None, key_usage="ca", **kw)


def intermediate(issuer: Issued, cn: str = "intermediate", **kw: Any) -> Issued:
    kw.setdefault("ca", True)
    return make(cn, issuer, sans=(), eku=kw.pop("eku", None), key_usage="ca", **kw)


@dataclass
class Case:
    name: str
    cert_path: Path  # the leaf, then the intermediates the server sends
    key_path: Path
    ca_path: Path  # what the client trusts (ca.pem)
    expected_by_docker: bool


def _leaf(issuer: Issued, **kw: Any) -> Issued:
    return make("vch", issuer, **kw)


def _build(name: str) -> tuple[Issued, list[Issued], list[Issued], bool]:
    """(leaf, intermediates sent by the server, anchors, what Go decides)."""
    r = root()
    if name == "good":
        return _leaf(r), [], [r], True
    if name == "other-ca":
        return _leaf(r), [], [root("other")], False
    if name == "expired":
        return _leaf(r, days=(-10, -1)), [], [r], False
    if name == "not-yet-valid":
        return _leaf(r, days=(1, 10)), [], [r], False
    if name == "expired-root":
        old = root("old", days=(-10, -1))
        return _leaf(old), [], [old], False
    if name == "san-other-address":
        return _leaf(r, sans=("10.9.9.9",)), [], [r], False
    if name == "cn-only":
        return make(ADDRESS, r, sans=()), [], [r], False
    if name == "dns-san-for-ip":
        return _leaf(r, sans=("localhost",)), [], [r], False
    if name == "eku-client-only":
        return _leaf(r, eku=[ExtendedKeyUsageOID.CLIENT_AUTH]), [], [r], False
    if name == "any-eku":
        return _leaf(r, eku=[ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE]), [], [r], True
    if name == "no-eku":
        return _leaf(r, eku=None), [], [r], True
    if name == "no-digital-signature":
        return _leaf(r, key_usage="no-digital-signature"), [], [r], True
    if name == "no-aki":
        return _leaf(r, aki=False), [], [r], True
    if name == "intermediate":
        i = intermediate(r)
        return _leaf(i), [i], [r], True
    if name == "intermediate-missing":
        i = intermediate(r)
        return _leaf(i), [], [r], False
    if name == "path-length-exceeded":
        r0 = root("root0", path_length=0)
        i = intermediate(r0)
        return _leaf(i), [i], [r0], False
    if name == "intermediate-not-ca":
        i = intermediate(r, ca=False)
        return _leaf(i), [i], [r], False
    if name == "intermediate-expired":
        i = intermediate(r, days=(-10, -1))
        return _leaf(i), [i], [r], False
    if name == "intermediate-eku-client-only":
        i = intermediate(r, eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
        return _leaf(i), [i], [r], False
    if name == "name-constraints-exclude":
        nc = x509.NameConstraints(
            permitted_subtrees=[x509.IPAddress(ipaddress.ip_network("10.0.0.0/8"))], excluded_subtrees=None
        )
        i = intermediate(r, extra=[(nc, True)])
        return _leaf(i), [i], [r], False
    if name == "unknown-critical-extension":
        ext = x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00")
        return _leaf(r, extra=[(ext, True)]), [], [r], False
    raise ValueError(name)


CASES = (
    "good",
    "other-ca",
    "expired",
    "not-yet-valid",
    "expired-root",
    "san-other-address",
    "cn-only",
    "dns-san-for-ip",
    "eku-client-only",
    "any-eku",
    "no-eku",
    "no-digital-signature",
    "no-aki",
    "intermediate",
    "intermediate-missing",
    "path-length-exceeded",
    "intermediate-not-ca",
    "intermediate-expired",
    "intermediate-eku-client-only",
    "name-constraints-exclude",
    "unknown-critical-extension",
)


def build_case(name: str, folder: Path) -> Case:
    leaf, chain, anchors, expected = _build(name)
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path, ca_path = folder / "server.pem", folder / "server-key.pem", folder / "ca.pem"
    cert_path.write_bytes(b"".join(cert_pem(c.cert) for c in [leaf, *chain]))
    key_path.touch(mode=0o600)
    key_path.write_bytes(key_pem(leaf.key))
    ca_path.write_bytes(b"".join(cert_pem(a.cert) for a in anchors))
    return Case(name, cert_path, key_path, ca_path, expected)
