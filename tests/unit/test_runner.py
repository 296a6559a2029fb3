"""The provisioning runner (tui.core.vch.runner) with fake steps: the steps run in order, a failure or a
cancel at any step undoes the started steps in reverse, a failed undo is reported and the rollback goes on,
a second interrupt stops the rollback and says what is left, and the journal is cleared only when nothing is
left. No vSphere: the steps record what happens to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from tui.core.cancel import CancelToken
from tui.core.errors import VchError
from tui.core.vch import events as ev
from tui.core.vch.journal import Journal
from tui.core.vch.runner import run_plan
from tui.core.vch.steps import Step, UndoIncomplete

KEYS = ("first", "second", "third", "fourth")
NAME = "vch-fake"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@dataclass
class Script:
    """What each fake step does: fail / cancel inside run, cancel after run, fail or stop its undo."""

    fail_in: str | None = None
    cancel_in: str | None = None
    cancel_after: str | None = None
    interrupt_in: str | None = None
    undo_fails: dict[str, list[str]] = field(default_factory=dict)  # key → what stays
    second_interrupt_in_undo: str | None = None
    calls: list[tuple[str, str]] = field(default_factory=list)


class FakeStep(Step):
    def __init__(self, key: str, script: Script) -> None:
        self.key, self.title, self.script = key, f"Do {key}", script

    def run(self, ctx) -> None:
        s = self.script
        s.calls.append(("run", self.key))
        ctx.journal.add(self.key, f"ref-{self.key}", f"thing {self.key}")
        if s.fail_in == self.key:
            raise VchError(f"{self.key} went wrong", hint="fix it")
        if s.interrupt_in == self.key:
            raise KeyboardInterrupt
        if s.cancel_in == self.key:
            ctx.cancel.cancel()  # the user cancels while the step's call is under way ...
            ctx.cancel.check()  # ... and the step's wait sees it
        if s.cancel_after == self.key:
            ctx.cancel.cancel()  # the user cancels as the step finishes: the next one never starts

    def undo(self, ctx, removed: list[str]) -> None:
        s = self.script
        s.calls.append(("undo", self.key))
        if s.second_interrupt_in_undo == self.key:
            ctx.cancel.abandon()
            raise KeyboardInterrupt
        if self.key in s.undo_fails:
            raise UndoIncomplete(f"could not remove thing {self.key}", left=s.undo_fails[self.key])
        removed.append(f"thing {self.key}")


class FolderStep(FakeStep):
    """Named like the real folder step, so the runner knows what it leaves when its undo never runs."""

    def run(self, ctx) -> None:
        ctx.folder = object()
        super().run(ctx)

    def label(self, ctx) -> str:
        return "VM folder Datacenter/vm/vch-fake"


def session():
    return SimpleNamespace(target=SimpleNamespace(label="fake.vcenter:443"), content=None)


def run(script: Script, steps=None, token: CancelToken | None = None):
    events: list = []
    plan = SimpleNamespace(
        spec=SimpleNamespace(name=NAME), targets=None, steps=steps or [FakeStep(k, script) for k in KEYS]
    )
    result = run_plan(plan, session(), on_event=events.append, cancel=token, clock=Clock())
    return result, events


def states(events, key: str) -> list[str]:
    return [e.state for e in events if isinstance(e, ev.StepChanged) and e.key == key]


def journal() -> Journal:
    return Journal.for_session(session(), NAME)


def test_every_step_runs_once_in_order_and_nothing_is_undone():
    script = Script()
    result, events = run(script)
    assert result.ok and not result.cancelled and result.error is None
    assert script.calls == [("run", k) for k in KEYS]
    assert [states(events, k) for k in KEYS] == [[ev.RUNNING, ev.DONE]] * len(KEYS)
    assert isinstance(events[-1], ev.Finished) and events[-1].result is result
    assert [e.at for e in events] == sorted(e.at for e in events)  # the run clock, in order
    assert journal().entries == []  # created: the endpoint VM identifies it now


@pytest.mark.parametrize("index", range(len(KEYS)))
def test_a_failure_at_any_step_undoes_the_started_steps_in_reverse(index):
    failing = KEYS[index]
    script = Script(fail_in=failing)
    result, events = run(script)
    started = KEYS[: index + 1]
    assert script.calls == [("run", k) for k in started] + [("undo", k) for k in reversed(started)]
    assert not result.ok and not result.cancelled and result.failed_step == failing
    assert result.error == f"{failing} went wrong\n  fix it"
    assert result.removed == [f"thing {k}" for k in reversed(started)] and result.left == []
    assert states(events, failing) == [ev.RUNNING, ev.FAILED, ev.ROLLING_BACK, ev.ROLLED_BACK]
    for key in KEYS[:index]:
        assert states(events, key) == [ev.RUNNING, ev.DONE, ev.ROLLING_BACK, ev.ROLLED_BACK]
    for key in KEYS[index + 1 :]:
        assert states(events, key) == []  # never started
    assert journal().entries == []  # fully rolled back


@pytest.mark.parametrize("index", range(len(KEYS)))
def test_a_cancel_inside_any_step_rolls_back_what_was_started(index):
    script = Script(cancel_in=KEYS[index])
    result, events = run(script)
    started = KEYS[: index + 1]
    assert result.cancelled and not result.ok and result.failed_step == KEYS[index]
    assert result.error == "cancelled by the user"
    assert script.calls == [("run", k) for k in started] + [("undo", k) for k in reversed(started)]
    assert states(events, KEYS[index])[:2] == [ev.RUNNING, ev.FAILED]
    assert result.removed == [f"thing {k}" for k in reversed(started)]


@pytest.mark.parametrize("index", range(len(KEYS) - 1))
def test_a_cancel_between_steps_starts_no_further_step(index):
    script = Script(cancel_after=KEYS[index])
    result, events = run(script)
    done = KEYS[: index + 1]
    assert result.cancelled and result.failed_step is None  # no step failed: the finished ones are undone
    assert script.calls == [("run", k) for k in done] + [("undo", k) for k in reversed(done)]
    assert states(events, KEYS[index]) == [ev.RUNNING, ev.DONE, ev.ROLLING_BACK, ev.ROLLED_BACK]


def test_a_cancel_before_the_first_step_changes_nothing():
    token = CancelToken()
    token.cancel()
    script = Script()
    result, events = run(script, token=token)
    assert result.cancelled and script.calls == [] and result.removed == result.left == []
    assert isinstance(events[-1], ev.Finished)


def test_a_keyboard_interrupt_inside_a_step_is_a_cancel():
    script = Script(interrupt_in="third")
    result, _ = run(script)
    assert result.cancelled and result.failed_step == "third"
    assert script.calls[-3:] == [("undo", "third"), ("undo", "second"), ("undo", "first")]


def test_a_failed_undo_is_reported_and_the_rollback_goes_on():
    script = Script(fail_in="fourth", undo_fails={"second": ["thing second (still in use)"]})
    result, events = run(script)
    assert [c for c in script.calls if c[0] == "undo"] == [("undo", k) for k in reversed(KEYS)]
    assert result.removed == ["thing fourth", "thing third", "thing first"]
    assert result.left == ["thing second (still in use)"]
    assert states(events, "second")[-1] == ev.ROLLBACK_FAILED
    errors = [e.text for e in events if isinstance(e, ev.LogLine) and e.level == "error"]
    assert any("thing second (still in use)" in t and f"vch-tui delete {NAME}" in t for t in errors)
    assert journal().entries  # something is left: the record that proves it is this tool's stays


def test_a_second_interrupt_stops_the_rollback_and_says_what_is_left():
    script = Script(fail_in="fourth", second_interrupt_in_undo="third")
    steps = [FolderStep("folder", script)] + [FakeStep(k, script) for k in ("second", "third", "fourth")]
    result, events = run(script, steps=steps)
    undone = [c[1] for c in script.calls if c[0] == "undo"]
    assert undone == ["fourth", "third"]  # second and folder are never undone
    assert "VM folder Datacenter/vm/vch-fake" in result.left and "thing fourth" in result.removed
    assert any(isinstance(e, ev.LogLine) and "rollback stopped" in e.text for e in events)
    assert journal().entries  # kept: `delete` finds what is left from it
