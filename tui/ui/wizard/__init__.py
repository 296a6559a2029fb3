"""The create-a-VCH wizard (tui/ui/destinations.py opens `WizardScreen(session=...)`)."""

from .screen import WizardScreen

__all__ = ["WizardScreen"]
