"""What a viewer keeps across refreshes: the latest snapshots, bounded history and the alert log.

Used by the Monitor screen (on its UI thread), the replay and the soak script. A refresh that saw
nothing (reconnecting) is not applied, so history and alerts survive an outage unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.metrics.history import DEFAULT_MAXLEN, History
from tui.core.metrics.model import ContainerSample, VchSnapshot
from tui.core.monitor.alerts import DEFAULT_MAX_ALERTS, Alert, AlertLog


class MonitorSession:
    def __init__(self, history_len: int = DEFAULT_MAXLEN, max_alerts: int = DEFAULT_MAX_ALERTS) -> None:
        self.history = History(history_len)
        self.alerts = AlertLog(max_alerts)
        self.snapshots: tuple[VchSnapshot, ...] = ()
        self.t: float | None = None
        self.refreshes = 0

    def apply(self, t: float, snapshots: Sequence[VchSnapshot]) -> list[Alert]:
        """One refresh's snapshots: appended to the history; returns the new alerts."""
        self.snapshots = tuple(snapshots)
        self.t = t
        self.refreshes += 1
        self.history.add(t, (c for s in self.snapshots for c in s.containers))
        return self.alerts.update(t, self.snapshots)

    def reset(self) -> None:
        """Start over (another VCH picked, or a replay seek): history and alert baseline cleared, log kept."""
        self.history.clear()
        self.alerts.rebase()
        self.snapshots = ()
        self.t = None

    def samples(self) -> list[ContainerSample]:
        return [c for s in self.snapshots for c in s.containers]

    def vch_of(self, vm: str) -> str | None:
        for s in self.snapshots:
            for c in s.containers:
                if c.vm == vm:
                    return s.vch.name
        return None

    def find(self, vm: str) -> ContainerSample | None:
        for s in self.snapshots:
            for c in s.containers:
                if c.vm == vm:
                    return c
        return None
