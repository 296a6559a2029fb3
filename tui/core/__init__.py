"""Everything that is not UI. Nothing under tui.core may import textual (tests/unit/test_core_boundary.py)."""
