"""Parse a vSphere target the way vic-machine and govc accept it.

Accepted forms: `host`, `host:port`, `user@host`, `user:password@host`, `host/datacenter`,
`https://host[:port][/sdk]`, `http://host:port` (plain HTTP, e.g. a simulator). A path other than
`/sdk` names the datacenter, as with vic-machine's `--target`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from tui.core.errors import InvalidInput
from tui.core.secret import Secret

SOAP_PATH = "/sdk"


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    scheme: str = "https"
    datacenter: str | None = None
    user: str | None = None
    password: Secret | None = None  # only when given inside the target URL

    @property
    def tls(self) -> bool:
        return self.scheme == "https"

    @property
    def label(self) -> str:
        """host:port as known-hosts files and messages write it (IPv6 in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.label}"

    @property
    def soap_url(self) -> str:
        return self.base_url + SOAP_PATH

    def display(self) -> str:
        """The target for messages and screens: never the password."""
        user = f"{self.user}@" if self.user else ""
        dc = f"/{self.datacenter}" if self.datacenter else ""
        return f"{self.scheme}://{user}{self.label}{dc}"


def parse_target(text: str, *, field: str = "--target") -> Target:
    raw = (text or "").strip()
    if not raw:
        raise InvalidInput(
            "no vSphere target given",
            field=field,
            hint="pass --target HOST (or set VIC_MACHINE_TARGET or GOVC_URL)",
        )
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(
            f"{field} is not a valid host or URL: {exc}", field=field, hint="use HOST, HOST:PORT or https://HOST[:PORT]"
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise InvalidInput(
            f"{field} uses the unsupported scheme {scheme!r}",
            field=field,
            hint="use https:// (or http:// for a plain-HTTP simulator)",
        )
    host = parts.hostname
    if not host:
        raise InvalidInput(f"{field} has no host name", field=field, hint="use HOST or HOST:PORT")
    path = parts.path.strip("/")
    datacenter = None
    if path and "/" + path != SOAP_PATH:
        if path.startswith("sdk/"):
            path = path[4:]
        if "/" in path:
            raise InvalidInput(
                f"{field} should only specify the datacenter in its path, not {path!r}",
                field=field,
                hint="name the cluster, host or resource pool with --compute-resource",
            )
        datacenter = unquote(path)
    return Target(
        host=host,
        port=port or (443 if scheme == "https" else 80),
        scheme=scheme,
        datacenter=datacenter,
        user=unquote(parts.username) if parts.username else None,
        password=Secret(unquote(parts.password)) if parts.password else None,
    )
