"""What `ls` and the TUI's VCH list show: the same columns, the same row for a VCH (`*` marks one being
created or left by an interrupted create), and the same note about those."""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.present.outcome import delete_command
from tui.core.vch.listing import CREATING, INCOMPLETE, VchSummary

COLUMNS = ("NAME", "PATH", "ID", "VERSION", "POWER", "DOCKER HOST", "UPGRADE STATUS")
UNFINISHED = (INCOMPLETE, CREATING)
INCOMPLETE_MARK = " *"


def vch_row(vch: VchSummary) -> tuple[str, ...]:
    mark = INCOMPLETE_MARK if vch.state in UNFINISHED else ""
    return (
        vch.name + mark,
        vch.path,
        vch.id,
        vch.version or "-",
        vch.power,
        vch.docker_host or "-",
        vch.upgrade_status or "-",
    )


def incomplete(vchs: Sequence[VchSummary]) -> list[str]:
    """The names of VCHs being created or left by an interrupted create (marked `*`)."""
    return [v.name for v in vchs if v.state in UNFINISHED]


def incomplete_note(vchs: Sequence[VchSummary]) -> str | None:
    names = incomplete(vchs)
    if not names:
        return None
    return (
        f"* being created, or left by an interrupted create ({', '.join(names)}): {delete_command('NAME')} removes it"
    )
