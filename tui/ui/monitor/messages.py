"""What the monitor's thread workers post to the UI thread (they never touch widgets)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.message import Message

from tui.core.metrics.model import ContainerSample, VchSnapshot
from tui.core.metrics.record import Frame
from tui.core.monitor.collector import Refresh
from tui.core.monitor.columns import visible


@dataclass(frozen=True)
class RowOrder:
    """The table's rows for `snapshots`, filtered and sorted off the UI thread (10,000 containers: ~15 ms);
    used when the screen's sort and filter are still these."""

    snapshots: tuple[VchSnapshot, ...]
    sort: str
    reverse: bool
    name_filter: str
    rows: list[ContainerSample]

    @classmethod
    def of(cls, snapshots: tuple[VchSnapshot, ...], sort: str, reverse: bool, name_filter: str) -> RowOrder:
        samples = [c for s in snapshots for c in s.containers]
        rows = visible(samples, sort=sort, reverse=reverse, name_filter=name_filter)
        return cls(snapshots, sort, reverse, name_filter, rows)

    def fits(self, snapshots: tuple[VchSnapshot, ...], sort: str, reverse: bool, name_filter: str) -> bool:
        return (self.snapshots is snapshots) and (self.sort, self.reverse, self.name_filter) == (
            sort,
            reverse,
            name_filter,
        )


class Refreshed(Message):
    """One live refresh finished (`generation` tells results of an earlier VCH choice apart; `order`: its rows
    in the order asked for when the poll started)."""

    def __init__(self, refresh: Refresh, generation: int, order: RowOrder | None = None) -> None:
        super().__init__()
        self.refresh = refresh
        self.generation = generation
        self.order = order


class PollFailed(Message):
    """A refresh raised something the collector does not handle (a bug, or bad input such as thresholds)."""

    def __init__(self, error: str, generation: int) -> None:
        super().__init__()
        self.error = error
        self.generation = generation


class ReplayFrames(Message):
    """Frames read from a recording. rebuild: they replace what is shown (a seek), else they follow it."""

    def __init__(self, frames: Sequence[Frame], position: int, total: int, rebuild: bool) -> None:
        super().__init__()
        self.frames = list(frames)
        self.position = position
        self.total = total
        self.rebuild = rebuild


class ReplayFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
