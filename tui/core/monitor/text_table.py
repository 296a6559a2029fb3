"""Words for the VCH header, and the compact plain-text table `vch-tui top` prints per refresh."""

from __future__ import annotations

import time
from collections.abc import Sequence

from tui.core.metrics.model import VchHeader, VchSnapshot
from tui.core.metrics.overcommit import Overcommit
from tui.core.monitor.columns import BY_KEY
from tui.core.monitor.refresh import Refresh


def _mhz(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} MHz"


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} MB"


def limits_line(vch: VchHeader) -> str:
    cpu_limit = "unlimited" if vch.cpu_limit_mhz is None else f"limit {vch.cpu_limit_mhz} MHz"
    mem_limit = "unlimited" if vch.memory_limit_mb is None else f"limit {vch.memory_limit_mb} MB"
    return (
        f"CPU {cpu_limit}, used {_mhz(vch.cpu_usage_mhz)} · memory {mem_limit}, used {_mb(vch.memory_usage_mb)}"
        f" · containers configured for {vch.configured_cpu_mhz} MHz / {vch.configured_memory_mb} MB"
    )


def overcommit_warning(vch: VchHeader) -> str | None:
    """In words, or None when the containers fit the limits (VIC itself never warns)."""
    return Overcommit(
        vch.configured_cpu_mhz, vch.configured_memory_mb, vch.cpu_limit_mhz, vch.memory_limit_mb
    ).warning()


TABLE_KEYS: tuple[str, ...] = (
    "state",
    "name",
    "cpu_ready_pct",
    "cpu_costop_pct",
    "cpu_maxlimited_pct",
    "mem_latency_pct",
    "mem_balloon_mb",
    "mem_swapped_mb",
    "mem_swapin_kbps",
    "cpu_usage_mhz",
    "mem_consumed_mb",
    "reasons",
)


def snapshot_lines(snapshot: VchSnapshot, *, name_width: int = 28) -> list[str]:
    vch = snapshot.vch
    lines = [f"VCH {vch.name}: {limits_line(vch)}"]
    warning = overcommit_warning(vch)
    if warning:
        lines.append(f"  ! {warning}")
    if not snapshot.containers:
        lines.append("  (no containers)")
        return lines
    cols = [BY_KEY[k] for k in TABLE_KEYS]
    widths = [name_width if c.key == "name" else max(c.width, len(c.title)) for c in cols]
    cells = [[c.title for c in cols]] + [[c.text(s) for c in cols] for s in snapshot.containers]
    for row in cells:
        parts = []
        for c, w, cell in zip(cols, widths, row, strict=True):
            if c.key == "reasons":
                parts.append(cell)
            elif c.numeric:
                parts.append(cell.rjust(w))
            else:
                parts.append(cell[:w].ljust(w))
        lines.append("  " + "  ".join(parts).rstrip())
    return lines


def refresh_lines(refresh: Refresh, *, local_time=time.localtime) -> list[str]:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", local_time(refresh.t))
    if not refresh.live:
        retry = f", next attempt in {refresh.retry_in_s:.0f} s" if refresh.retry_in_s is not None else ""
        return [f"{stamp}  reconnecting (attempt {refresh.attempt}{retry}): " + "; ".join(refresh.problems)]
    n = sum(len(s.containers) for s in refresh.snapshots)
    took = f", refreshed in {refresh.duration_s * 1000:.0f} ms" if refresh.duration_s else ""
    lines = [
        f"{stamp}  {len(refresh.snapshots)} VCH{'s' if len(refresh.snapshots) != 1 else ''}, "
        f"{n} container{'s' if n != 1 else ''}{took}"
    ]
    lines += [f"  note: {p}" for p in refresh.problems]
    for snapshot in refresh.snapshots:
        lines += snapshot_lines(snapshot)
    return lines


def json_document(snapshots: Sequence[VchSnapshot], vch: str | None) -> object:
    """`top --json`: one object for --vch NAME, else a list of them."""
    docs = [s.to_json_dict() for s in snapshots]
    if vch is not None:
        return docs[0] if docs else None
    return docs
