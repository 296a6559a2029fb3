"""Certificate fingerprints and known-hosts files, the way govc and ssh pin a server.

A known-hosts line is `host[:port] FINGERPRINT` (port 443 when omitted, `#` starts a comment); the
fingerprint is SHA-256 or SHA-1 as colon hex in any case. The project's own file lives in the user
config dir; `GOVC_TLS_KNOWN_HOSTS` adds more files (separated like PATH).
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tui.core import paths
from tui.core.errors import ConnectionFailed, InvalidInput, VchError

_HEX = re.compile(r"^[0-9a-f]+$")


def _colon_hex(digest: bytes) -> str:
    return ":".join(f"{b:02X}" for b in digest)


@dataclass(frozen=True)
class Fingerprints:
    sha256: str
    sha1: str

    @classmethod
    def of(cls, der: bytes) -> "Fingerprints":
        return cls(_colon_hex(hashlib.sha256(der).digest()), _colon_hex(hashlib.sha1(der).digest()))

    def matches(self, fingerprint: str) -> bool:
        want = normalize_fingerprint(fingerprint)
        return want in (self.sha256, self.sha1)


def normalize_fingerprint(text: str, *, field: str = "--thumbprint") -> str:
    """Upper-case colon hex; SHA-256 (64 hex digits) or SHA-1 (40)."""
    compact = text.strip().replace(":", "").lower()
    if not _HEX.match(compact or "-") or len(compact) not in (40, 64):
        raise InvalidInput(
            f"{field} {text!r} is not a SHA-256 or SHA-1 fingerprint",
            field=field,
            hint="give 64 (SHA-256) or 40 (SHA-1) hex digits, colons optional, e.g. as printed by vch-tui",
        )
    return ":".join(compact[i : i + 2] for i in range(0, len(compact), 2)).upper()


def _host_key(host: str, port: int) -> str:
    host = host.lower()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def _parse_entry_host(text: str) -> str:
    text = text.strip().lower()
    if text.startswith("["):  # [v6]:port or [v6]
        end = text.find("]")
        host, rest = text[: end + 1], text[end + 1 :]
        port = int(rest[1:]) if rest.startswith(":") else 443
        return f"{host}:{port}"
    if text.count(":") == 1:
        host, port_text = text.split(":")
        return f"{host}:{int(port_text)}"
    if ":" in text:  # bare IPv6
        return f"[{text}]:443"
    return f"{text}:443"


def read_known_hosts(files: list[Path]) -> dict[str, list[str]]:
    """host:port → fingerprints, from every readable file (missing files are fine)."""
    entries: dict[str, list[str]] = {}
    for file in files:
        try:
            lines = Path(file).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise InvalidInput(
                f"cannot read known-hosts file {file}: {exc.strerror}", field="GOVC_TLS_KNOWN_HOSTS"
            ) from None
        for number, line in enumerate(lines, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) != 2:
                raise InvalidInput(
                    f"{file}:{number}: expected 'host[:port] FINGERPRINT', got {line!r}",
                    field="known_hosts",
                    hint="fix or delete that line",
                )
            try:
                key = _parse_entry_host(fields[0])
            except ValueError:
                raise InvalidInput(f"{file}:{number}: bad port in {fields[0]!r}", field="known_hosts") from None
            entries.setdefault(key, []).append(normalize_fingerprint(fields[1], field=f"{file}:{number}"))
    return entries


def known_hosts_files(env: Mapping[str, str] | None = None) -> list[Path]:
    env = os.environ if env is None else env
    files = [paths.known_hosts_file()]
    extra = env.get("GOVC_TLS_KNOWN_HOSTS", "")
    files += [Path(p) for p in extra.split(os.pathsep) if p]
    return files


def lookup(host: str, port: int, files: list[Path]) -> list[str]:
    return read_known_hosts(files).get(_host_key(host, port), [])


def remember_fingerprint(host: str, port: int, sha256: str, file: Path | None = None) -> Path:
    """Record (or replace) the host's fingerprint in the project's known-hosts file."""
    file = file or paths.known_hosts_file()
    key = _host_key(host, port)
    fingerprint = normalize_fingerprint(sha256)
    if file.is_symlink():
        raise VchError(
            f"{file} is a symbolic link: vch-tui does not write its known-hosts file through a link",
            hint="replace the link with a plain file (or list the linked file in GOVC_TLS_KNOWN_HOSTS)",
        )
    kept: list[str] = []
    if file.exists():
        for line in file.read_text(encoding="utf-8").splitlines():
            body = line.split("#", 1)[0].split()
            if body and _parse_entry_host(body[0]) == key:
                continue
            kept.append(line)
    kept.append(f"{key} {fingerprint}")
    paths.write_private_atomic(file, ("\n".join(kept) + "\n").encode("utf-8"))  # 0600 in a 0700 folder
    return file


def fetch_server_certificate(host: str, port: int, timeout: float = 10.0) -> bytes:
    """The server's leaf certificate (DER), read without trusting it: only its fingerprint is used."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            with ctx.wrap_socket(sock, server_hostname=host) as tls:
                der = tls.getpeercert(binary_form=True)
    except OSError as exc:
        raise describe_socket_error(exc, host, port) from None
    if not der:
        raise ConnectionFailed(f"{host}:{port} sent no certificate")
    return der


def describe_socket_error(exc: BaseException, host: str, port: int) -> ConnectionFailed:
    where = _host_key(host, port)
    if isinstance(exc, ssl.SSLError) and "WRONG_VERSION_NUMBER" in str(exc):
        return ConnectionFailed(
            f"{where} does not speak TLS",
            hint="check the port; a plain-HTTP endpoint needs an http:// target",
        )
    if isinstance(exc, ConnectionRefusedError):
        return ConnectionFailed(f"connection to {where} refused", hint="check the host name and port of --target")
    if isinstance(exc, socket.timeout | TimeoutError):
        return ConnectionFailed(f"{where} did not answer in time", hint="check the address and any firewall in between")
    if isinstance(exc, socket.gaierror):
        return ConnectionFailed(f"cannot resolve host {host!r}", hint="check the spelling of --target")
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return ConnectionFailed(f"cannot reach {where}: {reason}")
