"""`decode` an endpoint VM's extraConfig into a `VchConfig`, and `encode` one back.

`key` is the secret key (32 bytes; `secretbox.key_from_extra(extra)` reads the one stored beside the config).
Without it, secrets stay `Sealed` and can only be written back as they were (with `key=None`); with it they
decrypt to `Secret`s and `encode` re-encrypts them under the key it is given and stores that key in
`guestinfo.ovfEnv`, as vic-machine does on every write.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.core.secret import Secret
from tui.core.vic.codec import Decoder, Encoder, unescape
from tui.core.vic.keys import is_secret
from tui.core.vic.secretbox import SECRET_KEY_NAME, Sealed, key_text, unseal
from tui.core.vic.vch_config import VchConfig


def decode(extra: Mapping[str, str], *, key: bytes | None) -> VchConfig:
    """The typed config in `extra` (an endpoint VM's extraConfig as key → value). Raises VicConfigError."""
    decoder = Decoder(extra, key)
    cfg, _ = decoder.struct(VchConfig, "")
    unknown: dict[str, Any] = {}
    for name, value in extra.items():
        if name in decoder.used or name == SECRET_KEY_NAME:
            continue
        if is_secret(name):
            unknown[name] = Sealed(value) if key is None else Secret(unseal(key, unescape(value), name=name))
        else:
            unknown[name] = value
    cfg.unknown = unknown
    return cfg


def encode(cfg: VchConfig, *, key: bytes | None) -> dict[str, str]:
    """Every extraConfig key of `cfg` (wire values: `<nil>` for empty strings, secrets encrypted)."""
    encoder = Encoder(key)
    for name, value in cfg.unknown.items():
        if isinstance(value, (Secret, Sealed)):
            encoder.put_secret(name, value)
        else:
            encoder.out[name] = value
    encoder.struct(cfg, "")
    if key is not None:
        encoder.out[SECRET_KEY_NAME] = key_text(key)
    return encoder.out
