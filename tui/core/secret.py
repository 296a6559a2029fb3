"""A string that never shows itself: reprs, f-strings and tracebacks (even with locals) print a mask."""

from __future__ import annotations

MASK = "********"


class Secret:
    """Holds a password. Only `reveal()` gives the value back; everything else prints the mask.

    Deliberately not a `str` subclass: a str subclass leaks through `"%s" % s`, `"".join`, and
    C-level string operations that bypass `__str__`.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | None) -> None:
        self._value = value or ""

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret({MASK!r})" if self._value else "Secret('')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self):  # never pickled into a file
        raise TypeError("a Secret cannot be pickled")
