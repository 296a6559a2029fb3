"""One collector for every scrape: a background thread refreshes it every interval and keeps the outcome
as an immutable ExportState, which scrapes only read (a scrape never reaches vSphere).

Refreshes never overlap (one thread). The next refresh is due one interval after the last one started;
while reconnecting it is due when the collector's backoff says so (at most one interval).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from tui.core.monitor.collector import Collector, Refresh


@dataclass(frozen=True)
class ExportState:
    vcenter: str  # the target's host:port, the `vcenter` label
    interval_s: float
    refresh: Refresh | None = None  # the last live refresh
    up: bool = False  # the last refresh reached vSphere
    last_success: float | None = None  # Unix time of the last live refresh
    refreshes: int = 0
    errors: int = 0  # refreshes that did not reach vSphere
    duration_s: float | None = None  # of the last refresh
    perf_s: float | None = None
    soap_calls: int = 0
    perf_calls: int = 0
    problems: tuple[str, ...] = ()  # of the last refresh, in words


class SoapCallCounter:
    """Counts the HTTP round trips of a pyvmomi SOAP stub (pyvmomi and the raw QueryPerf both take a
    connection from the stub for every request)."""

    def __init__(self, soap_stub) -> None:
        self._lock = threading.Lock()
        self._count = 0
        original = soap_stub.GetConnection

        def counted(*args, **kwargs):
            with self._lock:
                self._count += 1
            return original(*args, **kwargs)

        soap_stub.GetConnection = counted

    @property
    def count(self) -> int:
        with self._lock:
            return self._count


class Poller:
    def __init__(
        self,
        collector: Collector,
        *,
        vcenter: str,
        interval_s: float,
        soap_calls: Callable[[], int] = lambda: 0,
        on_refresh: Callable[[Refresh, ExportState], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.collector = collector
        self.interval_s = interval_s
        self.soap_calls = soap_calls
        self.on_refresh = on_refresh
        self.monotonic = monotonic
        self._state = ExportState(vcenter=vcenter, interval_s=interval_s)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_due = 0.0

    def state(self) -> ExportState:
        return self._state  # immutable: replaced whole, so a reader never sees half an update

    def poll_once(self) -> Refresh:
        """Blocking: one refresh, applied to the state. Only the poller thread (or the caller before
        start()) calls it."""
        started = self.monotonic()
        refresh = self.collector.refresh()
        old = self._state
        perf_calls = old.perf_calls + refresh.perf_calls
        if refresh.live:
            new = replace(
                old,
                refresh=refresh,
                up=True,
                last_success=refresh.t,
                refreshes=old.refreshes + 1,
                duration_s=refresh.duration_s,
                perf_s=refresh.perf_s,
                soap_calls=self.soap_calls(),
                perf_calls=perf_calls,
                problems=refresh.problems,
            )
            wait = self.interval_s
        else:
            new = replace(
                old,
                up=False,
                refreshes=old.refreshes + 1,
                errors=old.errors + 1,
                duration_s=refresh.duration_s,
                perf_s=None,
                soap_calls=self.soap_calls(),
                perf_calls=perf_calls,
                problems=refresh.problems,
            )
            wait = min(self.interval_s, refresh.retry_in_s if refresh.retry_in_s is not None else self.interval_s)
        self._state = new
        self._next_due = started + wait
        if self.on_refresh is not None:
            self.on_refresh(refresh, new)
        return refresh

    def start(self) -> "Poller":
        self._thread = threading.Thread(target=self._run, name="vch-tui-export-poller", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(max(0.0, self._next_due - self.monotonic())):
            try:
                self.poll_once()
            except Exception as exc:  # noqa: BLE001 - a bug must not leave old values served as fresh
                old = self._state
                self._state = replace(
                    old,
                    up=False,
                    refreshes=old.refreshes + 1,
                    errors=old.errors + 1,
                    problems=(f"refresh failed: {type(exc).__name__}: {exc}"[:200],),
                )
                self._next_due = self.monotonic() + self.interval_s

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
