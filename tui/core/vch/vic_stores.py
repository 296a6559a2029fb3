"""The datastore folders a VIC VCH's configuration says are its own: what `delete` may remove besides the VM.

As vic-machine 1.5.8 delete does (reference vic-machine-1.5.8/delete-g1): the VCH's images are
`[ds] <image store path>/VIC/<endpoint VM uuid>`, its key/value store `[ds] <image store path>/kvStores`; the
`VIC` parent and the image store folder go only once empty. Volume stores (`storage/VolumeLocations`, rewritten
to `[ds] path` by vic-machine) are only removed when asked (`--force`, as vic-machine is asked), never when
another VCH's configuration names the same folder, and never an NFS store. Nothing at a datastore's root.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.vic.values import URL

STORAGE_PARENT = "VIC"  # vic's StorageParentDir
VOLUMES_DIR = "volumes"
KV_STORES = "kvStores"


@dataclass(frozen=True)
class StoreDir:
    label: str
    path: str  # "[datastore1] g1/VIC/dea4…"
    inside: str  # the folder the deletion guard keeps it in
    shared_with: tuple[str, ...] = ()  # other VCHs whose configuration names the same folder
    only_if_empty: bool = False


def _config(record):
    from tui.core.vic.config import decode

    return decode(record.extra, key=None)


def _image_base(url: URL) -> str | None:
    path = url.path.strip("/")
    return f"[{url.host}] {path}" if url.host and path else None


def _volume_dir(url: URL) -> str | None:
    """`[ds] path` of a datastore volume store (None for NFS or a datastore root)."""
    if url.scheme != "ds":
        return None
    path = url.path
    if path.startswith("[") and "] " in path:
        host, _, path = path[1:].partition("] ")
    else:
        host = url.host
    path = path.strip("/")
    if path == STORAGE_PARENT:
        path = f"{STORAGE_PARENT}/{VOLUMES_DIR}"
    return f"[{host}] {path}" if host and path else None


def _images_of(record) -> list[str]:
    try:
        return [b for b in (_image_base(u) for u in _config(record).storage.image_stores) if b]
    except Exception:  # noqa: BLE001 - an unreadable config owns nothing provable
        return []


def _volumes_of(record) -> dict[str, str]:
    try:
        locations = _config(record).storage.volume_locations
    except Exception:  # noqa: BLE001
        return {}
    return {label: d for label, url in locations.items() if (d := _volume_dir(url))}


def image_dirs(record, others: list) -> list[StoreDir]:
    """The image store folders of `record`, in the order they are removed."""
    out = []
    for base in _images_of(record):
        shared = tuple(sorted(o.name for o in others if base in _images_of(o)))
        if record.uuid:
            out.append(StoreDir("image store", f"{base}/{STORAGE_PARENT}/{record.uuid}", base))
        if not shared:
            out.append(StoreDir("key/value store", f"{base}/{KV_STORES}", base))
        out.append(StoreDir("image store folder", f"{base}/{STORAGE_PARENT}", base, shared, only_if_empty=True))
        out.append(StoreDir("image store folder", base, base, shared, only_if_empty=True))
    return out


def volume_dirs(record, others: list) -> list[StoreDir]:
    out = []
    for label, folder in sorted(_volumes_of(record).items()):
        shared = tuple(sorted(o.name for o in others if folder in _volumes_of(o).values()))
        out.append(StoreDir(f"volume store {label}", folder, folder, shared))
    return out


def nfs_volume_stores(record) -> list[str]:
    try:
        locations = _config(record).storage.volume_locations
    except Exception:  # noqa: BLE001
        return []
    return [f"{label}: {u.scheme}://{u.host}{u.path}" for label, u in sorted(locations.items()) if u.scheme != "ds"]
