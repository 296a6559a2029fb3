"""A run's log lines as text: warnings and errors say so, information is the text alone."""

from __future__ import annotations

from tui.core.vch.events import LogLine


def log_text(line: LogLine) -> str:
    return line.text if line.level == "info" else f"{line.level}: {line.text}"
