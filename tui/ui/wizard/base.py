"""What every wizard step shares: the page widget, labelled fields, and the problems shown under a field.

A step edits only the pure `VchSpec`: `show(spec, facts)` fills its widgets from it, `apply(spec)` returns
the spec with this step's answers taken from the widgets. The screen validates the whole spec after every
change and hands each step the problems whose answers-file key it owns (`owns`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.color import Color, ColorParseError
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioSet, Select, Static

from tui.core.problems import Problem
from tui.core.spec.model import VchSpec, answer_keys
from tui.core.vch.validate_target import TargetFacts

ERROR_MARK = "✗"
WARNING_MARK = "!"


def belongs(field: str, key: str) -> bool:
    """`container_network[0].gateway` belongs to `container_network` and to `container_network[0]`."""
    return field == key or field.startswith((key + "[", key + "."))


def on_screen_words(text: str, labels: Mapping[str, str]) -> str:
    """The answers-file keys in a message said with the labels on screen: `compute_resource = one of 'a'` →
    `Compute resource: one of 'a'` (the CLI and the answers file keep the key names)."""
    for key in sorted(labels, key=len, reverse=True):
        label = labels[key]
        text = re.sub(rf"\b{re.escape(key)}\s*=\s*", f"{label}: ", text)
        if "_" in key:  # a plain word such as `name` stays as it is in prose
            text = re.sub(rf"\b{re.escape(key)}\b", f"'{label}'", text)
    return text


def field_words(field: str, labels: Mapping[str, str]) -> str:
    """`volume_store[1]` → `Volume stores[1]` when the key has a label on screen."""
    base = re.split(r"[\[.]", field, maxsplit=1)[0]
    return labels[base] + field[len(base) :] if base in labels else field


def problem_content(
    problems: Iterable[Problem],
    *,
    with_field: bool = False,
    own_keys: tuple[str, ...] = (),
    labels: Mapping[str, str] | None = None,
) -> Content:
    """One line per problem; the field is named when asked, or when it is a part (volume_store[1]) of a key.
    With `labels` (key → label on screen) the words are the screen's, not the answers file's."""
    labels = labels or {}
    lines = []
    for p in problems:
        mark, style = (ERROR_MARK, "$text-error") if p.is_error else (WARNING_MARK, "$text-warning")
        named = with_field or p.field not in own_keys
        text = (
            (f"{field_words(p.field, labels)}: " if named else "")
            + on_screen_words(p.message, labels)
            + (f" — {on_screen_words(p.hint, labels)}" if p.hint else "")
        )
        lines.append(Content.assemble((f"{mark} ", f"bold {style}"), (text, style)))
    return Content("\n").join(lines)


class FieldProblems(Static):
    """The problems of some answers-file keys, under their field; hidden while there are none."""

    def __init__(self, *keys: str, id: str | None = None, with_field: bool = False) -> None:
        super().__init__("", id=id, classes="field-problems", markup=False)
        self.keys = keys
        self.with_field = with_field
        self.display = False
        self._shown: list[Problem] = []

    def claim(self, problems: list[Problem]) -> list[Problem]:
        return [p for p in problems if any(belongs(p.field, k) for k in self.keys)]

    def show_problems(self, problems: list[Problem], labels: Mapping[str, str] | None = None) -> None:
        if problems == self._shown:
            return  # unchanged: no repaint, no new layout (this runs on every keystroke)
        self._shown = list(problems)
        self.update(problem_content(problems, with_field=self.with_field, own_keys=self.keys, labels=labels))
        self.display = bool(problems)


def field_row(label: str, *widgets: Widget, note: str | None = None, id: str | None = None) -> Horizontal:
    """A label and its input(s) on one line, with an optional muted note after them."""
    children: list[Widget] = [Label(label, classes="field-label"), *widgets]
    if note:
        children.append(Static(Content(note), classes="field-note"))
    return Horizontal(*children, classes="field-row", id=id)


def text_input(value: str | None, *, id: str, placeholder: str = "", **kwargs: Any) -> Input:
    return Input(value or "", id=id, placeholder=placeholder, compact=True, select_on_focus=False, **kwargs)


def optional_text(value: str) -> str | None:
    return value.strip() or None


def whole_number(value: str) -> int | str | None:
    """'' → None (vic-machine's default); '2048' → 2048; anything else stays text for validation to name."""
    text = value.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def text_list(value: str) -> tuple[str, ...]:
    """A comma-separated field as a tuple of its non-empty items."""
    return tuple(item.strip() for item in value.split(",") if item.strip())


def cell(app: App, text: str, variable: str | None = None, *, bold: bool = False, dim: bool = False) -> Text:
    """A DataTable cell (DataTable measures rich Text, not Content) coloured by a theme colour variable."""
    color = None
    if variable:
        try:
            color = Color.parse(app.theme_variables[variable]).rich_color
        except (KeyError, ColorParseError):
            color = None
    return Text(text, style=Style(color=color, bold=bold or None, dim=dim or None))


def shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    return str(value)


def fill_select(select: Select, options: list[tuple[str, str]], value: str | None, facts: object = True) -> None:
    """Offer `options`; a value the target does not have stays selected (marked once the inventory is
    known, i.e. `facts` is not None), so its problem shows instead of the value silently vanishing."""
    values = [v for _, v in options]
    if value is not None and value not in values:
        options = [*options, (value if facts is None else f"{value} (not in the inventory)", value)]
    select.set_options(options)
    select.value = value if value is not None else Select.NULL


def select_value(select: Select) -> str | None:
    value = select.value
    return None if value is Select.NULL or value is None else str(value)


class ChoiceSet(RadioSet):
    """A RadioSet whose keyboard highlight starts on the chosen button (RadioSet starts on the first one, and a
    choice set from the spec does not move it), so up/down go from what is chosen."""

    def on_focus(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index


class Step(VerticalScroll):
    """One page of the wizard. Subclasses set KEY, TITLE, OWNS and implement compose/show/apply."""

    KEY: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    OWNS: ClassVar[tuple[str, ...]] = ()  # the answers-file keys (and key prefixes) whose problems show here

    def __init__(self) -> None:
        super().__init__(id=f"step-{self.KEY}", classes="wizard-step")
        self.can_focus = False  # Tab goes straight to the fields; focusing a field scrolls it into view
        self._labels: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_fields()
        yield FieldProblems(*self.OWNS, id=f"{self.KEY}-other-problems", with_field=True)

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def field_labels(self) -> dict[str, str]:
        """Answers-file key → the label of its field on this page (a checkbox's own text when the row has none)."""
        keys = set(answer_keys())
        labels: dict[str, str] = {}
        for row in self.query(".field-row"):
            label = str(row.query_one(Label).render()).strip()
            for widget in row.query("Input, Select, Checkbox"):
                if widget.id in keys:
                    text = label or (str(widget.label) if isinstance(widget, Checkbox) else "")
                    if text:
                        labels[widget.id] = text
        return labels

    def first_field(self, problems: list[Problem]) -> Widget | None:
        """The focusable widget of the first problem that has one on this page."""
        for problem in problems:
            base = re.split(r"[\[.]", problem.field, maxsplit=1)[0]
            for widget in self.query(f"#{base}") if re.fullmatch(r"[A-Za-z_][\w-]*", base) else ():
                if widget.focusable:
                    return widget
        return None

    @classmethod
    def owns(cls, field: str) -> bool:
        return any(belongs(field, key) for key in cls.OWNS)

    def show(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        """Fill the widgets from the spec (the screen blocks the change messages this causes)."""

    def apply(self, spec: VchSpec) -> VchSpec:
        return spec

    def local_problems(self, spec: VchSpec) -> list[Problem]:
        """Problems only this page can see (a choice made in a widget that the spec cannot express yet)."""
        return []

    def show_problems(self, problems: list[Problem]) -> None:
        """Each field shows its own problems; the rest of this step's go to the list at the bottom."""
        remaining = list(problems)
        labels = self.labels
        other = self.query_one(f"#{self.KEY}-other-problems", FieldProblems)
        for slot in self.query(FieldProblems):
            if slot is other:
                continue
            mine = slot.claim(remaining)
            slot.show_problems(mine, labels)
            remaining = [p for p in remaining if p not in mine]
        other.show_problems(remaining, labels)

    @property
    def labels(self) -> dict[str, str]:
        if self._labels is None:
            self._labels = self.field_labels()
        return self._labels

    def on_show_spec(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        """Hook for parts that depend on the whole spec (the compute step's capacity panel, the summary)."""
