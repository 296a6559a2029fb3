"""Durations as vic-machine writes them (Go's time.ParseDuration syntax: `3m`, `90s`, `1m30s`, `1.5h`)."""

from __future__ import annotations

import re

_UNIT_SECONDS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)", re.ASCII)  # ASCII digits only
DURATION_EXAMPLES = "3m, 90s, 1m30s or 1h"


def parse_duration(text: str) -> float:
    """Seconds in a Go duration string. Raises ValueError naming the accepted forms."""
    raw = text.strip() if isinstance(text, str) else ""
    body = raw.lstrip("+-")
    sign = -1.0 if raw.startswith("-") else 1.0
    if body == "0":
        return 0.0
    pos, total = 0, 0.0
    while pos < len(body):
        match = _PART.match(body, pos)
        if not match:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if not body or pos != len(body):
        raise ValueError(
            f"{text!r} is not a duration: write a number and a unit (h, m, s, ms), e.g. {DURATION_EXAMPLES}"
        )
    return sign * total


def format_duration(seconds: float) -> str:
    """A whole number of seconds written the short way vic-machine users write it: 180 → `3m`, 90 → `1m30s`."""
    whole = int(round(seconds))
    if whole <= 0:
        return "0s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return "".join(parts)
