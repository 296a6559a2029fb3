"""Configured vCPU x host MHz and memory against the VCH pool limits."""

from tui.core.metrics.overcommit import ConfiguredContainer, compute, normalize_limit

SEED = [
    ConfiguredContainer(vcpus=2, memory_mb=2048, host_mhz=2294),
    ConfiguredContainer(vcpus=1, memory_mb=2048, host_mhz=2294),
]


def test_seed_story_is_overcommitted_on_both():
    oc = compute(SEED, 500, 500)
    assert (oc.configured_cpu_mhz, oc.configured_memory_mb) == (6882, 4096)
    assert oc.cpu_overcommitted and oc.memory_overcommitted and oc.overcommitted
    assert oc.warning() == (
        "over-committed: CPU 6882 MHz configured vs limit 500 MHz (13.8x); "
        "memory 4096 MB configured vs limit 500 MB (8.2x) - expect CPU ready time and "
        "throttling, ballooning and memory latency"
    )


def test_unlimited_is_never_overcommitted():
    for unlimited in (-1, None):
        oc = compute(SEED, unlimited, unlimited)
        assert (oc.cpu_limit_mhz, oc.memory_limit_mb) == (None, None)
        assert not oc.overcommitted
        assert oc.warning() is None


def test_at_the_limit_is_not_over_and_one_side_is_reported_alone():
    oc = compute(SEED, 6882, 4000)
    assert not oc.cpu_overcommitted and oc.memory_overcommitted
    assert oc.warning() == (
        "over-committed: memory 4096 MB configured vs limit 4000 MB (1.0x) - expect ballooning and memory latency"
    )


def test_hosts_of_different_speed_and_a_zero_limit():
    oc = compute([ConfiguredContainer(2, 100, 2000), ConfiguredContainer(1, 100, 3000)], 0, None)
    assert oc.configured_cpu_mhz == 7000
    assert oc.cpu_overcommitted and "limit 0 MHz -" in oc.warning()


def test_empty_vch_and_normalize_limit():
    assert not compute([], 500, 500).overcommitted
    assert [normalize_limit(v) for v in (-1, None, 0, 500)] == [None, None, 0, 500]
