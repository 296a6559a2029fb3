"""Every colour in the app's .tcss files comes from a theme variable (the issue's rule)."""

from __future__ import annotations

import re
from pathlib import Path

from textual._color_constants import COLOR_NAME_TO_RGB

import tui

TUI = Path(tui.__file__).parent
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
FUNCTION = re.compile(r"\b(rgba?|hsla?)\(")
DECLARATION = re.compile(r"(?:^|[{;])\s*([a-z-]+)\s*:\s*([^;{}]+);", re.M)


def _colour_problems(text: str) -> list[str]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    problems = []
    for prop, value in DECLARATION.findall(text):
        words = set(re.findall(r"[a-z]+", re.sub(r"\$[\w-]+", "", value.lower())))
        named = words & set(COLOR_NAME_TO_RGB) - {"auto", "transparent", "ansi_default"}
        if HEX.search(value) or FUNCTION.search(value) or named:
            problems.append(f"{prop}: {value.strip()}")
    return problems


def test_the_check_finds_hard_coded_colours():
    assert _colour_problems("A { color: #ff0000; background: $panel; }") == ["color: #ff0000"]
    assert _colour_problems("A {\n  border: round red;\n  color: rgb(1, 2, 3);\n}") == [
        "border: round red",
        "color: rgb(1, 2, 3)",
    ]
    assert _colour_problems("#jobs { height: auto; }\nA { color: $state-ok; text-style: bold; }") == []


def test_no_stylesheet_hard_codes_a_colour():
    sheets = sorted(TUI.rglob("*.tcss"))
    assert TUI / "ui" / "app.tcss" in sheets
    for sheet in sheets:
        assert _colour_problems(sheet.read_text()) == [], sheet
