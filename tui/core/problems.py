"""One problem found in a VCH spec, and the error that carries all of them.

Local validation, the TLS checks and the target checks all report `Problem`s so a front end can show
every problem at once: the field (answers-file key such as `public_network_gateway` or
`container_network[0].ip_range`), what is wrong, and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tui.core.errors import InvalidInput

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    hint: str | None = None
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        label = "" if self.is_error else "warning: "
        text = f"{label}{self.field}: {self.message}"
        return f"{text}\n    {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "severity": self.severity, "message": self.message, "hint": self.hint}


def warning(field: str, message: str, hint: str | None = None) -> Problem:
    return Problem(field, message, hint, "warning")


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


def about(problems: Iterable[Problem], field: str) -> list[Problem]:
    """The problems of one field and its parts: `about(ps, "container_network[0]")` includes
    `container_network[0].gateway`; `about(ps, "volume_store")` includes `volume_store[1]`."""
    return [p for p in problems if p.field == field or p.field.startswith((field + ".", field + "["))]


class ProblemsError(InvalidInput):
    """Invalid input with one or more problems; `str()` lists them all, errors first."""

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems = sorted(problems, key=lambda p: not p.is_error)
        self.source = source
        count = len(errors_only(self.problems))
        where = f"{source}: " if source else ""
        noun = "problem" if count == 1 else "problems"
        first = self.problems[0].field if self.problems else None
        super().__init__(f"{where}{count} {noun} to fix", field=first)

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  {p}".replace("\n", "\n  ") for p in self.problems)])


def raise_if_errors(problems: Iterable[Problem], *, source: str | None = None) -> list[Problem]:
    """Raise ProblemsError (listing errors and warnings) if any problem is an error; else return the warnings."""
    problems = list(problems)
    if errors_only(problems):
        raise ProblemsError(problems, source=source)
    return problems
