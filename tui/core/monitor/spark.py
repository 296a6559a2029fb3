"""Text sparklines for table cells: one block character per sample, on a fixed-floor scale.

Textual's Sparkline widget scales to the data's own min..max, so flat noise looks like a cliff; here the
scale runs from 0 to max(the data, `floor`), where the floor is what matters for the metric (e.g. the
crit threshold), so a row that stays low looks low. Missing samples (None) are blank.
"""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None], width: int, floor: float = 0.0) -> str:
    """The last `width` samples, right-aligned (padded with spaces on the left while history is short)."""
    if width <= 0:
        return ""
    tail = list(values)[-width:]
    top = max([floor] + [v for v in tail if v is not None])
    out = []
    for v in tail:
        if v is None:
            out.append(" ")
        elif top <= 0:
            out.append(BLOCKS[0])
        else:
            out.append(BLOCKS[min(len(BLOCKS) - 1, int(max(v, 0) / top * (len(BLOCKS) - 1) + 0.5))])
    return " " * (width - len(out)) + "".join(out)
