"""The create-a-VCH wizard (tui/ui/destinations.py opens `WizardScreen(session=...)`)."""

from tui.ui.wizard.screen import WizardScreen

__all__ = ["WizardScreen"]
