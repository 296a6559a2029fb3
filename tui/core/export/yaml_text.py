"""A small YAML writer for the files the exporter ships (nested mappings, lists, strings, numbers).

Block style, keys in the given order; a string is written plain when YAML reads it back as the same
string, otherwise double-quoted (JSON's escapes are a subset of YAML's). No dependency for a handful
of config files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ./()-]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, (list, tuple)):
        return "[]"
    text = str(value)
    if (
        _PLAIN.match(text)
        and text == text.strip()
        and text.lower() not in _RESERVED
        and ": " not in text
        and " #" not in text
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def number(value: float) -> str:
    """Shortest exact form: 0.05, 10, 1048576 (no 1e+06, no 5.0)."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _lines(value, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, Mapping):
        if not value:
            return [pad + "{}"]
        out = []
        for key, item in value.items():
            if _is_block(item):
                out.append(f"{pad}{scalar(key)}:")
                out += _lines(item, indent + 2 if isinstance(item, Mapping) else indent)
            else:
                out.append(f"{pad}{scalar(key)}: {scalar(item)}")
        return out
    if isinstance(value, Sequence) and not isinstance(value, str):
        if not value:
            return [pad + "[]"]
        out = []
        for item in value:
            if _is_block(item):
                inner = _lines(item, indent + 2)
                out.append(f"{pad}- {inner[0][indent + 2 :]}")
                out += inner[1:]
            else:
                out.append(f"{pad}- {scalar(item)}")
        return out
    return [pad + scalar(value)]


def _is_block(value) -> bool:
    return isinstance(value, (Mapping, list, tuple)) and len(value) > 0


def dump(value, *, header: str = "") -> str:
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) if header else ""
    return comment + "\n".join(_lines(value, 0)) + "\n"
