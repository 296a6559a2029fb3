"""A log pane whose lines wrap at the pane's width with a hanging indent (re-wrapped when the width changes),
so a long line is readable in full at any terminal size. `texts` keeps the lines as written."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.events import Resize
from textual.widgets import RichLog


def wrap_lines(text: str, width: int) -> list[str]:
    """`text` (which may hold newlines) as lines of at most `width` characters; a continuation keeps the
    line's own indent plus two spaces, so wrapped plan details still read as details."""
    out: list[str] = []
    for line in text.split("\n"):
        lead = line[: len(line) - len(line.lstrip())]
        wrapper = textwrap.TextWrapper(
            width=max(width, len(lead) + 12),
            initial_indent=lead,
            subsequent_indent=lead + "  ",
            break_on_hyphens=False,
        )
        out.extend(wrapper.wrap(line.strip()) or [""])
    return out


class WrappedLog(RichLog):
    DEFAULT_CSS = "WrappedLog { scrollbar-gutter: stable; }"  # the wrap width stays put when the bar appears

    def __init__(self, *, max_lines: int = 5000, id: str | None = None) -> None:
        super().__init__(id=id, max_lines=max_lines, wrap=True, markup=False, highlight=False, min_width=1)
        self.texts: list[str] = []
        self._width = 0

    def write_line(self, text: str) -> None:
        self.texts.append(text)
        if self.max_lines is not None and len(self.texts) > self.max_lines:
            del self.texts[: len(self.texts) - self.max_lines]
        if self._size_known:
            self._write_wrapped(text)
        # before the size is known, the first resize writes every text

    def _write_wrapped(self, text: str) -> None:
        for line in wrap_lines(text, self.scrollable_content_region.width):
            self.write(Text(line))

    def on_resize(self, event: Resize) -> None:
        width = self.scrollable_content_region.width
        if width and width != self._width:
            self._width = width
            self.clear()
            self._size_known = True  # RichLog's own handler then has nothing deferred to write
            for text in self.texts:
                self._write_wrapped(text)
