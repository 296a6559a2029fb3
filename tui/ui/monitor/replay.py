"""Replay of a recording in the Monitor screen: play, pause, step and seek, without any vCenter.

Frames are read in a thread worker (file I/O and JSON) and posted to the UI thread, which feeds them
through the same path as live refreshes (history, alerts, table). Playing shows one recorded refresh
per (recorded gap, at most 1 s) / speed. Stepping back or seeking rebuilds the view from the frames
before the target (at most REPLAY_WINDOW of them), so charts and alerts match that moment.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import RichLog

from tui.core.metrics.model import VchSnapshot
from tui.core.metrics.record import Recording
from tui.core.monitor.session import MonitorSession
from tui.ui.monitor.messages import ReplayFailed, ReplayFrames
from tui.ui.monitor.table import ContainerTable
from tui.ui.palette import PaletteCommand

REPLAY_WINDOW = 120
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
REPLAY_ACTIONS = {"replay_step", "replay_seek"}

if TYPE_CHECKING:
    _Host = Screen[None]  # the mixin's host is a Screen (MonitorScreen); at run time it adds no base
else:
    _Host = object


class ReplayControls(_Host):
    """Mixed into MonitorScreen; relies on its model, _apply, _render_data and _render_status."""

    if TYPE_CHECKING:  # what MonitorScreen provides
        model: MonitorSession
        selected_vch: str | None
        local_time: Callable[[float], time.struct_time]
        _closing: bool

        def _render_status(self) -> None: ...
        def _update_picker(self, names: Iterable[str]) -> None: ...
        def _apply(self, t: float, snapshots: Sequence[VchSnapshot], *, render: bool = True) -> None: ...

    REPLAY_BINDINGS = [
        Binding(
            "right_square_bracket",
            "replay_step(1)",
            "Step",
            id="monitor.replay.step",
            tooltip="Replay: show the next recorded refresh (pauses)",
        ),
        Binding(
            "left_square_bracket",
            "replay_step(-1)",
            "Step back",
            id="monitor.replay.back",
            tooltip="Replay: show the previous recorded refresh (pauses)",
        ),
        Binding(
            "right_curly_bracket",
            "replay_step(10)",
            "+10",
            id="monitor.replay.forward10",
            tooltip="Replay: jump 10 refreshes ahead",
            show=False,
        ),
        Binding(
            "left_curly_bracket",
            "replay_step(-10)",
            "-10",
            id="monitor.replay.back10",
            tooltip="Replay: jump 10 refreshes back",
            show=False,
        ),
        Binding(
            "less_than_sign",
            "replay_seek(0)",
            "Start",
            id="monitor.replay.start",
            tooltip="Replay: go to the first recorded refresh",
            show=False,
        ),
        Binding(
            "greater_than_sign",
            "replay_seek(-1)",
            "End",
            id="monitor.replay.end",
            tooltip="Replay: go to the last recorded refresh",
            show=False,
        ),
    ]

    def _init_replay(self, path, position: int, paused: bool) -> None:
        self.replay_path = Path(path) if path is not None else None
        self.replaying = path is not None
        self.replay_position = position  # may be negative (from the end) until the recording is open
        self.replay_total = 0
        self.replay_paused = paused
        self.replay_speed = 1.0
        self._recording: Recording | None = None
        self._replay_busy = False
        self._replay_pending: tuple[int, bool] | None = None
        self._replay_timer: Timer | None = None

    # -- reading

    def _start_replay(self) -> None:
        self._render_status()
        self._replay_goto(self.replay_position, rebuild=True)

    def _replay_goto(self, target: int, *, rebuild: bool) -> None:
        if self._replay_busy:
            self._replay_pending = (target, rebuild)
            return
        if self._replay_timer is not None:
            self._replay_timer.stop()
            self._replay_timer = None
        self._replay_busy = True
        self._replay_read(target, rebuild)

    @work(thread=True, exit_on_error=False, group="monitor-replay", description="read recorded refreshes")
    def _replay_read(self, target: int, rebuild: bool) -> None:
        try:
            if self._recording is None:
                if self.replay_path is None:
                    raise ValueError("there is no recording to replay")
                self._recording = Recording(self.replay_path)
                if not len(self._recording):
                    raise ValueError(f"{self.replay_path} holds no recorded refresh")
            total = len(self._recording)
            if target < 0:
                target += total
            target = min(max(target, 0), total - 1)
            first = max(0, target - REPLAY_WINDOW + 1) if rebuild else target
            frames = [self._recording.frame(i) for i in range(first, target + 1)]
        except Exception as exc:  # noqa: BLE001 - a damaged or missing file is shown, not a crash
            self.post_message(ReplayFailed(str(exc)))
            return
        self.post_message(ReplayFrames(frames, target, total, rebuild))

    # Handlers by name, not @on: a plain mixin's @on handlers are not collected by Textual.
    def on_replay_failed(self, message: ReplayFailed) -> None:
        self._replay_busy = False
        self.replay_paused = True
        self.notify(message.error, title="Cannot replay", severity="error", timeout=20, markup=False)
        self._render_status()

    def _selected(self, snapshots):
        if self.selected_vch is None:
            return snapshots
        return tuple(s for s in snapshots if s.vch.name == self.selected_vch)

    def on_replay_frames(self, message: ReplayFrames) -> None:
        self._replay_busy = False
        if self._closing:
            return
        at_an_end = self._at_an_end()
        self.replay_total = message.total
        self.replay_position = message.position
        if self._at_an_end() != at_an_end:
            self.refresh_bindings()  # the step keys towards an end that is reached do nothing: not offered
        if message.rebuild:
            self.model = MonitorSession(self.model.history.maxlen, self.model.alerts.entries.maxlen or 500)
            self.query_one("#mon-alerts", RichLog).clear()
            self.query_one(ContainerTable).clear_rows()
        frames = message.frames
        if frames:
            self._update_picker(sorted({s.vch.name for s in frames[-1].snapshots}))
        for n, frame in enumerate(frames):
            self._apply(frame.t, self._selected(frame.snapshots), render=n == len(frames) - 1)
        self._render_status()
        if self._replay_pending is not None:
            target, rebuild = self._replay_pending
            self._replay_pending = None
            self._replay_goto(target, rebuild=rebuild)
        else:
            self._replay_schedule()

    def _replay_schedule(self) -> None:
        if self.replay_paused or self._closing or self.replay_position >= self.replay_total - 1:
            return
        stamps = self._recording.timestamps if self._recording is not None else []
        pos = self.replay_position
        gap = stamps[pos + 1] - stamps[pos] if pos + 1 < len(stamps) else 1.0
        delay = max(0.05, min(gap, 1.0) / self.replay_speed)
        self._replay_timer = self.set_timer(
            delay, lambda: self._replay_goto(self.replay_position + 1, rebuild=False), name="monitor-replay"
        )

    def _replay_reload(self) -> None:
        self._replay_goto(self.replay_position, rebuild=True)

    def _close_replay(self) -> None:
        if self._replay_timer is not None:
            self._replay_timer.stop()
        if self._recording is not None and not self._replay_busy:
            self._recording.close()

    # -- controls

    def _replay_toggle(self) -> None:
        self.replay_paused = not self.replay_paused
        if self.replay_paused:
            if self._replay_timer is not None:
                self._replay_timer.stop()
                self._replay_timer = None
        elif self.replay_position >= self.replay_total - 1:
            self._replay_goto(0, rebuild=True)  # play again from the start
        else:
            self._replay_schedule()
        self._render_status()

    def action_replay_step(self, count: int) -> None:
        self.replay_paused = True
        target = min(max(self.replay_position + count, 0), max(self.replay_total - 1, 0))
        self._replay_goto(target, rebuild=not (count == 1 and target == self.replay_position + 1))
        self._render_status()

    def action_replay_seek(self, index: int) -> None:
        self.replay_paused = True
        self._replay_goto(index, rebuild=True)
        self._render_status()

    def _replay_speed(self, direction: int) -> None:
        faster = [s for s in SPEEDS if (s > self.replay_speed if direction > 0 else s < self.replay_speed)]
        if faster:
            self.replay_speed = faster[0] if direction > 0 else faster[-1]
        self._render_status()

    def _at_an_end(self) -> tuple[bool, bool]:
        """(at the first refresh, at the last one) once the recording is open."""
        if not self.replay_total:
            return (False, False)
        return (self.replay_position <= 0, self.replay_position >= self.replay_total - 1)

    def _replay_check_action(self, action: str, parameters: tuple[object, ...] = ()) -> bool | None:
        """Replay keys only in a replay; stepping towards an end already reached is shown dim, not listed."""
        if action not in REPLAY_ACTIONS:
            return True
        if not self.replaying:
            return False
        amount = parameters[0] if parameters else 0
        forward = amount == -1 if action == "replay_seek" else isinstance(amount, int) and amount > 0
        at_start, at_end = self._at_an_end()
        return None if (at_end if forward else at_start) else True

    def _replay_status(self, narrow: bool = False) -> str:
        samples = self.model.samples()
        crit = sum(1 for c in samples if c.state == "crit")
        warn = sum(1 for c in samples if c.state == "warn")
        unknown = sum(1 for c in samples if c.state == "unknown")
        mode = "‖ paused" if self.replay_paused else "▶ playing"
        name = self.replay_path.name if self.replay_path else ""
        if narrow:
            when = time.strftime("%H:%M:%S", self.local_time(self.model.t)) if self.model.t else "—"
            position = f"{self.replay_position + 1}/{self.replay_total}" if self.replay_total else "opening…"
            speed = f" · {self.replay_speed:g}x" if self.replay_speed != 1 else ""
            counted = (
                ", ".join(f"{n} {what}" for n, what in ((crit, "crit"), (warn, "warn"), (unknown, "unknown")) if n)
                or "all ok"
            )
            return f"{mode} {position} · {when} · {counted}{speed}"
        when = time.strftime("%Y-%m-%d %H:%M:%S", self.local_time(self.model.t)) if self.model.t else "—"
        position = f"{self.replay_position + 1} of {self.replay_total}" if self.replay_total else "opening…"
        return (
            f"{mode} · refresh {position} · {when} · {len(samples)} containers: {crit} crit, {warn} warn"
            + (f", {unknown} unknown" if unknown else "")
            + f" · speed {self.replay_speed:g}x · replay of {name}"
        )

    def _replay_palette_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand("Replay: step forward", lambda: self.action_replay_step(1), "The next recorded refresh"),
            PaletteCommand("Replay: step back", lambda: self.action_replay_step(-1), "The previous recorded refresh"),
            PaletteCommand("Replay: go to the start", lambda: self.action_replay_seek(0), "The first recorded refresh"),
            PaletteCommand("Replay: go to the end", lambda: self.action_replay_seek(-1), "The last recorded refresh"),
            PaletteCommand("Replay: faster", lambda: self._replay_speed(1), "Play faster"),
            PaletteCommand("Replay: slower", lambda: self._replay_speed(-1), "Play slower"),
        ]
