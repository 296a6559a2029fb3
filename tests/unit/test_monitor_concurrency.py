"""Collection concurrency chosen by size: one QueryPerf collector per ~1500 VMs, within 2..8."""

import pytest

from tui.core.monitor.collector import MAX_CONCURRENCY, MIN_CONCURRENCY, concurrency_for


@pytest.mark.parametrize(
    ("containers", "expected"),
    [
        (0, MIN_CONCURRENCY),
        (1000, 2),
        (3000, 2),
        (3001, 3),
        (7000, 5),
        (10_000, 7),
        (12_001, MAX_CONCURRENCY),
        (100_000, MAX_CONCURRENCY),
    ],
)
def test_one_collector_per_1500_vms_capped(containers, expected):
    assert concurrency_for(containers) == expected
