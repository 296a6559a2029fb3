"""The files under contrib/ that go with `vch-tui export`, as generated text (scripts/contrib.py writes
them; a unit test regenerates and compares, so they cannot drift from the thresholds)."""

from __future__ import annotations

from tui.core.export.dashboard import dashboard_json
from tui.core.export.rules import rules_yaml
from tui.core.metrics.thresholds import Thresholds

RULES_PATH = "contrib/prometheus/vch-tui.rules.yml"
DASHBOARD_PATH = "contrib/grafana/vch-tui.dashboard.json"


def contrib_files(thresholds: Thresholds = Thresholds()) -> dict[str, str]:
    """Repository-relative path -> content, for the default thresholds."""
    return {RULES_PATH: rules_yaml(thresholds), DASHBOARD_PATH: dashboard_json(thresholds)}
