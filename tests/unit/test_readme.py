"""The README stays true: its screenshots exist, and CI runs the test command it gives."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_screenshot_the_readme_shows_exists():
    shown = re.findall(r"\]\((screenshots/[^)]+)\)", README)
    assert len(shown) >= 10
    missing = [p for p in shown if not (ROOT / p).is_file()]
    assert not missing, f"README shows screenshots that are missing (run scripts/screenshots.py): {missing}"


def test_ci_runs_the_readme_test_command():
    assert "./scripts/test" in README and "./scripts/demo" in README
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text()
    for script in ("scripts/test", "scripts/demo", "scripts/setup"):
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"
