"""The declarative schema: each dataclass field of the typed config says how VIC stores it.

`vic(key, kind, scope=...)` makes a dataclass field carrying a `FieldSpec` in its metadata; codec.py walks
those to encode and decode, so the typed config and its wire form come from one description.

  key    the Go key (the `key:"…"` tag, or the Go field name for an untagged field)
  scope  the `scope:"…"` tag (read-only, read-write, hidden, secret, "read-only,non-persistent"),
         or None for an untagged field, which inherits its parent's scope
  kind   TEXT, INT, BOOL, BYTES (also net.IP / net.IPMask, raw bytes), TEXTS ([]string),
         Struct(cls), Ptr(cls) (None = nil), ListOf(kind) (slice of structs or IPs), MapOf(kind)
  optional  the value None means "no key at all" (fields only some Go versions have)

A secret-scoped TEXT or BYTES field holds a `Secret` (decrypted; BYTES as text) or a `Sealed` value.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, dataclass, field, fields
from typing import Any

from tui.core.secret import Secret

RO = "read-only"
RW = "read-write"
HIDDEN = "hidden"
SECRET = "secret"
INHERIT = None  # untagged: the parent's scope


@dataclass(frozen=True)
class Primitive:
    name: str

    def __repr__(self) -> str:
        return self.name


TEXT = Primitive("TEXT")
INT = Primitive("INT")
BOOL = Primitive("BOOL")
BYTES = Primitive("BYTES")
TEXTS = Primitive("TEXTS")


@dataclass(frozen=True)
class Struct:
    cls: type


@dataclass(frozen=True)
class Ptr:
    cls: type


@dataclass(frozen=True)
class ListOf:
    item: Any  # Struct(...) or BYTES (a slice of net.IP)


@dataclass(frozen=True)
class MapOf:
    item: Any  # Struct(...), Ptr(...) or TEXT


Kind = Primitive | Struct | Ptr | ListOf | MapOf


@dataclass(frozen=True)
class FieldSpec:
    key: str
    kind: Kind
    scope: str | None = RO
    optional: bool = False

    @property
    def secret(self) -> bool:
        return self.scope is not None and SECRET in self.scope.split(",")


def _default(kind: Kind, secret: bool) -> dict[str, Any]:
    if secret and kind == TEXT:
        return {"default_factory": lambda: Secret("")}
    if secret and kind == BYTES:
        return {"default": None}
    if kind == TEXT:
        return {"default": ""}
    if kind == INT:
        return {"default": 0}
    if kind == BOOL:
        return {"default": False}
    if kind == BYTES:
        return {"default": b""}
    if kind == TEXTS or isinstance(kind, ListOf):
        return {"default_factory": list}
    if isinstance(kind, MapOf):
        return {"default_factory": dict}
    if isinstance(kind, Struct):
        return {"default_factory": kind.cls}
    return {"default": None}  # Ptr


def vic(
    key: str,
    kind: Kind = TEXT,
    scope: str | None = RO,
    *,
    optional: bool = False,
    default: Any = MISSING,
    repr: bool = True,
) -> Any:
    """A dataclass field stored by VIC under `key` (see the module doc)."""
    spec = FieldSpec(key, kind, scope, optional)
    if default is not MISSING:
        options: dict[str, Any] = {"default": default}
    elif optional:
        options = {"default": None}
    else:
        options = _default(kind, spec.secret)
    return field(metadata={"vic": spec}, repr=repr, **options)


def specs(cls: type) -> list[tuple[Field, FieldSpec]]:
    """The VIC-stored fields of a schema dataclass, in declaration order (fields without a spec are not stored)."""
    return [(f, f.metadata["vic"]) for f in fields(cls) if "vic" in f.metadata]
