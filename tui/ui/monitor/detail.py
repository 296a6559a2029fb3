"""Drill-down (Enter on a row): four charts of one container over the session, with a time axis.

See charts.py for what each chart shows. The Monitor screen keeps feeding it while it is open; a sample
that is missing is a gap in its line and counted in the chart's title.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.core.metrics.thresholds import Thresholds
from tui.core.monitor.session import MonitorSession
from tui.ui.connection_bar import ConnectionBar
from tui.ui.monitor.cells import STATE_SYMBOL, Palette
from tui.ui.monitor.charts import CHARTS, MetricPlot


class ContainerDetailScreen(Screen[None]):
    HELP_TITLE = "Container details"
    CSS_PATH = "monitor.tcss"
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="monitor.detail.back", tooltip="Back to the dashboard")
    ]

    def __init__(
        self,
        vm: str,
        name: str,
        session: MonitorSession,
        local_time=time.localtime,
        thresholds: Thresholds = Thresholds(),
    ) -> None:
        super().__init__()
        self.thresholds = thresholds
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
            for spec in CHARTS:
                yield MetricPlot(spec, id=f"chart-{spec.key}")
        yield ConnectionBar()
        yield Footer()

    def on_mount(self) -> None:
        self.update_from(self.session)

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 100, "-narrow")

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
            title.update(
                Text(
                    f"{self.container_name}: gone (not seen since {when}); the charts show its last data",
                    style=palette.muted,
                )
            )
            return
        self.gone_at = None
        text = Text()
        text.append(sample.name, style="bold")
        text.append(
            f"  in {session.vch_of(self.vm) or '?'}  ·  {sample.vcpus} vCPU, {sample.memory_mb} MB"
            f"  ·  {sample.power_state}  ·  "
        )
        text.append(STATE_SYMBOL.get(sample.state, sample.state), style=palette.state(sample.state))
        if sample.reasons:
            text.append(": " + ", ".join(sample.reasons), style=palette.state(sample.state))
        title.update(text)
        first, last = (time.strftime("%H:%M:%S", self.local_time(t)) for t in (stamps[0], stamps[-1]))
        self.query_one("#detail-span", Static).update(
            Text(f"{len(stamps)} refreshes from {first} to {last} (history keeps the last {session.history.maxlen})")
        )
        snapshot = next((s for s in session.snapshots if any(c.vm == self.vm for c in s.containers)), None)
        limits = {
            "cpu": snapshot.vch.cpu_limit_mhz if snapshot else None,
            "memory": snapshot.vch.memory_limit_mb if snapshot else None,
        }
        for chart in self.query(MetricPlot):
            chart.show(
                stamps,
                lambda field: session.history.series(self.vm, field),
                thresholds=self.thresholds,
                limit=limits.get(chart.spec.limit) if chart.spec.limit else None,
                local_time=self.local_time,
            )
