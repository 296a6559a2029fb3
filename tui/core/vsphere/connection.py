"""Connect to vCenter / ESXi: resolve options, decide certificate trust, log in, keep the session alive.

Trust works like govc and ssh: the certificate is always verified. When the system (or --ca-file /
GOVC_TLS_CA_CERTS) does not trust it, it is accepted only when its SHA-256 or SHA-1 fingerprint matches
--thumbprint or a known-hosts entry. Loopback targets get no exception (unlike pyvmomi's defaults).
"""

from __future__ import annotations

import os
import socket
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.errors import ConnectionFailed, InvalidInput, TrustError
from tui.core.secret import Secret
from tui.core.vsphere import trust
from tui.core.vsphere.target import Target, parse_target


class UnknownCertificate(TrustError):
    def __init__(self, host: str, port: int, fingerprints: trust.Fingerprints) -> None:
        self.host, self.port, self.fingerprints = host, port, fingerprints
        super().__init__(
            f"the certificate of {host}:{port} is not trusted and its fingerprint is unknown\n"
            f"  SHA-256 {fingerprints.sha256}\n  SHA-1   {fingerprints.sha1}",
            hint=f"if this is the right server, pass --thumbprint {fingerprints.sha256}",
        )

    @property
    def sha256(self) -> str:
        return self.fingerprints.sha256

    @property
    def sha1(self) -> str:
        return self.fingerprints.sha1


class FingerprintMismatch(TrustError):
    def __init__(self, host: str, port: int, expected: list[str], actual: trust.Fingerprints, source: str) -> None:
        self.host, self.port, self.expected, self.actual, self.source = host, port, expected, actual, source
        super().__init__(
            f"the certificate of {host}:{port} does NOT match the pinned fingerprint ({source})\n"
            f"  expected {' or '.join(expected)}\n  actual   SHA-256 {actual.sha256}\n"
            f"           SHA-1   {actual.sha1}",
            hint="someone may be intercepting the connection; if the server's certificate was replaced on "
            "purpose, check the new fingerprint with the vSphere admin, then update the pin",
        )


def _env_first(env: dict[str, str], *names: str) -> str | None:
    for name in names:
        if env.get(name):
            return env[name]
    return None


@dataclass
class ConnectOptions:
    target: Target
    user: str | None
    password: Secret
    thumbprint: str | None = None
    ca_files: list[Path] = field(default_factory=list)
    known_hosts: list[Path] = field(default_factory=list)
    timeout: float = 20.0

    @classmethod
    def resolve(
        cls,
        target: str | None = None,
        user: str | None = None,
        password: Secret | str | None = None,
        thumbprint: str | None = None,
        ca_file: str | Path | None = None,
        env: dict[str, str] | None = None,
    ) -> "ConnectOptions":
        """Flags first, then VIC_MACHINE_*, then GOVC_* environment variables."""
        env = dict(os.environ if env is None else env)
        text = target or _env_first(env, "VIC_MACHINE_TARGET", "GOVC_URL")
        parsed = parse_target(text or "", field="--target")
        user = user or parsed.user or _env_first(env, "VIC_MACHINE_USER", "GOVC_USERNAME")
        if isinstance(password, str):
            password = Secret(password)
        if not password:
            password = parsed.password or Secret(_env_first(env, "VIC_MACHINE_PASSWORD", "GOVC_PASSWORD"))
        thumbprint = thumbprint or _env_first(env, "VIC_MACHINE_THUMBPRINT")
        if thumbprint:
            thumbprint = trust.normalize_fingerprint(thumbprint)
        cas = [Path(ca_file)] if ca_file else []
        cas += [Path(p) for p in env.get("GOVC_TLS_CA_CERTS", "").split(os.pathsep) if p]
        for ca in cas:
            if not ca.is_file():
                raise InvalidInput(
                    f"CA file {ca} does not exist", field="--ca-file", hint="give a PEM file of trusted CA certificates"
                )
        return cls(parsed, user, password or Secret(""), thumbprint, cas, trust.known_hosts_files(env))

    def require_credentials(self) -> None:
        if not self.user:
            raise InvalidInput(
                "no user name given", field="--user", hint="pass --user or set VIC_MACHINE_USER / GOVC_USERNAME"
            )
        if not self.password:
            raise InvalidInput(
                "no password given",
                field="--password",
                hint="pass --password, set VIC_MACHINE_PASSWORD / GOVC_PASSWORD, or run in a terminal to be asked",
            )


@dataclass(frozen=True)
class TrustDecision:
    ssl_context: ssl.SSLContext | None  # None for plain HTTP
    trusted_by: str  # "ca", "fingerprint" or "plain-http"
    fingerprints: trust.Fingerprints | None


def _ca_context(opts: ConnectOptions) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    for ca in opts.ca_files:
        try:
            ctx.load_verify_locations(cafile=str(ca))
        except ssl.SSLError as exc:
            raise InvalidInput(
                f"CA file {ca} holds no usable PEM certificate ({exc.reason})", field="--ca-file"
            ) from None
    return ctx


def _pinned_context(der: bytes) -> ssl.SSLContext:
    """Trust exactly this certificate: as the sole anchor, no hostname check (the pin is stronger)."""
    ctx = ssl.create_default_context(cadata=ssl.DER_cert_to_PEM_cert(der))
    ctx.check_hostname = False
    ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    return ctx


def decide_trust(opts: ConnectOptions) -> TrustDecision:
    t = opts.target
    if not t.tls:
        return TrustDecision(None, "plain-http", None)
    ctx = _ca_context(opts)
    try:
        with socket.create_connection((t.host, t.port), timeout=opts.timeout) as sock:
            with ctx.wrap_socket(sock, server_hostname=t.host) as tls:
                der = tls.getpeercert(binary_form=True)
        if der is None:  # a verified handshake always has the peer's certificate
            raise ConnectionFailed(f"{t.host}:{t.port} completed TLS without a certificate")
        return TrustDecision(ctx, "ca", trust.Fingerprints.of(der))
    except ssl.SSLCertVerificationError:
        pass
    except OSError as exc:
        raise trust.describe_socket_error(exc, t.host, t.port) from None
    der = trust.fetch_server_certificate(t.host, t.port, opts.timeout)
    actual = trust.Fingerprints.of(der)
    if opts.thumbprint:
        pins, source = [opts.thumbprint], "--thumbprint"
    else:
        pins, source = trust.lookup(t.host, t.port, opts.known_hosts), "known-hosts"
    if not pins:
        raise UnknownCertificate(t.host, t.port, actual)
    if not any(actual.matches(p) for p in pins):
        raise FingerprintMismatch(t.host, t.port, pins, actual, source)
    return TrustDecision(_pinned_context(der), "fingerprint", actual)


def _login_method(user: str, password: Secret):
    """Log in without first reading `currentSession` (vcsim answers that read with NotAuthenticated)."""

    def _do_login(soap_stub) -> None:
        from pyVmomi import vim

        si = vim.ServiceInstance("ServiceInstance", soap_stub)
        session_manager = si.content.sessionManager
        if session_manager is None:  # optional in the API; vCenter and ESXi always have one
            raise ConnectionFailed("the server has no SessionManager: it is not vCenter or ESXi")
        session_manager.Login(user, password.reveal(), None)

    return _do_login


def _session_cookie(stub) -> str:
    return getattr(stub, "cookie", "") or ""


class VSphereSession:
    """A logged-in session. Every pyvmomi call through `si`/`content` re-logs in on NotAuthenticated. What the
    front ends read of it is the FrontEndSession Protocol (session.py)."""

    def __init__(self, opts: ConnectOptions, decision: TrustDecision, soap_stub, session_stub, si, content) -> None:
        self.options = opts
        self.target = opts.target
        self.trust = decision
        self.soap_stub = soap_stub
        self.stub = session_stub
        self.si = si
        self.content = content
        self._keepalive_stop = threading.Event()
        self._keepalive: threading.Thread | None = None

    @property
    def about(self) -> str:
        return self.content.about.fullName

    @property
    def is_vcenter(self) -> bool:
        return self.content.about.apiType == "VirtualCenter"

    @property
    def target_label(self) -> str:
        return self.target.label

    @property
    def user(self) -> str | None:
        return self.options.user

    @property
    def pinned_sha1(self) -> str | None:
        fingerprints = self.trust.fingerprints
        return fingerprints.sha1 if self.trust.trusted_by == "fingerprint" and fingerprints else None

    @property
    def trusted_by(self) -> str:
        return self.trust.trusted_by

    @property
    def ssl_context(self) -> ssl.SSLContext | None:
        return self.trust.ssl_context

    def cookie(self) -> str:
        """The current `vmware_soap_session` cookie, for raw HTTP calls (datastore upload, fast QueryPerf)."""
        return _session_cookie(self.soap_stub)

    def relogin(self) -> None:
        """Log in again (after a raw HTTP call saw NotAuthenticated).

        Under the stub's lock (not re-entrant, so the stub's own _CallLoginMethod cannot be used), with the
        cookie dropped first: a Login sent with another thread's fresh session cookie is refused.
        """
        stub = self.stub
        with stub.lock:
            self.soap_stub.cookie = ""
            stub.loginMethod(stub.soapStub)
            stub.state = stub.STATE_AUTHENTICATED

    def start_keepalive(self, interval: float = 600.0) -> None:
        """Touch the session every `interval` idle seconds (vCenter expires idle sessions after 30 min)."""
        if self._keepalive:
            return

        def _loop() -> None:
            while not self._keepalive_stop.wait(interval):
                try:
                    self.si.CurrentTime()
                except Exception:  # the next real call reports the problem; the loop must survive
                    pass

        self._keepalive = threading.Thread(target=_loop, name="vsphere-keepalive", daemon=True)
        self._keepalive.start()

    def logout(self) -> None:
        self._keepalive_stop.set()
        try:
            if self.cookie():
                self.content.sessionManager.Logout()
        except Exception:
            pass  # the session may already be gone; logging out is best effort
        finally:
            try:
                self.soap_stub.DropConnections()
            except Exception:
                pass

    def __enter__(self) -> "VSphereSession":
        return self

    def __exit__(self, *exc) -> None:
        self.logout()


def connect(opts: ConnectOptions) -> VSphereSession:
    """Blocking: verify trust, negotiate the API version, log in. Run it off the UI thread."""
    opts.require_credentials()
    decision = decide_trust(opts)
    from pyVim import connect as pyvim_connect
    from pyVim.connect import VimSessionOrientedStub
    from pyVmomi import SoapStubAdapter, vim, vmodl
    from pyVmomi.VmomiSupport import GetServiceVersions

    t = opts.target
    # pyvmomi's own discovery helper, called directly: SmartStubAdapter cannot do plain HTTP.
    find_version = getattr(pyvim_connect, "__FindSupportedVersion")
    try:
        version = find_version(
            t.scheme, t.host, t.port, "/sdk", GetServiceVersions("vim25"), decision.ssl_context, None, 80, None
        )
        if version is None:
            raise LookupError
        soap_stub = SoapStubAdapter(
            host=t.host,
            port=t.port if t.tls else -t.port,
            version=version,
            sslContext=decision.ssl_context,
            httpConnectionTimeout=opts.timeout,
        )
    except ssl.SSLError as exc:
        raise ConnectionFailed(f"TLS with {t.label} failed: {exc.reason or exc}") from None
    except OSError as exc:
        raise trust.describe_socket_error(exc, t.host, t.port) from None
    except Exception:  # pyvmomi raises a bare Exception when version discovery finds no vSphere
        raise ConnectionFailed(
            f"{t.label} does not look like vCenter or ESXi (no vSphere API at /sdk)",
            hint="check the host and port of --target",
        ) from None
    login = _login_method(opts.user or "", opts.password)
    try:
        try:
            login(soap_stub)
        except vim.fault.NotAuthenticated:
            login(soap_stub)  # seen once against vcsim right after a trust decision: one retry, not a loop
    except vim.fault.InvalidLogin:
        raise ConnectionFailed(
            f"{t.label} refused the login for user {opts.user!r}: wrong user name or password",
            hint="check --user and --password (or VIC_MACHINE_USER / VIC_MACHINE_PASSWORD)",
        ) from None
    except vmodl.MethodFault as exc:
        # Every fault has `msg` at run time; pyvmomi's stubs do not declare it.
        message = getattr(exc, "msg", None) or type(exc).__name__
        raise ConnectionFailed(f"login to {t.label} failed: {message}") from None
    except OSError as exc:
        raise trust.describe_socket_error(exc, t.host, t.port) from None
    session_stub = VimSessionOrientedStub(soap_stub, login)
    session_stub.state = VimSessionOrientedStub.STATE_AUTHENTICATED
    si = vim.ServiceInstance("ServiceInstance", session_stub)
    content = si.RetrieveContent()
    return VSphereSession(opts, decision, soap_stub, session_stub, si, content)
