"""Cooperative cancellation: a token the runner and its waits check between calls."""

from __future__ import annotations

import threading

from tui.core.errors import VchError


class Cancelled(VchError):
    """The user cancelled; raised at the next check point."""

    def __init__(self, message: str = "cancelled by the user") -> None:
        super().__init__(message)


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._abandon = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def abandon(self) -> None:
        """Stop the rollback too (a second interrupt): what is not undone yet is reported as left."""
        self._event.set()
        self._abandon.set()

    @property
    def abandoned(self) -> bool:
        return self._abandon.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def sleep(self, seconds: float) -> None:
        """Sleep, waking up (and raising Cancelled) as soon as the token is cancelled."""
        if self._event.wait(max(seconds, 0.0)):
            raise Cancelled()
