"""Execute a plan: each step in order, events as it goes, and on failure or cancel a reverse-order rollback
of what this run created. Blocking (pyvmomi): run it in a thread when a UI must stay responsive.

    result = run_plan(plan, session, on_event=print, cancel=token)

The result says what was removed and, when a cleanup call failed, exactly what is left behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tui.core.cancel import Cancelled, CancelToken
from tui.core.vch import events as ev
from tui.core.vch.create_log import CreateLog, run_secrets
from tui.core.vch.journal import Journal
from tui.core.vch.steps import RunContext, Step, UndoIncomplete
from tui.core.vsphere.faults import error_text
from tui.core.vsphere.wait import Waiter


def run_plan(
    plan,
    session,
    *,
    on_event: Callable[[ev.Event], None] | None = None,
    cancel: CancelToken | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> ev.RunResult:
    cancel = cancel or CancelToken()
    create_log = CreateLog(run_secrets(session, plan))
    emit = create_log.tee(on_event or (lambda event: None))
    waiter = Waiter(session, cancel, clock=clock)
    ctx = RunContext(
        session=session,
        plan=plan,
        waiter=waiter,
        cancel=cancel,
        emit=emit,
        clock=clock,
        journal=Journal.for_session(session, plan.spec.name),
    )
    started: list[Step] = []
    running = rolled_back = False
    result = ev.RunResult(ok=False, name=plan.spec.name)
    try:
        try:
            for step in plan.steps:
                cancel.check()  # between steps: no step failed, the finished ones are rolled back
                started.append(step)
                running = True
                emit(ev.StepChanged(step.key, ev.RUNNING, clock()))
                cancel.check()
                step.run(ctx)
                running = False
                emit(ev.StepChanged(step.key, ev.DONE, clock()))
            result.ok = True
            result.outputs = ctx.outputs
            emit(ev.LogLine(f"VCH {plan.spec.name} created", clock()))
            upload_create_log(ctx, create_log)
        except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt too: whatever stops the run, roll back
            result.cancelled = isinstance(exc, (Cancelled, KeyboardInterrupt))
            result.error = "cancelled by the user" if result.cancelled else error_text(exc)
            if started and running:
                current = started[-1]
                result.failed_step = current.key
                emit(ev.StepChanged(current.key, ev.FAILED, clock(), result.error))
            emit(
                ev.LogLine(
                    ("cancelled: " if result.cancelled else "failed: ") + result.error,
                    clock(),
                    "warning" if result.cancelled else "error",
                )
            )
            pending = list(reversed(started))
            try:
                rollback(ctx, started, result, pending)
                rolled_back = True
            except KeyboardInterrupt:  # a second interrupt between two undo calls
                cancel.abandon()
                _abandon(ctx, pending, result)
                _settle(result)
            if not isinstance(exc, Exception) and not isinstance(exc, KeyboardInterrupt):
                raise
    finally:
        waiter.close()
        if result.ok or (rolled_back and not result.left):
            ctx.journal.clear()  # created (the endpoint VM identifies it now) or fully rolled back
    emit(ev.Finished(result, clock()))
    return result


def upload_create_log(ctx: RunContext, create_log: CreateLog) -> None:
    """The log beside the VM, as vic-machine leaves it; best effort (a failure is a warning)."""
    try:
        where = create_log.upload(ctx.session, ctx.targets)
    except Exception as exc:  # noqa: BLE001 - the VCH is created; the log is a courtesy
        ctx.emit(ev.LogLine(f"could not upload the create log: {error_text(exc)}", ctx.clock(), "warning"))
        return
    ctx.emit(ev.LogLine(f"create log uploaded to {where}", ctx.clock()))


def rollback(ctx: RunContext, started: list[Step], result: ev.RunResult, pending: list[Step] | None = None) -> None:
    """Undo the started steps in reverse order (`pending` is consumed as they go). A failed undo is reported and
    the rollback goes on; after a second interrupt (the token abandoned) the rest is reported as left."""
    emit, clock = ctx.emit, ctx.clock
    if not started:
        return
    emit(ev.LogLine("rolling back what this run created", clock(), "warning"))
    pending = list(reversed(started)) if pending is None else pending
    while pending:
        if ctx.cancel.abandoned:
            _abandon(ctx, pending, result)
            break
        step = pending.pop(0)
        removed: list[str] = []
        emit(ev.StepChanged(step.key, ev.ROLLING_BACK, clock()))
        try:
            step.undo(ctx, removed)
        except BaseException as exc:  # noqa: BLE001 - a cleanup call failed: say what stays, keep going
            left = [
                item
                for item in (exc.left if isinstance(exc, UndoIncomplete) else leftovers_of(step, ctx))
                if item not in removed
            ]
            _report_removed(ctx, removed, result)
            result.left += left
            text = error_text(exc)
            emit(ev.StepChanged(step.key, ev.ROLLBACK_FAILED, clock(), text))
            emit(
                ev.LogLine(
                    f"could not undo '{step.title}': {text}; left: {', '.join(left) or 'nothing known'}",
                    clock(),
                    "error",
                )
            )
            continue
        _report_removed(ctx, removed, result)
        emit(ev.StepChanged(step.key, ev.ROLLED_BACK if removed else _final_state(step, result), clock()))
    _settle(result)
    if result.left:
        emit(
            ev.LogLine(
                f"left behind: {'; '.join(result.left)}. `vch-tui delete {ctx.spec.name}` removes what a VCH left",
                clock(),
                "error",
            )
        )
    else:
        emit(ev.LogLine("rollback complete: nothing this run created is left", clock()))


def _abandon(ctx: RunContext, steps: list[Step], result: ev.RunResult) -> None:
    """The rollback was stopped (a second interrupt): what the remaining steps made stays, and is said."""
    for step in steps:
        left = leftovers_of(step, ctx)
        result.left += left
        if left:
            ctx.emit(ev.StepChanged(step.key, ev.ROLLBACK_FAILED, ctx.clock(), "rollback stopped"))
    ctx.emit(ev.LogLine("rollback stopped by a second interrupt", ctx.clock(), "error"))


def _settle(result: ev.RunResult) -> None:
    """One line per thing: no duplicates, nothing both removed and left, and of `X` and `X (detail)` only the
    one with the detail."""
    result.removed = list(dict.fromkeys(result.removed))
    left = [item for item in dict.fromkeys(result.left) if item not in result.removed]
    result.left = [item for item in left if not any(o != item and o.startswith(item + " (") for o in left)]


def _report_removed(ctx: RunContext, removed: list[str], result: ev.RunResult) -> None:
    for item in removed:
        ctx.emit(ev.LogLine(f"removed {item}", ctx.clock()))
    result.removed += removed


def _final_state(step: Step, result: ev.RunResult) -> str:
    """A step with nothing to undo keeps its state: failed if it was the one that failed, else done."""
    return ev.FAILED if step.key == result.failed_step else ev.DONE


def leftovers_of(step: Step, ctx: RunContext) -> list[str]:
    """What a step that failed to undo still has in place, from what the context recorded (named as the
    step names it when it removes it)."""
    t = ctx.targets
    key = step.key
    if key == "folder" and ctx.folder is not None:
        return [step.label(ctx)]
    if key == "pool" and ctx.pool is not None:
        return [step.label(ctx)]
    if key == "vm" and (ctx.vm is not None or ctx.vm_requested):
        return ([step.label(ctx)] if ctx.vm is not None or ctx.folder is not None else []) + [
            f"datastore folder [{t.datastore.name}] {t.vm_dir}"
        ]
    if key == "upload" and ctx.uploads:
        return [f"uploaded file [{t.datastore.name}] {p}" for p in ctx.uploads]
    if key == "power" and ctx.vm is not None:
        return [f"endpoint VM {ctx.spec.name} (powered on)"]
    if key == "bridge" and ctx.bridge is not None and ctx.bridge.made:
        return [step.label(ctx)]
    if key == "volumes" and ctx.volume_folders:
        return [f"volume store folder {p}" for p in ctx.volume_folders]
    if key == "tls" and ctx.tls is not None:
        return [f"local {p}" for p in ctx.tls.leftovers()]
    if key == "finish" and ctx.tls is not None:
        return [f"local {p}" for p in ctx.tls.env_leftovers()]
    return []
