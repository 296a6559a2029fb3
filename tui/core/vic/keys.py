"""VIC's extraConfig key names: how a field's scope and its parent's key make its key.

Mirrors VIC's pkg/vsphere/extraconfig key rules (the captures in tests/data/vic-machine-1.5.8 show them):
  read-only       guestinfo.vice./a/b/c
  read-write      guestinfo.vice..a.b.c   (every `/` of the parent becomes `.`)
  hidden          a/b/c                   (no guestinfo prefix: the guest cannot read it)
  secret          read-only form + `@secret`
  non-persistent  `@non-persistent` suffix, inherited by every child
An untagged field inherits its scope from its parent's key. The separator swap is applied to the whole key,
so a `.` inside a map key (a container network alias `web.prod`) becomes `/` in a read-only key, exactly as
VIC writes it; encoder and decoder both use these functions, so they always agree.
"""

from __future__ import annotations

from enum import IntFlag

GUESTINFO = "guestinfo."
PREFIX = GUESTINFO + "vice."
SEPARATOR = "|"  # map keys, slice indexes and primitive-slice values
LIST_SUFFIX = "~"  # a primitive slice's values live under `<key>~`
SECRET_SUFFIX = "@secret"
NON_PERSISTENT_SUFFIX = "@non-persistent"


class Scope(IntFlag):
    INVALID = 1
    HIDDEN = 2
    READ_ONLY = 4
    WRITE_ONLY = 8
    READ_WRITE = 16
    NON_PERSISTENT = 32
    VOLATILE = 64
    SECRET = 128


_TAG_SCOPES = {
    "hidden": Scope.HIDDEN,
    "read-only": Scope.READ_ONLY,
    "read-write": Scope.READ_WRITE,
    "volatile": Scope.VOLATILE,
    "non-persistent": Scope.NON_PERSISTENT,
    "secret": Scope.SECRET | Scope.READ_ONLY,
}


def scope_of_tag(tag: str) -> Scope:
    """The scope a `scope:"…"` tag names (comma separated); an empty tag means hidden read-only."""
    names = [name.strip() for name in tag.split(",")]
    if not any(names):
        return Scope.HIDDEN | Scope.READ_ONLY
    scope = Scope(0)
    for name in names:
        if name not in _TAG_SCOPES:
            return Scope.INVALID
        scope |= _TAG_SCOPES[name]
    return scope


def _suffixes(key: str) -> list[str]:
    return key.split("@")[1:]


def is_secret(key: str) -> bool:
    return "secret" in _suffixes(key)


def scope_of_key(key: str) -> Scope:
    """The scope a key's own form shows (what an untagged child inherits)."""
    scope = Scope(0)
    if not key.startswith(GUESTINFO):
        scope |= Scope.HIDDEN
    scope |= Scope.READ_ONLY if "/" in key else Scope.READ_WRITE
    if is_secret(key):
        scope |= Scope.SECRET | Scope.READ_ONLY
    if "non-persistent" in _suffixes(key):
        scope |= Scope.NON_PERSISTENT
    return scope


def calculate_key(scope: Scope, prefix: str, key: str) -> str | None:
    """The full key of field `key` with `scope` under the parent key `prefix`; None when the scope is unusable."""
    if scope & Scope.INVALID:
        return None
    new_sep, old_sep = "/", "."
    key = key.strip()
    hide = bool(scope & Scope.HIDDEN)
    visible = prefix.startswith(GUESTINFO)
    if not hide and scope & Scope.READ_WRITE:
        old_sep, new_sep = "/", "."
    at = prefix.find("@")
    if at != -1:
        prefix = prefix[:at]  # suffixes are re-added below when they still apply
    out = f"{prefix}{new_sep}{key}" if prefix else key
    if scope & Scope.SECRET:
        out += SECRET_SUFFIX
    if scope & Scope.NON_PERSISTENT:
        if hide:
            return None
        out += NON_PERSISTENT_SUFFIX
    if hide:
        return out[len(PREFIX) + 1 :] if visible else out
    out = out.replace(old_sep, new_sep)
    if not visible:
        return PREFIX + new_sep + out
    return PREFIX + out[len(PREFIX) :]


def field_key(prefix: str, key: str, tag: str | None) -> str | None:
    """The key of a struct field: `tag` is its scope tag, or None for an untagged field (inherits the parent's)."""
    parent = scope_of_key(prefix)
    scope = scope_of_tag(tag) if tag is not None else parent
    if scope & Scope.INVALID:
        return None
    if parent & Scope.NON_PERSISTENT:
        scope |= Scope.NON_PERSISTENT
    return calculate_key(scope, prefix, key)


def append_to_prefix(prefix: str, separator: str, value: str) -> str:
    """`prefix` + separator + value, with any `@…` suffix of the prefix moved to the end."""
    at = prefix.find("@")
    suffix = ""
    if at != -1:
        prefix, suffix = prefix[:at], prefix[at:]
    return f"{prefix}{separator}{value}{suffix}"


def item_key(prefix: str, item: str | int) -> str:
    """The key of a map entry or slice element: `prefix|item`."""
    return append_to_prefix(prefix, SEPARATOR, str(item))


def values_key(prefix: str) -> str:
    """The key holding a primitive slice's values: `prefix~`."""
    return append_to_prefix(prefix, "", LIST_SUFFIX)
