"""The Monitor screen: live per-container contention, or a recording replayed without vCenter."""

from tui.ui.monitor.screen import MonitorScreen

__all__ = ["MonitorScreen"]
