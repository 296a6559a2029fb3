"""The Monitor screen: per-container contention of one VCH or all, live or from a recording.

Live: poll -> render -> set_timer. A thread worker runs Collector.refresh() (pyvmomi and HTTP) and
posts Refreshed; the handler renders on the UI thread and only then schedules the next poll, so polls
never overlap and the interval counts from the end of the last one. Pause freezes the table and header
while collection goes on (history and the alert log stay complete). Replay: see replay.py.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, RichLog, Select, Static

from tui.core.errors import InvalidInput
from tui.core.metrics.counters import REALTIME_INTERVAL_S
from tui.core.metrics.record import Recorder
from tui.core.metrics.thresholds import Thresholds
from tui.core.monitor.collector import Collector, Refresh
from tui.core.monitor.columns import BY_KEY, COLUMNS, DEFAULT_SORT
from tui.core.monitor.session import MonitorSession
from tui.core.monitor.why import advice
from tui.ui.connection_bar import ConnectionBar
from tui.ui.monitor.cells import STATE_SYMBOL, Palette
from tui.ui.monitor.detail import ContainerDetailScreen
from tui.ui.monitor.messages import PollFailed, Refreshed, RowOrder
from tui.ui.monitor.replay import ReplayControls
from tui.ui.monitor.table import SPARK_SUFFIX, ContainerTable
from tui.ui.monitor.vch_header import VchHeaderPanel
from tui.ui.palette import PaletteCommand

if TYPE_CHECKING:
    from tui.ui.app import VchApp

ALL = "\0all"  # the picker's "All VCHs" (no VCH can be named with a NUL)
INTERVALS = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0)
ALERTS_MIN_HEIGHT = 3  # the alert log shrinks to this (a border and one line) before the table does
ALERT_LINES = 500  # the alert log's lines; a burst of more alerts (10,000 containers appearing) writes its last ones
SHORT_HEIGHT = 32  # below this many lines the VCH header folds to one line per VCH
# Direct sort keys (htop's P/M/T, k9s's shift-letters): pressing the key of the current sort reverses it.
SORT_KEYS = (
    ("W", "state"),
    ("N", "name"),
    ("R", "cpu_ready_pct"),
    ("L", "cpu_maxlimited_pct"),
    ("O", "cpu_costop_pct"),
    ("M", "mem_latency_pct"),
    ("B", "mem_balloon_mb"),
    ("S", "mem_swapped_mb"),
    ("U", "cpu_usage_mhz"),
    ("D", "cpu_demand_mhz"),
)


def _interval_words(seconds: float) -> str:
    return f"{seconds:g} s"


def sort_words(key: str, reverse: bool) -> str:
    """How the rows are ordered, for the status line."""
    if key in ("state", "why"):
        return "best first ▲" if reverse else "worst first ▼"
    title = BY_KEY[key].title
    if not BY_KEY[key].numeric:
        return f"by {title} {'Z-A ▲' if reverse else 'A-Z ▼'}"
    return f"by {title} {'smallest first ▲' if reverse else 'biggest first ▼'}"


class MonitorBody(Vertical):
    """Table, detail line and alert log: the table takes the room it needs, the alert log what is left."""

    def on_resize(self, _event: events.Resize) -> None:
        if isinstance(self.screen, MonitorScreen):
            self.screen.fit_body()


class MonitorScreen(ReplayControls, Screen[None]):
    HELP_TITLE = "Monitor"
    CSS_PATH = "monitor.tcss"
    BINDINGS = [
        Binding(
            "escape",
            "back",
            "Back",
            id="monitor.back",
            tooltip="Close the filter, clear it, or go back to the previous screen",
        ),
        Binding(
            "q",
            "leave",
            "Back",
            id="monitor.quit",
            show=False,
            tooltip="Leave the dashboard (quits a replay started with `vch-tui top --replay`)",
        ),
        Binding(
            "enter,d",
            "details",
            "Details",
            id="monitor.details",
            tooltip="Charts of every metric of the highlighted container over the session",
        ),
        Binding(
            "s",
            "sort_next",
            "Sort",
            id="monitor.sort",
            tooltip="Sort by the next column (or click a column header); state = worst first",
        ),
        Binding(
            "I", "sort_reverse", "Reverse", id="monitor.reverse", tooltip="Reverse (invert) the sort order", show=False
        ),
        *[
            Binding(
                key,
                f"sort_by('{column}')",
                f"Sort by {BY_KEY[column].title}",
                id=f"monitor.sort.{column}",
                show=False,
                tooltip=f"Sort by {BY_KEY[column].title} ({BY_KEY[column].help}); again: reverse",
            )
            for key, column in SORT_KEYS
        ],
        Binding(
            "r",
            "record",
            "Record",
            id="monitor.record",
            tooltip="Start or stop recording every refresh to a file (replay it with vch-tui top --replay)",
        ),
        Binding(
            "slash", "filter", "Filter", id="monitor.filter", tooltip="Show only containers whose name holds the text"
        ),
        Binding(
            "p,space",
            "pause",
            "Pause",
            id="monitor.pause",
            tooltip="Freeze the table (collection goes on); in a replay: stop or play",
        ),
        Binding(
            "plus,equals_sign",
            "interval(1)",
            "Interval +",
            id="monitor.interval_up",
            tooltip="Refresh less often (a longer interval); in a replay: play faster",
            show=False,
        ),
        Binding(
            "minus",
            "interval(-1)",
            "Interval -",
            id="monitor.interval_down",
            tooltip="Refresh more often (a shorter interval); in a replay: play slower",
            show=False,
        ),
        Binding("v", "pick_vch", "VCH", id="monitor.vch", tooltip="Choose the VCH to watch, or all", show=False),
        *ReplayControls.REPLAY_BINDINGS,
    ]

    def __init__(
        self,
        session=None,
        vch: str | None = None,
        replay: str | Path | None = None,
        *,
        local_time=time.localtime,
        history_len: int | None = None,
        replay_position: int = 0,
        replay_paused: bool = False,
        quit_on_leave: bool = False,
    ) -> None:
        super().__init__()
        if session is None and replay is None:
            raise ValueError("MonitorScreen needs a vSphere session or a recording to replay")
        self.vsphere = session
        self.selected_vch = vch
        self.local_time = local_time
        self.quit_on_leave = quit_on_leave
        self.history_len = history_len
        self.model = MonitorSession(history_len) if history_len else MonitorSession()
        self.recorder: Recorder | None = None
        self._shown: tuple = ()  # the snapshots on screen (paused: the frozen moment)
        self.frozen_t: float | None = None  # paused: the moment on screen (model.t goes on)
        self.sample_changed_t: float | None = None  # when the collected values last changed (a new sample)
        self.sort_key = DEFAULT_SORT
        self.reverse = False
        self.name_filter = ""
        self.paused = False
        self.interval = 2.0
        self.thresholds = Thresholds()
        self.last_refresh: Refresh | None = None
        self.polls = 0  # answers received (a poll between two vSphere samples repaints nothing)
        self._collector: Collector | None = None
        self._polled: tuple = ()  # the last poll's snapshots (the poll worker's own: polls never overlap)
        self._generation = 0
        self._busy = False
        self._closing = False
        self._poll_timer: Timer | None = None
        self._detail: ContainerDetailScreen | None = None
        self._vch_names: tuple[str, ...] = ()
        self._init_replay(replay, replay_position, replay_paused)

    # -- layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="mon-bar"):
            yield Select([("All VCHs", ALL)], allow_blank=False, value=ALL, id="mon-vch", compact=True)
            yield Static(id="mon-status")
        yield Input(placeholder="filter by container name (enter keeps it, escape closes)", id="mon-filter")
        yield VchHeaderPanel(id="mon-header")
        with MonitorBody(id="mon-body"):
            yield ContainerTable(id="mon-table")
            yield Static(id="mon-focus")
            yield RichLog(
                id="mon-alerts", max_lines=ALERT_LINES, wrap=True, min_width=20, markup=False, auto_scroll=True
            )
        yield ConnectionBar()
        yield Footer()

    def on_mount(self) -> None:
        config = getattr(self.app, "config", None)
        if config is not None:
            self.interval = float(getattr(config, "refresh_interval", self.interval))
            self.thresholds = Thresholds.from_dict(getattr(config, "thresholds", None) or {})
        self.query_one("#mon-filter", Input).display = False
        self.query_one("#mon-alerts", RichLog).border_title = "Alerts: state changes"
        self.query_one(ContainerTable).focus()
        if not self.replaying:
            self.model = self._kept_session(self.selected_vch)
            self._rewrite_alerts()
        if self.selected_vch is not None:
            self._update_picker((self.selected_vch,))
        self.watch(self.app, "theme", self._theme_changed, init=False)
        if self.replaying:
            self._start_replay()
        else:
            self._render_status()
            self._start_poll()

    # -- what survives leaving the dashboard and switching VCH (live only; a replay rebuilds its own)

    def _kept_session(self, vch: str | None) -> MonitorSession:
        kept = cast("VchApp", self.app).monitor_sessions  # the dashboard runs in VchApp (or its ReplayApp)
        if vch not in kept:
            kept[vch] = MonitorSession(self.history_len) if self.history_len else MonitorSession()
        return kept[vch]

    def _rewrite_alerts(self) -> None:
        log = self.query_one("#mon-alerts", RichLog)
        log.clear()
        palette = self._palette()
        for alert in self.model.alerts.entries:
            log.write(Text(alert.line(self.local_time), style=palette.state(alert.severity)))

    # -- layout

    def on_resize(self, event: events.Resize) -> None:
        self._render_status()
        short = event.size.height < SHORT_HEIGHT
        self.set_class(short, "-short")
        self.set_class(event.size.width < 100, "-narrow")
        header = self.query_one(VchHeaderPanel)
        if header.compact != short:
            header.compact = short
            header.show(self._shown_snapshots(), self._palette())

    def fit_body(self) -> None:
        """Columns for the table's width; the table as tall as its rows, leaving the alert log >= 3 lines."""
        body = self.query_one(MonitorBody)
        table = self.query_one(ContainerTable)
        if table.size.width and table.fit(table.size.width - 1):  # leave the 1-cell scrollbar
            self._render_data(force=True)
        focus = self.query_one("#mon-focus", Static)
        room = body.size.height - focus.outer_size.height - ALERTS_MIN_HEIGHT - 1
        table.styles.max_height = max(room, 3)

    def on_unmount(self) -> None:
        self._closing = True
        self._stop_recording()
        if self._poll_timer is not None:
            self._poll_timer.stop()
        if not self._busy and self._collector is not None:
            self._collector.close()
        self._close_replay()

    # -- live polling

    def _schedule(self, delay: float) -> None:
        if self._closing or self.replaying:
            return
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self._poll_timer = self.set_timer(max(delay, 0.05), self._start_poll, name="monitor-poll")

    def _start_poll(self) -> None:
        self._poll_timer = None
        if self._closing or self._busy:
            return
        self._busy = True
        self._poll(
            self._generation, self.selected_vch, self.thresholds, (self.sort_key, self.reverse, self.name_filter)
        )

    @work(thread=True, exit_on_error=False, group="monitor-poll", description="monitor refresh")
    def _poll(self, generation: int, vch: str | None, thresholds: Thresholds, order: tuple[str, bool, str]) -> None:
        try:
            if self._collector is None:
                self._collector = Collector(self.vsphere)
            self._collector.vch = vch
            self._collector.thresholds = thresholds
            refresh = self._collector.refresh()
        except Exception as exc:  # noqa: BLE001 - shown to the operator; polling goes on
            self.post_message(PollFailed(f"{type(exc).__name__}: {exc}", generation))
            return
        finally:
            if self._closing and self._collector is not None:
                self._collector.close()
        # The sort, off the UI thread; not again for a poll that saw what the last one saw (vSphere's values
        # change every 20 s, polls come every 2 s: the screen applies nothing then).
        polled, self._polled = self._polled, refresh.snapshots
        fresh = refresh.live and refresh.snapshots != polled
        self.post_message(Refreshed(refresh, generation, RowOrder.of(refresh.snapshots, *order) if fresh else None))

    @on(PollFailed)
    def _poll_failed(self, message: PollFailed) -> None:
        self._busy = False
        if self._closing:
            return
        self.notify(message.error, title="Monitor refresh failed", severity="error", markup=False)
        self._schedule(self.interval)

    @on(Refreshed)
    def _refreshed(self, message: Refreshed) -> None:
        self._busy = False
        if self._closing:
            return
        if message.generation != self._generation:
            self._schedule(0)  # an answer for an earlier VCH choice: ask again now
            return
        refresh = message.refresh
        self.last_refresh = refresh
        self.polls += 1
        if refresh.live:
            self._update_picker(refresh.vch_names)
            last = self.sample_changed_t
            if last is None or refresh.snapshots != self.model.snapshots or refresh.t - last >= REALTIME_INTERVAL_S:
                # a new sample (vSphere's real-time counters change every 20 s; a poll in between returns the
                # same values): one history point and one repaint per sample, not per poll
                self.sample_changed_t = refresh.t
                self._record(refresh.t, refresh.snapshots)
                self._apply(refresh.t, refresh.snapshots, order=message.order)
        self._render_status()
        self._schedule(self.interval if refresh.live else min(self.interval, max(refresh.retry_in_s or 0, 0.2)))

    # -- rendering (UI thread)

    def _palette(self) -> Palette:
        return Palette(self.app.theme_variables)

    def _apply(self, t: float, snapshots, *, render: bool = True, order: RowOrder | None = None) -> None:
        alerts = self.model.apply(t, snapshots)
        log = self.query_one("#mon-alerts", RichLog)
        palette = self._palette()
        for alert in alerts[-ALERT_LINES:]:
            log.write(Text(alert.line(self.local_time), style=palette.state(alert.severity)))
        if not render:
            return
        if not self.paused:
            self._render_data(order=order)
        if self._detail is not None and self._detail.is_attached:
            self._detail.update_from(self.model)

    def _shown_snapshots(self):
        return self._shown if self.paused else self.model.snapshots

    def _render_data(self, *, force: bool = False, order: RowOrder | None = None) -> None:
        if self.paused and not force:
            return
        if not self.paused:
            self._shown = self.model.snapshots
            self.frozen_t = self.model.t
        palette = self._palette()
        settings = (self._shown, self.sort_key, self.reverse, self.name_filter)
        rows = (order if order is not None and order.fits(*settings) else RowOrder.of(*settings)).rows
        table = self.query_one(ContainerTable)
        table.show_sort(self.sort_key, self.reverse)
        table.show(rows, palette=palette, thresholds=self.thresholds, history=self.model.history.series)
        self.query_one(VchHeaderPanel).show(self._shown, palette)
        self._render_focus()

    def _render_focus(self) -> None:
        focus = self.query_one("#mon-focus", Static)
        vm = self.query_one(ContainerTable).highlighted_vm()
        snapshot = next((s for s in self._shown for c in s.containers if c.vm == vm), None)
        sample = next((c for c in snapshot.containers if c.vm == vm), None) if snapshot else None
        if sample is None or snapshot is None:
            focus.update("")
        else:
            palette = self._palette()
            text = Text()
            text.append(STATE_SYMBOL.get(sample.state, sample.state), style=palette.state(sample.state))
            text.append(f"  {sample.name} ({snapshot.vch.name}): ")
            text.append(
                ", ".join(sample.reasons) if sample.reasons else "no contention",
                style=palette.state(sample.state) if sample.reasons else palette.muted,
            )
            for line in advice(sample, snapshot, self.thresholds):
                text.append("\n→ " + line)
            focus.update(text)
        self.call_after_refresh(self.fit_body)

    def _status_words(self) -> tuple[str, str]:
        """(text, state class) for the status line."""
        narrow = self.size.width < 100
        if self.replaying:
            return self._replay_status(narrow) + self._tail_words(narrow), "-replay"
        refresh = self.last_refresh
        if refresh is None:
            return "connecting: reading the inventory…", "-busy"
        samples = [c for s in self._shown_snapshots() for c in s.containers]
        counts = {s: sum(1 for c in samples if c.state == s) for s in ("crit", "warn", "unknown")}
        clock = lambda t: time.strftime("%H:%M:%S", self.local_time(t)) if t else "—"  # noqa: E731
        when = clock(self.model.t)
        if not refresh.live:
            retry = f", next try in {refresh.retry_in_s:.0f} s" if refresh.retry_in_s is not None else ""
            return (
                f"◌ reconnecting (attempt {refresh.attempt}{retry}) · {refresh.problems[0] if refresh.problems else ''}"
                f" · showing data of {when}",
                "-reconnecting",
            )
        if self.paused:
            mode = f"‖ paused at {clock(self.frozen_t)}, latest {when}"
            mode += "" if narrow else " (still collecting)"
        else:
            mode = f"● live · sample {clock(self.sample_changed_t)}"
        due = (self.sample_changed_t or refresh.t) + REALTIME_INTERVAL_S
        counted = f"{counts['crit']} crit, {counts['warn']} warn" + (
            f", {counts['unknown']} unknown" if counts["unknown"] else ""
        )
        if narrow:  # "all ok" only when every container's data says so
            counted = ", ".join(f"{counts[k]} {k}" for k in ("crit", "warn", "unknown") if counts[k]) or "all ok"
            words = f"{mode} · next ≈ {clock(due)} · {counted}"
        else:
            words = (
                f"{mode} · next sample ≈ {clock(due)} (vSphere: every {REALTIME_INTERVAL_S} s; polled every "
                f"{_interval_words(self.interval)}) · {len(samples)} containers: {counted}"
            )
        words += self._tail_words(narrow)
        if refresh.problems:
            return words + " · " + "; ".join(refresh.problems), "-problem"
        return words, "-paused" if self.paused else "-live"

    def _tail_words(self, narrow: bool = False) -> str:
        words = f" · {'' if narrow else 'sorted '}{sort_words(self.sort_key, self.reverse)}"
        if self.name_filter:
            words += f" · filter {self.name_filter!r}"
        if self.recorder is not None:
            where = self.recorder.path.name if narrow else str(self.recorder.path)
            words += f" · ● rec {where} ({self.recorder.frames})"
        return words

    def _render_status(self) -> None:
        status = self.query_one("#mon-status", Static)
        words, state = self._status_words()
        status.update(Text(words))
        for cls in ("-busy", "-live", "-paused", "-reconnecting", "-problem", "-replay"):
            status.set_class(cls == state, cls)

    def _update_picker(self, names) -> None:
        names = tuple(names)
        if self.selected_vch is not None and self.selected_vch not in names:
            names = tuple(sorted(names + (self.selected_vch,)))
        if names == self._vch_names:
            return
        self._vch_names = names
        picker = self.query_one("#mon-vch", Select)
        with picker.prevent(Select.Changed):
            picker.set_options([("All VCHs", ALL)] + [(n, n) for n in names])
            picker.value = self.selected_vch if self.selected_vch is not None else ALL

    def _theme_changed(self, _theme) -> None:
        self.query_one(ContainerTable).clear_rows()
        self._render_data(force=True)
        self._rewrite_alerts()

    # -- events

    @on(Select.Changed, "#mon-vch")
    def _vch_chosen(self, event: Select.Changed) -> None:
        if event.value != event.select.value:
            # stale: the picker's first Changed (All VCHs, from its mount) arrives after on_mount set the VCH
            # the screen was opened for (the progress screen's `m`); it would switch to All VCHs
            return
        choice = None if event.value in (ALL, Select.NULL) else str(event.value)
        if choice == self.selected_vch:
            return
        self.selected_vch = choice
        self._generation += 1
        self.query_one(ContainerTable).clear_rows()
        self.query_one(ContainerTable).focus()
        if self.replaying:
            self.model.reset()
            self._replay_reload()
            return
        self.model = self._kept_session(choice)  # that VCH's history and alerts, kept from before
        self._rewrite_alerts()
        self.last_refresh = None
        self._render_data(force=True)
        self._render_status()
        if not self._busy:
            self._schedule(0)

    @on(ContainerTable.RowHighlighted, "#mon-table")
    def _row_highlighted(self, _event) -> None:
        self._render_focus()

    @on(ContainerTable.RowSelected, "#mon-table")
    def _row_selected(self, _event) -> None:
        self.action_details()

    @on(ContainerTable.HeaderSelected, "#mon-table")
    def _header_selected(self, event: ContainerTable.HeaderSelected) -> None:
        key = event.key.removesuffix(SPARK_SUFFIX)
        self.sort_by(key, reverse=not self.reverse if key == self.sort_key else False)

    @on(Input.Changed, "#mon-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.name_filter = event.value.strip()
        self._render_data(force=True)
        self._render_status()

    @on(Input.Submitted, "#mon-filter")
    def _filter_submitted(self, _event) -> None:
        self._close_filter()

    # -- actions

    def sort_by(self, key: str, *, reverse: bool = False) -> None:
        self.sort_key, self.reverse = key, reverse
        self._render_data(force=True)
        self._render_status()

    def action_sort_by(self, key: str) -> None:
        """A direct sort key: that column (biggest / worst first), or reversed when it is already the sort."""
        self.sort_by(key, reverse=not self.reverse if key == self.sort_key else False)

    def action_sort_next(self) -> None:
        keys = [c.key for c in self.query_one(ContainerTable).shown or COLUMNS if c.key != "why"]
        current = keys.index(self.sort_key) if self.sort_key in keys else -1
        self.sort_by(keys[(current + 1) % len(keys)])

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_key, reverse=not self.reverse)

    # -- recording (like top --record): every new sample, as `vch-tui top --record` writes them

    def action_record(self) -> None:
        if self.recorder is not None:
            path, frames = self.recorder.path, self.recorder.frames
            self._stop_recording()
            self.notify(
                f"{frames} refreshes in {path}\nreplay: vch-tui top --replay {path}",
                title="Recording stopped",
                markup=False,
                timeout=15,
            )
        elif self.replaying:
            self.notify("this is a replay already: its file is " + str(self.replay_path), markup=False)
            return
        else:
            stamp = time.strftime("%Y%m%d-%H%M%S", self.local_time(time.time()))
            folder = Path(getattr(self.app, "start_dir", None) or Path.cwd())
            path = (folder / f"vch-tui-{stamp}.jsonl.gz").absolute()
            try:
                self.recorder = Recorder(path, meta={"interval": REALTIME_INTERVAL_S, "vch": self.selected_vch})
            except InvalidInput as err:
                self.notify(str(err), title="Cannot record", severity="error", markup=False)
                return
            if self.model.t is not None:
                self._record(self.model.t, self.model.snapshots)
            self.notify(
                f"recording every new sample to {path}\npress r again to stop",
                title="Recording",
                markup=False,
                timeout=10,
            )
        self._render_status()

    def _record(self, t: float, snapshots) -> None:
        if self.recorder is None:
            return
        try:
            written = self.recorder.write(t, snapshots)
        except InvalidInput as err:  # the disk filled up (ENOSPC) or the file cannot be written any more
            self._stop_recording()
            self.notify(str(err), title="Recording stopped", severity="error", markup=False, timeout=20)
            return
        if not written:
            path = self.recorder.path
            self._stop_recording()
            self.notify(
                f"the recording {path} reached its size bound and was closed",
                severity="warning",
                markup=False,
                timeout=15,
            )

    def _stop_recording(self) -> None:
        if self.recorder is not None:
            self.recorder.close()
            self.recorder = None

    def action_filter(self) -> None:
        box = self.query_one("#mon-filter", Input)
        box.display = True
        box.focus()

    def _close_filter(self) -> None:
        box = self.query_one("#mon-filter", Input)
        box.display = bool(self.name_filter)
        self.query_one(ContainerTable).focus()

    def action_back(self) -> None:
        box = self.query_one("#mon-filter", Input)
        if box.has_focus:
            self._close_filter()
        elif self.name_filter:
            box.value = ""  # Input.Changed re-renders
            box.display = False
        else:
            self.action_leave()

    def action_leave(self) -> None:
        if self.quit_on_leave:
            self.app.exit()
        else:
            self.app.pop_screen()

    def action_pause(self) -> None:
        if self.replaying:
            self._replay_toggle()
            return
        self.paused = not self.paused
        if not self.paused:
            self._render_data()
        self._render_status()

    def action_interval(self, direction: int) -> None:
        if self.replaying:
            self._replay_speed(direction)
            return
        later = [i for i in INTERVALS if (i > self.interval if direction > 0 else i < self.interval)]
        if not later:
            self.notify(f"the interval is already {_interval_words(self.interval)}", markup=False)
            return
        self.interval = later[0] if direction > 0 else later[-1]
        self._render_status()
        if self._poll_timer is not None:  # waiting: re-time the next poll with the new interval
            self._schedule(self.interval)

    def action_pick_vch(self) -> None:
        picker = self.query_one("#mon-vch", Select)
        picker.focus()
        picker.expanded = True

    def action_details(self) -> None:
        vm = self.query_one(ContainerTable).highlighted_vm()
        sample = self.model.find(vm) if vm else None
        if sample is None:
            return
        self._detail = ContainerDetailScreen(
            sample.vm, sample.name, self.model, local_time=self.local_time, thresholds=self.thresholds
        )
        self.app.push_screen(self._detail, callback=lambda _: setattr(self, "_detail", None))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "record" and self.replaying:
            return False
        return self._replay_check_action(action, parameters)

    # -- palette

    def palette_commands(self) -> list[PaletteCommand]:
        commands = [
            PaletteCommand(f"Monitor: sort by {c.title}", partial(self.sort_by, c.key), c.help) for c in COLUMNS
        ]
        commands += [
            PaletteCommand(
                "Monitor: filter by name", self.action_filter, "Show only containers whose name holds a text"
            ),
            PaletteCommand(
                "Monitor: pause / resume" if not self.replaying else "Replay: play / pause",
                self.action_pause,
                "Freeze or unfreeze the table",
            ),
            PaletteCommand(
                "Monitor: details of the highlighted container",
                self.action_details,
                "Charts of every metric over the session",
            ),
            PaletteCommand("Monitor: all VCHs", lambda: self._pick(None), "Watch the containers of every VCH"),
        ]
        commands += [
            PaletteCommand(f"Monitor: VCH {name}", partial(self._pick, name), f"Watch only {name}")
            for name in self._vch_names
        ]
        if self.replaying:
            commands += self._replay_palette_commands()
        else:
            commands += [
                PaletteCommand(
                    "Monitor: refresh less often", lambda: self.action_interval(1), "A longer refresh interval"
                ),
                PaletteCommand(
                    "Monitor: refresh more often", lambda: self.action_interval(-1), "A shorter refresh interval"
                ),
            ]
        return commands

    def _pick(self, name: str | None) -> None:
        self.query_one("#mon-vch", Select).value = name if name is not None else ALL
