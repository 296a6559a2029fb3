"""A VCH name becomes a datastore folder, a VM folder, a pool and a journal file: a name that could make any
of those point at something else never passes validation (the class, not only the examples)."""

from __future__ import annotations

import unicodedata

import pytest

from tui.core.spec.model import VchSpec
from tui.core.spec.validate_local import check_name


def name_errors(name: str) -> list[str]:
    return [p.message for p in check_name(VchSpec(name=name)) if p.is_error]


@pytest.mark.parametrize("name", [".", "..", " . ", " .. ", "...", ". .", " ", "\t"])
def test_dot_names_and_names_that_strip_to_dots_are_refused(name):
    assert name_errors(name)


@pytest.mark.parametrize("name", [" vch", "vch ", "vch\t", "\nvch", "vch\u00a0", "\u3000vch"])
def test_leading_or_trailing_whitespace_is_refused(name):
    assert name_errors(name)


CONTROL = ["\x1b", "\t", "\x00", "\x07", "\n", "\r", "\x7f", "\x85"]
BIDI_AND_ZERO_WIDTH = [
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
]
ODD_SPACES = ["\u00a0", "\u2028", "\u2029", "\u3000", "\u2009"]


@pytest.mark.parametrize("ch", CONTROL + BIDI_AND_ZERO_WIDTH + ODD_SPACES)
def test_control_bidi_zero_width_and_odd_space_characters_are_refused_anywhere(ch):
    for name in (f"vch{ch}1", f"{ch}vch", f"vch{ch}"):
        errors = name_errors(name)
        assert errors, repr(name)
        assert any(f"U+{ord(ch):04X}" in e or "whitespace" in e for e in errors), errors


def test_every_invisible_code_point_below_0x3000_is_refused():
    """The whole class: every Cc/Cf/Cn/Co/Zl/Zp and non-ASCII Zs character in the BMP's first part."""
    missed = []
    for code in range(0x3001):
        ch = chr(code)
        category = unicodedata.category(ch)
        if category == "Cs":
            continue  # lone surrogates cannot reach a name from TOML or a terminal
        if category.startswith("C") or category in ("Zl", "Zp") or (category == "Zs" and ch != " "):
            if not name_errors(f"a{ch}b"):
                missed.append(f"U+{code:04X}")
    assert not missed


@pytest.mark.parametrize("name", ["ｖｃｈ", "vch\u2126", "e\u0301", "vch\ufb01", "vch²"])
def test_names_vsphere_would_normalise_are_refused(name):
    errors = name_errors(name)
    assert errors and "normal form" in errors[0]


@pytest.mark.parametrize("name", ["vch-1", "my vch (test)", "VCH_2", "vch.example", "évian", "vch-例"])
def test_ordinary_names_pass(name):
    assert name_errors(name) == []
