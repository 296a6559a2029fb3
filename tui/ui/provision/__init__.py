"""The provisioning progress screen (pushed by the wizard's Create) and its parts."""

from .screen import ProvisionScreen

__all__ = ["ProvisionScreen"]
