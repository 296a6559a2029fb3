"""Encode and decode schema dataclasses (schema.py) to and from VIC's extraConfig keys.

The rules are VIC's (pkg/vsphere/extraconfig; checked against tests/data/vic-machine-1.5.8): strings as they are, `<nil>` for the empty string on the
wire; bools `true`/`false`; ints in decimal; []byte, net.IP and net.IPMask as base64 of the raw bytes; a
slice of structs or IPs as `<key>` = len-1 plus `<key>|<i>…`; a slice of strings as `<key>~` = values
joined by `|` plus `<key>` = len-1; a map as `<key>` = its keys sorted and joined by `|` plus `<key>|<k>…`;
empty slices, maps, byte strings and nil pointers are left out. Decoding records every key it used, so the
caller can keep the ones the schema does not know.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from tui.core.errors import VicConfigError
from tui.core.secret import Secret
from tui.core.vic import keys as K
from tui.core.vic.schema import BOOL, BYTES, INT, TEXT, TEXTS, FieldSpec, ListOf, MapOf, Ptr, Struct, specs
from tui.core.vic.secretbox import Sealed, seal, unseal

NIL = "<nil>"
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def escape(value: str) -> str:
    return NIL if value == "" else value


def unescape(value: str) -> str:
    return "" if value == NIL else value


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str, name: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise VicConfigError(f"{name}: {text[:40]!r} is not base64") from None


# --- decode --------------------------------------------------------------------------------------


class Decoder:
    def __init__(self, extra: Mapping[str, str], key: bytes | None) -> None:
        self.extra = extra
        self.key = key
        self.used: set[str] = set()

    def get(self, name: str) -> str | None:
        value = self.extra.get(name)
        if value is None:
            return None
        self.used.add(name)
        return unescape(value)

    def secret(self, name: str, value: str) -> Secret | Sealed:
        if self.key is None:
            return Sealed(self.extra[name])
        return Secret(unseal(self.key, value, name=name))

    def struct(self, cls: type, prefix: str) -> tuple[Any, bool]:
        """An instance of `cls` from the keys under `prefix`, and whether any of its keys exists."""
        values: dict[str, Any] = {}
        found = False
        for f, spec in specs(cls):
            name = K.field_key(prefix, spec.key, spec.scope)
            if name is None:
                continue
            value, here = self.value(spec, spec.kind, name)
            if here or spec.optional:
                values[f.name] = value
            found = found or here
        return cls(**values), found

    def value(self, spec: FieldSpec, kind: Any, name: str) -> tuple[Any, bool]:
        if isinstance(kind, Struct):
            return self.struct(kind.cls, name)
        if isinstance(kind, Ptr):
            obj, found = self.struct(kind.cls, name)
            return (obj if found else None), found
        if isinstance(kind, ListOf):
            return self.list(spec, kind.item, name)
        if isinstance(kind, MapOf):
            return self.map(spec, kind.item, name)
        if kind == TEXTS:
            return self.texts(name)
        text = self.get(name)
        if text is None:
            return None, False
        return self.primitive(spec, kind, name, text), True

    def primitive(self, spec: FieldSpec, kind: Any, name: str, text: str) -> Any:
        if spec.secret and kind in (TEXT, BYTES):
            opened = self.secret(name, text)
            if kind == BYTES and isinstance(opened, Secret):
                return Secret(_unb64(opened.reveal(), name).decode("utf-8", "surrogateescape"))
            return opened
        if kind == TEXT:
            return text
        if kind == BYTES:
            return _unb64(text, name)
        if kind == INT:
            if text == "":
                return 0
            try:
                return int(text, 10)
            except ValueError:
                raise VicConfigError(f"{name}: {text!r} is not a whole number") from None
        if kind == BOOL:
            if text == "" or text in _FALSE:
                return False
            if text in _TRUE:
                return True
            raise VicConfigError(f"{name}: {text!r} is not true or false")
        raise TypeError(f"unknown kind {kind!r}")

    def length(self, name: str) -> int:
        text = self.get(name)
        if not text:
            return 0
        try:
            return int(text, 10) + 1
        except ValueError:
            raise VicConfigError(f"{name}: {text!r} is not a slice length (a whole number)") from None

    def texts(self, name: str) -> tuple[list[str], bool]:
        count = self.length(name)
        if count == 0:
            return [], name in self.used
        joined = self.get(K.values_key(name))
        values = (joined or "").split(K.SEPARATOR) if joined is not None else []
        values += [""] * (count - len(values))
        return values[:count], True

    def list(self, spec: FieldSpec, item: Any, name: str) -> tuple[list[Any], bool]:
        count = self.length(name)
        out = []
        for i in range(count):
            value, _ = self.value(spec, item, K.item_key(name, i))
            if value is None:
                value = item.cls() if isinstance(item, (Struct, Ptr)) else b""
            out.append(value)
        return out, name in self.used

    def map(self, spec: FieldSpec, item: Any, name: str) -> tuple[dict[str, Any], bool]:
        listed = self.get(name)
        if not listed:
            return {}, listed is not None
        out: dict[str, Any] = {}
        for entry in listed.split(K.SEPARATOR):
            value, found = self.value(spec, item, K.item_key(name, entry))
            if isinstance(item, Ptr):  # Go keeps a listed entry even when none of its keys exist
                out[entry] = value if value is not None else item.cls()
            elif found:
                out[entry] = value
        return out, True


# --- encode --------------------------------------------------------------------------------------


class Encoder:
    def __init__(self, key: bytes | None) -> None:
        self.key = key
        self.out: dict[str, str] = {}

    def put(self, name: str, value: str) -> None:
        self.out[name] = escape(value)

    def put_secret(self, name: str, value: Any) -> None:
        if isinstance(value, Sealed):
            if self.key is not None:
                raise VicConfigError(
                    f"{name}: this secret was read without the secret key, so it cannot be written under a new key",
                    hint="decode with the VM's key (guestinfo.ovfEnv)",
                )
            self.out[name] = value.value
            return
        if self.key is None:
            raise VicConfigError(f"{name}: writing a secret needs a secret key")
        plain = value.reveal() if isinstance(value, Secret) else str(value)
        self.out[name] = seal(self.key, plain)

    def struct(self, obj: Any, prefix: str) -> None:
        for f, spec in specs(type(obj)):
            name = K.field_key(prefix, spec.key, spec.scope)
            value = getattr(obj, f.name)
            if name is None or value is None:  # None: a nil pointer, or a key this Go version does not have
                continue
            self.value(spec, spec.kind, name, value)

    def value(self, spec: FieldSpec, kind: Any, name: str, value: Any) -> None:
        if isinstance(kind, (Struct, Ptr)):
            if value is not None:
                self.struct(value, name)
        elif isinstance(kind, ListOf):
            if value:
                for i, item in enumerate(value):
                    self.value(spec, kind.item, K.item_key(name, i), item)
                self.put(name, str(len(value) - 1))
        elif isinstance(kind, MapOf):
            if value:
                for entry, item in value.items():
                    self.value(spec, kind.item, K.item_key(name, entry), item)
                self.put(name, K.SEPARATOR.join(sorted(value)))
        elif kind == TEXTS:
            if value:
                self.put(K.values_key(name), K.SEPARATOR.join(value))
                self.put(name, str(len(value) - 1))
        else:
            self.primitive(spec, kind, name, value)

    def primitive(self, spec: FieldSpec, kind: Any, name: str, value: Any) -> None:
        if spec.secret and kind == BYTES:
            plain = value.reveal() if isinstance(value, Secret) else value
            if isinstance(value, Sealed):
                self.put_secret(name, value)
            elif plain:
                raw = plain if isinstance(plain, bytes) else plain.encode("utf-8", "surrogateescape")
                self.put_secret(name, Secret(_b64(raw)))
        elif spec.secret and kind == TEXT:
            self.put_secret(name, value)
        elif kind == TEXT:
            self.put(name, value)
        elif kind == BYTES:
            if value:
                self.put(name, _b64(bytes(value)))
        elif kind == INT:
            self.put(name, str(int(value)))
        elif kind == BOOL:
            self.put(name, "true" if value else "false")
        else:
            raise TypeError(f"unknown kind {kind!r}")
