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


SMALL_FILE_LIMIT = 1 << 20  # answers, settings and theme files are a few KB; anything near this is not one


class NotASmallFile(OSError):
    """The path is a folder, pipe or device, or too large to be a settings-type file (the message says which)."""


def read_small_file(path: Path, limit: int = SMALL_FILE_LIMIT) -> str:
    """A regular file's UTF-8 text. A FIFO or device is refused without blocking on it (O_NONBLOCK, then fstat);
    more than `limit` bytes is refused. Raises NotASmallFile, another OSError, or UnicodeDecodeError."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotASmallFile(f"{path} is not a regular file (a folder, pipe or device)")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise NotASmallFile(f"{path} is larger than {limit // 1024} KB")
    return b"".join(chunks).decode("utf-8")
