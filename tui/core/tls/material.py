"""The certificate folder (`tls_cert_path`): plan first, write only when the plan has passed.

plan_material() reads the folder and the user's files and decides, per file, generate / reuse / copy,
or refuses with problems that name the answers-file key and the fix:
- a folder whose `server-cert.pem` has the same CN is reused as it is, so users keep their client
  certificates (it must still be complete, valid, and cover the cname and static IP);
- a different CN is refused (choose a new folder, or remove it to regenerate on purpose);
- a folder holding files vch-tui does not know is refused: keys never land among unrelated files.
write_material() creates the folder 0700, keys 0600 (created with that mode: never readable by others,
not even briefly) and certificates 0644, and returns a Material; Material.cleanup() removes exactly what
that run created (provisioning rollback).
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from tui.core.errors import VchError
from tui.core.problems import Problem, errors_only, raise_if_errors, warning, warnings_only
from tui.core.tls.check import check_server_certificate, own_roots
from tui.core.tls.modes import (
    CA_CERT,
    CA_KEY,
    CLIENT_CERT,
    CLIENT_KEY,
    KEY_FILES,
    PFX,
    SERVER_CERT,
    SERVER_KEY,
    TlsMode,
    TlsSettings,
    settings_problems,
)
from tui.core.tls.pem import (
    PemError,
    cert_pem,
    chains_to,
    common_name,
    describe,
    is_ca,
    key_pem,
    now_utc,
    read_bytes,
    read_certificates,
    read_private_key,
    san_covers,
    sha256_fingerprint,
)

log = logging.getLogger(__name__)

FIELD_PATH = "tls_cert_path"
KNOWN_FILES = frozenset({CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY, CLIENT_CERT, CLIENT_KEY, PFX})
FOLDER_MODE = 0o700
KEY_MODE = 0o600
CERT_MODE = 0o644

Action = Literal["generate", "reuse", "copy"]


@dataclass(frozen=True)
class FileAction:
    name: str  # file name inside the folder
    action: Action
    detail: str = ""


@dataclass
class MaterialPlan:
    settings: TlsSettings
    folder: Path  # absolute
    folder_exists: bool
    actions: list[FileAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tighten: list[Path] = field(default_factory=list)  # existing keys readable by others: made 0600 on write
    ca_bundle: bytes | None = None  # CUSTOM: what ca.pem holds

    @property
    def mode(self) -> TlsMode:
        return self.settings.mode

    @property
    def refused(self) -> bool:
        return bool(errors_only(self.problems))

    @property
    def warnings(self) -> list[Problem]:
        return warnings_only(self.problems)

    @property
    def reuses(self) -> bool:
        return any(a.action == "reuse" for a in self.actions)

    def writes(self) -> list[str]:
        return [a.name for a in self.actions if a.action != "reuse"]

    def raise_if_refused(self) -> None:
        """ProblemsError (an InvalidInput, exit 2) listing every problem, when any is an error."""
        raise_if_errors(self.problems, source=f"TLS material in {self.folder}")

    def describe(self) -> list[str]:
        """Lines for the wizard summary and `create --dry-run`."""
        s = self.settings
        lines = [_MODE_TEXT[self.mode]]
        if self.mode == TlsMode.NO_TLS:
            return lines
        groups: dict[str, list[str]] = {}
        for a in self.actions:
            groups.setdefault(a.action, []).append(a.name)
        for action in ("generate", "copy", "reuse"):
            if action in groups:
                lines.append(f"{action} {', '.join(groups[action])} in {self.folder}")
        if s.generates_server and "generate" in groups:
            key = f"RSA {s.key_size}" if s.key_type == "rsa" else "ECDSA P-256"
            lines.append(f"new certificates: {key}, valid {s.validity_days} days, for {s.cname or s.name}")
        for a in self.actions:
            if a.detail:
                lines.append(f"{a.name}: {a.detail}")
        if self.mode == TlsMode.CUSTOM:
            lines.append(f"server certificate {s.server_cert}, key {s.server_key} (used where they are)")
        if s.verify_clients and s.tls_ca:
            lines.append(f"clients need a certificate signed by: {', '.join(map(str, s.tls_ca))}")
        return lines


_MODE_TEXT = {
    TlsMode.NO_TLS: "no TLS: the Docker API is plain HTTP on 2375; anyone who can reach it controls Docker",
    TlsMode.NO_TLSVERIFY: "TLS without client verification: HTTPS on 2376, any client may use Docker",
    TlsMode.TLSVERIFY: "TLS with client certificates: HTTPS on 2376, clients must present a certificate",
    TlsMode.CUSTOM: "TLS with your server certificate: HTTPS on 2376",
}


@dataclass
class Material:
    """The written (or reused) material. Paths are absolute; a role without a file is None."""

    settings: TlsSettings
    folder: Path
    ca_cert: Path | None = None  # ca.pem: what clients trust to verify the server
    ca_key: Path | None = None
    server_cert: Path | None = None  # dockerd --tlscert
    server_key: Path | None = None  # dockerd --tlskey
    client_cert: Path | None = None  # cert.pem (generated CA only)
    client_key: Path | None = None
    client_ca_files: tuple[Path, ...] = ()  # what dockerd trusts for clients (--tlscacert, bundled)
    fingerprints: dict[str, str] = field(default_factory=dict)  # role (ca/server/client) -> SHA-256 colon hex
    expiries: dict[str, datetime] = field(default_factory=dict)  # role -> not-after, UTC
    reused: bool = False
    created: list[Path] = field(default_factory=list)  # files and folders made by this run, in order
    _replaced: dict[Path, tuple[bytes, int]] = field(default_factory=dict, repr=False)

    @property
    def mode(self) -> TlsMode:
        return self.settings.mode

    @property
    def verify_clients(self) -> bool:
        return self.settings.verify_clients

    @property
    def docker_port(self) -> int:
        return self.settings.docker_port

    @property
    def server_sha256(self) -> str | None:
        return self.fingerprints.get("server")

    @property
    def not_after(self) -> datetime | None:
        """When the server certificate expires (shown in the summary and `inspect`)."""
        return self.expiries.get("server")

    def client_ca_pem(self) -> bytes:
        """The client CAs as one PEM bundle (dockerd's --tlscacert takes one file)."""
        return b"".join(cert_pem(c) for p in self.client_ca_files for c in read_certificates(p))

    def facts(self) -> dict[str, str | None]:
        """What the endpoint records (the fields of provision.endpoint.TlsFacts): mode, SHA-256 fingerprints,
        server expiry (ISO 8601 UTC) and the folder."""
        not_after = self.not_after
        return {
            "mode": self.mode.value,
            "server_sha256": self.fingerprints.get("server"),
            "ca_sha256": self.fingerprints.get("ca"),
            "client_sha256": self.fingerprints.get("client"),
            "not_after": not_after.isoformat() if not_after else None,
            "cert_path": str(self.folder) if self.mode != TlsMode.NO_TLS else None,
        }

    def summary(self) -> list[str]:
        lines = [_MODE_TEXT[self.mode]]
        if self.mode == TlsMode.NO_TLS:
            return lines
        lines.append(f"certificates in {self.folder}" + (" (reused)" if self.reused else ""))
        for role, label in (("server", "server certificate"), ("ca", "CA"), ("client", "client certificate")):
            if role in self.fingerprints:
                lines.append(
                    f"{label}: expires {self.expiries[role]:%Y-%m-%d %H:%M} UTC, SHA-256 {self.fingerprints[role]}"
                )
        return lines

    def record_created(self, path: Path) -> None:
        self.created.append(path)

    def record_replaced(self, path: Path, old: bytes, mode: int) -> None:
        self._replaced.setdefault(path, (old, mode))

    def cleanup(self) -> list[str]:
        """Undo this run: remove what it created (newest first), restore what it replaced. Returns what it did."""
        done: list[str] = []
        for path in reversed(self.created):
            try:
                if path.is_dir() and not path.is_symlink():
                    path.rmdir()  # only if empty: never removes anything this run did not make
                    done.append(f"folder {path}")
                elif path.exists() or path.is_symlink():
                    path.unlink()
                    done.append(f"file {path}")
            except OSError as exc:
                log.warning("could not remove %s: %s", path, exc.strerror)
        for path, (old, mode) in self._replaced.items():
            write_file(path, old, mode, replace=True)
            done.append(f"restored {path}")
        self.created.clear()
        self._replaced.clear()
        return done

    def leftovers(self) -> list[str]:
        return [str(p) for p in self.created if p.exists()]


# --- plan --------------------------------------------------------------------------------------------


def plan_material(settings: TlsSettings, *, now: datetime | None = None) -> MaterialPlan:
    """Decide what to generate, reuse or copy; read-only (nothing is created or changed)."""
    now = now or now_utc()
    s = settings
    folder = s.folder
    plan = MaterialPlan(settings=s, folder=folder, folder_exists=folder.is_dir())
    plan.problems += settings_problems(s)
    present = _inspect_folder(plan, s)
    if plan.refused:  # bad settings or an unusable folder: planning further would only add noise
        return plan
    if s.mode == TlsMode.CUSTOM:
        _plan_custom(plan, present, now)
    elif s.generates_server:
        _plan_generated(plan, present, now)
    if plan.writes():
        _check_writable(plan)
    return plan


def _inspect_folder(plan: MaterialPlan, s: TlsSettings) -> set[str]:
    folder = plan.folder
    if folder.is_symlink():
        plan.problems.append(
            Problem(
                FIELD_PATH,
                f"{folder} is a symbolic link (to {os.readlink(folder)})",
                "give the real folder's path: keys are never written through a link, which "
                "could be changed to point elsewhere between the check and the write",
            )
        )
        return set()
    if folder.exists() and not folder.is_dir():
        plan.problems.append(
            Problem(
                FIELD_PATH,
                f"{folder} exists and is not a folder",
                "choose a folder for the certificates with tls_cert_path",
            )
        )
        return set()
    if not plan.folder_exists:
        return set()
    owner = folder.stat().st_uid
    if owner != os.geteuid():
        plan.problems.append(
            Problem(
                FIELD_PATH,
                f"{folder} belongs to {_user(owner)}, not to {_user(os.geteuid())} who runs vch-tui",
                "choose a folder of your own (or a new one) for the keys: its owner could read or replace them",
            )
        )
        return set()
    names = set(os.listdir(folder))
    unrelated = sorted(n for n in names if n not in KNOWN_FILES and n != s.env_file_name())
    unrelated += sorted(n for n in names - set(unrelated) if not (folder / n).is_file() or (folder / n).is_symlink())
    if unrelated:
        shown = ", ".join(unrelated[:5]) + (f" and {len(unrelated) - 5} more" if len(unrelated) > 5 else "")
        plan.problems.append(
            Problem(
                FIELD_PATH,
                f"{folder} holds files that are not TLS material of this VCH: {shown}",
                "choose a new or empty folder with tls_cert_path; vch-tui does not put keys among other files",
            )
        )
        return set()
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:  # not ours to change: only a folder this run creates is
        plan.problems.append(
            warning(
                FIELD_PATH,
                f"{folder} can be listed by other users (the keys in it stay 0600)",
                f"restrict it yourself if the file names are private: chmod 700 {folder}",
            )
        )
    for name in sorted(names & KEY_FILES):
        if (folder / name).stat().st_uid != os.geteuid():
            plan.problems.append(
                Problem(
                    FIELD_PATH,
                    f"{folder / name} belongs to {_user((folder / name).stat().st_uid)}",
                    "choose a new tls_cert_path: a key someone else owns is not yours",
                )
            )
        elif stat.S_IMODE((folder / name).stat().st_mode) & 0o077:
            plan.problems.append(
                warning(
                    FIELD_PATH,
                    f"{folder / name} is readable by other users",
                    "vch-tui will restrict it to its owner (0600)",
                )
            )
            plan.tighten.append(folder / name)
    return names


def _user(uid: int) -> str:
    try:
        import pwd

        return f"user {pwd.getpwuid(uid).pw_name} ({uid})"
    except (ImportError, KeyError):
        return f"user id {uid}"


def _check_writable(plan: MaterialPlan) -> None:
    target = plan.folder
    while not target.exists():
        target = target.parent
    if not target.is_dir() or not os.access(target, os.W_OK | os.X_OK):
        plan.problems.append(
            Problem(FIELD_PATH, f"cannot write in {target}", "choose a tls_cert_path in a folder you can write to")
        )


def _regenerate_hint(folder: Path) -> str:
    return (
        f"choose a new tls_cert_path, or remove {folder} to generate new certificates on purpose "
        "(clients then need the new ca.pem, cert.pem and key.pem)"
    )


def _plan_generated(plan: MaterialPlan, present: set[str], now: datetime) -> None:
    s, folder = plan.settings, plan.folder
    needed = s.files()
    have = [n for n in needed if n in present]
    if SERVER_CERT in present:
        try:
            server = read_certificates(folder / SERVER_CERT)[0]
        except PemError as exc:
            plan.problems.append(Problem(FIELD_PATH, str(exc), _regenerate_hint(folder)))
            return
        want = s.cname or s.name
        if common_name(server) != want:
            plan.problems.append(
                Problem(
                    "tls_cname",
                    f"tls_cname {want!r} does not match the existing server certificate in {folder} "
                    f"(its CN is {common_name(server)!r})",
                    f"use tls_cname = {common_name(server)!r} to keep these certificates; or "
                    + _regenerate_hint(folder),
                )
            )
            return
    if not have:
        plan.actions += [FileAction(n, "generate") for n in needed]
        return
    missing = [n for n in needed if n not in present]
    if missing:
        plan.problems.append(
            Problem(
                FIELD_PATH,
                f"{folder} holds only part of the material for {s.mode.value}: {', '.join(missing)} missing",
                "restore the missing files; or " + _regenerate_hint(folder),
            )
        )
        return
    _check_reuse(plan, now)


def _check_reuse(plan: MaterialPlan, now: datetime) -> None:
    """The files are all there: are they still a working set for these settings?"""
    s, folder = plan.settings, plan.folder
    hint = _regenerate_hint(folder)
    problems: list[Problem] = []

    def bad(message: str, field: str = FIELD_PATH) -> None:
        problems.append(Problem(field, message, hint))

    def load(name: str, key: bool = False) -> Any:
        try:
            return read_private_key(folder / name) if key else read_certificates(folder / name)
        except PemError as exc:
            bad(str(exc))
            return None

    def pair(cert: Any, key: Any, cert_name: str, key_name: str) -> None:
        if cert is not None and key is not None and cert.public_key() != key.public_key():
            bad(f"{folder / key_name} does not belong to {folder / cert_name}")

    anchors = load(CA_CERT)
    server_certs = load(SERVER_CERT)
    server_key = load(SERVER_KEY, key=True)
    if server_certs:
        server = server_certs[0]
        pair(server, server_key, SERVER_CERT, SERVER_KEY)
        if not (server.not_valid_before_utc <= now <= server.not_valid_after_utc):
            bad(f"{folder / SERVER_CERT} is not valid now ({describe(server)})")
        if s.cname and not san_covers(server, s.cname):
            bad(
                f"{folder / SERVER_CERT} has CN {s.cname} but its subjectAltName does not list it, so clients "
                "refuse it",
                "tls_cname",
            )
        if s.static_address is not None and not san_covers(server, str(s.static_address)):
            bad(
                f"{folder / SERVER_CERT} does not list the static client IP {s.static_address} in its subjectAltName",
                "client_network_ip",
            )
        if anchors and not chains_to(server, anchors, server_certs[1:]):
            bad(f"{folder / CA_CERT} does not verify {folder / SERVER_CERT}")
    if s.generates_ca and anchors:
        ca = next((c for c in anchors if is_ca(c)), None)
        ca_key = load(CA_KEY, key=True)
        client = load(CLIENT_CERT)
        client_cert = client[0] if client else None
        pair(client_cert, load(CLIENT_KEY, key=True), CLIENT_CERT, CLIENT_KEY)
        if ca is None:
            bad(f"{folder / CA_CERT} holds no CA certificate, so it cannot verify client certificates")
        else:
            pair(ca, ca_key, CA_CERT, CA_KEY)
            if ca.not_valid_after_utc < now:
                bad(f"the CA in {folder / CA_CERT} has expired ({describe(ca)})")
            if client_cert is not None and not chains_to(client_cert, [ca]):
                bad(f"{folder / CLIENT_CERT} is not signed by {folder / CA_CERT}")
        if client_cert is not None and client_cert.not_valid_after_utc < now:
            problems.append(
                warning(
                    FIELD_PATH,
                    f"{folder / CLIENT_CERT} has expired ({describe(client_cert)}); dockerd will refuse it",
                    hint,
                )
            )
    plan.problems += problems
    if not errors_only(problems):
        cn = s.cname or s.name
        plan.actions += [
            FileAction(n, "reuse", f"kept (server CN {cn})" if n == SERVER_CERT else "") for n in s.files()
        ]


def _plan_custom(plan: MaterialPlan, present: set[str], now: datetime) -> None:
    s, folder = plan.settings, plan.folder
    if s.server_cert is None or s.server_key is None:
        return  # settings_problems reported it
    plan.problems += check_server_certificate(s.server_cert, s.server_key, s.cname, s.tls_ca, now=now)
    try:
        own = own_roots(read_certificates(s.server_cert))
        sources = list(s.tls_ca) or [s.server_cert]
        plan.ca_bundle = (
            b"".join(map(cert_pem, own))
            if own
            else b"".join(cert_pem(c) for p in sources for c in read_certificates(p))
        )
    except PemError:
        return  # the check above reported the file
    what = (
        "the CA at the end of your server certificate's file"
        if own
        else "the tls_ca certificates"
        if s.tls_ca
        else "your server certificate (pinned)"
    )
    if CA_CERT in present:
        try:
            same = read_bytes(folder / CA_CERT) == plan.ca_bundle
        except PemError:
            same = False
        if not same:
            plan.problems.append(
                Problem(
                    FIELD_PATH,
                    f"{folder / CA_CERT} exists and differs from {what}, which clients need to verify the server",
                    f"choose a new tls_cert_path, or remove {folder / CA_CERT} to write the new one",
                )
            )
            return
        plan.actions.append(FileAction(CA_CERT, "reuse", f"holds {what}"))
    else:
        plan.actions.append(FileAction(CA_CERT, "copy", f"holds {what}"))


# --- write -------------------------------------------------------------------------------------------


def write_material(plan: MaterialPlan) -> Material:
    """Create what the plan says. Raises ProblemsError if the plan was refused; on any failure, removes
    what it created before re-raising."""
    plan.raise_if_refused()
    s, folder = plan.settings, plan.folder
    material = Material(settings=s, folder=folder, reused=plan.reuses and not plan.writes())
    try:
        if plan.writes():
            make_folders(folder, material)
        if plan.folder_exists and folder.is_symlink():
            raise VchError(
                f"{folder} was replaced by a symbolic link after it was checked",
                hint="run again, or choose another tls_cert_path if another process changes that folder",
            )
        for path in plan.tighten:  # key files only: a folder is chmod-ed only when this run created it
            os.chmod(path, KEY_MODE)  # _inspect_folder refused symbolic links among the files
            log.info("restricted %s to its owner", path)
        contents = _generate(plan)
        for action in plan.actions:
            if action.action != "reuse":
                name = action.name
                mode = KEY_MODE if name in KEY_FILES else CERT_MODE
                write_file(folder / name, contents[name], mode)
                material.record_created(folder / name)
                log.info("wrote %s (%s)", folder / name, "key, 0600" if name in KEY_FILES else "certificate")
    except BaseException:
        material.cleanup()
        raise
    _describe_files(material)
    return material


def load_material(settings: TlsSettings) -> Material:
    """The material already in the folder (for inspect and the dashboard); refused when any file is missing."""
    plan = plan_material(settings)
    plan.raise_if_refused()
    if plan.writes():
        raise VchError(
            f"{plan.folder} does not hold the TLS material ({', '.join(plan.writes())} missing)",
            hint="give the tls_cert_path the VCH was created with",
        )
    plan.tighten.clear()
    return write_material(plan)


def _generate(plan: MaterialPlan) -> dict[str, bytes]:
    """The new files' contents, all made in memory before the first one is written."""
    from tui.core.tls import generate as g

    s = plan.settings
    todo = set(plan.writes())
    out: dict[str, bytes] = {}
    if s.mode == TlsMode.CUSTOM and CA_CERT in todo:
        assert plan.ca_bundle is not None
        out[CA_CERT] = plan.ca_bundle
    if not (s.generates_server and SERVER_CERT in todo):
        return out
    orgs, days = s.organizations, s.validity_days
    ca = ca_key = None
    if s.generates_ca:
        ca_key = g.new_key(s.key_type, s.key_size)
        ca = g.make_ca(ca_key, name=s.name, organization=orgs, days=days)
        out[CA_KEY], out[CA_CERT] = key_pem(ca_key), cert_pem(ca)
    server_key = g.new_key(s.key_type, s.key_size)
    server = g.make_server(
        server_key,
        cname=s.cname,
        fallback_cn=s.name,
        static_ip=s.static_ip,
        organization=orgs,
        days=days,
        ca_cert=ca,
        ca_key=ca_key,
    )
    out[SERVER_KEY], out[SERVER_CERT] = key_pem(server_key), cert_pem(server)
    if ca is None:
        out[CA_CERT] = out[SERVER_CERT]  # self-signed: the certificate is its own trust anchor
    else:
        client_key = g.new_key(s.key_type, s.key_size)
        client = g.make_client(client_key, ca_cert=ca, ca_key=ca_key, organization=orgs, days=days)
        out[CLIENT_KEY], out[CLIENT_CERT] = key_pem(client_key), cert_pem(client)
    return out


def make_folders(folder: Path, material: Material) -> None:
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        os.mkdir(path, FOLDER_MODE)
        os.chmod(path, FOLDER_MODE)  # mkdir's mode is masked by the umask
        material.record_created(path)
        log.info("created folder %s (0700)", path)


def write_file(path: Path, data: bytes, mode: int, *, replace: bool = False) -> None:
    """Write a new file created with its final mode (O_EXCL: never follows or overwrites what appeared since)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_TRUNC if replace else os.O_EXCL)
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError:
        raise VchError(
            f"{path} appeared while the TLS material was being written",
            hint="run again; if another process writes that folder, choose another tls_cert_path",
        ) from None
    try:
        os.fchmod(fd, mode)  # os.open's mode is masked by the umask
        os.write(fd, data)
    finally:
        os.close(fd)


def _describe_files(material: Material) -> None:
    s, folder = material.settings, material.folder
    if s.mode == TlsMode.NO_TLS:
        return
    material.ca_cert = folder / CA_CERT
    if s.mode == TlsMode.CUSTOM:
        # plan_material refused a custom certificate without its key (or the reverse) before this
        assert s.server_cert is not None and s.server_key is not None
        material.server_cert = Path(os.path.abspath(s.server_cert))
        material.server_key = Path(os.path.abspath(s.server_key))
    else:
        material.server_cert, material.server_key = folder / SERVER_CERT, folder / SERVER_KEY
    if s.generates_ca:
        material.ca_key = folder / CA_KEY
        material.client_cert, material.client_key = folder / CLIENT_CERT, folder / CLIENT_KEY
        material.client_ca_files = (folder / CA_CERT,)
    elif s.verify_clients:
        material.client_ca_files = tuple(Path(os.path.abspath(p)) for p in s.tls_ca)
    roles = {"server": material.server_cert, "client": material.client_cert}
    if s.generates_ca:
        roles["ca"] = material.ca_cert
    for role, path in roles.items():
        if path is not None:
            cert = read_certificates(path)[0]
            material.fingerprints[role] = sha256_fingerprint(cert)
            material.expiries[role] = cert.not_valid_after_utc
    log.info(
        "TLS material ready in %s: server certificate SHA-256 %s, expires %s",
        folder,
        material.fingerprints.get("server"),
        material.expiries.get("server"),
    )
