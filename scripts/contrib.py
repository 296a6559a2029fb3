#!/usr/bin/env python3
"""Write contrib/ (Prometheus alerting rules, Grafana dashboard) from the dashboard's default thresholds.

Run from anywhere: `.venv/bin/python scripts/contrib.py`. tests/unit/test_export_contrib.py fails when
the committed files differ from what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from tui.core.export.contrib import contrib_files

    for relative, text in contrib_files().items():
        path = ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(relative)
    return 0


if __name__ == "__main__":
    sys.exit(main())
