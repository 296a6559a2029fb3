"""The VCH header above the table: limits, what the containers use, and the over-commit warning.

On a short terminal it folds to one line per VCH (`compact_text`), so the table keeps its rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from tui.core.metrics.model import VchSnapshot
from tui.core.metrics.thresholds import STATE_RANK
from tui.core.monitor.text_table import overcommit_warning
from tui.ui.monitor.cells import Palette


def _pct(used: float | None, limit: int | None) -> str:
    if used is None or not limit:
        return ""
    return f" ({used / limit * 100:.0f}%)"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _vch_name(text: Text, snapshot: VchSnapshot, palette: Palette, *, first: bool) -> None:
    """The VCH's name on a new line, in the colour of its worst container."""
    if not first:
        text.append("\n")
    worst = max((c.state for c in snapshot.containers), key=STATE_RANK.__getitem__, default="ok")
    text.append(snapshot.vch.name, style=palette.state(worst) if worst != "ok" else "bold")


def header_text(snapshots: Sequence[VchSnapshot], palette: Palette) -> Text:
    text = Text()
    for n, snapshot in enumerate(snapshots):
        vch = snapshot.vch
        _vch_name(text, snapshot, palette, first=n == 0)
        cpu_limit = "unlimited" if vch.cpu_limit_mhz is None else f"{vch.cpu_limit_mhz} MHz"
        mem_limit = "unlimited" if vch.memory_limit_mb is None else f"{vch.memory_limit_mb} MB"
        text.append(
            f"  CPU {_num(vch.cpu_usage_mhz)} MHz used of {cpu_limit}{_pct(vch.cpu_usage_mhz, vch.cpu_limit_mhz)}"
            f" · memory {_num(vch.memory_usage_mb)} MB of {mem_limit}"
            f"{_pct(vch.memory_usage_mb, vch.memory_limit_mb)} · {len(snapshot.containers)} containers"
        )
        warning = overcommit_warning(vch)
        if warning:
            text.append("\n  ▲ " + warning, style=palette.state("warn"))
    if not snapshots:
        text.append(
            "no VCH on this target yet (a VCH is a VM whose VIC configuration names it: the hidden init/common/name)",
            style=palette.muted,
        )
    return text


def _used_of(used: float | None, limit: int | None, unit: str) -> str:
    if limit is None:
        return f"{_num(used)} {unit} (no limit)"
    return f"{_num(used)}/{limit} {unit}{_pct(used, limit)}"


def compact_text(snapshots: Sequence[VchSnapshot], palette: Palette) -> Text:
    """One line per VCH: `vch-limited  CPU 465/500 MHz (93%) · mem 480/500 MB (96%) · ▲ over-committed 8.6x CPU`."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for n, snapshot in enumerate(snapshots):
        vch = snapshot.vch
        _vch_name(text, snapshot, palette, first=n == 0)
        text.append(
            f"  CPU {_used_of(vch.cpu_usage_mhz, vch.cpu_limit_mhz, 'MHz')}"
            f" · mem {_used_of(vch.memory_usage_mb, vch.memory_limit_mb, 'MB')}"
        )
        over = []
        if vch.cpu_limit_mhz and vch.configured_cpu_mhz > vch.cpu_limit_mhz:
            over.append(f"CPU {vch.configured_cpu_mhz / vch.cpu_limit_mhz:.1f}x")
        if vch.memory_limit_mb and vch.configured_memory_mb > vch.memory_limit_mb:
            over.append(f"mem {vch.configured_memory_mb / vch.memory_limit_mb:.1f}x")
        if over:
            text.append(" · ▲ over " + ", ".join(over), style=palette.state("warn"))
    if not snapshots:
        text.append("no VCH on this target yet", style=palette.muted)
    return text


class VchHeaderPanel(Static):
    compact = False

    def show(self, snapshots: Sequence[VchSnapshot], palette: Palette) -> None:
        self.update(compact_text(snapshots, palette) if self.compact else header_text(snapshots, palette))
