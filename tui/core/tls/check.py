"""Checks on a user-supplied server certificate, its key and the client CA files (`tls_ca`).

Run as soon as the user picks the files (wizard, `create`), and again before anything is written. Each
problem names the answers-file key, the file and the fix. What dockerd itself enforces is an error;
what only vic-machine's documentation asks for (keyEncipherment, keyAgreement) is a warning.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.core.problems import Problem

from tui.core.tls.modes import parse_ip
from tui.core.tls.pem import (PemError, chains_to, describe, extension, has_eku, now_utc, read_certificates, read_private_key,
                  san_covers, san_names)

FIELD_CERT = "tls_server_cert"
FIELD_KEY = "tls_server_key"
FIELD_CA = "tls_ca"
WEAK_RSA_BITS = 2048


@dataclass(frozen=True)
class FileProblem(Problem):
    """A Problem about one file; `path` is that file (the message names it too)."""

    path: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {**super().to_dict(), "path": self.path}


def _error(field: str, path: Path, message: str, hint: str) -> FileProblem:
    return FileProblem(field, f"{path}: {message}", hint, "error", str(path))


def _warning(field: str, path: Path, message: str, hint: str) -> FileProblem:
    return FileProblem(field, f"{path}: {message}", hint, "warning", str(path))


def check_server_certificate(cert_path: Path, key_path: Path, cname: str | None,
                             ca_paths: Sequence[Path] = (), *, now: datetime | None = None) -> list[FileProblem]:
    """Every problem with the custom server certificate, key and CA files, errors and warnings together."""
    now = now or now_utc()
    cert_path, key_path = Path(cert_path), Path(key_path)
    problems: list[FileProblem] = []
    certs: list[Any] = []
    key = None
    try:
        certs = read_certificates(cert_path)
    except PemError as exc:
        problems.append(FileProblem(FIELD_CERT, str(exc), "give the PEM file of the server certificate "
                                    "(-----BEGIN CERTIFICATE-----), leaf first", "error", str(cert_path)))
    try:
        key = read_private_key(key_path)
    except PemError as exc:
        hint = ("decrypt it: openssl pkey -in encrypted.pem -out server-key.pem (keep it 0600)"
                if "encrypted" in str(exc) else "give the PEM file of the server certificate's private key")
        problems.append(FileProblem(FIELD_KEY, str(exc), hint, "error", str(key_path)))
    else:
        if stat.S_IMODE(key_path.stat().st_mode) & 0o077:
            problems.append(_warning(FIELD_KEY, key_path, "the private key is readable by other users",
                                     f"chmod 600 {key_path}"))
    if certs:
        leaf = certs[0]
        if key is not None and leaf.public_key() != key.public_key():
            problems.append(_error(FIELD_KEY, key_path, f"this key does not belong to the certificate {cert_path}",
                                   "give the key the certificate was issued for (they must form a pair)"))
        problems += _dates(leaf, cert_path, now)
        problems += _usages(leaf, cert_path)
        problems += _names(leaf, cert_path, cname)
        if ca_paths:
            problems += _chain(leaf, certs[1:], [Path(p) for p in ca_paths], cert_path, now)
    return problems


def _dates(cert: Any, path: Path, now: datetime) -> list[FileProblem]:
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if now < start:
        return [_error(FIELD_CERT, path, f"the certificate is not valid yet (from {start:%Y-%m-%d %H:%M} UTC)",
                       "check this machine's clock, or have the certificate reissued with a start date in the past")]
    if now > end:
        return [_error(FIELD_CERT, path, f"the certificate expired on {end:%Y-%m-%d %H:%M} UTC",
                       "have it renewed, or leave tls_server_cert/tls_server_key out to generate one")]
    return []


def _usages(cert: Any, path: Path) -> list[FileProblem]:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID

    out: list[FileProblem] = []
    is_rsa = isinstance(cert.public_key(), rsa.RSAPublicKey)
    usage = extension(cert, x509.KeyUsage)  # absent = not restricted (RFC 5280)
    if usage is not None:
        if not usage.digital_signature:
            out.append(_error(FIELD_CERT, path, "the key usage lacks digitalSignature, which TLS handshakes with "
                              "ECDHE (all dockerd offers) need", "reissue it with keyUsage digitalSignature"))
        if is_rsa and not usage.key_encipherment:
            out.append(_warning(FIELD_CERT, path, "the key usage lacks keyEncipherment (vic-machine's certificate "
                                "requirements ask for it; dockerd does not check it)",
                                "reissue it with keyUsage keyEncipherment to match VIC's requirements"))
        if not usage.key_agreement:
            out.append(_warning(FIELD_CERT, path, "the key usage lacks keyAgreement (vic-machine's certificate "
                                "requirements ask for it; dockerd does not check it)",
                                "reissue it with keyUsage keyAgreement to match VIC's requirements"))
    if has_eku(cert, ExtendedKeyUsageOID.SERVER_AUTH) is False:
        out.append(_error(FIELD_CERT, path, "the extended key usage does not include serverAuth, so clients "
                          "refuse it as a server certificate", "reissue it with extendedKeyUsage serverAuth"))
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < WEAK_RSA_BITS:
        out.append(_warning(FIELD_CERT, path, f"the RSA key has only {key.key_size} bits; OpenSSL 3 clients "
                            "refuse it", "reissue it with a key of 2048 bits or more"))
    return out


def _names(cert: Any, path: Path, cname: str | None) -> list[FileProblem]:
    if not cname:
        return [_warning(FIELD_CERT, path, "tls_cname is not set, so the names in the certificate were not checked",
                         "set tls_cname to the address clients will use for the Docker API")]
    if san_covers(cert, cname):
        return []
    dns, ips = san_names(cert)
    listed = ", ".join([*dns, *map(str, ips)]) or "no subjectAltName at all"
    return [_error(FIELD_CERT, path, f"the subjectAltName does not cover {cname} (it lists: {listed}); clients "
                   "ignore the CN and will refuse the connection",
                   f"reissue it with subjectAltName {'IP' if parse_ip(cname) else 'DNS'}:{cname}, "
                   "or set tls_cname to a name it lists")]


def _chain(leaf: Any, intermediates: list[Any], ca_paths: list[Path], cert_path: Path,
           now: datetime) -> list[FileProblem]:
    out: list[FileProblem] = []
    anchors: list[Any] = []
    for path in ca_paths:
        try:
            cas = read_certificates(path)
        except PemError as exc:
            out.append(FileProblem(FIELD_CA, str(exc), "give the PEM file of the CA that signs your client "
                                   "certificates", "error", str(path)))
            continue
        for ca in cas:
            if ca.not_valid_after_utc < now:
                out.append(_error(FIELD_CA, path, f"the CA certificate {describe(ca)} has expired, so every client "
                                  "certificate it signed is refused", "give a current CA certificate"))
        anchors += cas
    if anchors and not chains_to(leaf, anchors, intermediates + anchors):
        issuer = leaf.issuer.rfc4514_string() or "(empty issuer)"
        out.append(_error(FIELD_CERT, cert_path, f"the certificate (issuer {issuer}) does not chain to any "
                          f"certificate in tls_ca ({', '.join(map(str, ca_paths))})",
                          "give the CA that issued it in tls_ca, or put the intermediate certificates after the "
                          "server certificate in its file"))
    return out
