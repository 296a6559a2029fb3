"""Keep the monitor's inventory current: one ContainerView + PropertyCollector filter, WaitForUpdatesEx.

The view covers the datacenter `--target` names (the whole inventory when it names none).

The inventory is read in full once (version ""), then a background thread long-polls for changes
(maxWaitSeconds, below the HTTP timeout) and applies them: VMs created or deleted, powered on or off,
reconfigured, pools re-limited. A refresh only takes `snapshot()`, which costs nothing when nothing
changed: the inventory is never re-walked per refresh and never read lazily per VM.

The filter lives on a private PropertyCollector (CreatePropertyCollector), so `stop()` can cancel the
wait (CancelWaitForUpdates) without disturbing anybody else's collector. Whenever a wait breaks
(session expired and the collector went with it, or the connection dropped mid-wait: vcsim 0.24.2
panics in WaitForUpdatesEx when a VM is changed and deleted within one batch, and loses those
changes), the thread builds a new collector and reloads in full: changes may have been missed. If the
server cannot be reached, the thread records the error in `error` and ends; the collector then
reconnects and starts a new watcher.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.core.monitor.facts import HOST_PATHS, POOL_PATHS, VM_PATHS, Inventory, PoolFacts, VmFacts, plain_value

if TYPE_CHECKING:
    from pyVmomi import vim, vmodl

DEFAULT_MAX_WAIT_S = 10  # well below pyvmomi's HTTP timeout (20 s in connection.py)


class _State:
    """Plain property values per object, and the facts built from them."""

    def __init__(self) -> None:
        self.props: dict[tuple[str, str], dict[str, Any]] = {}
        self.vms: dict[str, VmFacts] = {}
        self.pools: dict[str, PoolFacts] = {}
        self.host_mhz: dict[str, int] = {}

    def apply(self, kind: str, wsdl_type: str, moid: str, changes: list[tuple[str, str, Any]]) -> None:
        key = (wsdl_type, moid)
        if kind == "leave":
            self.props.pop(key, None)
            self.vms.pop(moid, None)
            self.pools.pop(moid, None)
            self.host_mhz.pop(moid, None)
            return
        props = self.props.setdefault(key, {})
        for name, op, value in changes:
            props[name] = None if op in ("remove", "indirectRemove") else value
        if wsdl_type == "VirtualMachine":
            self.vms[moid] = VmFacts.from_props(moid, props)
        elif wsdl_type in ("ResourcePool", "VirtualApp"):
            self.pools[moid] = PoolFacts.from_props(moid, props)
        elif wsdl_type == "HostSystem":
            self.host_mhz[moid] = int(props.get("summary.hardware.cpuMhz") or 0)

    def inventory(self) -> Inventory:
        return Inventory(dict(self.vms), dict(self.pools), dict(self.host_mhz))


def _changes(object_update) -> list[tuple[str, str, Any]]:
    out = []
    for change in object_update.changeSet or ():
        name = change.name
        if name not in VM_PATHS and name not in POOL_PATHS and name not in HOST_PATHS:
            continue  # e.g. a partial change inside extraConfig: not something the monitor reads
        out.append((name, str(change.op), plain_value(name, change.val)))
    return out


def _clean_up(collector, view) -> None:
    for call in (collector.CancelWaitForUpdates, collector.Destroy, view.Destroy if view is not None else None):
        try:
            if call is not None:
                call()
        except Exception:
            pass  # best effort: the session may already be gone


class InventoryWatcher:
    def __init__(
        self, session, *, max_wait_s: int = DEFAULT_MAX_WAIT_S, on_change: Callable[[], None] | None = None
    ) -> None:
        self.session = session
        self.max_wait_s = max_wait_s
        self.on_change = on_change
        self.error: BaseException | None = None  # why the thread ended, when it was not stopped
        self.updates = 0  # update sets applied after the initial load (tests and diagnostics)
        self.reloads = 0  # full reloads after the collector vanished
        self.waits = 0  # WaitForUpdatesEx calls sent (the SOAP-calls-per-refresh benchmark counts them)
        self._lock = threading.Lock()
        self._state = _State()
        self._cached: Inventory | None = None
        self._stopped = threading.Event()
        self._collector: vmodl.query.PropertyCollector | None = None  # set by _build
        self._view: vim.view.ContainerView | None = None
        self._version = ""
        self._thread: threading.Thread | None = None
        self._root = None  # the datacenter --target names, else the root folder

    # -- lifecycle

    def start(self) -> "InventoryWatcher":
        """Blocking: build the filter and load the inventory, then follow changes in a daemon thread.
        InvalidInput when --target names a datacenter that does not exist."""
        from tui.core.vsphere.datacenter_scope import datacenter_ref

        self._root = datacenter_ref(self.session)
        self._build()
        self._load_all()
        self._thread = threading.Thread(target=self._run, name="vch-tui-inventory-watch", daemon=True)
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, *, remote: bool = True, timeout: float = 0.0) -> None:
        """End the watch without blocking: the server-side clean-up (cancel the wait, destroy the
        collector and view) runs in a daemon thread, because vcsim only handles the cancel once the
        wait it cancels is over. remote=False skips it (the connection is known to be gone). With a
        timeout, wait that long for the thread to end."""
        self._stopped.set()
        collector, view = self._collector, self._view
        if remote and collector is not None:
            threading.Thread(
                target=_clean_up, args=(collector, view), name="vch-tui-inventory-cleanup", daemon=True
            ).start()
        if timeout and self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    # -- reading

    def snapshot(self) -> Inventory:
        with self._lock:
            if self._cached is None:
                self._cached = self._state.inventory()
            return self._cached

    # -- the filter

    def _build(self) -> None:
        from pyVmomi import vim, vmodl

        content = self.session.content
        pc = vmodl.query.PropertyCollector
        self._collector = content.propertyCollector.CreatePropertyCollector()
        self._view = content.viewManager.CreateContainerView(
            self._root or content.rootFolder, [vim.VirtualMachine, vim.ResourcePool, vim.HostSystem], True
        )
        spec = pc.FilterSpec(
            objectSet=[
                pc.ObjectSpec(
                    obj=self._view,
                    skip=True,
                    selectSet=[pc.TraversalSpec(name="view", path="view", skip=False, type=vim.view.ContainerView)],
                )
            ],
            propSet=[
                pc.PropertySpec(type=vim.VirtualMachine, pathSet=list(VM_PATHS)),
                pc.PropertySpec(type=vim.ResourcePool, pathSet=list(POOL_PATHS)),
                pc.PropertySpec(type=vim.HostSystem, pathSet=list(HOST_PATHS)),
            ],
        )
        self._collector.CreateFilter(spec, partialUpdates=True)
        self._version = ""

    def _wait(self, max_wait_s: int, *, raw: bool = False):
        """raw=True: over the bare SOAP stub, so a dropped connection or an expired session is raised
        instead of pyvmomi quietly logging in and retrying (a retried wait can miss changes)."""
        from pyVmomi import vmodl

        options = vmodl.query.PropertyCollector.WaitOptions(maxWaitSeconds=max_wait_s)
        collector = self._collector
        if collector is None:
            raise RuntimeError("InventoryWatcher: waiting for updates before the filter is built")
        if raw:
            collector = vmodl.query.PropertyCollector(collector._moId, self.session.soap_stub)
        self.waits += 1
        return collector.WaitForUpdatesEx(self._version, options)

    def _load_all(self) -> None:
        """Version "": everything, possibly in several truncated parts; replaces the state at once."""
        state = _State()
        while True:
            update = self._wait(0)
            if update is None:
                break
            self._apply(state, update)
            self._version = update.version
            if not update.truncated:
                break
        with self._lock:
            self._state = state
            self._cached = None

    def _apply(self, state: _State, update) -> None:
        for filter_update in update.filterSet or ():
            for object_update in filter_update.objectSet or ():
                obj = object_update.obj
                state.apply(str(object_update.kind), obj._wsdlName, obj._moId, _changes(object_update))

    def _run(self) -> None:
        from pyVmomi import vmodl

        while not self._stopped.is_set():
            try:
                update = self._wait(self.max_wait_s, raw=True)
            except vmodl.fault.RequestCanceled:
                continue  # stop() cancelled the wait; the loop condition ends the thread
            except Exception:  # noqa: BLE001 - a broken wait: changes may be lost, so start over
                if self._stopped.is_set() or not self._resync():
                    break
                continue
            if update is None or self._stopped.is_set():
                continue  # maxWaitSeconds passed without a change
            with self._lock:
                self._apply(self._state, update)
                self._cached = None
            self._version = update.version
            self.updates += 1
            self._notify()

    def _resync(self) -> bool:
        """New collector and filter, full reload. False (with `error` set) when the server is unreachable."""
        old = self._collector
        if self._stopped.wait(0.2):  # (the pause: never spin if the server keeps breaking the wait)
            return False
        try:
            self._build()
            self._load_all()
        except Exception as exc:  # noqa: BLE001 - recorded for the collector, which reconnects
            if not self._stopped.is_set():
                self.error = exc
            return False
        if old is not None:
            try:
                old.Destroy()
            except Exception:
                pass  # usually gone with its session already
        self.reloads += 1
        self._notify()
        return True

    def _notify(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:
                pass  # a viewer's callback must not end the watch
