"""Reading PEM certificates and keys, and describing them without ever echoing key material.

Every function imports cryptography itself, so importing this module costs nothing.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core.tls.modes import is_hostname, parse_ip
from tui.core.vsphere.trust import Fingerprints


class PemError(ValueError):
    """A file that is not what it should be; the message never contains the file's content."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def load_certificates(data: bytes, *, what: str = "file") -> list[Any]:
    """All certificates of a PEM file, leaf first as written."""
    from cryptography import x509

    if b"-----BEGIN CERTIFICATE-----" not in data:
        if b"PRIVATE KEY-----" in data:
            raise PemError(f"{what} holds a private key, not a certificate")
        raise PemError(f"{what} holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' block)")
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError:
        raise PemError(f"{what} has a PEM certificate block that is not a valid X.509 certificate") from None


def read_certificates(path: Path) -> list[Any]:
    return load_certificates(read_bytes(path), what=str(path))


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise PemError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise PemError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise PemError(f"{path} cannot be read: {exc.strerror}") from None


def load_private_key(data: bytes, *, what: str = "file") -> Any:
    """An unencrypted private key. An encrypted one is refused: dockerd's Go cannot load it."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if b"PRIVATE KEY-----" not in data:
        if b"-----BEGIN CERTIFICATE-----" in data:
            raise PemError(f"{what} holds a certificate, not a private key")
        raise PemError(f"{what} holds no PEM private key")
    if b"ENCRYPTED PRIVATE KEY-----" in data or b"Proc-Type: 4,ENCRYPTED" in data:
        raise PemError(f"{what} is encrypted with a passphrase; dockerd can only load unencrypted keys")
    try:
        return load_pem_private_key(data, password=None)
    except TypeError:
        raise PemError(f"{what} is encrypted with a passphrase; dockerd can only load unencrypted keys") from None
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise PemError(f"{what} is not a usable private key ({type(exc).__name__})") from None


def read_private_key(path: Path) -> Any:
    return load_private_key(read_bytes(path), what=str(path))


def cert_pem(cert: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return cert.public_bytes(Encoding.PEM)


def cert_der(cert: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return cert.public_bytes(Encoding.DER)


def key_pem(key: Any) -> bytes:
    """Unencrypted traditional PEM (PKCS#1 "RSA PRIVATE KEY" / SEC1 "EC PRIVATE KEY"), as vic-machine writes."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return key.private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption())


def sha256_fingerprint(cert: Any) -> str:
    """Upper-case colon hex SHA-256 of the DER certificate (as `openssl x509 -fingerprint -sha256`)."""
    return Fingerprints.of(cert_der(cert)).sha256


def public_key_id(key: Any) -> str:
    """A short, safe identifier of a key pair (SHA-256 of the public key), for logs."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    der = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]


def common_name(cert: Any) -> str | None:
    from cryptography.x509.oid import NameOID

    values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else None


def extension(cert: Any, ext_class: Any) -> Any | None:
    from cryptography import x509

    try:
        return cert.extensions.get_extension_for_class(ext_class).value
    except x509.ExtensionNotFound:
        return None


def san_names(cert: Any) -> tuple[list[str], list[ipaddress.IPv4Address | ipaddress.IPv6Address]]:
    from cryptography import x509

    san = extension(cert, x509.SubjectAlternativeName)
    if san is None:
        return [], []
    return list(san.get_values_for_type(x509.DNSName)), list(san.get_values_for_type(x509.IPAddress))


def _dns_matches(pattern: str, name: str) -> bool:
    pattern, name = pattern.lower().rstrip("."), name.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = name.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == name


def san_covers(cert: Any, name: str) -> bool:
    """True when a client dialling `name` (IP or DNS) accepts the certificate's SAN (Go ignores the CN)."""
    dns, ips = san_names(cert)
    ip = parse_ip(name) if "/" not in name else None
    if ip is not None:
        return ip in ips
    return is_hostname(name) and any(_dns_matches(pattern, name) for pattern in dns)


def is_ca(cert: Any) -> bool:
    from cryptography import x509

    bc = extension(cert, x509.BasicConstraints)
    return bool(bc and bc.ca)


def is_self_signed(cert: Any) -> bool:
    return cert.issuer == cert.subject and issued_by(cert, cert)


def issued_by(cert: Any, issuer: Any) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except Exception:  # ValueError (names), InvalidSignature, TypeError (key type)
        return False


def chains_to(leaf: Any, anchors: list[Any], intermediates: Sequence[Any] = (), max_depth: int = 6) -> bool:
    """True when the leaf is one of the anchors or is issued, through the intermediates, by one of them."""
    leaf_der = cert_der(leaf)
    if any(cert_der(a) == leaf_der for a in anchors):
        return True
    current = leaf
    for _ in range(max_depth):
        if any(issued_by(current, anchor) for anchor in anchors):
            return True
        parents = [c for c in intermediates if c is not current and issued_by(current, c)]
        if not parents:
            return False
        current = parents[0]
    return False


def validity(cert: Any) -> tuple[datetime, datetime]:
    return cert.not_valid_before_utc, cert.not_valid_after_utc


def has_eku(cert: Any, oid: Any) -> bool | None:
    """None when the certificate has no EKU extension (Go and dockerd then allow any use)."""
    from cryptography import x509

    eku = extension(cert, x509.ExtendedKeyUsage)
    return None if eku is None else oid in eku


def describe(cert: Any) -> str:
    cn = common_name(cert)
    name = f"CN={cn}" if cn else cert.subject.rfc4514_string() or "(empty subject)"
    return f"{name}, valid until {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
