"""Drill-down (Enter on a row): a chart of every metric of one container over the session.

Each chart is a Sparkline of the bounded history with the current, lowest and highest value beside it
(a Sparkline scales to its own data, so the numbers say how big the wiggles are). Gaps (no sample) are
drawn as 0 and the text says how many there were. The Monitor screen keeps feeding it while it is open.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Sparkline, Static

from tui.core.metrics import counters
from tui.core.monitor.columns import format_value
from tui.core.monitor.session import MonitorSession

from tui.ui.connection_bar import ConnectionBar
from tui.ui.monitor.cells import STATE_SYMBOL, Palette


class MetricChart(Vertical):
    def __init__(self, counter: counters.Counter) -> None:
        super().__init__(classes="metric-chart")
        self.counter = counter

    def compose(self) -> ComposeResult:
        yield Static(Text(self.counter.label), classes="chart-title")
        yield Sparkline([], classes="chart-line")

    def show(self, values: list[float | None]) -> None:
        c = self.counter
        present = [v for v in values if v is not None]
        unit = c.display_unit
        if present:
            words = (f"{c.label}: {format_value(c.field, values[-1])} {unit}  "
                     f"(min {format_value(c.field, min(present))}, max {format_value(c.field, max(present))})")
        else:
            words = f"{c.label}: not available"
        gaps = len(values) - len(present)
        if gaps and present:
            words += f"  ({gaps} without a sample)"
        self.query_one(".chart-title", Static).update(Text(words))
        self.query_one(Sparkline).data = [v if v is not None else 0.0 for v in values]  # a new list: repaints


class ContainerDetailScreen(Screen[None]):
    HELP_TITLE = "Container details"
    CSS_PATH = "monitor.tcss"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="monitor.detail.back",
                        tooltip="Back to the dashboard")]

    def __init__(self, vm: str, name: str, session: MonitorSession, local_time=time.localtime) -> None:
        super().__init__()
        self.vm = vm
        self.container_name = name
        self.session = session
        self.local_time = local_time
        self.gone_at: float | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="detail-title")
        yield Static(id="detail-span", classes="muted")
        with Grid(id="detail-charts"):
            for c in counters.COUNTERS:
                yield MetricChart(c)
        yield ConnectionBar()
        yield Footer()

    def on_mount(self) -> None:
        self.update_from(self.session)

    def _palette(self) -> Palette:
        return Palette(self.app.theme_variables)

    def update_from(self, session: MonitorSession) -> None:
        title = self.query_one("#detail-title", Static)
        palette = self._palette()
        sample = session.find(self.vm)
        stamps = session.history.timestamps(self.vm)
        if sample is None or not stamps:
            if self.gone_at is None and session.t is not None:
                self.gone_at = session.t
            when = time.strftime("%H:%M:%S", self.local_time(self.gone_at)) if self.gone_at else "now"
            title.update(Text(f"{self.container_name}: gone (not seen since {when}); the charts show its last data",
                              style=palette.muted))
            return
        self.gone_at = None
        text = Text()
        text.append(sample.name, style="bold")
        text.append(f"  in {session.vch_of(self.vm) or '?'}  ·  {sample.vcpus} vCPU, {sample.memory_mb} MB"
                    f"  ·  {sample.power_state}  ·  ")
        text.append(STATE_SYMBOL.get(sample.state, sample.state), style=palette.state(sample.state))
        if sample.reasons:
            text.append(": " + ", ".join(sample.reasons), style=palette.state(sample.state))
        title.update(text)
        first, last = (time.strftime("%H:%M:%S", self.local_time(t)) for t in (stamps[0], stamps[-1]))
        self.query_one("#detail-span", Static).update(
            Text(f"{len(stamps)} refreshes from {first} to {last} (history keeps the last "
                 f"{session.history.maxlen})"))
        for chart in self.query(MetricChart):
            chart.show(session.history.series(self.vm, chart.counter.field))
