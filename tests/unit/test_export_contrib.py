"""contrib/ is what scripts/contrib.py writes from the dashboard's thresholds: regenerate and compare."""

from pathlib import Path

from tui.core.export.contrib import contrib_files

ROOT = Path(__file__).resolve().parents[2]


def test_committed_contrib_files_are_the_generated_ones():
    files = contrib_files()
    assert len(files) == 2
    for relative, text in files.items():
        path = ROOT / relative
        assert path.is_file(), f"{relative} is missing: run scripts/contrib.py"
        assert path.read_text(encoding="utf-8") == text, f"{relative} is stale: run scripts/contrib.py"
