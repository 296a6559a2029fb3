"""Waits built on WaitForUpdatesEx (never the legacy blocking WaitForUpdates): bounded and cancellable.

A task that vSphere has already finished costs one property read; otherwise the wait follows the task
through a private PropertyCollector (created once per Waiter, so other users of the session's default
collector are not disturbed). Property waits (the endpoint's guest address) work the same way and check
the cancel token at least every `poll_seconds`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tui.core.cancel import CancelToken
from tui.core.vsphere.faults import VSphereCallFailed, call_failed, fault_text

TASK_PATHS = ["info.state", "info.error", "info.result"]  # never info.entity: vcsim fills it with non-entities
DEFAULT_TASK_TIMEOUT = 1800.0


class WaitTimedOut(VSphereCallFailed):
    pass


def _filter_spec(obj: Any, obj_type: type, paths: list[str]):
    from pyVmomi import vmodl

    pc = vmodl.query.PropertyCollector
    return pc.FilterSpec(
        objectSet=[pc.ObjectSpec(obj=obj, skip=False)],
        propSet=[pc.PropertySpec(type=obj_type, pathSet=paths, all=False)],
    )


class Waiter:
    def __init__(
        self,
        session,
        cancel: CancelToken | None = None,
        *,
        poll_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.cancel = cancel or CancelToken()
        self.poll_seconds = poll_seconds
        self.clock = clock
        self._collector = None

    # -- reads -------------------------------------------------------------------------------------

    def read(self, obj: Any, obj_type: type, paths: list[str]) -> dict[str, Any]:
        """One RetrievePropertiesEx for one object."""
        from pyVmomi import vmodl

        pc = vmodl.query.PropertyCollector
        result = self.session.content.propertyCollector.RetrievePropertiesEx(
            [_filter_spec(obj, obj_type, paths)], pc.RetrieveOptions()
        )
        props: dict[str, Any] = {}
        for item in result.objects if result else []:
            props.update({p.name: p.val for p in item.propSet})
        return props

    # -- tasks -------------------------------------------------------------------------------------

    def task(self, task: Any, what: str, *, timeout: float = DEFAULT_TASK_TIMEOUT) -> Any:
        """Wait until `task` ends; return its result or raise VSphereCallFailed naming `what`.

        Cancellation is deliberately ignored: a running task cannot be taken back, and the rollback needs
        to know whether it created something.
        """
        from pyVmomi import vim

        props = self.read(task, vim.Task, TASK_PATHS)
        if props.get("info.state") not in ("success", "error"):
            props = self._follow(
                task,
                vim.Task,
                TASK_PATHS,
                lambda p: p.get("info.state") in ("success", "error"),
                deadline=self.clock() + timeout,
                what=what,
                cancellable=False,
            )
        if props.get("info.state") == "error":
            fault = props.get("info.error")
            raise VSphereCallFailed(f"{what} failed: {fault_text(fault) if fault else 'unknown error'}", fault)
        return props.get("info.result")

    def until(
        self, obj: Any, obj_type: type, path: str, accept: Callable[[Any], bool], *, deadline: float, what: str
    ) -> Any:
        """Follow one property until `accept(value)`; raises WaitTimedOut at `deadline`, Cancelled on cancel."""
        props = self._follow(
            obj, obj_type, [path], lambda p: accept(p.get(path)), deadline=deadline, what=what, cancellable=True
        )
        return props.get(path)

    # -- the WaitForUpdatesEx loop -----------------------------------------------------------------------

    def _private_collector(self):
        if self._collector is None:
            self._collector = self.session.content.propertyCollector.CreatePropertyCollector()
        return self._collector

    def _follow(
        self, obj, obj_type, paths, done: Callable[[dict], bool], *, deadline: float, what: str, cancellable: bool
    ) -> dict[str, Any]:
        from pyVmomi import vmodl

        try:
            try:
                return self._follow_once(obj, obj_type, paths, done, deadline, what, cancellable)
            except (vmodl.fault.ManagedObjectNotFound, vmodl.query.InvalidCollectorVersion):
                # the private collector died with a re-login: make a new one and start over
                self._collector = None
                return self._follow_once(obj, obj_type, paths, done, deadline, what, cancellable)
        except vmodl.MethodFault as exc:
            raise call_failed(f"waiting for {what}", exc) from None

    def _follow_once(self, obj, obj_type, paths, done, deadline, what, cancellable) -> dict[str, Any]:
        from pyVmomi import vmodl

        pc = vmodl.query.PropertyCollector
        collector = self._private_collector()
        flt = collector.CreateFilter(_filter_spec(obj, obj_type, paths), partialUpdates=False)
        props: dict[str, Any] = {}
        version = ""
        try:
            while True:
                if cancellable:
                    self.cancel.check()
                remaining = deadline - self.clock()
                if remaining <= 0:
                    raise WaitTimedOut(f"{what}: gave up waiting")
                wait = max(1, int(min(self.poll_seconds, remaining) + 0.999))
                update = collector.WaitForUpdatesEx(version, pc.WaitOptions(maxWaitSeconds=wait))
                if update is None:
                    continue
                version = update.version
                for fs in update.filterSet or []:
                    for item in fs.objectSet or []:
                        for change in item.changeSet or []:
                            props[change.name] = None if change.op == "remove" else change.val
                if done(props):
                    return props
        finally:
            try:
                flt.DestroyPropertyFilter()
            except Exception:
                pass  # the collector goes away with close() or the session anyway

    def close(self) -> None:
        collector, self._collector = self._collector, None
        if collector is not None:
            try:
                collector.DestroyPropertyCollector()
            except Exception:
                pass
