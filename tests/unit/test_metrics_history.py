"""Bounded per-container history."""

import pytest

from tui.core.metrics.history import History
from tui.core.metrics.model import METRIC_FIELDS, ContainerMetrics, ContainerSample


def _s(vm, ready):
    return ContainerSample(vm, vm, 1, 512, "poweredOn", ContainerMetrics(cpu_ready_pct=ready))


def test_series_are_oldest_first_and_bounded():
    h = History(maxlen=3)
    for i in range(5):
        h.add(100.0 + i, [_s("vm-1", float(i))])
    assert h.series("vm-1", "cpu_ready_pct") == [2.0, 3.0, 4.0]
    assert h.series("vm-1", "mem_balloon_mb") == [None, None, None]
    assert h.timestamps("vm-1") == [102.0, 103.0, 104.0]


def test_vanished_containers_are_dropped_unless_told_not_to():
    h = History(maxlen=10)
    h.add(1.0, [_s("vm-1", 1.0), _s("vm-2", 2.0)])
    h.add(2.0, [_s("vm-2", 2.0)], prune=False)
    assert set(h.vms()) == {"vm-1", "vm-2"}
    h.add(3.0, [_s("vm-2", 2.0), _s("vm-3", 3.0)])
    assert set(h.vms()) == {"vm-2", "vm-3"}
    assert "vm-1" not in h and h.series("vm-1", "cpu_ready_pct") == []
    assert h.series("vm-3", "cpu_ready_pct") == [3.0]
    h.forget("vm-2")
    assert len(h) == 1


def test_memory_is_bounded_by_containers_metrics_and_length():
    h = History(maxlen=50)
    for t in range(500):
        h.add(float(t), [_s(f"vm-{i}", 1.0) for i in range(20)])
    assert h.stored_values() == 20 * (len(METRIC_FIELDS) + 1) * 50


def test_bad_arguments():
    with pytest.raises(ValueError):
        History(maxlen=0)
    with pytest.raises(KeyError, match="cpu_ready_pct"):
        History().series("vm-1", "cpu.ready")


def test_ring_wraps_keeps_missing_values_missing_and_never_grows():
    h = History(maxlen=4)
    for i in range(10):
        h.add(float(i), [_s("vm-1", None if i % 3 == 0 else float(i))])
    assert h.timestamps("vm-1") == [6.0, 7.0, 8.0, 9.0]
    assert h.series("vm-1", "cpu_ready_pct") == [None, 7.0, 8.0, None]
    assert h.allocated_bytes() == 4 * (8 + 4 * len(METRIC_FIELDS))  # allocated once, whatever was added
