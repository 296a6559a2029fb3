"""Debian binaries the suite starts (prometheus, promtool, chromium): found on PATH, or the test cannot run.

Under CI (CI=true) a missing binary fails the test loudly, since scripts/setup installs them; on a
developer's machine it skips with the apt-get command to run.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require(name: str, package: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed: apt-get install {package} (scripts/setup does)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    """A port free right now on 127.0.0.1 (for servers that cannot report the port they bound)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
