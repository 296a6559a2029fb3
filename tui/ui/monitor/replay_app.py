"""`vch-tui top --replay FILE`: the app opened straight on the Monitor screen replaying FILE."""

from __future__ import annotations

import inspect
from pathlib import Path

from tui.ui.app import VchApp
from tui.ui.monitor.screen import MonitorScreen


class ReplayApp(VchApp):
    # CSS_PATH is relative to the module of the class that sets it: point at the shell's own file.
    CSS_PATH = [Path(inspect.getfile(VchApp)).parent / path for path in VchApp.CSS_PATH]

    def __init__(self, recording: str | Path, vch: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.recording = Path(recording)
        self.replay_vch = vch

    def on_mount(self) -> None:  # runs after VchApp.on_mount (Textual calls the handlers of every class)
        self.push_screen(MonitorScreen(replay=self.recording, vch=self.replay_vch, quit_on_leave=True))


def run_replay(recording: str | Path, *, vch: str | None = None, theme: str | None = None) -> None:
    ReplayApp(recording, vch=vch, theme=theme).run()
