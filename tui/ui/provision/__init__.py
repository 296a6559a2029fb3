"""The provisioning progress screen (pushed by the wizard's Create) and its parts."""

from tui.ui.provision.screen import ProvisionScreen

__all__ = ["ProvisionScreen"]
