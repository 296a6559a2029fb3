"""`?` shows the keys of the screen you are on, with what they do."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


@dataclass(frozen=True)
class KeyHelp:
    keys: str
    action: str
    description: str
    scope: str  # "screen" or "app"
    bound: tuple[str, ...] = ()  # the key names as Textual knows them ("ctrl+q"), one per key shown


# Bindings help leaves out: Textual's "copy selected text" (ctrl+c, super+c) copies only a mouse selection;
# ctrl+c is VchApp's (quit, or copy what is selected). Focus moves are listed where there is somewhere to move.
NOT_LISTED = {"screen.copy_text"}
FOCUS_MOVES = {"app.focus_next", "app.focus_previous", "focus_next", "focus_previous"}


def key_help(app: App, screen: Screen) -> list[KeyHelp]:
    """The bindings that work on `screen` now (check_action enables them): its own first, then its
    widgets' shown ones, then the app's."""
    rows: dict[str, KeyHelp] = {}
    order: dict[str, int] = {}
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if not binding.description or not active.enabled or binding.action in NOT_LISTED:
            continue
        if binding.action in FOCUS_MOVES and len(screen.focus_chain) < 2:
            continue
        is_app = node is app
        if not binding.show and not binding.id and not is_app and node is not screen:
            continue  # a widget's own hidden editing keys (cursor moves in an Input and so on)
        action = binding.description[:1].upper() + binding.description[1:]
        keys = app.get_key_display(binding)
        first = rows.get(action)
        if first is not None:  # one action on several keys: "q / ^q", the screen's keys before the app's
            if is_app or first.scope != "app":
                rows[action] = replace(first, keys=f"{first.keys} / {keys}", bound=(*first.bound, key))
            else:  # listed where the screen's key is, not where the app's priority key came first
                del rows[action]
                rows[action] = KeyHelp(
                    f"{keys} / {first.keys}",
                    action,
                    binding.tooltip or first.description,
                    "screen",
                    (key, *first.bound),
                )
                order[action] = 0 if binding.id else 1
            continue
        order[action] = 2 if is_app else (0 if binding.id else 1)
        rows[action] = KeyHelp(keys, action, binding.tooltip or "", "app" if is_app else "screen", (key,))
    ranked = sorted(enumerate(rows.values()), key=lambda item: (order[item[1].action], item[0]))
    return [row for _, row in ranked]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding(
            "escape,question_mark,q", "close", "Close help", id="help.close", tooltip="Back to the screen you were on"
        )
    ]

    def __init__(self, screen_title: str, rows: list[KeyHelp]) -> None:
        super().__init__()
        self.screen_title = screen_title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static(Content(f"Keys: {self.screen_title}"), classes="dialog-title")
            yield DataTable(id="help-keys", cursor_type="none", zebra_stripes=True, show_cursor=False)
            yield Static(Content("ctrl+p opens the command palette · escape closes this help"), classes="muted")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()

    def on_resize(self, _event) -> None:
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        """The rows, the last column as wide as the dialog allows and wrapped (read in full at any width)."""
        table = self.query_one(DataTable)
        keys_width = max([3] + [len(row.keys) for row in self.rows])
        action_width = max([6] + [len(row.action) for row in self.rows])
        room = (table.size.width or self.size.width - 10) - keys_width - action_width - 7
        width = max(room, 20)
        if getattr(self, "_filled_width", None) == width:
            return
        self._filled_width = width
        table.clear(columns=True)
        table.add_column("Key", width=keys_width)
        table.add_column("Action", width=action_width)
        table.add_column("What it does", width=width)
        for row in self.rows:  # Text: no markup; height None: as many lines as the wrapped words need
            table.add_row(Text(row.keys), Text(row.action), Text(row.description), height=None)

    def action_close(self) -> None:
        self.dismiss(None)
