"""The alert log: every change of a container's state, with the refresh time and the reasons in words.

The first refresh reports the containers already in trouble (an ok container is not news); later ones
report changes of state, containers that appear and containers that are gone. A container whose state is
`unknown` (missing data) changes nothing: it keeps its last known state, so crit → (no data) → crit is no
alert, and crit → (no data) → ok is one, crit → ok. Bounded: the oldest entries fall off. Pure and single-threaded (the viewer's thread owns it).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from tui.core.metrics.model import VchSnapshot
from tui.core.metrics.thresholds import UNKNOWN

DEFAULT_MAX_ALERTS = 500
_ARROW = "→"


@dataclass(frozen=True)
class Alert:
    t: float
    vm: str
    name: str
    vch: str
    old: str | None  # None: the container appeared (or was first seen in trouble)
    new: str | None  # None: the container is gone
    reasons: tuple[str, ...] = ()
    first: bool = False  # seen on the first refresh (already in that state, not a change)

    @property
    def severity(self) -> str:
        """The state that colours the entry: the new one, or "ok" for a container that went away."""
        return self.new or "ok"

    def words(self) -> str:
        if self.new is None:
            what = "gone"
        elif self.old is None:
            what = self.new if self.first else f"appeared, {self.new}"
        else:
            what = f"{self.old} {_ARROW} {self.new}"
        text = f"{self.name} ({self.vch}) {what}"
        if self.reasons and self.new not in (None, "ok"):
            text += ": " + ", ".join(self.reasons)
        return text

    def line(self, local_time=time.localtime) -> str:
        return f"{time.strftime('%H:%M:%S', local_time(self.t))}  {self.words()}"


class AlertLog:
    def __init__(self, maxlen: int = DEFAULT_MAX_ALERTS) -> None:
        self.entries: deque[Alert] = deque(maxlen=maxlen)
        self._known: dict[str, str] | None = None  # vm -> last state; None until the first refresh
        self._names: dict[str, tuple[str, str]] = {}  # vm -> (container name, VCH name), for "gone"

    def rebase(self) -> None:
        """Forget who was seen (e.g. another VCH was picked): the next refresh is a first one again."""
        self._known = None

    def update(self, t: float, snapshots: Iterable[VchSnapshot]) -> list[Alert]:
        first = self._known is None
        known = self._known or {}
        seen: dict[str, str] = {}
        names: dict[str, tuple[str, str]] = {}
        new: list[Alert] = []
        for snapshot in snapshots:
            vch = snapshot.vch.name
            for c in snapshot.containers:
                names[c.vm] = (c.name, vch)
                before = known.get(c.vm)
                if c.state == UNKNOWN:  # no news: remember what was known (or that it was seen)
                    seen[c.vm] = before or UNKNOWN
                    continue
                seen[c.vm] = c.state
                if first or before == UNKNOWN:  # first known state: news only if in trouble
                    if c.state != "ok":
                        new.append(Alert(t, c.vm, c.name, vch, None, c.state, c.reasons, first=True))
                elif before is None:
                    new.append(Alert(t, c.vm, c.name, vch, None, c.state, c.reasons))
                elif before != c.state:
                    new.append(Alert(t, c.vm, c.name, vch, before, c.state, c.reasons))
        if not first:
            for vm in known.keys() - seen.keys():
                name, vch = self._names.get(vm, (vm, "?"))
                new.append(Alert(t, vm, name, vch, known[vm], None))
        self._known = seen
        self._names = names
        self.entries.extend(new)
        return new

    def __len__(self) -> int:
        return len(self.entries)
