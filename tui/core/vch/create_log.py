"""The create log, uploaded beside the endpoint VM as vic-machine 1.5.8 does (lib/install/vchlog: G1's
`PUT /folder/g1/vic-machine_2026-12-02T16:25:23Z_create_9446.1.log`): `[ds] <vm folder>/vic-machine_<time the VM
folder was ready, UTC RFC 3339>_create_<operation id>.log`, in logrus' text form (`time="…" level=info
msg="…"`), so the tools that read vic-machine's logs read this one, and `delete` knows it as the VCH's.

Every line the run logged goes in it, with the step changes. No secret: the run's passwords (login, ops user)
and any PEM private key block are replaced before the file is written (the lines never hold them; this makes
sure). The upload is best effort, as vic-machine's: a failure is a warning, the VCH stays created.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from tui.core.vch import events as ev

PREFIX, SUFFIX = "vic-machine", ".log"  # vic's vchlog.LogFilePrefix / LogFileSuffix
REDACTED = "<redacted>"
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S)
_LEVELS = {"info": "info", "warning": "warning", "error": "error"}


def log_file_name(ready: datetime, operation: str) -> str:
    """vic-machine's name: `vic-machine_2026-12-02T16:25:23Z_create_9446.1.log`."""
    stamp = ready.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return f"{PREFIX}_{stamp}_create_{operation}{SUFFIX}"


def is_create_log(name: str) -> bool:
    """A vic-machine (or vch-tui) log file name, as the VCH's folder holds it."""
    return name.startswith(PREFIX + "_") and name.endswith(SUFFIX) and "/" not in name


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class CreateLog:
    """Records a run's events as log lines (tee() wraps the run's event callback), then uploads them."""

    def __init__(self, secrets: Iterable[str] = (), now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._now = now
        self.lines: list[str] = []
        self.ready: datetime | None = None  # when the VM (and so its datastore folder) was created
        self.operation = f"{os.getpid()}.1"

    def tee(self, on_event: Callable[[ev.Event], None]) -> Callable[[ev.Event], None]:
        def emit(event: ev.Event) -> None:
            self.record(event)
            on_event(event)

        return emit

    def record(self, event: ev.Event) -> None:
        if isinstance(event, ev.LogLine):
            self._add(_LEVELS.get(event.level, "info"), event.text)
        elif isinstance(event, ev.StepChanged):
            self._add("error" if event.state == ev.FAILED else "info", f"step {event.key}: {event.state}")
            if event.key == "vm" and event.state == ev.DONE and self.ready is None:
                self.ready = self._now()

    def _add(self, level: str, text: str) -> None:
        stamp = self._now().replace(microsecond=0).isoformat().replace("+00:00", "Z")
        self.lines.append(f"time={_quote(stamp)} level={level} msg={_quote(self.scrub(text))}")

    def scrub(self, text: str) -> str:
        text = _PRIVATE_KEY.sub(REDACTED, text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)

    def remote_name(self) -> str:
        return log_file_name(self.ready or self._now(), self.operation)

    def upload(self, session, targets) -> str:
        """Write the log to a private temporary file and PUT it into the VM's datastore folder; returns the
        datastore path. Raises what the upload raises."""
        from tui.core.vsphere.upload import upload_file

        remote = f"{targets.vm_dir}/{self.remote_name()}"
        fd, name = tempfile.mkstemp(prefix="vch-tui-create-", suffix=SUFFIX)  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self.text())
            upload_file(
                session, Path(name), datacenter=targets.datacenter, datastore=targets.datastore.name, remote=remote
            )
        finally:
            Path(name).unlink(missing_ok=True)
        return f"[{targets.datastore.name}] {remote}"


def run_secrets(session, plan) -> list[str]:
    """The passwords a run holds: the login's and the ops user's (revealed only to be scrubbed out)."""
    out = []
    ops = getattr(getattr(plan, "options", None), "ops", None)
    for secret in (getattr(getattr(session, "options", None), "password", None), getattr(ops, "password", None)):
        if secret is not None and hasattr(secret, "reveal"):
            out.append(secret.reveal())
    return out
