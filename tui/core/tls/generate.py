"""Creating keys and certificates the way vic-machine does (pkg/certificate), with cryptography.

`build_certificate` is the one general builder: the role functions below it set what each certificate
needs, and tests use it to make deliberately broken certificates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from tui.core.tls.modes import parse_ip
from tui.core.tls.pem import now_utc

BACKDATE = timedelta(days=1)  # vic-machine: valid from now - 1 day, for clock skew between machines

CA_USAGES = frozenset({"digital_signature", "key_cert_sign", "crl_sign"})
RSA_SERVER_USAGES = frozenset({"digital_signature", "key_encipherment", "key_agreement"})  # vic's base usages
EC_SERVER_USAGES = frozenset({"digital_signature", "key_agreement"})  # keyEncipherment is RSA-only (RFC 5480)
CLIENT_USAGES = frozenset({"digital_signature"})

_KEY_USAGE_FIELDS = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def new_key(key_type: str = "rsa", key_size: int = 2048) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if key_type == "ecdsa":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    raise ValueError(f"unknown key type {key_type!r}")


def is_rsa(key: Any) -> bool:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey))


def san_entries(names: Iterable[str]) -> list[Any]:
    """SAN entries for addresses and DNS names, in order, without duplicates."""
    from cryptography import x509

    out: list[Any] = []
    for name in names:
        ip = parse_ip(name) if name and "/" not in name else None
        entry = x509.IPAddress(ip) if ip is not None else x509.DNSName(name)
        if entry not in out:
            out.append(entry)
    return out


def build_certificate(
    key: Any,
    *,
    issuer_cert: Any | None = None,
    issuer_key: Any | None = None,
    common_name: str | None = None,
    organization: Sequence[str] = (),
    sans: Sequence[str] = (),
    is_ca: bool = False,
    key_usage: Iterable[str] | None = (),
    extended_usage: Sequence[Any] | None = (),
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    days: int = 365,
) -> Any:
    """Sign `key`'s certificate with `issuer_key` (self-signed when no issuer is given).

    key_usage=None / extended_usage=None leave that extension out; an empty sequence of EKUs also leaves it out.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    now = now_utc()
    not_before = not_before or now - BACKDATE
    not_after = not_after or now + timedelta(days=days)
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org) for org in organization]
    if common_name:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    subject = x509.Name(attrs)
    signer_key = issuer_key if issuer_key is not None else key
    issuer_name = issuer_cert.subject if issuer_cert is not None else subject
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), critical=True)
        .add_extension(ski, critical=False)
    )
    if issuer_cert is not None:
        issuer_ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski), critical=False
        )
    else:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
    if key_usage is not None:
        usages = set(key_usage)
        unknown = usages - set(_KEY_USAGE_FIELDS)
        if unknown:
            raise ValueError(f"unknown key usage {sorted(unknown)}")
        if usages:
            builder = builder.add_extension(
                x509.KeyUsage(**{name: name in usages for name in _KEY_USAGE_FIELDS}), critical=True
            )
    if extended_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(extended_usage)), critical=False)
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(san_entries(sans)), critical=False)
    return builder.sign(signer_key, hashes.SHA256())


def make_ca(key: Any, *, name: str, organization: Sequence[str], days: int) -> Any:
    """A CA with no EKU (an EKU on the CA would restrict every certificate it signs, in Go)."""
    return build_certificate(
        key,
        common_name=f"{name} CA",
        organization=organization,
        is_ca=True,
        key_usage=CA_USAGES,
        extended_usage=(),
        days=days,
    )


def server_names(cname: str | None, static_ip: str | None) -> list[str]:
    """The SAN of the server certificate: the cname and the static client IP. Nothing the user did not ask for."""
    names = [n for n in (cname,) if n]
    ip = parse_ip(static_ip)
    if ip is not None:
        names.append(str(ip))
    return names


def make_server(
    key: Any,
    *,
    cname: str | None,
    fallback_cn: str,
    static_ip: str | None,
    organization: Sequence[str],
    days: int,
    ca_cert: Any | None = None,
    ca_key: Any | None = None,
) -> Any:
    """serverAuth, vic's key usages; signed by the CA when given, else self-signed."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    usages = RSA_SERVER_USAGES if is_rsa(key) else EC_SERVER_USAGES
    return build_certificate(
        key,
        issuer_cert=ca_cert,
        issuer_key=ca_key,
        common_name=cname or fallback_cn,
        organization=organization,
        sans=server_names(cname, static_ip),
        key_usage=usages,
        extended_usage=[ExtendedKeyUsageOID.SERVER_AUTH],
        days=days,
    )


def make_client(key: Any, *, ca_cert: Any, ca_key: Any, organization: Sequence[str], days: int) -> Any:
    """clientAuth, CN=client (as Docker's documented procedure)."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    return build_certificate(
        key,
        issuer_cert=ca_cert,
        issuer_key=ca_key,
        common_name="client",
        organization=organization,
        key_usage=CLIENT_USAGES,
        extended_usage=[ExtendedKeyUsageOID.CLIENT_AUTH],
        days=days,
    )
