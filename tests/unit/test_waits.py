"""The tests' wait helper: returns as soon as the condition holds, otherwise raises naming what it waited for."""

from __future__ import annotations

import asyncio

import pytest

from tests.waits import until, wait_until


class FakePilot:
    def __init__(self) -> None:
        self.pauses = 0

    async def pause(self, delay: float | None = None) -> None:
        self.pauses += 1
        await asyncio.sleep(0)


def test_wait_until_returns_once_true_and_raises_with_the_description():
    calls = iter([False, None, "open"])
    assert wait_until(lambda: next(calls), "three calls", step=0) == "open"
    with pytest.raises(AssertionError, match=r"timed out after 0\.05 s waiting for the door \(state: shut\); last: 0"):
        wait_until(lambda: 0, lambda: "the door (state: shut)", timeout=0.05, step=0.01)


async def test_until_lets_the_app_run_before_each_look():
    pilot, seen = FakePilot(), []
    await until(pilot, lambda: seen.append(pilot.pauses) or len(seen) == 3, "three tries")
    assert seen == [1, 2, 3]  # never a look before the app ran
    with pytest.raises(AssertionError, match="waiting for never"):
        await until(pilot, lambda: False, "never", timeout=0.05)
