"""The one way tests wait: until a condition holds, or fail saying what never happened (never fall through).

    await until(pilot, lambda: screen.checked, "the wizard's full check")     # a Textual Pilot test
    wait_until(lambda: not watcher.alive, "the watcher thread to end")          # threads and processes

Waits are bounded by time, not by a count of tries: under load (2 noisy cores) a pause takes longer than it
says, and a fixed count of tries then gives up too early. `what` may be a callable, called at the timeout, to
describe the state that was reached instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DEFAULT_TIMEOUT = 30.0


def _fail(what: str | Callable[[], str], timeout: float) -> AssertionError:
    text = what() if callable(what) else what
    return AssertionError(f"timed out after {timeout:g} s waiting for {text}")


async def until(
    pilot: Any,
    condition: Callable[[], object],
    what: str | Callable[[], str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    step: float = 0.02,
) -> None:
    """Let the app run (pilot.pause) until `condition()` is true. It pauses before the first look, so that
    messages an action just posted are handled first (a state that is about to change is not taken as
    reached)."""
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while not condition():
        if time.monotonic() > deadline:
            raise _fail(what, timeout)
        await pilot.pause(step)


def wait_until(
    condition: Callable[[], Any],
    what: str | Callable[[], str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    step: float = 0.05,
) -> Any:
    """Sleep in steps until `condition()` returns something truthy, and return it; the failure names the last
    value seen."""
    deadline = time.monotonic() + timeout
    while not (last := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{_fail(what, timeout)}; last: {last!r}")
        time.sleep(step)
    return last
