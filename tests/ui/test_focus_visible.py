"""Focus is clearly visible on every kind of widget the app uses, in every theme of themes/: the focused widget
differs from the same widget unfocused by a colour with a contrast of at least 3:1 (WCAG's rule for focus
indicators) against the colour it replaces, on some cell of the widget."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.widgets import Button, Checkbox, DataTable, Input, OptionList, RadioButton, Select, Static

import tui.ui.app
from tui.ui.app import VchApp
from tui.ui.themes import load_themes
from tui.ui.wrapped_log import WrappedLog

THEMES = sorted(load_themes().themes)


def _scroller() -> ScrollableContainer:
    return ScrollableContainer(*[Static(f"line {i}") for i in range(20)], classes="focus-bar")


def _table() -> DataTable:
    table: DataTable = DataTable()
    table.add_columns("NAME", "POWER")
    table.add_rows([("vch-alpha", "poweredOn"), ("vch-beta", "poweredOff")])
    return table


def _log() -> WrappedLog:
    log = WrappedLog()
    for i in range(20):
        log.write_line(f"log line {i}")
    return log


KINDS = {
    "button": lambda: Button("Create"),
    "button-primary": lambda: Button("Next", variant="primary"),
    "button-error": lambda: Button("Delete", variant="error"),
    "input": lambda: Input("vch-demo"),
    "input-compact": lambda: Input("vch-demo", compact=True),
    "select-compact": lambda: Select([("Cluster", "Cluster"), ("esx-04", "esx-04")], value="Cluster", compact=True),
    "button-compact": lambda: Button("Next", variant="primary", compact=True),
    "select": lambda: Select([("Cluster", "Cluster"), ("esx-04", "esx-04")], value="Cluster"),
    "checkbox": lambda: Checkbox("verify client certificates", True),
    "radio": lambda: RadioButton("tlsverify"),
    "option-list": lambda: OptionList("Create a VCH", "VCHs"),
    "data-table": _table,
    "log": _log,
    "scroll": _scroller,
}


class Probe(VchApp):
    # Textual reads CSS_PATH beside the module defining the class: keep the app's own sheet
    CSS_PATH = [str(Path(tui.ui.app.__file__).parent / path) for path in VchApp.CSS_PATH]
    CSS = ".probe { height: 10; width: 40; }"

    def __init__(self, kind: str, theme: str) -> None:
        super().__init__(theme=theme)
        self.kind = kind

    def compose(self) -> ComposeResult:
        for _ in range(2):
            widget = KINDS[self.kind]()
            widget.add_class("probe")
            yield widget


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _cells(app, widget) -> list[tuple[str, tuple, tuple]]:
    """(character, foreground, background) of each cell the widget shows on screen."""
    region = widget.region
    strips = app.screen._compositor.render_strips()
    cells = []
    for y in range(region.y, region.bottom):
        for segment in strips[y].crop(region.x, region.right):
            style = segment.style
            fg = style.color.get_truecolor() if style and style.color else (0, 0, 0)
            bg = style.bgcolor.get_truecolor() if style and style.bgcolor else (0, 0, 0)
            if style and style.reverse:
                fg, bg = bg, fg
            for ch in segment.text:
                cells.append((ch, tuple(fg), tuple(bg)))
    return cells


def focus_contrast(focused: list, blurred: list) -> float:
    best = 1.0
    for (ch, fg, bg), (ch2, fg2, bg2) in zip(focused, blurred, strict=False):
        best = max(best, contrast(bg, bg2))
        if ch.strip() or ch2.strip():
            best = max(best, contrast(fg, fg2))
    return best


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("kind", list(KINDS))
async def test_focus_is_clearly_visible(kind, theme):
    app = Probe(kind, theme)
    async with app.run_test(size=(100, 30)) as pilot:
        first, second = app.query(".probe").results()
        first.focus()
        await pilot.pause()
        assert app.focused is first
        # the same widget, the same content: the one difference is the focus
        ratio = focus_contrast(_cells(app, first), _cells(app, second))
        assert ratio >= 3.0, f"{kind} on {theme}: focus changes colours by at most {ratio:.2f}:1"
