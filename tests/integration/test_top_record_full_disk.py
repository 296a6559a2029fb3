"""`top --record` onto a disk that is full (a real tmpfs mounted for the test, filled to the last page):
exit 2 with the file and ENOSPC named, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.rig.provisioning import cli_env, cli_target

pytestmark = pytest.mark.rig


@pytest.fixture
def full_disk(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], check=True)
    try:
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_top_record_on_a_full_disk_exits_2(prov_sim, full_disk):
    assert os.statvfs(full_disk).f_bavail == 0
    out = subprocess.run(
        [sys.executable, "-m", "tui", "top", *cli_target(prov_sim), "--once", "--record", str(full_disk / "rec.jsonl")],
        capture_output=True,
        text=True,
        env=cli_env(prov_sim),
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 2, out.stderr
    assert f"writing the recording {full_disk / 'rec.jsonl'} failed: No space left on device" in out.stderr
