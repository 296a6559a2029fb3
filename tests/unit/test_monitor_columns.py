"""Sorting, filtering and writing the dashboard's values."""

from tui.core.metrics.model import ContainerMetrics, ContainerSample
from tui.core.monitor.columns import COLUMNS, filter_rows, format_value, sort_rows, visible


def row(name: str, state: str = "ok", **metrics) -> ContainerSample:
    return ContainerSample(name, f"vm-{name}", 1, 512, "poweredOn", ContainerMetrics(**metrics), state=state)


ROWS = [
    row("b", cpu_ready_pct=3.0),
    row("a", "crit", cpu_ready_pct=12.0, mem_latency_pct=2.0),
    row("c", "warn", cpu_ready_pct=None),
    row("d", cpu_ready_pct=7.5),
]


def test_default_is_worst_first():
    assert [r.name for r in sort_rows(ROWS)] == ["a", "c", "d", "b"]
    assert [r.name for r in sort_rows(ROWS, reverse=True)] == ["b", "d", "c", "a"]


def test_numbers_biggest_first_and_missing_last_either_way():
    assert [r.name for r in sort_rows(ROWS, "cpu_ready_pct")] == ["a", "d", "b", "c"]
    assert [r.name for r in sort_rows(ROWS, "cpu_ready_pct", reverse=True)] == ["b", "d", "a", "c"]


def test_text_columns_a_to_z():
    assert [r.name for r in sort_rows(ROWS, "name")] == ["a", "b", "c", "d"]


def test_every_column_sorts():
    for c in COLUMNS:
        assert len(sort_rows(ROWS, c.key)) == len(ROWS), c.key


def test_filter_by_words_of_the_name():
    rows = [row("cpu-stress-1"), row("twin-cpu-stress-2"), row("mem-stress-3")]
    assert [r.name for r in filter_rows(rows, "CPU")] == ["cpu-stress-1", "twin-cpu-stress-2"]
    assert [r.name for r in filter_rows(rows, "stress twin")] == ["twin-cpu-stress-2"]
    assert len(filter_rows(rows, "  ")) == 3
    assert [r.name for r in visible(rows, sort="name", reverse=True, name_filter="stress")] == [
        "twin-cpu-stress-2",
        "mem-stress-3",
        "cpu-stress-1",
    ]


def test_values_are_written_short_in_fixed_units():
    assert format_value("cpu_ready_pct", 12.345) == "12.3"
    assert format_value("mem_balloon_mb", 235.6) == "236"
    assert format_value("mem_latency_pct", None) == "—"
    assert format_value("power_state", "poweredOff") == "off"
