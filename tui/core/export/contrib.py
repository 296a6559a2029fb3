"""The files under contrib/ that go with `vch-tui export`, as generated text (scripts/contrib.py writes
them; a unit test regenerates and compares, so they cannot drift from the thresholds)."""

from __future__ import annotations

from ..metrics.thresholds import Thresholds
from .dashboard import dashboard_json
from .rules import rules_yaml

RULES_PATH = "contrib/prometheus/vch-tui.rules.yml"
DASHBOARD_PATH = "contrib/grafana/vch-tui.dashboard.json"


def contrib_files(thresholds: Thresholds = Thresholds()) -> dict[str, str]:
    """Repository-relative path -> content, for the default thresholds."""
    return {RULES_PATH: rules_yaml(thresholds), DASHBOARD_PATH: dashboard_json(thresholds)}
