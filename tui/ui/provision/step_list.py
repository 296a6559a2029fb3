"""The plan's steps, one row each: a state mark and word (never colour alone), the title, the elapsed time."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label

from tui.core.spec.units import format_duration
from tui.core.vch import events as ev

MARKS = {
    ev.PENDING: "·",
    ev.RUNNING: "▸",
    ev.DONE: "✓",
    ev.FAILED: "✗",
    ev.ROLLING_BACK: "↺",
    ev.ROLLED_BACK: "↩",
    ev.ROLLBACK_FAILED: "!",
}
CANCELLED_MARK = "⊘"
ENDED = (ev.DONE, ev.FAILED, ev.ROLLED_BACK, ev.ROLLBACK_FAILED)


def elapsed_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 10:
        return f"{seconds:.1f}s"
    return format_duration(seconds)


class StepRow(Horizontal):
    def __init__(self, key: str, title: str) -> None:
        super().__init__(id=f"step-{key}", classes="step-row -pending")
        self.key, self.title_text = key, title
        self.state = ev.PENDING
        self.started: float | None = None
        self.ended: float | None = None
        self.message: str | None = None
        self.failed = False
        self.cancelled = False  # the step that was running when the user cancelled: not a failure

    def compose(self) -> ComposeResult:
        # the labels start from the current state: events may arrive before the row is mounted
        yield Label(MARKS[self.state], classes="step-mark")
        yield Label(Content(self.title_text), classes="step-title")
        yield Label(self.state_text, classes="step-state")
        yield Label(self._time_text(self.ended), classes="step-time")

    def set_state(self, state: str, at: float, message: str | None = None, *, cancelled: bool = False) -> None:
        self.cancelled = self.cancelled or (cancelled and state == ev.FAILED)
        if state == ev.RUNNING:
            self.started, self.ended = at, None
        elif state in (ev.DONE, ev.FAILED) and self.started is not None and self.ended is None:
            self.ended = at  # the first end counts: a rollback reports untouched steps as done again
        self.failed = self.failed or state == ev.FAILED
        self.remove_class(f"-{self.state.replace(' ', '-')}")
        self.state, self.message = state, message or self.message
        self.add_class(f"-{state.replace(' ', '-')}")
        self.set_class(self.cancelled, "-cancelled")
        self._set(".step-mark", CANCELLED_MARK if self.cancelled and state == ev.FAILED else MARKS[state])
        self._set(".step-state", self.state_text)
        self.tooltip = self.message

    @property
    def state_text(self) -> str:
        """The state word; the step that failed (or was cancelled) keeps saying so after its rollback."""
        why = "cancelled" if self.cancelled else "failed"
        if self.failed and self.state in (ev.ROLLING_BACK, ev.ROLLED_BACK, ev.ROLLBACK_FAILED):
            return f"{why}, {self.state}"
        return why if self.state == ev.FAILED else self.state

    def _time_text(self, end: float | None) -> str:
        return elapsed_text(end - self.started if end is not None and self.started is not None else None)

    def _set(self, selector: str, text: str) -> None:
        for label in self.query(selector).results(Label):
            label.update(text)

    def refresh_time(self, now: float) -> None:
        if self.started is None:
            return
        end = self.ended if self.ended is not None else (now if self.state == ev.RUNNING else None)
        self._set(".step-time", self._time_text(end))


class StepList(Vertical):
    """Rows for (key, title) pairs; `apply(StepChanged)` moves one along; `tick(now)` refreshes times."""

    def __init__(self, steps: list[tuple[str, str]] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # the rows by key, kept here: events may arrive before the rows are mounted
        self._rows = {key: StepRow(key, title) for key, title in steps or []}

    def compose(self) -> ComposeResult:
        yield from self._rows.values()

    def set_steps(self, steps: list[tuple[str, str]]) -> None:
        self.remove_children()
        self._rows = {key: StepRow(key, title) for key, title in steps}
        self.mount_all(list(self._rows.values()))

    def rows(self) -> list[StepRow]:
        return list(self._rows.values())

    def row(self, key: str) -> StepRow | None:
        return self._rows.get(key)

    def apply(self, event: ev.StepChanged, now: Callable[[], float], *, cancelled: bool = False) -> None:
        """`cancelled`: the user cancelled the run, so a step reported failed was stopped, not broken."""
        row = self.row(event.key)
        if row is not None:
            row.set_state(event.state, event.at, event.message, cancelled=cancelled)
            row.refresh_time(now())

    def tick(self, now: float) -> None:
        for row in self.rows():
            if row.state == ev.RUNNING:
                row.refresh_time(now)

    def states(self) -> dict[str, str]:
        return {r.key: r.state for r in self.rows()}
