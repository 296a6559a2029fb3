"""Batched raw QueryPerf over a logged-in pyvmomi session (its cookie and its HTTP(S) connection pool).

The pyvmomi stub keeps the session, TLS trust and connection reuse; only the hot call bypasses its
(de)serialiser. VMs are queried in chunks of at most 256; a fault on one chunk is reported for that
chunk's VMs and the others still return values. An expired session (NotAuthenticated) is raised, since
every chunk would fail the same way and the caller has to log in again.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tui.core import soap_http
from tui.core.metrics import perfxml
from tui.core.metrics.perfxml import PerfQueryFault, PerfValues


def post_soap(stub, body: bytes) -> bytes:
    """POST one QueryPerf request on the stub's session; the raw reply body (a result or a SOAP fault)."""
    status, reason, data = soap_http.post(stub, body, what="QueryPerf")
    if status not in (200, 500):  # SOAP faults come with 500; anything else is not SOAP
        raise PerfQueryFault("HTTP", f"HTTP {status} {reason}")
    return data


@dataclass
class PerfResult:
    values: PerfValues = field(default_factory=dict)
    failed: dict[str, PerfQueryFault] = field(default_factory=dict)  # vm moid -> the fault of its chunk
    calls: int = 0  # QueryPerf requests sent


class PerfQuery:
    """Latest realtime value of a fixed counter set for many VMs; build once per session."""

    def __init__(
        self,
        stub,
        perf_manager: str,
        counter_ids: Sequence[int],
        *,
        chunk_size: int = perfxml.MAX_ENTITIES_PER_QUERY,
        concurrency: int = 1,
    ) -> None:
        self.stub = stub
        self.perf_manager = perf_manager
        self.chunk_size = chunk_size
        self.concurrency = max(1, concurrency)
        self._metric_ids = perfxml.metric_ids_xml(counter_ids)

    def _one(self, vms: Sequence[str]) -> PerfValues:
        body = perfxml.build_query_perf(vms, self._metric_ids, perf_manager=self.perf_manager)
        return perfxml.parse_query_perf(post_soap(self.stub, body))

    def run(self, vms: Sequence[str]) -> PerfResult:
        result = PerfResult()
        parts = list(perfxml.chunks(vms, self.chunk_size))
        result.calls = len(parts)
        if self.concurrency == 1 or len(parts) <= 1:
            outcomes = [self._guarded(part) for part in parts]
        else:
            with ThreadPoolExecutor(max_workers=min(self.concurrency, len(parts))) as pool:
                outcomes = list(pool.map(self._guarded, parts))
        for part, outcome in zip(parts, outcomes, strict=True):
            if isinstance(outcome, PerfQueryFault):
                if outcome.session_expired:
                    raise outcome
                result.failed.update(dict.fromkeys(part, outcome))
            else:
                result.values.update(outcome)
        return result

    def _guarded(self, part: Sequence[str]) -> PerfValues | PerfQueryFault:
        try:
            return self._one(part)
        except PerfQueryFault as fault:
            return fault
