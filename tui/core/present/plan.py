"""A plan as lines: the numbered steps, each step's details indented under it, then the plan's warnings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tui.core.vch.plan import PlannedStep


def plan_lines(steps: Sequence[PlannedStep], warnings: Iterable[object] = ()) -> list[str]:
    """`warnings` are Problems (or their text): each as `str()` gives it, `warning: field: ...`."""
    lines: list[str] = []
    for number, step in enumerate(steps, 1):
        lines.append(f"{number:>2}. {step.title}")
        lines += [f"      {detail}" for detail in step.details]
    lines += [_warning(w) for w in warnings]
    return lines


def _warning(warning: object) -> str:
    text = str(warning)
    return text if text.startswith("warning: ") else f"warning: {text}"
