"""The dashboard's columns: titles, how a value is written, and sorting and filtering of rows.

Numbers are written short and in fixed units per column (% per vCPU, MHz, MB, KB/s); a value that is
not available is "—". Sorting by a number puts the biggest first (what an operator hunts for) and the
unavailable values last whichever way round; "state" sorts worst first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from tui.core.metrics import counters
from tui.core.metrics.model import ContainerSample
from tui.core.metrics.thresholds import STATE_RANK, severity_score, worst_first_key

NOT_AVAILABLE = "—"
WHY_MIN_WIDTH = 22
CELL_PADDING = 2  # a DataTable cell: one space either side
SPARK_WIDTH = 8


@dataclass(frozen=True)
class Column:
    key: str  # a ContainerMetrics field, or one of the identity keys below
    title: str
    width: int
    numeric: bool = True
    spark: bool = False  # followed by a sparkline of its history in the dashboard
    help: str = ""
    drop: int = 0  # dashboard: on a narrow terminal the highest tiers go first; 0 = always shown, -1 = never

    def value(self, sample: ContainerSample) -> object:
        return _IDENTITY[self.key](sample) if self.key in _IDENTITY else getattr(sample.metrics, self.key)

    def text(self, sample: ContainerSample) -> str:
        return format_value(self.key, self.value(sample))


_IDENTITY: dict[str, Callable[[ContainerSample], object]] = {
    "state": lambda s: s.state,
    "name": lambda s: s.name,
    "vcpus": lambda s: s.vcpus,
    "memory_mb": lambda s: s.memory_mb,
    "power_state": lambda s: s.power_state,
    "reasons": lambda s: ", ".join(s.reasons),
    "why": lambda s: ", ".join(s.reasons),
}

_PCT = {c.field for c in counters.COUNTERS if c.kind in ("cpu_time", "percent")}


def format_value(key: str, value: object) -> str:
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, float):
        if key in _PCT:
            return f"{value:.1f}"
        return f"{value:.0f}"
    if key == "power_state":
        return {"poweredOn": "on", "poweredOff": "off", "suspended": "susp"}.get(str(value), str(value))
    return str(value)


def _metric(field: str, title: str, width: int, drop: int, *, spark: bool = False) -> Column:
    c = counters.BY_FIELD[field]
    return Column(field, title, width, spark=spark, help=f"{c.label} ({c.display_unit}, from {c.name})", drop=drop)


# Dashboard order: identity, why, then the contention metrics (most telling first), usage, configuration.
COLUMNS: tuple[Column, ...] = (
    Column("state", "State", 7, numeric=False, help="ok / warn / crit against the thresholds; unknown without data"),
    Column("name", "Container", 24, numeric=False, help="the container VM's name ({name}-{id})"),
    Column("why", "Why", WHY_MIN_WIDTH, numeric=False, help="the metrics past a threshold, in short"),
    _metric("cpu_ready_pct", "Ready%", 6, 1, spark=True),
    _metric("mem_latency_pct", "MemLat%", 7, 2, spark=True),
    _metric("cpu_maxlimited_pct", "Limit%", 6, 3),
    _metric("cpu_costop_pct", "CoStp%", 6, 4),
    _metric("mem_swapped_mb", "Swapped", 7, 5),
    _metric("mem_balloon_mb", "Balloon", 7, 5),
    _metric("mem_swapin_kbps", "SwapIn", 6, 6),
    _metric("cpu_usage_mhz", "CPU MHz", 7, 7, spark=True),
    _metric("cpu_demand_mhz", "Demand", 6, 7),
    _metric("mem_active_mb", "MemAct", 6, 8),
    _metric("mem_consumed_mb", "MemCons", 7, 8),
    _metric("cpu_entitlement_mhz", "Entitl", 6, 9),
    _metric("mem_entitlement_mb", "MemEnt", 6, 9),
    Column("vcpus", "vCPU", 4, help="configured vCPUs", drop=10),
    Column("memory_mb", "Mem MB", 6, help="configured memory", drop=10),
    Column("power_state", "Power", 5, numeric=False, help="power state", drop=11),
    Column("reasons", "Reasons", 48, numeric=False, help="why the state is not ok, in words", drop=-1),
)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
DEFAULT_SORT = "state"


def cells_width(c: Column) -> int:
    """Screen cells a dashboard column takes (with its sparkline, if any)."""
    return c.width + CELL_PADDING + (SPARK_WIDTH + CELL_PADDING if c.spark else 0)


def dashboard_columns(width: int) -> tuple[tuple[Column, ...], int]:
    """The columns that fit `width` cells, dropping the highest tiers first, and the width the Why
    column gets (it takes what is left, so the reasons are read in full where there is room)."""
    shown = [c for c in COLUMNS if c.drop >= 0]
    tiers = sorted({c.drop for c in shown}, reverse=True)
    for tier in tiers:
        if sum(cells_width(c) for c in shown) <= width or tier == 0:
            break
        shown = [c for c in shown if c.drop < tier]
    spare = width - sum(cells_width(c) for c in shown)
    return tuple(shown), WHY_MIN_WIDTH + max(spare, 0)


def column(key: str) -> Column:
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"no column {key!r}; known: {', '.join(BY_KEY)}") from None


def sort_rows(
    rows: Iterable[ContainerSample], key: str = DEFAULT_SORT, *, reverse: bool = False
) -> list[ContainerSample]:
    """Sorted for display. reverse=False is the natural order: worst / biggest first, names A-Z."""
    rows = list(rows)
    if key in ("state", "why"):
        rows.sort(key=worst_first_key, reverse=reverse)
        return rows
    col = column(key)
    if not col.numeric:
        rows.sort(key=lambda r: (str(col.value(r)).lower(), r.name, r.vm), reverse=reverse)
        return rows
    present = [r for r in rows if col.value(r) is not None]
    missing = [r for r in rows if col.value(r) is None]
    # Ties keep the worst-first order, so equal values still show the troubled container on top.
    # (A numeric column's value that is not None is a number.)
    present.sort(
        key=lambda r: (-float(cast(float, col.value(r))), -STATE_RANK[r.state], -severity_score(r.metrics), r.name)
    )
    if reverse:
        present.reverse()
    missing.sort(key=lambda r: r.name)
    return present + missing


def filter_rows(rows: Iterable[ContainerSample], text: str) -> list[ContainerSample]:
    """Rows whose name holds every word of `text` (case-insensitive); empty text keeps all."""
    words = text.lower().split()
    if not words:
        return list(rows)
    return [r for r in rows if all(w in r.name.lower() for w in words)]


def visible(
    rows: Sequence[ContainerSample], *, sort: str = DEFAULT_SORT, reverse: bool = False, name_filter: str = ""
) -> list[ContainerSample]:
    return sort_rows(filter_rows(rows, name_filter), sort, reverse=reverse)
