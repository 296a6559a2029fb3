"""The outcome of a create run and of a delete, as data both front ends lay out.

`RunOutcome.of(result)`: the headline (`VCH x created`, `VCH x NOT created: failed at 'power'`), what the
user gets (facts and export lines) or what the rollback removed and what it left, and the command that
removes what is left. `DeleteOutcome.of(result)` likewise for `delete`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.present.env import export_lines
from tui.core.vch.events import RunResult
from tui.core.vch.teardown import DeleteResult

NOTHING_LEFT = "nothing this run created is left"
NOTHING_CHANGED = "nothing was changed"

Row = tuple[str, str]


def delete_command(name: str) -> str:
    from tui.core.tls.envfile import shell_value

    return f"vch-tui delete {shell_value(name)}"


@dataclass(frozen=True)
class RunOutcome:
    name: str
    ok: bool
    cancelled: bool
    failed_step: str | None
    error: str | None
    facts: tuple[Row, ...]  # on success: endpoint VM, address, TLS mode, certificates, .env file
    exports: tuple[str, ...]  # on success: the docker environment as export lines
    removed: tuple[str, ...]  # what the rollback removed, in order
    left: tuple[str, ...]  # what a failed cleanup call left behind

    @classmethod
    def of(cls, result: RunResult) -> RunOutcome:
        facts: list[Row] = []
        exports: list[str] = []
        if result.ok:
            o = result.outputs
            facts = [("endpoint VM", o.endpoint_vm or "-"), ("address", o.address or "-"), ("TLS", o.tls_mode or "-")]
            if o.cert_path:
                facts.append(("certificates", o.cert_path))
            if o.env_file:
                facts.append((".env file", o.env_file))
            exports = export_lines(o.docker_env)
        return cls(
            result.name,
            result.ok,
            result.cancelled,
            result.failed_step,
            result.error,
            tuple(facts),
            tuple(exports),
            tuple(result.removed),
            tuple(result.left),
        )

    @property
    def status(self) -> str:
        """created, cancelled, `failed at 'step'` or failed."""
        if self.ok:
            return "created"
        if self.cancelled:
            return "cancelled"
        return f"failed at '{self.failed_step}'" if self.failed_step else "failed"

    @property
    def headline(self) -> str:
        return f"VCH {self.name} created" if self.ok else f"VCH {self.name} NOT created: {self.status}"

    @property
    def remedy(self) -> str | None:
        """The command that removes what is left, when something is."""
        return delete_command(self.name) if self.left else None

    @property
    def clean(self) -> bool:
        """A failed run whose rollback removed everything it had made."""
        return not self.ok and bool(self.removed) and not self.left


@dataclass(frozen=True)
class DeleteOutcome:
    name: str
    removed: tuple[str, ...]
    left: tuple[str, ...]

    @classmethod
    def of(cls, result: DeleteResult) -> DeleteOutcome:
        return cls(result.name, tuple(result.removed), tuple(result.left))

    @property
    def ok(self) -> bool:
        return not self.left

    @property
    def headline(self) -> str:
        if self.ok:
            return f"VCH {self.name} deleted ({len(self.removed)} objects removed)"
        return f"VCH {self.name} only partly deleted; still there: {'; '.join(self.left)}"

    @property
    def remedy(self) -> str | None:
        return f"run `{delete_command(self.name)}` again once the cause is fixed" if self.left else None


def refused_headline(name: str) -> str:
    """A create stopped before anything was made (bad input, the user said no)."""
    return f"VCH {name} NOT created: {NOTHING_CHANGED}"
