"""What one monitor refresh saw (Refresh), apart from the collector that makes it: the headless table and a
replay need it without loading the collection path (pyvmomi calls, perf XML, the inventory watcher)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.errors import InvalidInput
from tui.core.metrics.model import ContainerSample, VchSnapshot


@dataclass(frozen=True)
class Refresh:
    """What one refresh saw. `snapshots` is empty while reconnecting (keep showing the last ones)."""

    t: float  # Unix time of the refresh
    snapshots: tuple[VchSnapshot, ...] = ()
    vch_names: tuple[str, ...] = ()  # every VCH on the target (for a picker)
    status: str = "live"  # "live" or "reconnecting"
    problems: tuple[str, ...] = ()  # in words: a faulting chunk, a re-login, a vanished VCH
    retry_in_s: float | None = None  # reconnecting: when the next attempt is due
    attempt: int = 0  # reconnecting: attempts so far
    duration_s: float = 0.0
    perf_s: float = 0.0  # of which in QueryPerf (requests + parse)
    perf_calls: int = 0  # QueryPerf requests sent (one per chunk)
    concurrency: int = 0  # QueryPerf chunks that were allowed in flight (concurrency_for, unless fixed)

    @property
    def live(self) -> bool:
        return self.status == "live"

    def samples(self) -> list[ContainerSample]:
        return [c for s in self.snapshots for c in s.containers]


def unknown_vch(name: str, known: Sequence[str]) -> InvalidInput:
    return InvalidInput(
        f"no VCH named {name!r} on this target",
        field="--vch",
        hint=("VCHs found: " + ", ".join(known))
        if known
        else "no VCH found at all (a VCH is a VM whose VIC configuration names it: the hidden init/common/name)",
    )
