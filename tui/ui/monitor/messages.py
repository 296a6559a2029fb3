"""What the monitor's thread workers post to the UI thread (they never touch widgets)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.message import Message

from tui.core.metrics.record import Frame
from tui.core.monitor.collector import Refresh


class Refreshed(Message):
    """One live refresh finished (`generation` tells results of an earlier VCH choice apart)."""

    def __init__(self, refresh: Refresh, generation: int) -> None:
        super().__init__()
        self.refresh = refresh
        self.generation = generation


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
