"""Where vch-tui keeps its files. `VCH_TUI_HOME` moves all of them (tests, demos); otherwise platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

APP = "vch-tui"


def _home() -> Path | None:
    value = os.environ.get("VCH_TUI_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    home = _home()
    if home:
        return home / "config"
    from platformdirs import user_config_path

    return user_config_path(APP)


def cache_dir() -> Path:
    home = _home()
    if home:
        return home / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP)


def state_dir() -> Path:
    home = _home()
    if home:
        return home / "state"
    from platformdirs import user_state_path

    return user_state_path(APP)


def config_file() -> Path:
    override = os.environ.get("VCH_TUI_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def known_hosts_file() -> Path:
    return config_dir() / "known_hosts"


def private_dir(folder: Path) -> Path:
    """Make `folder` (and missing parents) 0700 whatever the umask; refuse a symlink or another user's folder.
    Only folders this call creates are chmodded."""
    missing = []
    probe = folder
    while not probe.exists() and not probe.is_symlink():
        missing.append(probe)
        probe = probe.parent
    for made in reversed(missing):
        try:
            os.mkdir(made, 0o700)
        except FileExistsError:
            pass
        os.chmod(made, 0o700)  # mkdir's mode is masked by the umask
    if folder.is_symlink() or not folder.is_dir():
        raise OSError(f"{folder} is not a folder (or is a symbolic link)")
    if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
        raise OSError(f"{folder} belongs to another user")
    return folder


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write `path` as 0600 in a 0700 folder, atomically (a temporary file renamed over it), never through a
    symbolic link (the rename replaces a link rather than writing where it points)."""
    import tempfile

    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
