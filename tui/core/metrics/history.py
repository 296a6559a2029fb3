"""Client-side history of every metric of every container, bounded by design.

Memory is at most (live containers) x (metrics + 1 timestamp) x maxlen values: each series is a
deque(maxlen), and a container that disappears from a refresh is dropped with its series. History is
kept by VM managed object id, so it survives reconnects (the ids do not change) and renames.
Not thread-safe: mutate and read it from one thread (the UI thread, fed by collector messages).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from tui.core.metrics.model import METRIC_FIELDS, ContainerSample

DEFAULT_MAXLEN = 720  # 4 h at the 20 s realtime interval; 12 min at a 1 s refresh


class _Series:
    __slots__ = ("timestamps", "values")

    def __init__(self, maxlen: int) -> None:
        self.timestamps: deque[float] = deque(maxlen=maxlen)
        self.values: dict[str, deque[float | None]] = {name: deque(maxlen=maxlen) for name in METRIC_FIELDS}


class History:
    def __init__(self, maxlen: int = DEFAULT_MAXLEN) -> None:
        if maxlen < 1:
            raise ValueError(f"history length must be at least 1, got {maxlen}")
        self.maxlen = maxlen
        self._by_vm: dict[str, _Series] = {}

    def add(self, timestamp: float, samples: Iterable[ContainerSample], *, prune: bool = True) -> None:
        """Append one refresh. With prune, containers not in it are forgotten (they vanished)."""
        seen = set()
        for sample in samples:
            seen.add(sample.vm)
            series = self._by_vm.get(sample.vm)
            if series is None:
                series = self._by_vm[sample.vm] = _Series(self.maxlen)
            series.timestamps.append(timestamp)
            metrics = sample.metrics
            for name, values in series.values.items():
                values.append(getattr(metrics, name))
        if prune:
            for vm in [vm for vm in self._by_vm if vm not in seen]:
                del self._by_vm[vm]

    def forget(self, vm: str) -> None:
        self._by_vm.pop(vm, None)

    def clear(self) -> None:
        self._by_vm.clear()

    def vms(self) -> list[str]:
        return list(self._by_vm)

    def __contains__(self, vm: object) -> bool:
        return vm in self._by_vm

    def __len__(self) -> int:
        return len(self._by_vm)

    def timestamps(self, vm: str) -> list[float]:
        series = self._by_vm.get(vm)
        return list(series.timestamps) if series else []

    def series(self, vm: str, metric: str) -> list[float | None]:
        """Oldest first; [] for an unknown container. KeyError names an unknown metric."""
        if metric not in METRIC_FIELDS:
            raise KeyError(f"unknown metric {metric!r}; known: {', '.join(METRIC_FIELDS)}")
        series = self._by_vm.get(vm)
        return list(series.values[metric]) if series else []

    def stored_values(self) -> int:
        """How many values are held now (for the soak check): never above len(self) x (metrics+1) x maxlen."""
        return sum(len(s.timestamps) + sum(len(v) for v in s.values.values()) for s in self._by_vm.values())
