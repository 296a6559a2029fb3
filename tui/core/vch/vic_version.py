"""Which VIC version a VCH runs, against the one vch-tui speaks: vic-machine's UPGRADE STATUS and delete's check.

vic-machine compares its own build with the VCH's `init/version` by build number (pkg/version: equal build
numbers are "the same version", a higher one is newer). vch-tui is not an installer with a build number of its
own: it speaks VIC 1.5 (the configuration format of vic-machine 1.5.x, checked against 1.5.8), so it compares
release versions (`v1.5.8`) and treats every build of the release it knows as up to date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tui.core.vic.values import Build

KNOWN_RELEASE = "v1.5.8"  # the VIC release whose configuration vch-tui reads and writes
KNOWN_SERIES = (1, 5)  # other 1.5.x releases share the format
UPDATE_IN_PROGRESS_KEY = "UpdateInProgress"  # vic-machine upgrade/configure sets it while it works

_RELEASE = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


def release(text: str) -> tuple[int, int, int] | None:
    match = _RELEASE.match(text or "")
    return tuple(int(g) for g in match.groups()) if match else None  # type: ignore[return-value]


def short(build: Build | None) -> str:
    """`v1.5.8-0-2c978fe` as vic-machine ls prints it; "" for a VM without a recorded version."""
    return build.short() if build is not None and build.version else ""


def upgrade_status(build: Build | None, extra: Mapping[str, str]) -> str:
    """vic-machine ls's UPGRADE STATUS, with vch-tui's known release standing in for the installer's build."""
    if str(extra.get(UPDATE_IN_PROGRESS_KEY, "")).lower() == "true":
        return "Upgrade in progress"
    ours = release(KNOWN_RELEASE)
    theirs = release(build.version) if build is not None else None
    if theirs is None:
        return (
            "Unknown: the VCH records no version"
            if build is None or not build.version
            else f"Unknown: cannot read the version {build.version!r}"
        )
    if theirs == ours:
        return "Up to date"
    if theirs < ours:  # type: ignore[operator]
        return f"Upgradeable to {KNOWN_RELEASE}"
    return "VCH has newer version"


def same_series(build: Build | None) -> bool:
    """True when the VCH runs a VIC 1.5.x: the configuration vch-tui understands (delete needs --force else)."""
    theirs = release(build.version) if build is not None else None
    return theirs is not None and theirs[:2] == KNOWN_SERIES
