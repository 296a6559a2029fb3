"""The shipped demo recording is current and tells the seed's story."""

from tui.core.metrics.record import Recording
from tui.vchsim import story
from tui.vchsim.story_file import resolve_recording


def test_the_shipped_recording_is_current():
    expected = story.frames()
    with Recording(story.PATH) as recording:
        assert len(recording) == len(expected)
        for i, (t, snapshots) in enumerate(expected):
            frame = recording.frame(i)
            assert frame.t == t and frame.snapshots == snapshots, f"frame {i}: run python -m tui.vchsim.story"


def test_the_story():
    frames = story.frames()
    first = {c.name.rsplit("-", 1)[0]: c for s in frames[0][1] for c in s.containers}
    last = {c.name.rsplit("-", 1)[0]: c for s in frames[-1][1] for c in s.containers}
    assert all(c.state == "ok" for c in first.values())  # calm before the stress
    assert last["cpu-stress"].state == "crit" and any("throttled by CPU limit" in r for r in last["cpu-stress"].reasons)
    assert last["mem-stress"].state == "crit" and any("ballooning" in r for r in last["mem-stress"].reasons)
    assert last["twin-cpu-stress"].state == last["twin-mem-stress"].state == "ok"
    headers = {s.vch.name: s.vch for s in frames[-1][1]}
    assert headers["vch-limited"].overcommitted and not headers["vch-unlimited"].overcommitted
    assert resolve_recording("seed-story") == story.PATH
