"""The provisioning side of TLS: prepare the certificates for the run, probe the Docker API, write .env.

TEMPORARY: only no-tls is wired until tui/core/tls lands; then this delegates to it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tui.core.errors import VchError
from tui.core.spec import TlsMode, VchSpec

from .endpoint import TlsFacts


def env_file_path(spec: VchSpec) -> Path:
    return Path(os.path.abspath(spec.effective_tls_cert_path())) / f"{spec.name}.env"


class TlsWork:
    def __init__(self, spec: VchSpec) -> None:
        self.spec = spec
        self.mode = spec.tls_mode()
        self.facts = TlsFacts(mode=self.mode.value)
        self.cert_path: str | None = None
        self._created_dir: Path | None = None
        self._env_file: Path | None = None

    @classmethod
    def existing(cls, spec: VchSpec, facts: TlsFacts | None) -> "TlsWork":
        """For a VCH that exists: its recorded TLS facts, to probe it and print its environment."""
        work = cls(spec)
        if facts is not None:
            work.facts = facts
            work.cert_path = facts.cert_path
        return work

    def describe(self) -> list[str]:
        if self.mode == TlsMode.NO_TLS:
            return ["no TLS: the Docker API will be plain HTTP, open to anyone who can reach it"]
        return [f"{self.mode.value}"]

    def prepare(self, log: Callable[[str], None]) -> None:
        if self.mode != TlsMode.NO_TLS:
            raise VchError(f"TLS mode {self.mode.value} is not wired yet")

    def cleanup(self, removed: list[str]) -> None:
        pass

    def leftovers(self) -> list[str]:
        return []

    def probe(self, host: str, port: int) -> str:
        import httpx

        url = f"http://{host}:{port}/_ping"
        try:
            with httpx.Client(trust_env=False, timeout=5.0) as client:
                response = client.get(url)
        except httpx.HTTPError as exc:
            raise VchError(f"{url}: {exc}") from None
        if response.status_code != 200:
            raise VchError(f"{url}: HTTP {response.status_code}")
        return f"API {response.headers.get('Api-Version', '?')}"

    def docker_env(self, host: str, port: int) -> dict[str, str]:
        return {"DOCKER_HOST": f"{host}:{port}"}

    def write_env(self, env: dict[str, str]) -> Path:
        path = env_file_path(self.spec)
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True)
            self._created_dir = path.parent
        path.write_text(" ".join(f"{k}={v}" for k, v in env.items()) + "\n")
        self._env_file = path
        return path

    def remove_env(self, removed: list[str]) -> None:
        if self._env_file is not None and self._env_file.exists():
            self._env_file.unlink()
            removed.append(f"local file {self._env_file}")
            self._env_file = None
        if self._created_dir is not None and self._created_dir.is_dir() and not any(self._created_dir.iterdir()):
            self._created_dir.rmdir()
            removed.append(f"local folder {self._created_dir}")
            self._created_dir = None

    def env_leftovers(self) -> list[str]:
        return [str(self._env_file)] if self._env_file is not None else []
