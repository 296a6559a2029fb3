"""Probing a Docker API endpoint: GET /_ping, /version and /info over httpx, as a docker client would.

The TLS settings mirror the `.env` file: the server is verified against ca.pem exactly when the .env
says DOCKER_TLS_VERIFY=1, and the client certificate is sent when there is one. Every failure becomes
a ProbeKind with a plain-language message and a hint. A client certificate refused by dockerd arrives
as a read error after the handshake (TLS 1.3) with the same alert for every reason, so the probe also
looks at the certificate it sent to say why (expired, wrong usage, another CA, none).
Used by provisioning, `inspect` and the dashboard.
"""

from __future__ import annotations

import logging
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from tui.core.errors import ConnectionFailed
from tui.core.tls.material import Material
from tui.core.tls.modes import CA_CERT, CLIENT_CERT, CLIENT_KEY, TlsMode
from tui.core.tls.pem import PemError, chains_to, describe, has_eku, now_utc, read_certificates

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 5.0
_HTTP_TO_HTTPS = "Client sent an HTTP request to an HTTPS server"
# OpenSSL's words for "the peer answered the ClientHello with something that is not TLS"
_NOT_TLS = ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG")  # OpenSSL 3.0 / 3.2+
_CLIENT_ALERTS = (
    "ALERT_BAD_CERTIFICATE",
    "ALERT_CERTIFICATE_REQUIRED",
    "ALERT_UNKNOWN_CA",
    "ALERT_CERTIFICATE_EXPIRED",
    "ALERT_UNSUPPORTED_CERTIFICATE",
    "ALERT_CERTIFICATE_UNKNOWN",
)
_X509_HOSTNAME_MISMATCH = 62
_X509_CERT_NOT_YET_VALID = 9
_X509_CERT_HAS_EXPIRED = 10


class ProbeKind(str, Enum):
    OK = "ok"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    UNTRUSTED_SERVER = "untrusted-server-certificate"
    SERVER_CERT_EXPIRED = "server-certificate-expired"
    HOSTNAME_MISMATCH = "hostname-mismatch"
    CLIENT_CERT_MISSING = "client-certificate-missing"
    CLIENT_CERT_UNTRUSTED = "client-certificate-untrusted"
    CLIENT_CERT_WRONG_USAGE = "client-certificate-wrong-usage"
    CLIENT_CERT_EXPIRED = "client-certificate-expired"
    HTTP_TO_TLS_PORT = "http-to-tls-port"
    TLS_TO_PLAIN_PORT = "tls-to-plain-port"
    TLS_HANDSHAKE = "tls-handshake-failed"
    NOT_DOCKER = "not-docker"
    API_ERROR = "api-error"
    LOCAL_FILES = "local-files"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class ProbeTls:
    """The client side of TLS. verify_server=False is `docker --tls`: encrypted, server not checked."""

    verify_server: bool = True
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    client_ca_files: tuple[Path, ...] = ()  # what the server trusts for clients, when known (diagnosis only)

    @classmethod
    def from_material(cls, material: Material) -> "ProbeTls | None":
        """None for NO_TLS. Uses the generated client certificate when there is one, else the folder's
        cert.pem/key.pem if the user put a pair there (CUSTOM with tls_ca)."""
        if material.mode == TlsMode.NO_TLS:
            return None
        cert, key = material.client_cert, material.client_key
        if cert is None and (material.folder / CLIENT_CERT).is_file() and (material.folder / CLIENT_KEY).is_file():
            cert, key = material.folder / CLIENT_CERT, material.folder / CLIENT_KEY
        return cls(
            verify_server=material.verify_clients,
            ca_file=material.ca_cert,
            cert_file=cert,
            key_file=key,
            client_ca_files=material.client_ca_files,
        )

    @classmethod
    def for_folder(cls, folder: Path, *, verify_server: bool) -> "ProbeTls":
        """What a docker client with DOCKER_CERT_PATH=folder uses (an existing VCH's recorded folder)."""
        folder = Path(folder)
        cert, key = folder / CLIENT_CERT, folder / CLIENT_KEY
        has_pair = cert.is_file() and key.is_file()
        return cls(
            verify_server=verify_server,
            ca_file=folder / CA_CERT,
            cert_file=cert if has_pair else None,
            key_file=key if has_pair else None,
        )

    def ssl_context(self) -> ssl.SSLContext:
        """Raises OSError/ssl.SSLError when a file cannot be loaded."""
        if self.verify_server:
            ctx = ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
            # ca.pem may pin a certificate that is not a CA (self-signed server, CUSTOM): trust it as an
            # anchor, as Go's docker CLI does
            ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        else:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        if self.cert_file is not None:
            ctx.load_cert_chain(str(self.cert_file), str(self.key_file) if self.key_file else None)
        return ctx


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    kind: ProbeKind
    message: str
    hint: str | None = None
    url: str = ""
    api_version: str | None = None  # Api-Version header of /_ping
    server_version: str | None = None  # /version .Version
    os: str | None = None
    info: dict[str, Any] = field(default_factory=dict)  # a few /info fields: Name, Containers, Driver, SystemStatus
    elapsed: float = 0.0

    def __str__(self) -> str:
        return f"{self.message}\n  {self.hint}" if self.hint else self.message

    def raise_for_failure(self) -> "ProbeResult":
        if not self.ok:
            raise ConnectionFailed(self.message, hint=self.hint)
        return self


def probe_docker(
    host: str,
    port: int,
    tls: ProbeTls | Material | None,
    *,
    server_name: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> ProbeResult:
    """Probe the Docker API on host:port. `tls=None` means plain HTTP (no_tls). `server_name` is the name
    checked against the server certificate when it differs from `host` (e.g. dial the IP, verify the cname)."""
    import httpx

    if isinstance(tls, Material):
        tls = ProbeTls.from_material(tls)
    scheme = "https" if tls is not None else "http"
    where = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    url = f"{scheme}://{where}"
    started = time.monotonic()

    def result(kind: ProbeKind, message: str, hint: str | None = None, **kw: Any) -> ProbeResult:
        res = ProbeResult(kind == ProbeKind.OK, kind, message, hint, url, elapsed=time.monotonic() - started, **kw)
        log.info("probe %s: %s", url, kind.value)
        return res

    verify: ssl.SSLContext | bool = False
    if tls is not None:
        try:
            verify = tls.ssl_context()
        except (OSError, ssl.SSLError) as exc:
            return result(
                ProbeKind.LOCAL_FILES,
                f"cannot load the TLS files for {where}: {_reason(exc)}",
                "check ca.pem, cert.pem and key.pem in the certificate folder (tls_cert_path)",
            )
    extensions = {"sni_hostname": server_name} if (server_name and tls is not None) else None
    try:
        with httpx.Client(base_url=url, verify=verify, trust_env=False, timeout=timeout) as client:
            ping = client.get("/_ping", extensions=extensions)
            if _HTTP_TO_HTTPS in ping.text:
                return result(
                    ProbeKind.HTTP_TO_TLS_PORT,
                    f"{where} expects TLS, but plain HTTP was sent to it",
                    "the Docker API of this VCH uses TLS: use port 2376 with DOCKER_TLS_VERIFY or "
                    "DOCKER_TLS and DOCKER_CERT_PATH (see the .env file)",
                )
            if ping.status_code != 200 or "api-version" not in ping.headers or ping.text.strip() != "OK":
                return result(
                    ProbeKind.NOT_DOCKER,
                    f"{where} is not a Docker API: /_ping answered HTTP "
                    f"{ping.status_code} {_snippet(ping.text)!r} without Docker's Api-Version header",
                    "check the address and port of the VCH's Docker API",
                )
            api_version = ping.headers["api-version"]
            version = client.get("/version", extensions=extensions)
            info = client.get("/info", extensions=extensions)
    except httpx.HTTPError as exc:
        kind, message, hint = _classify(exc, where, tls, timeout, server_name or host)
        return result(kind, message, hint)
    for name, response in (("/version", version), ("/info", info)):
        if response.status_code != 200:
            return result(
                ProbeKind.API_ERROR,
                f"{where}{name} answered HTTP {response.status_code}: {_snippet(response.text)}",
                "the Docker API is up but not healthy; look at the VCH's logs",
                api_version=api_version,
            )
    try:
        v, i = version.json(), info.json()
    except ValueError:
        return result(
            ProbeKind.NOT_DOCKER,
            f"{where} answered /version or /info with something that is not JSON",
            "check the address and port of the VCH's Docker API",
        )
    facts = {
        k: i.get(k)
        for k in (
            "Name",
            "Containers",
            "ContainersRunning",
            "Images",
            "Driver",
            "OperatingSystem",
            "ServerVersion",
            "SystemStatus",  # VIC: the port layer's state and the volume stores (tui.core.vic.readiness)
        )
    }
    return result(
        ProbeKind.OK,
        f"Docker {v.get('Version', '?')} (API {api_version}) answers on {where}",
        api_version=api_version,
        server_version=v.get("Version"),
        os=v.get("Os"),
        info=facts,
    )


def _snippet(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return exc.reason
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _classify(
    exc: Exception, where: str, tls: ProbeTls | None, timeout: float, server_name: str
) -> tuple[ProbeKind, str, str | None]:
    import httpx

    chain = _chain(exc)
    text = " ".join(str(e) for e in chain)
    if isinstance(exc, httpx.TimeoutException):
        return (
            ProbeKind.TIMEOUT,
            f"{where} did not answer within {timeout:g} s",
            "check that the VCH is running and that no firewall drops traffic to this port",
        )
    verify_error = next((e for e in chain if isinstance(e, ssl.SSLCertVerificationError)), None)
    if verify_error is not None:
        code = verify_error.verify_code
        if code == _X509_HOSTNAME_MISMATCH:
            return (
                ProbeKind.HOSTNAME_MISMATCH,
                f"the server certificate of {where} does not name {server_name}",
                "connect with the name the certificate was made for (tls_cname), or recreate the certificates "
                "for this address",
            )
        if code in (_X509_CERT_HAS_EXPIRED, _X509_CERT_NOT_YET_VALID):
            state = "has expired" if code == _X509_CERT_HAS_EXPIRED else "is not valid yet"
            return (
                ProbeKind.SERVER_CERT_EXPIRED,
                f"the server certificate of {where} {state}",
                "renew the VCH's certificates, or check the clocks of both machines",
            )
        ca = tls.ca_file if tls else None
        return (
            ProbeKind.UNTRUSTED_SERVER,
            f"the server certificate of {where} is not trusted by {ca} ({verify_error.verify_message})",
            "this is not the certificate the folder was made for: check DOCKER_CERT_PATH / tls_cert_path and "
            "that the address belongs to this VCH",
        )
    if tls is not None and any(alert in text for alert in _CLIENT_ALERTS):
        return _client_refused(where, tls)
    if tls is not None and any(marker in text for marker in _NOT_TLS):
        return (
            ProbeKind.TLS_TO_PLAIN_PORT,
            f"{where} does not speak TLS (it answered the TLS handshake with plain data)",
            "this VCH has no TLS (no_tls): use port 2375 without TLS, or check the port",
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "Connection refused" in text:
        return (
            ProbeKind.REFUSED,
            f"{where} refused the connection: nothing listens on that port",
            "check that the VCH is powered on, and the port: 2376 with TLS, 2375 without",
        )
    if any(isinstance(e, ssl.SSLError) for e in chain):
        reason = next(_reason(e) for e in chain if isinstance(e, ssl.SSLError))
        return (
            ProbeKind.TLS_HANDSHAKE,
            f"the TLS handshake with {where} failed ({reason})",
            "the server and this machine share no TLS version or cipher (Docker needs TLS 1.2 or later)",
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return (
            ProbeKind.NOT_DOCKER,
            f"{where} is not a Docker API: it closed the connection or did not speak HTTP",
            "check the address and port of the VCH's Docker API",
        )
    return ProbeKind.UNREACHABLE, f"cannot reach {where}: {_reason(exc)}", "check the address and the network path"


def _client_refused(where: str, tls: ProbeTls) -> tuple[ProbeKind, str, str | None]:
    """The server refused the client certificate: say why, from the certificate that was sent."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    if tls.cert_file is None:
        return (
            ProbeKind.CLIENT_CERT_MISSING,
            f"{where} requires a client certificate and none was sent",
            "put cert.pem and key.pem (signed by the VCH's CA) in the certificate folder (DOCKER_CERT_PATH)",
        )
    try:
        cert = read_certificates(tls.cert_file)[0]
    except PemError as exc:
        return ProbeKind.LOCAL_FILES, f"the client certificate cannot be read: {exc}", None
    now: datetime = now_utc()
    if not (cert.not_valid_before_utc <= now <= cert.not_valid_after_utc):
        state = "expired" if now > cert.not_valid_after_utc else "is not valid yet"
        return (
            ProbeKind.CLIENT_CERT_EXPIRED,
            f"{where} refused the client certificate {tls.cert_file}: it {state} ({describe(cert)})",
            "get a new client certificate signed by the VCH's CA",
        )
    if has_eku(cert, ExtendedKeyUsageOID.CLIENT_AUTH) is False:
        return (
            ProbeKind.CLIENT_CERT_WRONG_USAGE,
            f"{where} refused the client certificate {tls.cert_file}: its "
            "extended key usage does not include clientAuth",
            "use a certificate issued with extendedKeyUsage clientAuth (like the generated cert.pem)",
        )
    issuer = cert.issuer.rfc4514_string() or "(empty issuer)"
    known = ""
    if tls.client_ca_files:
        try:
            cas = [c for p in tls.client_ca_files for c in read_certificates(p)]
            if not chains_to(cert, cas):
                known = f"; the server trusts only {', '.join(map(str, tls.client_ca_files))}"
        except PemError:
            pass
    return (
        ProbeKind.CLIENT_CERT_UNTRUSTED,
        f"{where} refused the client certificate {tls.cert_file}: it is "
        f"signed by {issuer}, a CA the server does not trust{known}",
        "use the cert.pem/key.pem made with this VCH's CA (or one signed by a CA in tls_ca)",
    )
