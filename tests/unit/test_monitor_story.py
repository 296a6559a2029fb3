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


def test_a_demo_started_at_any_time_starts_late_in_the_ramp_and_says_when_it_loops():
    from tui.vchsim import scenario

    container = scenario.by_name("cpu-stress")
    ready = "cpu.ready.summation"
    for start in (1_700_000_000.0, 1_700_000_123.0, 1_700_000_487.0):
        story = scenario.seed_story(start=start)["vms"][container.vm_glob][ready]
        served = scenario.raw_at(story, start)
        assert served == scenario.series(container, ready)[scenario.START_AT]
        assert sorted(story) == sorted(scenario.series(container, ready))  # the same loop, rotated
    note = scenario.loop_note(1_700_000_000.0)
    assert "loops every 10 minutes" in note and "next restart 22:21:00 UTC" in note
