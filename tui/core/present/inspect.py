"""What `inspect` shows: titled sections of (label, value) rows. The CLI prints them with rows_text, the TUI
mounts one block per section with the same rows_text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.vch.inspection import VchInspection
from tui.core.vch.inspection import inspection_sections as vch_sections

Row = tuple[str, str]


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[Row, ...]

    def value(self, label: str) -> str | None:
        return next((v for k, v in self.rows if k == label), None)


def rows_text(rows: Sequence[Row], indent: str = "  ") -> str:
    """Rows as aligned `label  value` lines."""
    width = max((len(label) for label, _ in rows), default=0)
    return "\n".join(f"{indent}{label.ljust(width)}  {value}" for label, value in rows)


def sections_text(sections: Sequence[Section]) -> str:
    return "\n\n".join(f"{s.title}\n{rows_text(s.rows)}".rstrip() for s in sections)


def inspection_sections(result: VchInspection) -> list[Section]:
    """tui.core.vch.inspection's sections (what vic-machine's inspect shows, then the rebuilt spec) as Sections."""
    return [Section(title, tuple(rows)) for title, rows in vch_sections(result)]
