"""Image and volume store values in vic-machine's syntax (`ds/path`, `ds://ds/path`, `ds/path:label`,
`nfs://host/path?uid=1000:label`). Parsers raise ValueError with a message meant for the user."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

# vic-machine's unsuppCharsDatastoreRegex: like the name rule, but `/` and `:` are allowed in paths.
_UNSUPPORTED_IN_DATASTORE = re.compile(r"""[%&*$#@!\\?"<>;'|]""")
VOLUME_STORE_FORMS = "datastore/path:label, datastore:label, ds://datastore/path:label or nfs://host/path:label"


def unsupported_datastore_char(text: str) -> str | None:
    match = _UNSUPPORTED_IN_DATASTORE.search(text)
    return match.group(0) if match else None


@dataclass(frozen=True)
class DatastorePath:
    datastore: str
    path: str  # without leading slash; "" for the datastore's top folder


def parse_datastore_path(text: str) -> DatastorePath:
    """`ds`, `ds/path` or `ds://ds/path` (the `--image-store` forms)."""
    raw = text.strip()
    if raw.startswith("ds://"):
        raw = raw[len("ds://") :]
    elif "://" in raw:
        raise ValueError(f"{text!r} uses an unsupported scheme; write datastore/path or ds://datastore/path")
    bad = unsupported_datastore_char(raw)
    if bad:
        raise ValueError(
            f"{text!r} contains the unsupported character {bad!r}; allowed are letters, digits, space and - _ ( ) / : ,"
        )
    datastore, _, path = raw.partition("/")
    if not datastore.strip():
        raise ValueError(f"{text!r} does not start with a datastore name, e.g. datastore1/vch-images")
    parts = path.strip("/").split("/") if path.strip("/") else []
    if any(p.strip() in (".", "..") for p in parts) or any(unicodedata.category(ch).startswith("C") for ch in raw):
        raise ValueError(f"{text!r}: a datastore path may not hold '.' or '..' components or control characters")
    return DatastorePath(datastore, path.strip("/"))


@dataclass(frozen=True)
class VolumeStore:
    label: str
    target: str  # everything before the label, as written
    nfs: bool = False
    datastore: DatastorePath | None = None  # None for NFS


def parse_volume_store(text: str) -> VolumeStore:
    """One `--volume-store` value (vic's processVolumeStoreParam)."""
    raw = text.strip()
    target, sep, label = raw.rpartition(":")
    if not sep or not target or not label:
        raise ValueError(f"{text!r} is not a volume store: write {VOLUME_STORE_FORMS}")
    if unsupported_datastore_char(label) or "/" in label:
        raise ValueError(f"{text!r}: the label {label!r} contains an unsupported character; write {VOLUME_STORE_FORMS}")
    if target.startswith("nfs://"):
        parts = urlsplit(target)
        if not parts.hostname or not parts.path.strip("/"):
            raise ValueError(
                f"{text!r}: an NFS volume store needs a host and an export path, "
                "e.g. nfs://nas.example.com/exports/vch:shared"
            )
        return VolumeStore(label, target, nfs=True)
    if "?" in target:
        raise ValueError(f"{text!r}: only nfs:// volume stores take ?options; write datastore/path:label")
    return VolumeStore(label, target, datastore=parse_datastore_path(target))
