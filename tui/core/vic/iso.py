"""VIC's ISOs: read the ISO 9660 Primary Volume Descriptor, and VIC's version from its Publisher field.

An ISO 9660 image starts with 16 system sectors of 2048 bytes; sector 16 is the Primary Volume Descriptor:
type 1, the identifier "CD001", version 1. Its Publisher Identifier (offset 318, 128 bytes, padded with
spaces) is where VIC's build writes "VMware Inc. <version>"; vic-machine names the uploaded ISOs after that
last word. xorriso upper-cases the field, so a real build reads "VMWARE INC. V1.5.8-0-2C978FE": the version
is returned as written, because that is the name vic-machine gives the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SECTOR = 2048
PVD_OFFSET = 16 * SECTOR
PVD_TYPE = 1
TERMINATOR_TYPE = 255
STANDARD_ID = b"CD001"
PUBLISHER_OFFSET = 318
PUBLISHER_SIZE = 128


class NotAnIso(ValueError):
    """The file is not an ISO 9660 image (its message says what was found instead)."""


@dataclass(frozen=True)
class IsoInfo:
    publisher: str  # the Publisher Identifier, spaces stripped ("" when unset)

    @property
    def version(self) -> str | None:
        """VIC's version: the last word of the publisher (`VMware Inc. v1.5.8-0-2c978fe` → `v1.5.8-0-2c978fe`)."""
        words = self.publisher.split()
        return words[-1] if len(words) > 1 else None


def parse_pvd(sector: bytes) -> IsoInfo:
    """The Primary Volume Descriptor's publisher, or NotAnIso naming what is wrong with the sector."""
    if len(sector) < SECTOR:
        raise NotAnIso(f"it is shorter than an ISO 9660 image ({PVD_OFFSET + SECTOR} bytes at least)")
    if sector[1:6] != STANDARD_ID:
        raise NotAnIso('it has no ISO 9660 volume descriptor (no "CD001" at sector 16)')
    if sector[0] != PVD_TYPE or sector[6] != 1:
        raise NotAnIso(
            f"sector 16 is not an ISO 9660 primary volume descriptor (type {sector[0]}, version {sector[6]})"
        )
    raw = sector[PUBLISHER_OFFSET : PUBLISHER_OFFSET + PUBLISHER_SIZE]
    return IsoInfo(raw.decode("latin-1").strip(" \0"))


def read_iso(path: str | os.PathLike) -> IsoInfo:
    """Read the PVD of the ISO at `path`. Raises NotAnIso, or OSError when the file cannot be read."""
    with open(path, "rb") as f:
        f.seek(PVD_OFFSET)
        return parse_pvd(f.read(SECTOR))
