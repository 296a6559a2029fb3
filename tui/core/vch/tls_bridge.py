"""The provisioning side of TLS, on tui/core/tls: the certificate folder for the run (planned, written, and
removed again on rollback), the Docker API probe, and the `.env` file with the docker environment.

`TlsWork(spec)` for a run; `TlsWork.existing(spec, facts)` for a VCH that exists (inspect: probe it, print
its environment from the certificate folder recorded in its guestinfo).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.errors import VchError
from tui.core.problems import Problem
from tui.core.spec.model import TlsMode, VchSpec
from tui.core.vch.endpoint import TlsFacts

if TYPE_CHECKING:
    from tui.core.tls.material import Material


def _settings(spec: VchSpec):
    from tui.core.tls.modes import settings_from_spec

    return settings_from_spec(spec)


def env_file_path(spec: VchSpec) -> Path:
    settings = _settings(spec)
    return settings.folder / settings.env_file_name()


def material_problems(spec: VchSpec, already: list[Problem]) -> list[Problem]:
    """What the certificate folder and the user's certificate files say (read-only), leaving out fields that
    local validation has already reported an error for."""
    from tui.core.tls.material import plan_material

    flagged = {p.field for p in already if p.is_error}
    return [p for p in plan_material(_settings(spec)).problems if p.field not in flagged]


def _verifies_clients_we_cannot_be(result: Any, tls: Any) -> bool:
    """A user-supplied tls_ca and no client certificate here (vic-machine's --tls-ca without --tls-cert-path
    holding one): the server passed our check and then asked for a client certificate. That is the API serving
    as configured, as far as this machine can tell; vic-machine, too, completes such a create."""
    from tui.core.tls.probe import ProbeKind

    return tls is not None and tls.cert_file is None and result.kind == ProbeKind.CLIENT_CERT_MISSING


def _is_ip(text: str | None) -> bool:
    from tui.core.tls.modes import parse_ip

    return parse_ip(text) is not None


class TlsWork:
    def __init__(self, spec: VchSpec) -> None:
        self.spec = spec
        self.settings = _settings(spec)
        self.material: Material | None = None  # once prepared (or read, for an existing VCH)
        self.facts = TlsFacts(mode=spec.tls_mode().value)
        self.cert_path: str | None = None
        self._env_mark: int | None = None  # material.created entries from the .env write start here
        self._env_old: tuple[Path, bytes] | None = None  # an .env file this run overwrote

    @classmethod
    def existing(cls, spec: VchSpec, facts: TlsFacts | None) -> "TlsWork":
        """For a VCH that exists: the certificate folder it recorded (or the spec's), nothing is written."""
        from dataclasses import replace

        from tui.core.tls.material import Material

        work = cls(spec)
        if facts is not None:
            work.facts = facts
            if facts.cert_path:
                work.settings = replace(work.settings, cert_path=Path(facts.cert_path))
        work.material = Material(settings=work.settings, folder=work.settings.folder)
        work.cert_path = str(work.settings.folder) if spec.tls_mode() != TlsMode.NO_TLS else None
        return work

    # -- the plan ------------------------------------------------------------------------------------

    def describe(self) -> list[str]:
        from tui.core.tls.material import plan_material

        return plan_material(self.settings).describe()

    # -- the TLS step ------------------------------------------------------------------------------

    def prepare(self, log: Callable[[str], None]) -> None:
        """Generate, reuse or copy the material (ProblemsError when the folder cannot be used)."""
        from tui.core.tls.material import plan_material, write_material

        plan = plan_material(self.settings)
        self.material = m = write_material(plan)
        for line in m.summary():
            log(line)
        if self.spec.tls_mode() != TlsMode.NO_TLS:
            self.cert_path = str(m.folder)
        self.facts = TlsFacts(
            mode=self.spec.tls_mode().value,
            server_sha256=m.fingerprints.get("server"),
            ca_sha256=m.fingerprints.get("ca"),
            client_sha256=m.fingerprints.get("client"),
            not_after=m.not_after.isoformat() if m.not_after else None,
            cert_path=self.cert_path,
        )

    def cleanup(self, removed: list[str]) -> None:
        if self.material is not None:
            removed += [f"local {item}" for item in self.material.cleanup()]

    def leftovers(self) -> list[str]:
        return self.material.leftovers() if self.material is not None else []

    def _prepared(self) -> Material:
        if self.material is None:
            raise RuntimeError("the TLS material is used before the TLS step prepared it")
        return self.material

    # -- the Docker API ----------------------------------------------------------------------------

    def _client_host(self, address: str) -> str:
        """What clients dial: the cname when it is a DNS name (the certificate names it), else the address."""
        cname = self.settings.cname
        return cname if cname and not _is_ip(cname) and self.spec.tls_mode() != TlsMode.NO_TLS else address

    def probe(self, host: str, port: int) -> str:
        """One probe of the Docker API; VchError saying why when it does not answer as Docker."""
        return self.probe_result(host, port).message

    def probe_result(self, host: str, port: int):
        """One probe of the Docker API (ProbeResult: /info's facts too); VchError when it does not answer."""
        from tui.core.tls.probe import ProbeTls, probe_docker

        if self.spec.tls_mode() == TlsMode.NO_TLS:
            tls = None
        elif self.material is not None and self.material.server_cert is not None:
            tls = ProbeTls.from_material(self.material)
        else:
            tls = ProbeTls.for_folder(self.settings.folder, verify_server=self.settings.verify_clients)
        name = self._client_host(host)
        result = probe_docker(host, port, tls, server_name=name if name != host else None)
        if _verifies_clients_we_cannot_be(result, tls):
            from dataclasses import replace

            # ok, with kind CLIENT_CERT_MISSING: readiness cannot look at /info (vic-machine stops there too)
            return replace(
                result,
                ok=True,
                message=f"{result.url or f'{host}:{port}'} serves TLS with this VCH's certificate and asks for a "
                "client certificate signed by the given tls_ca; this machine has none to go further (clients need one)",
            )
        if not result.ok:
            raise VchError(result.message, hint=result.hint)
        return result

    def docker_env(self, host: str, port: int) -> dict[str, str]:
        from tui.core.tls.envfile import docker_env

        return docker_env(self._prepared(), self._client_host(host), port)

    # -- the .env file (the finish step) --------------------------------------------------------------

    def write_env(self, env: dict[str, str]) -> Path:
        """Write `<name>.env` for the docker environment `env` was made from (docker_env)."""
        from tui.core.tls.envfile import env_file_path as path_of
        from tui.core.tls.envfile import write_env_file

        material = self._prepared()
        path = path_of(material)
        self._env_old = (path, path.read_bytes()) if path.is_file() else None
        self._env_mark = len(material.created)
        host, _, port = env["DOCKER_HOST"].removeprefix("tcp://").rpartition(":")
        return write_env_file(material, host.strip("[]"), int(port))

    def remove_env(self, removed: list[str]) -> None:
        """Undo write_env only: remove what it created (the file, a folder it made), restore a file it replaced."""
        if self._env_mark is None:
            return
        created = self._prepared().created  # (write_env set the mark)
        made = created[self._env_mark :]
        del created[self._env_mark :]
        for path in reversed(made):
            if path.is_dir():
                path.rmdir()
                removed.append(f"local folder {path}")
            elif path.exists():
                path.unlink()
                removed.append(f"local file {path}")
        if self._env_old is not None:
            path, old = self._env_old
            path.write_bytes(old)
            removed.append(f"local file {path} (restored as it was)")
        self._env_mark = self._env_old = None

    def env_leftovers(self) -> list[str]:
        if self._env_mark is None:
            return []
        return [str(p) for p in self._prepared().created[self._env_mark :] if p.exists()]
