"""Go's time.ParseDuration and Duration.String, exactly (nanoseconds), for the create options vic-machine records
(`--timeout=3m0s`) and the durations VIC stores."""

from __future__ import annotations

import re
from fractions import Fraction

_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_PART = re.compile(r"(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)")
_MAX = (1 << 63) - 1


def parse_go_duration(text: str) -> int | None:
    """Nanoseconds, or None where Go's ParseDuration would fail."""
    body = text
    sign = 1
    if body and body[0] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if body == "0":
        return 0
    if not body:
        return None
    total = Fraction(0)
    pos = 0
    while pos < len(body):
        match = _PART.match(body, pos)
        if not match or (not match.group(1) and not match.group(2)):
            return None
        whole, frac, unit = match.group(1) or "0", match.group(2) or "", match.group(3)
        value = Fraction(int(whole)) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
        total += value * _UNITS[unit]
        pos = match.end()
    ns = int(total)  # Go truncates the fraction of a nanosecond
    if ns > _MAX:
        return None
    return sign * ns


def _fraction(value: int, unit: int) -> str:
    whole, rest = divmod(value, unit)
    if not rest:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}.{rest:0{digits}d}".rstrip("0")


def go_duration_string(ns: int) -> str:
    """Go's Duration.String: `3m0s`, `1h0m0s`, `1m30s`, `1.5s`, `300ms`, `0s`."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    u = abs(ns)
    if u < 1_000:
        return f"{sign}{u}ns"
    if u < 1_000_000:
        return f"{sign}{_fraction(u, 1_000)}µs"
    if u < 1_000_000_000:
        return f"{sign}{_fraction(u, 1_000_000)}ms"
    seconds, rest = divmod(u, 1_000_000_000)
    text = _fraction((seconds % 60) * 1_000_000_000 + rest, 1_000_000_000) + "s"
    minutes = seconds // 60
    if minutes:
        text = f"{minutes % 60}m{text}"
        if minutes // 60:
            text = f"{minutes // 60}h{text}"
    return sign + text
