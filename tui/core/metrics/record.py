"""`--record FILE` / `--replay FILE`: every refresh with its timestamp, compact and bounded.

Format (JSON lines, UTF-8; gzip-compressed when the file name ends in ".gz"):
  line 1   {"format": "vch-tui-recording", "version": 1, "created": T, "columns": [...], "meta": {...}}
  line n   {"t": T, "vchs": [{"vch": {...header incl. usage...}, "rows": [[...], ...]}, ...]}
T is Unix time in seconds (3 decimals). Containers are rows in the header's column order (the keys
of one container of `top --once --json`), so names are not repeated per container. Every frame line
starts with {"t": so the reader indexes timestamps without parsing frames.

Bounds: the writer stops (returns False, `full` becomes True) before a frame would pass max_frames
or max_bytes (uncompressed); each frame is flushed, so a crash leaves a readable file (a cut-off
last line or gzip trailer is ignored by the reader). The reader keeps only line offsets in memory;
a gzip recording is first inflated into an anonymous temporary file (up to max_bytes).
Nothing secret goes in: callers put only non-sensitive facts (e.g. the interval) in `meta`.
"""

from __future__ import annotations

import bisect
import gzip
import io
import json
import os
import stat
import tempfile
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tui.core.errors import InvalidInput
from tui.core.metrics.model import ContainerSample, VchHeader, VchSnapshot

FORMAT = "vch-tui-recording"
VERSION = 1
DEFAULT_MAX_FRAMES = 50_000
DEFAULT_MAX_BYTES = 128 * 1024 * 1024
COLUMNS: tuple[str, ...] = tuple(ContainerSample(name="", vm="", vcpus=0, memory_mb=0, power_state="").to_json_dict())
_FRAME_PREFIX = b'{"t":'


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _is_gzip(path: Path) -> bool:
    return path.name.endswith(".gz")


@dataclass(frozen=True)
class Frame:
    t: float
    snapshots: tuple[VchSnapshot, ...]


class Recorder:
    """Appends refreshes to a new recording file."""

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        max_frames: int = DEFAULT_MAX_FRAMES,
        max_bytes: int = DEFAULT_MAX_BYTES,
        meta: dict[str, Any] | None = None,
        overwrite: bool = False,
    ) -> None:
        self.path = Path(path)
        if max_frames < 1 or max_bytes < 1024:
            raise ValueError("a recording needs max_frames >= 1 and max_bytes >= 1024")
        self.max_frames, self.max_bytes = max_frames, max_bytes
        self.frames = 0
        self.bytes = 0
        self.full = False
        self._last_t = float("-inf")
        try:
            raw = open(self.path, "wb" if overwrite else "xb")
        except FileExistsError:
            raise InvalidInput(
                f"recording file {self.path} already exists",
                field="--record",
                hint="choose a new file name or remove the old recording",
            ) from None
        except OSError as exc:
            raise InvalidInput(f"cannot create recording file {self.path}: {exc.strerror}", field="--record") from None
        self._file: gzip.GzipFile | io.BufferedWriter = raw
        if _is_gzip(self.path):
            self._file = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0)
        self._raw = raw
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created": round(time.time(), 3),
            "columns": list(COLUMNS),
            "meta": meta or {},
        }
        try:
            self._write((_dumps(header) + "\n").encode("utf-8"))
        except InvalidInput:
            self.close()
            raise

    def _write(self, data: bytes) -> None:
        try:
            self._file.write(data)
            self._file.flush()
        except OSError as exc:  # a full disk (ENOSPC), a quota, an I/O error
            self.full = True
            raise InvalidInput(
                f"writing the recording {self.path} failed: {exc.strerror or exc}",
                field="--record",
                hint="free space on that disk or record to another one; the frames written so far stay readable",
            ) from None
        self.bytes += len(data)

    def write(self, t: float, snapshots: Iterable[VchSnapshot]) -> bool:
        """Store one refresh; False (and `full`) once a bound is reached. Time never goes backwards."""
        if self.full:
            return False
        t = max(t, self._last_t)
        vchs = [
            {
                "vch": s.vch.to_json_dict(include_usage=True),
                "rows": [[row[c] for c in COLUMNS] for row in (c.to_json_dict() for c in s.containers)],
            }
            for s in snapshots
        ]
        line = ('{"t":' + repr(round(t, 3)) + ',"vchs":' + _dumps(vchs) + "}\n").encode("utf-8")
        if self.frames + 1 > self.max_frames or self.bytes + len(line) > self.max_bytes:
            self.full = True
            return False
        self._write(line)
        self.frames += 1
        self._last_t = t
        return True

    def close(self) -> None:
        """Close; what cannot be flushed any more (a full disk) was already reported by the write."""
        for f in (self._file, self._raw) if self._file is not self._raw else (self._raw,):
            try:
                f.close()
            except OSError:
                pass

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _bad(path: Path, problem: str) -> InvalidInput:
    return InvalidInput(
        f"{path} is not a usable vch-tui recording: {problem}",
        field="--replay",
        hint="give a file written by `vch-tui top --record FILE`",
    )


def _open_regular(path: Path, max_bytes: int | None) -> IO[bytes]:
    """The recording opened for reading: a regular file of at most max_bytes. FIFOs and devices are refused
    (opened non-blocking, so a FIFO without a writer cannot hang the open; fstat then says what it is)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InvalidInput(f"cannot open recording {path}: {exc.strerror}", field="--replay") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = (
            "a folder"
            if stat.S_ISDIR(info.st_mode)
            else "a FIFO"
            if stat.S_ISFIFO(info.st_mode)
            else "a device"
            if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
            else "not a regular file"
        )
        raise _bad(path, f"it is {kind}, not a regular file")
    if max_bytes is not None and info.st_size > max_bytes:
        os.close(fd)
        raise _bad(path, f"{info.st_size} bytes, more than the {max_bytes} a recording may have")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


class Recording:
    """Random access to a recording's frames: len(), frame(i), index_at(t)."""

    def __init__(self, path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = Path(path)
        source = _open_regular(self.path, None if _is_gzip(self.path) else max_bytes)  # gzip: capped inflated
        if _is_gzip(self.path):
            self._file = self._inflate(source, max_bytes)
        else:
            self._file = source
        try:
            self.header = self._read_header()
            self._offsets: list[int] = []
            self.timestamps: list[float] = []
            self._index()
        except BaseException:
            self._file.close()
            raise

    def _inflate(self, source: IO[bytes], max_bytes: int) -> IO[bytes]:
        # zlib rather than GzipFile: a stream cut off by a crash (no trailer) just ends here.
        out = tempfile.TemporaryFile()
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            with source:
                while chunk := source.read(1 << 16):
                    out.write(inflater.decompress(chunk))
                    if out.tell() > max_bytes:
                        raise _bad(self.path, f"more than {max_bytes} bytes uncompressed")
                    if inflater.eof:
                        break
        except zlib.error as exc:
            out.close()
            raise _bad(self.path, f"gzip data unreadable ({exc})") from None
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return out

    def _read_header(self) -> dict[str, Any]:
        line = self._file.readline()
        try:
            header = json.loads(line)
        except ValueError:
            raise _bad(self.path, "the first line is not a recording header") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise _bad(self.path, "the first line is not a recording header")
        if header.get("version") != VERSION:
            raise _bad(self.path, f"format version {header.get('version')!r}, this vch-tui reads {VERSION}")
        missing = [c for c in COLUMNS if c not in header.get("columns", [])]
        if missing:
            raise _bad(self.path, "columns missing: " + ", ".join(missing))
        return header

    def _index(self) -> None:
        offset = self._file.tell()
        for line in self._file:
            if not line.endswith(b"\n"):
                break  # cut off by a crash while writing
            if line.startswith(_FRAME_PREFIX):
                try:
                    t = float(line[len(_FRAME_PREFIX) : line.index(b",")])
                except ValueError:
                    raise _bad(self.path, f"frame {len(self._offsets) + 1} has no timestamp") from None
                self._offsets.append(offset)
                self.timestamps.append(t)
            elif line.strip():
                raise _bad(self.path, f"line {len(self._offsets) + 2} is not a frame")
            offset += len(line)

    def __len__(self) -> int:
        return len(self._offsets)

    def frame(self, index: int) -> Frame:
        if not 0 <= index < len(self._offsets):
            raise IndexError(f"frame {index} of a recording of {len(self._offsets)}")
        self._file.seek(self._offsets[index])
        try:
            data = json.loads(self._file.readline())
            columns = self.header["columns"]
            snapshots = tuple(
                VchSnapshot(
                    VchHeader.from_json_dict(v["vch"]),
                    tuple(ContainerSample.from_json_dict(dict(zip(columns, row, strict=True))) for row in v["rows"]),
                )
                for v in data["vchs"]
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise _bad(self.path, f"frame {index} is damaged ({exc.__class__.__name__}: {exc})") from None
        return Frame(data["t"], snapshots)

    def index_at(self, t: float) -> int:
        """The last frame recorded at or before t (the first frame for an earlier t)."""
        if not self._offsets:
            raise IndexError("the recording holds no frames")
        return max(bisect.bisect_right(self.timestamps, t) - 1, 0)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "Recording":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ReplayCursor:
    """Where a replay is: step, seek by index or time, pause. The front end drives the clock."""

    def __init__(self, recording: Recording) -> None:
        if not len(recording):
            raise _bad(recording.path, "it holds no frames")
        self.recording = recording
        self.position = 0
        self.paused = False

    def current(self) -> Frame:
        return self.recording.frame(self.position)

    def step(self, count: int = 1) -> Frame:
        """Move by count frames (negative = back), stopping at either end."""
        self.position = min(max(self.position + count, 0), len(self.recording) - 1)
        return self.current()

    def seek(self, index: int) -> Frame:
        return self.step(index - self.position)

    def seek_time(self, t: float) -> Frame:
        return self.seek(self.recording.index_at(t))

    def tick(self) -> Frame | None:
        """The next frame when playing, None when paused or at the end."""
        if self.paused or self.at_end:
            return None
        return self.step(1)

    @property
    def at_end(self) -> bool:
        return self.position >= len(self.recording) - 1

    def seconds_to_next(self) -> float | None:
        """Recorded time between this frame and the next (for real-time playback), None at the end."""
        if self.at_end:
            return None
        stamps: Sequence[float] = self.recording.timestamps
        return stamps[self.position + 1] - stamps[self.position]
