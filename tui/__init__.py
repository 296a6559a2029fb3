"""vch-tui: a terminal UI for vSphere Integrated Containers."""

__version__ = "0.1.0"
