"""--replay of files that are not recordings and --record onto a disk that cannot take it: a clear
InvalidInput naming the option (exit 2), never a hang or a traceback. ENOSPC is real: /dev/full."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from tui.core.errors import ExitCode, InvalidInput
from tui.core.metrics.record import Recorder, Recording


def open_within(path, seconds: float = 5.0, **kw) -> BaseException | None:
    """Recording(path) in a thread: what it raised, or a failure when it hangs (a FIFO without a writer)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            Recording(path, **kw).close()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if not outcome:
        if os.path.exists(path) and not os.path.isfile(path):
            with open(path, "wb", buffering=0):  # a writer releases a FIFO's blocked open
                pass
        pytest.fail(f"Recording({path}) hung")
    return outcome[0]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "rec.fifo"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_replay_of_a_non_regular_file_is_refused_without_hanging(kind, fifo, tmp_path):
    path = {"fifo": fifo, "device": "/dev/zero", "folder": tmp_path}[kind]
    error = open_within(path)
    assert isinstance(error, InvalidInput) and error.field == "--replay", error
    assert "not a regular file" in str(error) and str(path) in str(error)


def test_a_replay_of_a_file_over_the_size_cap_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as f:
        f.truncate(10 * 1024 * 1024)  # sparse: big on paper
    error = open_within(path, max_bytes=1024 * 1024)
    assert isinstance(error, InvalidInput) and "more than the 1048576" in str(error)


@pytest.mark.parametrize("content", [b"", b'{"format": "vch-tui-recording"', b"\x1f\x8b\x08\x00trunc", b"\xff" * 64])
def test_a_truncated_or_corrupt_replay_is_refused(tmp_path, content):
    path = tmp_path / ("rec.jsonl.gz" if content.startswith(b"\x1f\x8b") else "rec.jsonl")
    path.write_bytes(content)
    error = open_within(path)
    assert isinstance(error, InvalidInput) and error.field == "--replay", error


def test_the_cli_exits_2_on_a_fifo_replay(fifo):
    out = subprocess.run(
        [sys.executable, "-m", "tui", "top", "--replay", str(fifo), "--once", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == ExitCode.INVALID and "Traceback" not in out.stderr
    assert "a FIFO, not a regular file" in out.stderr


def test_a_full_disk_while_recording_is_an_invalid_input_on_record():
    with pytest.raises(InvalidInput) as caught:
        Recorder("/dev/full", overwrite=True)
    assert caught.value.field == "--record" and "No space left on device" in str(caught.value)


def test_an_unwritable_record_path_is_named(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        Recorder(tmp_path / "no-such-folder" / "rec.jsonl")
    assert caught.value.field == "--record" and "cannot create recording file" in str(caught.value)
