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
from tui.core.tls.pem import (
    PemError,
    describe,
    extension,
    has_eku,
    is_ca,
    is_self_signed,
    now_utc,
    read_certificates,
    read_private_key,
    san_covers,
    san_names,
)
from tui.core.tls.verify import server_chain_error

FIELD_CERT = "tls_server_cert"
FIELD_KEY = "tls_server_key"
FIELD_CA = "tls_ca"
FIELD_SERVER_CA = "tls_server_ca"
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


def check_server_certificate(
    cert_path: Path,
    key_path: Path,
    cname: str | None,
    ca_paths: Sequence[Path] = (),
    *,
    server_ca_paths: Sequence[Path] = (),
    now: datetime | None = None,
) -> list[FileProblem]:
    """Every problem with the custom server certificate, key and CA files, errors and warnings together.

    The chain is judged as the docker CLI judges it (tui.core.tls.verify) against `server_ca_paths` (what
    clients trust for the server, `tls_server_ca`) or, without them, against `ca_paths` (`tls_ca`, the
    client CAs, which then sign the server too)."""
    now = now or now_utc()
    cert_path, key_path = Path(cert_path), Path(key_path)
    problems: list[FileProblem] = []
    certs: list[Any] = []
    key = None
    try:
        certs = read_certificates(cert_path)
    except PemError as exc:
        problems.append(
            FileProblem(
                FIELD_CERT,
                str(exc),
                "give the PEM file of the server certificate (-----BEGIN CERTIFICATE-----), leaf first",
                "error",
                str(cert_path),
            )
        )
    try:
        key = read_private_key(key_path)
    except PemError as exc:
        hint = (
            "decrypt it: openssl pkey -in encrypted.pem -out server-key.pem (keep it 0600)"
            if "encrypted" in str(exc)
            else "give the PEM file of the server certificate's private key"
        )
        problems.append(FileProblem(FIELD_KEY, str(exc), hint, "error", str(key_path)))
    else:
        if stat.S_IMODE(key_path.stat().st_mode) & 0o077:
            problems.append(
                _warning(FIELD_KEY, key_path, "the private key is readable by other users", f"chmod 600 {key_path}")
            )
    if certs:
        leaf = certs[0]
        if key is not None and leaf.public_key() != key.public_key():
            problems.append(
                _error(
                    FIELD_KEY,
                    key_path,
                    f"this key does not belong to the certificate {cert_path}",
                    "give the key the certificate was issued for (they must form a pair)",
                )
            )
        dates = _dates(leaf, cert_path, now)
        problems += dates + _usages(leaf, cert_path) + _names(leaf, cert_path, cname)
        problems += _ca_files(FIELD_CA, [Path(p) for p in ca_paths], now, "your client certificates")[0]
        own = own_roots(certs)
        if own and not server_ca_paths:  # the server's CA at the end of its file: what clients will trust
            field, anchors, server_ca_paths = FIELD_CERT, own, [cert_path]
        else:
            field = FIELD_SERVER_CA if server_ca_paths else FIELD_CA
            ca_problems, anchors = _ca_files(
                field, [Path(p) for p in server_ca_paths or ca_paths], now, "your server certificate"
            )
            if server_ca_paths:
                problems += ca_problems
        if anchors:
            # a leaf outside its dates is already an error: the chain is then judged within them
            start, end = leaf.not_valid_before_utc, leaf.not_valid_after_utc
            at = now if not dates else start + (end - start) / 2
            problems += _chain(
                leaf,
                [c for c in certs[1:] if c not in own],
                anchors,
                cert_path,
                cname,
                field,
                server_ca_paths or ca_paths,
                at,
            )
    return problems


def own_roots(certs: Sequence[Any]) -> list[Any]:
    """Self-signed CA certificates after the leaf in the server certificate's file: the user's way to give the
    server's own CA when it is not the client CA (tls_ca). Clients then trust these (ca.pem)."""
    return [c for c in certs[1:] if is_ca(c) and is_self_signed(c)]


def _dates(cert: Any, path: Path, now: datetime) -> list[FileProblem]:
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if now < start:
        return [
            _error(
                FIELD_CERT,
                path,
                f"the certificate is not valid yet (from {start:%Y-%m-%d %H:%M} UTC)",
                "check this machine's clock, or have the certificate reissued with a start date in the past",
            )
        ]
    if now > end:
        return [
            _error(
                FIELD_CERT,
                path,
                f"the certificate expired on {end:%Y-%m-%d %H:%M} UTC",
                "have it renewed, or leave tls_server_cert/tls_server_key out to generate one",
            )
        ]
    return []


def _usages(cert: Any, path: Path) -> list[FileProblem]:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID

    out: list[FileProblem] = []
    is_rsa = isinstance(cert.public_key(), rsa.RSAPublicKey)
    usage = extension(cert, x509.KeyUsage)  # absent = not restricted (RFC 5280)
    if usage is not None:
        if not usage.digital_signature:  # the docker CLI (Go) ignores key usage; OpenSSL-based clients may not
            out.append(
                _warning(
                    FIELD_CERT,
                    path,
                    "the key usage lacks digitalSignature; the docker CLI accepts "
                    "it, but clients built on OpenSSL may refuse ECDHE handshakes with it",
                    "reissue it with keyUsage digitalSignature",
                )
            )
        if is_rsa and not usage.key_encipherment:
            out.append(
                _warning(
                    FIELD_CERT,
                    path,
                    "the key usage lacks keyEncipherment (vic-machine's certificate "
                    "requirements ask for it; dockerd does not check it)",
                    "reissue it with keyUsage keyEncipherment to match VIC's requirements",
                )
            )
        if not usage.key_agreement:
            out.append(
                _warning(
                    FIELD_CERT,
                    path,
                    "the key usage lacks keyAgreement (vic-machine's certificate "
                    "requirements ask for it; dockerd does not check it)",
                    "reissue it with keyUsage keyAgreement to match VIC's requirements",
                )
            )
    if has_eku(cert, ExtendedKeyUsageOID.SERVER_AUTH) is False and not has_eku(
        cert, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE
    ):  # Go takes anyExtendedKeyUsage for any use
        out.append(
            _error(
                FIELD_CERT,
                path,
                "the extended key usage does not include serverAuth, so clients refuse it as a server certificate",
                "reissue it with extendedKeyUsage serverAuth",
            )
        )
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < WEAK_RSA_BITS:
        out.append(
            _warning(
                FIELD_CERT,
                path,
                f"the RSA key has only {key.key_size} bits; OpenSSL 3 clients refuse it",
                "reissue it with a key of 2048 bits or more",
            )
        )
    return out


def _names(cert: Any, path: Path, cname: str | None) -> list[FileProblem]:
    if not cname:
        return [
            _warning(
                FIELD_CERT,
                path,
                "tls_cname is not set, so the names in the certificate were not checked",
                "set tls_cname to the address clients will use for the Docker API",
            )
        ]
    if san_covers(cert, cname):
        return []
    dns, ips = san_names(cert)
    listed = ", ".join([*dns, *map(str, ips)]) or "no subjectAltName at all"
    return [
        _error(
            FIELD_CERT,
            path,
            f"the subjectAltName does not cover {cname} (it lists: {listed}); clients "
            "ignore the CN and will refuse the connection",
            f"reissue it with subjectAltName {'IP' if parse_ip(cname) else 'DNS'}:{cname}, "
            "or set tls_cname to a name it lists",
        )
    ]


def _ca_files(field: str, paths: list[Path], now: datetime, signs: str) -> tuple[list[FileProblem], list[Any]]:
    out: list[FileProblem] = []
    anchors: list[Any] = []
    for path in paths:
        try:
            cas = read_certificates(path)
        except PemError as exc:
            out.append(
                FileProblem(field, str(exc), f"give the PEM file of the CA that signs {signs}", "error", str(path))
            )
            continue
        for ca in cas:
            if ca.not_valid_after_utc < now:
                out.append(
                    _error(
                        field,
                        path,
                        f"the CA certificate {describe(ca)} has expired, so every certificate it signed is refused",
                        "give a current CA certificate",
                    )
                )
        anchors += cas
    return out, anchors


# What the verifier says (cryptography's words) -> what it means for the user, and the fix.
_CHAIN_REASONS = (
    (
        "path length constraint",
        "a CA in the chain allows fewer intermediate CAs below it (pathLenConstraint) than the chain has",
        "have the intermediate issued by a CA whose pathLenConstraint allows it, or drop it",
    ),
    (
        "basicConstraints.cA",
        "a certificate that signs another in the chain is not a CA (basicConstraints cA is not set)",
        "have the server certificate issued by a real CA certificate",
    ),
    (
        "not valid at validation time",
        "a CA certificate in the chain has expired or is not valid yet",
        "renew the intermediate or CA certificate",
    ),
    (
        "serverAuth",
        "a CA in the chain restricts its extended key usage to uses without serverAuth, which binds the "
        "certificates below it",
        "have it issued by a CA whose extendedKeyUsage allows serverAuth",
    ),
    (
        "name constraint",
        "a CA's name constraints do not permit the names in the certificate",
        "have it issued by a CA whose nameConstraints permit the VCH's address",
    ),
    (
        "critical extension",
        "the certificate carries a critical extension clients do not know, so they refuse it",
        "reissue it without that extension, or mark it non-critical",
    ),
    ("too weak", "a key in the chain is too weak for clients", "reissue the chain with RSA 2048+ or ECDSA keys"),
)


def _chain(
    leaf: Any,
    intermediates: list[Any],
    anchors: list[Any],
    cert_path: Path,
    cname: str | None,
    field: str,
    ca_paths: Sequence[Path],
    now: datetime,
) -> list[FileProblem]:
    """The docker CLI's verdict on the chain. The names and the leaf's own EKU are _names' and _usages' to
    report, so the chain is judged for a name the certificate lists."""
    dns, ips = san_names(leaf)
    listed = [*map(str, ips), *dns]
    name = cname if cname and san_covers(leaf, cname) else next((n for n in listed if not n.startswith("*")), None)
    if name is None:
        return []  # no usable subjectAltName: _names reported it (or warned that tls_cname is not set)
    reason = server_chain_error(leaf, intermediates, anchors, name, now, leaf_eku=False)
    if reason is None:
        return []
    detail = reason.split(" (encountered processing")[0].removeprefix("validation failed: ")
    files = ", ".join(map(str, ca_paths))
    for fragment, message, hint in _CHAIN_REASONS:
        if fragment in reason:
            return [_error(FIELD_CERT, cert_path, f"clients will refuse it: {message} ({detail})", hint)]
    issuer = leaf.issuer.rfc4514_string() or "(empty issuer)"
    return [
        _error(
            FIELD_CERT,
            cert_path,
            f"the certificate (issuer {issuer}) does not chain to any certificate in {field} ({files})",
            f"give the CA that issued it in {field} (or, when it is not your client CA, at the end of "
            "tls_server_cert's file), and put the intermediate certificates after the server certificate",
        )
    ]
