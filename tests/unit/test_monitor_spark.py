"""Text sparklines: a fixed floor for the scale, gaps blank, right-aligned while history is short."""

from tui.core.monitor.spark import BLOCKS, sparkline


def test_floor_keeps_small_values_low():
    assert sparkline([0.5, 0.6, 0.4], 3, floor=10) == BLOCKS[0] * 3
    assert sparkline([0.5, 0.6, 0.4], 3) == sparkline([5, 6, 4], 3)  # no floor: its own scale


def test_peak_is_full_block_and_none_blank():
    assert sparkline([0, None, 20], 3, floor=10) == BLOCKS[0] + " " + BLOCKS[-1]


def test_width_and_padding():
    assert sparkline([1, 2], 5) == "   " + BLOCKS[4] + BLOCKS[-1]
    assert len(sparkline(list(range(50)), 8)) == 8
    assert sparkline([1], 0) == ""
