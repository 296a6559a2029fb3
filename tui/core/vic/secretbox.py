"""VIC's config secrets: NaCl secretbox (XSalsa20-Poly1305) under a 32-byte key kept in `guestinfo.ovfEnv`.

An `@secret` value is base64(24-byte nonce ‖ secretbox(plaintext)); the key is base64 in `guestinfo.ovfEnv`
(hidden from API reads of extraConfig on vCenter; readable in the .vmx). `Sealed` stands for a secret that
was read without the key: it can be carried through unchanged, never shown.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass

from tui.core.errors import VicConfigError

SECRET_KEY_NAME = "guestinfo.ovfEnv"
KEY_SIZE = 32
NONCE_SIZE = 24


@dataclass(frozen=True)
class Sealed:
    """A secret value as stored (still encrypted), kept when no key was given to open it."""

    value: str

    def __repr__(self) -> str:
        return "Sealed(…)"

    __str__ = __repr__


def new_key() -> bytes:
    return os.urandom(KEY_SIZE)


def key_text(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def parse_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_SIZE:
        raise VicConfigError(
            f"{SECRET_KEY_NAME} is not a secret key (base64 of {KEY_SIZE} bytes)",
            hint="the VM's configuration is damaged; recreate the VCH",
        )
    return key


def key_from_extra(extra: Mapping[str, str]) -> bytes | None:
    """The secret key stored beside the config, or None when it is not there (vCenter hides it from API reads)."""
    text = extra.get(SECRET_KEY_NAME)
    return parse_key(text) if text else None


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes) or len(key) != KEY_SIZE:
        raise VicConfigError(f"a VIC secret key is {KEY_SIZE} bytes")


def seal(key: bytes, plaintext: str) -> str:
    """Encrypt one value with a fresh random nonce, as VIC's secret sink does."""
    from nacl.secret import SecretBox

    _check_key(key)
    box = SecretBox(key).encrypt(plaintext.encode("utf-8", "surrogateescape"), os.urandom(NONCE_SIZE))
    return base64.b64encode(bytes(box)).decode("ascii")


def unseal(key: bytes, value: str, *, name: str) -> str:
    """Decrypt the value of key `name`; a wrong key or a damaged value raises VicConfigError (never a traceback)."""
    from nacl.exceptions import CryptoError
    from nacl.secret import SecretBox

    _check_key(key)
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise VicConfigError(
            f"{name}: the stored secret is not base64", hint="the VM's configuration is damaged; recreate the VCH"
        ) from None
    if len(raw) < NONCE_SIZE + SecretBox.MACBYTES:
        raise VicConfigError(
            f"{name}: the stored secret is too short to be a sealed value",
            hint="the VM's configuration is damaged; recreate the VCH",
        )
    try:
        plain = SecretBox(key).decrypt(raw[NONCE_SIZE:], raw[:NONCE_SIZE])
    except CryptoError:
        raise VicConfigError(
            f"{name}: the secret does not open with this key ({SECRET_KEY_NAME})",
            hint="read the key from the same VM (its .vmx file holds it) as the config",
        ) from None
    return plain.decode("utf-8", "surrogateescape")
