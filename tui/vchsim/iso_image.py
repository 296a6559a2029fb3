"""A minimal valid ISO 9660 image (stand-in for VIC's appliance and bootstrap ISOs), written without a tool.

Layout: 16 zero system sectors, the Primary Volume Descriptor (sector 16), the set terminator (17), the
little- and big-endian path tables (18, 19) and the root directory (20), then any payload (tests upload
random bytes and compare them byte for byte). The publisher is VIC's, so the version reads as 1.5.8's.
"""

from __future__ import annotations

import os
import struct

from tui.core.vic.iso import PUBLISHER_OFFSET, PUBLISHER_SIZE, PVD_TYPE, SECTOR, STANDARD_ID, TERMINATOR_TYPE

VIC_PUBLISHER = "VMware Inc. v1.5.8-0-2c978fe"
_PATH_L, _PATH_M, _ROOT = 18, 19, 20


def _both16(value: int) -> bytes:
    return struct.pack("<H", value) + struct.pack(">H", value)


def _both32(value: int) -> bytes:
    return struct.pack("<I", value) + struct.pack(">I", value)


def _text(value: str, size: int) -> bytes:
    return value.encode("ascii").ljust(size, b" ")[:size]


def _dir_record(name: bytes, extent: int = _ROOT) -> bytes:
    length = 33 + len(name) + (len(name) + 1) % 2
    record = (
        bytes([length, 0])
        + _both32(extent)
        + _both32(SECTOR)
        + bytes(7)
        + bytes([2, 0, 0])
        + _both16(1)
        + bytes([len(name)])
        + name
    )
    return record.ljust(length, b"\0")


def iso9660_image(publisher: str = VIC_PUBLISHER, volume_id: str = "VIC", payload: bytes = b"") -> bytes:
    total_sectors = _ROOT + 1 + -(-len(payload) // SECTOR)
    pvd = bytearray(SECTOR)
    pvd[0:7] = bytes([PVD_TYPE]) + STANDARD_ID + b"\1"
    pvd[8:40] = _text("LINUX", 32)
    pvd[40:72] = _text(volume_id, 32)
    pvd[80:88] = _both32(total_sectors)
    pvd[120:124] = _both16(1)  # volume set size
    pvd[124:128] = _both16(1)  # volume sequence number
    pvd[128:132] = _both16(SECTOR)
    path_table = bytes([1, 0]) + struct.pack("<IH", _ROOT, 1) + b"\0\0"
    pvd[132:140] = _both32(len(path_table))
    pvd[140:144] = struct.pack("<I", _PATH_L)
    pvd[148:152] = struct.pack(">I", _PATH_M)
    pvd[156:190] = _dir_record(b"\0")
    pvd[190:318] = _text("", 128)
    pvd[PUBLISHER_OFFSET : PUBLISHER_OFFSET + PUBLISHER_SIZE] = _text(publisher, PUBLISHER_SIZE)
    pvd[446:813] = _text("", 813 - 446)  # preparer, application, copyright/abstract/bibliographic file ids
    for offset in (813, 830, 847, 864):  # creation, modification, expiration, effective dates: "not specified"
        pvd[offset : offset + 17] = b"0" * 16 + b"\0"
    pvd[881] = 1  # file structure version
    terminator = bytes([TERMINATOR_TYPE]) + STANDARD_ID + b"\1"
    path_m = bytes([1, 0]) + struct.pack(">IH", _ROOT, 1) + b"\0\0"
    root = _dir_record(b"\0") + _dir_record(b"\1")
    sectors = [bytes(16 * SECTOR), bytes(pvd), terminator, path_table, path_m, root]
    return b"".join(s.ljust(SECTOR, b"\0") for s in sectors) + payload


def write_iso(path: str | os.PathLike, payload: bytes = b"", publisher: str = VIC_PUBLISHER) -> None:
    """Write an ISO 9660 image with VIC's publisher and `payload` after the root directory."""
    with open(path, "wb") as f:
        f.write(iso9660_image(publisher, payload=payload))
