"""One refresh of the monitor: inventory snapshot -> batched raw QueryPerf -> assessed VCH snapshots.

Blocking (pyvmomi and HTTP): call `refresh()` from a worker thread, never from the UI thread, and never
twice at once (poll, render, then schedule the next poll).

Hot path per refresh: `watcher.snapshot()` (free unless the inventory changed), one raw QueryPerf per
chunk of at most 256 powered-on containers over the pyvmomi session's cookie and connection pool
(counters looked up by name once per session, realtime interval 20, maxSample 1), an ElementTree
parse, then formulas and thresholds. A chunk that faults leaves its containers "not available" and
the others intact.

Failures:
- NotAuthenticated (session expired): log in again on the same session and retry the refresh once.
- Connection lost / server restarted: status "reconnecting"; later refreshes retry with backoff
  (1, 2, 4, 8, 16, 30 s), each attempt logging in again on the same session object and rebuilding the
  watcher and counter ids. Nothing kept by the viewer (history, alerts) is touched.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Sequence
from typing import Any

from tui.core.errors import ConnectionFailed
from tui.core.metrics import counters, overcommit
from tui.core.metrics.assemble import container_sample
from tui.core.metrics.model import ContainerSample, VchHeader, VchSnapshot
from tui.core.metrics.perfquery import PerfQuery
from tui.core.metrics.perfxml import MAX_ENTITIES_PER_QUERY, PerfQueryFault
from tui.core.metrics.thresholds import Thresholds, worst_first_key
from tui.core.monitor.facts import Inventory, VchMembers
from tui.core.monitor.refresh import Refresh, unknown_vch  # noqa: F401 - unknown_vch: its callers import it here
from tui.core.monitor.watcher import DEFAULT_MAX_WAIT_S, InventoryWatcher

BACKOFF_S: tuple[float, ...] = (1, 2, 4, 8, 16, 30)
MIN_CONCURRENCY = (
    2  # QueryPerf chunks in flight at least: the server builds replies in parallel (benchmarks/refresh.py)
)
MAX_CONCURRENCY = 8  # never more, whatever the size, so a vCenter is not flooded (telegraf's cap too)
VMS_PER_COLLECTOR = 1500  # telegraf vSphere plugin's documented rule: collect_concurrency ~ VMs / 1500
POWERED_ON = "poweredOn"


def concurrency_for(containers: int) -> int:
    """QueryPerf chunks in flight for this many powered-on containers: one per 1500, within 2..8."""
    return min(MAX_CONCURRENCY, max(MIN_CONCURRENCY, -(-containers // VMS_PER_COLLECTOR)))


_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (ConnectionFailed, OSError, http.client.HTTPException)


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    msg = getattr(exc, "msg", None)  # pyvmomi faults
    if msg:
        text = f"{type(exc).__name__}: {msg}"
    return text.splitlines()[0][:200]


class Collector:
    def __init__(
        self,
        session,
        *,
        vch: str | Sequence[str] | None = None,
        thresholds: Thresholds | None = None,
        clock: Callable[[], float] = time.time,
        chunk_size: int = MAX_ENTITIES_PER_QUERY,
        concurrency: int | None = None,
        max_wait_s: int = DEFAULT_MAX_WAIT_S,
        backoff_s: Sequence[float] = BACKOFF_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.vch = vch  # one VCH, several, or None for every VCH on the target
        self.thresholds = thresholds or Thresholds()
        self.clock = clock
        self.monotonic = monotonic
        self.chunk_size = chunk_size
        self.concurrency = concurrency
        self.max_wait_s = max_wait_s
        self.backoff_s = tuple(backoff_s) or BACKOFF_S
        self.counter_ids: dict[str, int] = {}
        self.watcher: InventoryWatcher | None = None
        self._perf: PerfQuery | None = None
        self._reconnecting = False
        self._attempt = 0
        self._next_attempt = 0.0
        self._last_error = ""
        self._closed = False

    # -- lifecycle

    def _setup(self) -> None:
        content = self.session.content
        available = counters.counter_ids(content.perfManager.perfCounter)
        self.counter_ids = {name: available[name] for name in counters.COUNTER_NAMES if name in available}
        self._perf = PerfQuery(
            self.session.soap_stub,
            content.perfManager._moId,
            list(self.counter_ids.values()),
            chunk_size=self.chunk_size,
            concurrency=self.concurrency or MIN_CONCURRENCY,
        )
        self.watcher = InventoryWatcher(self.session, max_wait_s=self.max_wait_s).start()

    def _teardown(self, *, remote: bool) -> None:
        watcher, self.watcher, self._perf = self.watcher, None, None
        if watcher is not None:
            watcher.stop(remote=remote)

    def close(self) -> None:
        """Stop the inventory watch (the session itself belongs to the caller)."""
        self._closed = True
        self._teardown(remote=True)

    # -- reading

    def inventory(self) -> Inventory:
        return self.watcher.snapshot() if self.watcher is not None else Inventory()

    def refresh(self) -> Refresh:
        started = time.perf_counter()
        now = self.clock()
        if self._closed:
            raise RuntimeError("this collector is closed")
        if self._reconnecting:
            if self.monotonic() < self._next_attempt:
                return self._reconnecting_refresh(now, started)
            try:
                self._reconnect()
            except _CONNECTION_ERRORS + (PerfQueryFault, _method_fault()) as exc:
                return self._failed(exc, now, started)
        cookie = self.session.cookie()
        try:
            if self._perf is None:
                self._setup()
            return self._collect(now, started)
        except PerfQueryFault as fault:
            if not fault.session_expired:
                return self._failed(fault, now, started)
        except _CONNECTION_ERRORS + (_method_fault(),) as exc:
            return self._failed(exc, now, started)
        try:  # the session expired: log in again (once, unless the watcher's pyvmomi call already did) and retry
            if self.session.cookie() == cookie:
                self.session.relogin()
            result = self._collect(now, started, problems=("the vSphere session had expired: logged in again",))
        except _CONNECTION_ERRORS + (PerfQueryFault, _method_fault()) as exc:
            return self._failed(exc, now, started)
        return result

    # -- internals

    def _reconnect(self) -> None:
        self._teardown(remote=False)
        try:
            self.session.soap_stub.DropConnections()
        except Exception:
            pass
        self.session.relogin()
        self._setup()
        self._reconnecting = False
        self._attempt = 0

    def _failed(self, exc: BaseException, now: float, started: float) -> Refresh:
        if not self._reconnecting:
            self._teardown(remote=False)
            self._reconnecting = True
            self._attempt = 0
        self._attempt += 1
        delay = self.backoff_s[min(self._attempt - 1, len(self.backoff_s) - 1)]
        self._next_attempt = self.monotonic() + delay
        self._last_error = _describe(exc)
        return self._reconnecting_refresh(now, started)

    def _reconnecting_refresh(self, now: float, started: float) -> Refresh:
        return Refresh(
            t=now,
            status="reconnecting",
            problems=(f"connection lost: {self._last_error}",),
            retry_in_s=max(0.0, self._next_attempt - self.monotonic()),
            attempt=self._attempt,
            duration_s=time.perf_counter() - started,
        )

    def _collect(self, now: float, started: float, problems: tuple[str, ...] = ()) -> Refresh:
        watcher = self.watcher
        assert watcher is not None and self._perf is not None
        if watcher.error is not None:
            raise ConnectionFailed(f"the inventory watch ended ({_describe(watcher.error)})")
        inventory = watcher.snapshot()
        vchs = inventory.vchs
        notes = list(problems)
        if self.vch is None:
            selected = list(vchs.values())
        else:
            wanted = (self.vch,) if isinstance(self.vch, str) else tuple(dict.fromkeys(self.vch))
            selected = [vchs[name] for name in wanted if name in vchs]
            notes += [f"VCH {name!r} is not on the target (any more)" for name in wanted if name not in vchs]
        targets = [vm.moid for members in selected for vm in members.containers if vm.power_state == POWERED_ON]
        self._perf.concurrency = self.concurrency or concurrency_for(len(targets))
        perf_started = time.perf_counter()
        result = self._perf.run(targets)
        perf_s = time.perf_counter() - perf_started
        if result.failed:
            faults: dict[str, int] = {}
            for fault in result.failed.values():
                faults[str(fault)] = faults.get(str(fault), 0) + 1
            notes += [f"{text} - {n} container{'s' if n != 1 else ''} without values" for text, n in faults.items()]
        snapshots = tuple(self._snapshot(members, inventory, result.values) for members in selected)
        return Refresh(
            t=now,
            snapshots=snapshots,
            vch_names=tuple(vchs),
            problems=tuple(notes),
            duration_s=time.perf_counter() - started,
            perf_s=perf_s,
            perf_calls=result.calls,
            concurrency=self._perf.concurrency,
        )

    def _snapshot(self, members: VchMembers, inventory: Inventory, values: dict[str, Any]) -> VchSnapshot:
        ids, thresholds = self.counter_ids, self.thresholds
        rows = [
            container_sample(
                name=vm.name,
                vm=vm.moid,
                vcpus=vm.vcpus,
                memory_mb=vm.memory_mb,
                power_state=vm.power_state,
                raw=values.get(vm.moid),
                counter_ids=ids,
                thresholds=thresholds,
            )
            for vm in members.containers
        ]
        rows.sort(key=worst_first_key)
        return VchSnapshot(vch_header(members, inventory, rows), tuple(rows))


def vch_header(members: VchMembers, inventory: Inventory, rows: Sequence[ContainerSample]) -> VchHeader:
    """Limits, configured totals (over-commit) and what the containers use now."""
    pool = members.pool
    oc = overcommit.compute(
        (
            overcommit.ConfiguredContainer(vm.vcpus, vm.memory_mb, inventory.host_cpu_mhz(vm.host))
            for vm in members.containers
        ),
        pool.cpu_limit_mhz if pool else None,
        pool.memory_limit_mb if pool else None,
    )
    cpu = [r.metrics.cpu_usage_mhz for r in rows if r.metrics.cpu_usage_mhz is not None]
    mem = [r.metrics.mem_consumed_mb for r in rows if r.metrics.mem_consumed_mb is not None]
    return VchHeader(
        members.name,
        oc.cpu_limit_mhz,
        oc.memory_limit_mb,
        oc.configured_cpu_mhz,
        oc.configured_memory_mb,
        oc.overcommitted,
        cpu_usage_mhz=round(sum(cpu), 2) if cpu else None,
        memory_usage_mb=round(sum(mem), 2) if mem else None,
    )


def _method_fault() -> type[BaseException]:
    """pyvmomi's base fault class (imported lazily: the core must not load pyvmomi at start-up)."""
    from pyVmomi import vmodl

    return vmodl.MethodFault
