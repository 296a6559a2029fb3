"""The four ways the Docker API of a VCH is secured, and the plain settings the TLS helpers take.

| mode          | port | server certificate            | client certificates required            |
|---------------|------|-------------------------------|-----------------------------------------|
| NO_TLS        | 2375 | none                          | no (anyone who reaches it controls it)  |
| NO_TLSVERIFY  | 2376 | generated, self-signed        | no                                      |
| TLSVERIFY     | 2376 | generated, signed by a new CA | yes: by the new CA (cert.pem/key.pem    |
|               |      | (self-signed with `tls_ca`)   | generated), or by the `tls_ca` files    |
| CUSTOM        | 2376 | the user's files              | yes, by `tls_ca`; none with no_tlsverify|

CUSTOM without `tls_ca` must say `no_tlsverify = true` explicitly: a custom certificate never silently
drops client authentication, and vch-tui never generates client certificates for a server certificate
it did not make (nothing in the folder could then verify that server).

`ca.pem` in the folder is always "what a client trusts to verify the server": the generated CA, the
self-signed server certificate, the `tls_ca` bundle, or (CUSTOM with no_tlsverify) the user's server
certificate. The docker CLI refuses to start TLS without it, even when it does not verify.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.problems import Problem
from tui.core.spec.model import TlsMode

__all__ = ["TlsMode", "TlsSettings", "settings_problems", "settings_from_spec", "PORT_PLAIN", "PORT_TLS"]

PORT_PLAIN = 2375
PORT_TLS = 2376

CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
SERVER_CERT = "server-cert.pem"
SERVER_KEY = "server-key.pem"
CLIENT_CERT = "cert.pem"
CLIENT_KEY = "key.pem"
PFX = "cert.pfx"  # vic-machine's PKCS#12 bundle: tolerated in a folder, never written
KEY_FILES = frozenset({CA_KEY, SERVER_KEY, CLIENT_KEY})

KEY_TYPES = ("rsa", "ecdsa")
MIN_RSA_BITS = 2048  # dockerd's Go accepts less; OpenSSL 3 clients refuse < 2048 ("EE key too weak")
MAX_RSA_BITS = 8192
MAX_VALIDITY_DAYS = 3650

_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def parse_ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address, or the address part of `10.0.0.5/24`; None for anything else."""
    if not text:
        return None
    try:
        return ipaddress.ip_interface(text.strip()).ip
    except ValueError:
        return None


def is_hostname(text: str) -> bool:
    """A DNS name, optionally with one leading `*.` wildcard label."""
    name = text[2:] if text.startswith("*.") else text
    name = name[:-1] if name.endswith(".") else name
    return 0 < len(name) <= 253 and all(_HOST_LABEL.match(label) for label in name.split("."))


def _paths(values: Iterable[Any]) -> tuple[Path, ...]:
    return tuple(Path(v) for v in values)


@dataclass(frozen=True)
class TlsSettings:
    """Everything the TLS helpers need, as plain values (the spec helper converts a VchSpec into this)."""

    name: str
    cert_path: Path  # the folder: relative paths are taken from the current directory
    cname: str | None = None
    no_tls: bool = False
    no_tlsverify: bool = False
    tls_ca: tuple[Path, ...] = ()
    server_cert: Path | None = None
    server_key: Path | None = None
    key_size: int = 2048
    key_type: str = "rsa"  # "rsa" | "ecdsa" (P-256)
    organization: tuple[str, ...] = ()
    validity_days: int = 365
    static_ip: str | None = None  # the endpoint's static client IP (a mask is ignored): added to the SAN

    def __post_init__(self) -> None:
        object.__setattr__(self, "cert_path", Path(self.cert_path))
        object.__setattr__(self, "tls_ca", _paths(self.tls_ca))
        object.__setattr__(self, "organization", tuple(self.organization))
        for name in ("server_cert", "server_key"):
            value = getattr(self, name)
            if value is not None and value != "":
                object.__setattr__(self, name, Path(value))
            else:
                object.__setattr__(self, name, None)

    @property
    def mode(self) -> TlsMode:
        if self.no_tls:
            return TlsMode.NO_TLS
        if self.server_cert or self.server_key:
            return TlsMode.CUSTOM
        if self.no_tlsverify:
            return TlsMode.NO_TLSVERIFY
        return TlsMode.TLSVERIFY

    @property
    def verify_clients(self) -> bool:
        if self.no_tls or self.no_tlsverify:
            return False
        return bool(self.tls_ca) or self.mode == TlsMode.TLSVERIFY

    @property
    def generates_server(self) -> bool:
        return self.mode in (TlsMode.NO_TLSVERIFY, TlsMode.TLSVERIFY)

    @property
    def generates_ca(self) -> bool:
        """A CA (and a client certificate signed by it) is generated only for TLSVERIFY without `tls_ca`."""
        return self.mode == TlsMode.TLSVERIFY and not self.tls_ca

    @property
    def docker_port(self) -> int:
        return PORT_PLAIN if self.no_tls else PORT_TLS

    @property
    def folder(self) -> Path:
        return Path(os.path.abspath(self.cert_path))

    @property
    def organizations(self) -> tuple[str, ...]:
        return self.organization or (self.name,)

    @property
    def static_address(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        return parse_ip(self.static_ip)

    def files(self) -> tuple[str, ...]:
        """The material files this mode keeps in the folder (besides `<name>.env`)."""
        if self.generates_ca:
            return (CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY, CLIENT_CERT, CLIENT_KEY)
        if self.generates_server:
            return (CA_CERT, SERVER_CERT, SERVER_KEY)
        if self.mode == TlsMode.CUSTOM:
            return (CA_CERT,)
        return ()

    def env_file_name(self) -> str:
        return f"{self.name}.env"


def settings_problems(settings: TlsSettings) -> list[Problem]:
    """Checks on the settings alone (no file is read): each names the answers-file key and the fix."""
    s = settings
    out: list[Problem] = []
    if not s.name or "/" in s.name or s.name in (".", ".."):
        out.append(Problem("name", f"{s.name!r} cannot name the .env file", "give the VCH a name without '/'"))
    if s.no_tls:
        ignored = [
            k
            for k, v in (("tls_ca", s.tls_ca), ("tls_server_cert", s.server_cert), ("tls_server_key", s.server_key))
            if v
        ]
        if ignored:
            out.append(
                Problem(
                    "no_tls",
                    f"no_tls = true turns TLS off, but {', '.join(ignored)} is also set",
                    "remove no_tls to use the certificates, or remove the certificate options",
                )
            )
        return out
    if bool(s.server_cert) != bool(s.server_key):
        missing = "tls_server_key" if s.server_cert else "tls_server_cert"
        out.append(
            Problem(
                missing,
                "tls_server_cert and tls_server_key must be given together",
                f"add {missing}, or remove the other one to let vch-tui generate the certificate",
            )
        )
    if s.mode == TlsMode.CUSTOM and not s.tls_ca and not s.no_tlsverify:
        out.append(
            Problem(
                "tls_ca",
                "a custom server certificate without tls_ca would let any client use Docker",
                "give tls_ca (the CA that signed your client certificates), or set no_tlsverify = true "
                "to accept clients without certificates",
            )
        )
    if s.cname is not None and not (parse_ip(s.cname) or is_hostname(s.cname)):
        out.append(
            Problem(
                "tls_cname",
                f"{s.cname!r} is neither an IP address nor a DNS name",
                "give the address clients will use for the Docker API, e.g. 10.0.0.5 or vch.example.com",
            )
        )
    if s.generates_server and not s.cname and s.mode == TlsMode.TLSVERIFY:
        out.append(
            Problem(
                "tls_cname",
                "provide Common Name for server certificate",
                "set tls_cname to the address clients will use (or a static client_network_ip)",
            )
        )
    if s.static_ip and s.static_address is None:
        out.append(Problem("client_network_ip", f"{s.static_ip!r} is not an IP address", "give e.g. 10.0.0.5/24"))
    if s.key_type not in KEY_TYPES:
        out.append(Problem("certificate_key_type", f"unknown key type {s.key_type!r}", "use rsa or ecdsa"))
    elif s.key_type == "rsa" and not (MIN_RSA_BITS <= s.key_size <= MAX_RSA_BITS):
        out.append(
            Problem(
                "certificate_key_size",
                f"RSA key size {s.key_size} is outside {MIN_RSA_BITS}-{MAX_RSA_BITS}",
                "use 2048 (the default), 3072 or 4096",
            )
        )
    if not (1 <= s.validity_days <= MAX_VALIDITY_DAYS):
        out.append(
            Problem(
                "certificate_validity_days",
                f"validity of {s.validity_days} days is outside 1-{MAX_VALIDITY_DAYS}",
                "use 365 (the default) or another number of days",
            )
        )
    return out


def settings_from_spec(spec: Any, *, key_type: str = "rsa", validity_days: int = 365) -> TlsSettings:
    """TlsSettings for a VchSpec (tui.core.spec.model), with vic-machine's defaults resolved."""
    return TlsSettings(
        name=spec.name,
        cert_path=Path(spec.effective_tls_cert_path()),
        cname=spec.effective_tls_cname(),
        no_tls=spec.tls.no_tls,
        no_tlsverify=spec.tls.no_tlsverify,
        tls_ca=tuple(spec.tls.tls_ca),
        server_cert=spec.tls.tls_server_cert,
        server_key=spec.tls.tls_server_key,
        key_size=spec.tls.certificate_key_size,
        key_type=key_type,
        organization=tuple(spec.effective_organization()),
        validity_days=validity_days,
        static_ip=spec.effective_role_ip("client"),
    )
