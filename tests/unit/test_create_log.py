"""The create log's name, lines and scrubbing (tui/core/vch/create_log.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.core.vch import events as ev
from tui.core.vch.create_log import CreateLog, is_create_log, log_file_name

START = datetime(2026, 12, 2, 16, 25, 23, 456789, tzinfo=UTC)


def ticking():
    times = iter(START + timedelta(seconds=i) for i in range(100))
    return lambda: next(times)


def test_the_name_is_vic_machines():
    assert log_file_name(START, "9446.1") == "vic-machine_2026-12-02T16:25:23Z_create_9446.1.log"  # G1's
    assert is_create_log("vic-machine_2026-12-02T16:25:23Z_create_9446.1.log")
    assert not is_create_log("vic-machine.log.iso") and not is_create_log("notes.log")


def test_lines_are_logrus_text_and_the_name_takes_the_time_the_vm_was_made():
    log = CreateLog(now=ticking())
    log.record(ev.LogLine('uploading "a.iso"\nnext', 0.0, "info"))
    log.record(ev.StepChanged("vm", ev.DONE, 0.0))
    log.record(ev.LogLine("slow", 0.0, "warning"))
    assert log.text().splitlines() == [
        'time="2026-12-02T16:25:23Z" level=info msg="uploading \\"a.iso\\"\\nnext"',
        'time="2026-12-02T16:25:24Z" level=info msg="step vm: done"',
        'time="2026-12-02T16:25:26Z" level=warning msg="slow"',
    ]
    assert log.remote_name() == f"vic-machine_2026-12-02T16:25:25Z_create_{log.operation}.log"


def test_passwords_and_private_keys_never_reach_the_file():
    log = CreateLog(["s3cret-Pa55", "ops-pw"], now=ticking())
    key = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----"
    log.record(ev.LogLine(f"login s3cret-Pa55 as ops with ops-pw; key {key} end", 0.0, "error"))
    text = log.text()
    assert "s3cret" not in text and "ops-pw" not in text and "PRIVATE KEY" not in text and "MHcCAQ" not in text
    assert text.count("<redacted>") == 3 and "level=error" in text
