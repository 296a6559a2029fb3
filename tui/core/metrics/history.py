"""Client-side history of every metric of every container, bounded and compact by design.

Each container has fixed-size ring buffers, allocated once: one `array('d')` of timestamps and one
`array('f')` (4 bytes a value) of every metric, slot after slot (a sample's metrics side by side, so
appending one is one slice assignment: 10,000 containers a refresh), with NaN for a value that was
not available. Memory is
therefore (live containers) x (4 x metrics + 8) x maxlen bytes plus a small constant per container,
whatever happens later: 1000 containers x one hour of 20 s samples is about 10 MB. One point is kept
per vSphere sample (the Monitor screen applies a refresh only when the sample is new), not per repaint.
A container that disappears from a refresh is dropped with its buffers. History is kept by VM managed
object id, so it survives reconnects (the ids do not change) and renames.
Not thread-safe: mutate and read it from one thread (the UI thread, fed by collector messages).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from itertools import chain
from operator import attrgetter

from tui.core.metrics.model import METRIC_FIELDS, ContainerSample

DEFAULT_MAXLEN = 180  # 1 h at the 20 s realtime interval: what an ESXi host itself keeps for real-time stats
_NAN = float("nan")
_METRICS = attrgetter(*METRIC_FIELDS)  # every metric of a sample in one call, in METRIC_FIELDS order
_METRICS_OF = attrgetter("metrics")
_WIDTH = len(METRIC_FIELDS)
_OFFSET = {name: n for n, name in enumerate(METRIC_FIELDS)}


class _Ring:
    """One container's buffers; `start` is the oldest slot once `count` reached maxlen."""

    __slots__ = ("count", "start", "timestamps", "values")

    def __init__(self, maxlen: int) -> None:
        self.timestamps = array("d", [_NAN]) * maxlen
        self.values = array("f", [_NAN]) * (maxlen * _WIDTH)  # slot s holds [s * _WIDTH, (s + 1) * _WIDTH)
        self.start = 0
        self.count = 0

    def put(self, timestamp: float, values: array, at: int) -> None:
        """Append the sample whose metrics are values[at : at + _WIDTH]."""
        maxlen = len(self.timestamps)
        if self.count < maxlen:
            slot = self.count
            self.count += 1
        else:
            slot = self.start
            self.start = (self.start + 1) % maxlen
        self.timestamps[slot] = timestamp
        self.values[slot * _WIDTH : (slot + 1) * _WIDTH] = values[at : at + _WIDTH]

    def ordered(self, buffer: array) -> list[float]:
        """The buffer's filled slots, oldest first."""
        if self.count < len(buffer):
            return buffer[: self.count].tolist()
        return buffer[self.start :].tolist() + buffer[: self.start].tolist()

    def metric(self, name: str) -> array:
        """One metric's values, slot by slot (a copy)."""
        return self.values[_OFFSET[name] :: _WIDTH]


class History:
    def __init__(self, maxlen: int = DEFAULT_MAXLEN) -> None:
        if maxlen < 1:
            raise ValueError(f"history length must be at least 1, got {maxlen}")
        self.maxlen = maxlen
        self._by_vm: dict[str, _Ring] = {}

    def add(self, timestamp: float, samples: Iterable[ContainerSample], *, prune: bool = True) -> None:
        """Append one refresh. With prune, containers not in it are forgotten (they vanished).

        Every sample's metrics are converted in one pass (C loops, NaN for a missing value), then each ring
        takes its slice: at 10,000 containers a refresh this is the UI thread's largest part."""
        samples = list(samples)
        values = chain.from_iterable(map(_METRICS, map(_METRICS_OF, samples)))
        try:
            flat = array("f", values)
        except TypeError:  # a missing value (None) somewhere
            every = chain.from_iterable(map(_METRICS, map(_METRICS_OF, samples)))
            flat = array("f", [_NAN if v is None else v for v in every])
        by_vm, maxlen = self._by_vm, self.maxlen
        at = 0
        for ring, sample in zip([by_vm.get(s.vm) for s in samples], samples, strict=True):
            if ring is None:
                ring = by_vm[sample.vm] = _Ring(maxlen)
            ring.put(timestamp, flat, at)
            at += _WIDTH
        if prune:
            seen = {s.vm for s in samples}
            if len(seen) != len(by_vm):
                for vm in [vm for vm in by_vm if vm not in seen]:
                    del by_vm[vm]

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
        ring = self._by_vm.get(vm)
        return ring.ordered(ring.timestamps) if ring else []

    def series(self, vm: str, metric: str) -> list[float | None]:
        """Oldest first, None where the value was not available; [] for an unknown container.

        KeyError names an unknown metric. Values come back at float32 precision (7 significant digits).
        """
        if metric not in METRIC_FIELDS:
            raise KeyError(f"unknown metric {metric!r}; known: {', '.join(METRIC_FIELDS)}")
        ring = self._by_vm.get(vm)
        if ring is None:
            return []
        return [None if math.isnan(v) else v for v in ring.ordered(ring.metric(metric))]

    def stored_values(self) -> int:
        """How many values are held now (for the soak check): never above len(self) x (metrics+1) x maxlen."""
        return sum(ring.count for ring in self._by_vm.values()) * (len(METRIC_FIELDS) + 1)

    def allocated_bytes(self) -> int:
        """The buffers' payload, allocated up front: what the history costs whatever is in it."""
        per_ring = self.maxlen * (array("d").itemsize + len(METRIC_FIELDS) * array("f").itemsize)
        return per_ring * len(self._by_vm)
