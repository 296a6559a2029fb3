"""Does a server certificate chain verify the way the docker CLI (Go's crypto/x509) verifies it?

cryptography's X.509 verification (`PolicyBuilder`) builds the path and checks basicConstraints and
pathLen, every certificate's dates, EKU nesting, name constraints and unknown critical extensions. Its
web-PKI defaults are stricter than Go in places Go does not look, so those are relaxed to Go's rules:
- KeyUsage is not checked on any certificate (golang/go#40100); check.py warns about missing bits itself;
- the authority key identifier may be absent (Go builds paths by name and signature);
- an EKU with anyExtendedKeyUsage counts as serverAuth (Go's ExtKeyUsageAny), and no EKU at all is any use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tui.core.tls.modes import parse_ip

MAX_CHAIN_DEPTH = 8


def _eku_allows_server(_policy: Any, _cert: Any, eku: Any) -> None:
    from cryptography.x509.oid import ExtendedKeyUsageOID

    if eku is not None and not (
        {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE} & set(eku)
    ):
        raise ValueError("the extended key usage does not include serverAuth")


def _policies(leaf_eku: bool) -> tuple[Any, Any]:
    from cryptography import x509
    from cryptography.x509.verification import Criticality, ExtensionPolicy

    ca = (
        ExtensionPolicy.webpki_defaults_ca()
        .may_be_present(x509.KeyUsage, Criticality.AGNOSTIC, None)
        .may_be_present(x509.AuthorityKeyIdentifier, Criticality.AGNOSTIC, None)
        .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, _eku_allows_server)
    )
    ee = (
        ExtensionPolicy.webpki_defaults_ee()
        .may_be_present(x509.KeyUsage, Criticality.AGNOSTIC, None)
        .may_be_present(x509.AuthorityKeyIdentifier, Criticality.AGNOSTIC, None)
        .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, _eku_allows_server if leaf_eku else None)
    )
    return ca, ee


def subject_for(name: str) -> Any:
    from cryptography.x509.verification import DNSName, IPAddress

    ip = parse_ip(name) if "/" not in name else None
    return IPAddress(ip) if ip is not None else DNSName(name)


def server_chain_error(
    leaf: Any, intermediates: Sequence[Any], anchors: Sequence[Any], name: str, now: datetime, *, leaf_eku: bool = True
) -> str | None:
    """None when a client dialling `name` and trusting `anchors` accepts `leaf` (with the intermediates the
    server sends); otherwise why not, in the verifier's words. leaf_eku=False leaves the leaf's own EKU
    unchecked (the CAs' still nest)."""
    from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

    ca_policy, ee_policy = _policies(leaf_eku)
    try:
        verifier = (
            PolicyBuilder()
            .store(Store(list(anchors)))
            .time(now)
            .max_chain_depth(MAX_CHAIN_DEPTH)
            .extension_policies(ca_policy=ca_policy, ee_policy=ee_policy)
            .build_server_verifier(subject_for(name))
        )
        verifier.verify(leaf, list(intermediates))
    except VerificationError as exc:
        return str(exc)
    except ValueError as exc:  # a subject the verifier cannot take (e.g. not a valid DNS name)
        return str(exc)
    return None
