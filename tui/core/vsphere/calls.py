"""Count the vSphere SOAP round trips a piece of work makes (benchmarks and call-budget tests).

Every pyvmomi call, including lazy property reads (which pyvmomi turns into property-collector calls),
goes through the session's SoapStubAdapter.InvokeMethod; wrapping that one method sees them all.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager


class CallCounter:
    def __init__(self) -> None:
        self.by_method: Counter[str] = Counter()
        self.order: list[str] = []  # the methods in the order they were called
        self._lock = threading.Lock()

    def add(self, method: str) -> None:
        with self._lock:
            self.by_method[method] += 1
            self.order.append(method)

    @property
    def total(self) -> int:
        return sum(self.by_method.values())

    def snapshot(self) -> Counter[str]:
        with self._lock:
            return Counter(self.by_method)


@contextmanager
def count_calls(session) -> Iterator[CallCounter]:
    stub = session.soap_stub
    original = stub.InvokeMethod
    counter = CallCounter()

    def counting(mo, info, args, outerStub=None):
        counter.add(getattr(info, "wsdlName", None) or getattr(info, "name", "?"))
        return original(mo, info, args, outerStub)

    stub.InvokeMethod = counting
    try:
        yield counter
    finally:
        del stub.InvokeMethod  # back to the class's method
