"""Where the shipped demo recording is (its generator, story.py, loads the whole assembly path: a replay needs
only the file)."""

from __future__ import annotations

from pathlib import Path

NAME = "seed-story"
PATH = Path(__file__).resolve().parent / "recordings" / "seed-story.jsonl.gz"


def resolve_recording(text: str) -> Path:
    """A recording file; the name `seed-story` means the shipped one unless such a file exists here."""
    path = Path(text).expanduser()
    if text == NAME and not path.exists():
        return PATH
    return path
