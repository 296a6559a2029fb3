"""Test helpers to make certificates on purpose (good and broken) and write them as PEM files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from tui.core.tls import generate as g
from tui.core.tls.pem import cert_pem, key_pem, now_utc


def write_pair(folder: Path, stem: str, cert: Any, key: Any | None = None) -> tuple[Path, Path | None]:
    """<stem>.pem (0644) and <stem>-key.pem (0600) in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    cert_path = folder / f"{stem}.pem"
    cert_path.write_bytes(cert_pem(cert))
    key_path = None
    if key is not None:
        key_path = folder / f"{stem}-key.pem"
        key_path.touch(mode=0o600)
        key_path.write_bytes(key_pem(key))
    return cert_path, key_path


class Authority:
    """A CA that issues test certificates; `key_type="ecdsa"` keeps tests fast where RSA does not matter."""

    def __init__(self, name: str = "test", key_type: str = "ecdsa") -> None:
        self.key_type = key_type
        self.key = g.new_key(key_type)
        self.cert = g.make_ca(self.key, name=name, organization=[name], days=30)

    def issue(
        self,
        *,
        cn: str = "leaf",
        sans=(),
        usages=None,
        eku=(),
        key: Any | None = None,
        expired: bool = False,
        not_yet_valid: bool = False,
        **kw: Any,
    ) -> tuple[Any, Any]:
        key = key if key is not None else g.new_key(self.key_type)
        now = now_utc()
        if expired:
            kw.update(not_before=now - timedelta(days=10), not_after=now - timedelta(days=1))
        if not_yet_valid:
            kw.update(not_before=now + timedelta(days=1), not_after=now + timedelta(days=10))
        cert = g.build_certificate(
            key,
            issuer_cert=self.cert,
            issuer_key=self.key,
            common_name=cn,
            sans=sans,
            key_usage=usages,
            extended_usage=eku,
            **kw,
        )
        return cert, key

    def server(self, cn: str = "127.0.0.1", **kw: Any) -> tuple[Any, Any]:
        from cryptography.x509.oid import ExtendedKeyUsageOID

        usages = kw.pop("usages", g.RSA_SERVER_USAGES if self.key_type == "rsa" else g.EC_SERVER_USAGES)
        return self.issue(
            cn=cn, sans=kw.pop("sans", (cn,)), usages=usages, eku=kw.pop("eku", [ExtendedKeyUsageOID.SERVER_AUTH]), **kw
        )

    def client(self, **kw: Any) -> tuple[Any, Any]:
        from cryptography.x509.oid import ExtendedKeyUsageOID

        return self.issue(
            cn="client",
            usages=kw.pop("usages", g.CLIENT_USAGES),
            eku=kw.pop("eku", [ExtendedKeyUsageOID.CLIENT_AUTH]),
            **kw,
        )

    def write(self, folder: Path, stem: str = "ca") -> Path:
        return write_pair(folder, stem, self.cert)[0]
