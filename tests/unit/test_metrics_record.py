"""--record / --replay: round trip, bounds, damaged files, stepping and seeking."""

import gzip
import json

import pytest

from tui.core.errors import InvalidInput
from tui.core.metrics.model import ContainerMetrics, ContainerSample, VchHeader, VchSnapshot
from tui.core.metrics.record import Recorder, Recording, ReplayCursor


def snapshot(i: int) -> VchSnapshot:
    header = VchHeader("vch-limited", 500, 500, 6882, 4096, True, cpu_usage_mhz=400.0 + i, memory_usage_mb=480.0)
    containers = tuple(
        ContainerSample(
            f"c{n}",
            f"vm-{n}",
            2,
            2048,
            "poweredOn",
            ContainerMetrics(cpu_ready_pct=float(i + n), mem_balloon_mb=None, mem_latency_pct=40.0),
            "crit",
            ("memory latency 40%",),
        )
        for n in range(3)
    )
    return VchSnapshot(header, containers)


def record(path, count, start=1000.0, **kwargs):
    with Recorder(path, **kwargs) as rec:
        results = [rec.write(start + 20 * i, [snapshot(i), snapshot(i + 100)]) for i in range(count)]
    return results


@pytest.mark.parametrize("name", ["rec.jsonl", "rec.jsonl.gz"])
def test_round_trip(tmp_path, name):
    path = tmp_path / name
    assert record(path, 5, meta={"interval_s": 20}) == [True] * 5
    with Recording(path) as rec:
        assert len(rec) == 5
        assert rec.timestamps == [1000.0, 1020.0, 1040.0, 1060.0, 1080.0]
        assert rec.header["meta"] == {"interval_s": 20}
        frame = rec.frame(3)
        assert frame.t == 1060.0
        assert frame.snapshots == (snapshot(3), snapshot(103))
        assert frame.snapshots[0].vch.cpu_usage_mhz == 403.0
    if name.endswith(".gz"):
        assert gzip.open(path).readline().startswith(b'{"format":"vch-tui-recording"')


def test_rows_do_not_repeat_field_names(tmp_path):
    path = tmp_path / "r.jsonl"
    record(path, 1)
    frame_line = path.read_text().splitlines()[1]
    assert frame_line.startswith('{"t":1000.0,"vchs":')
    assert "cpu_ready_pct" not in frame_line
    assert json.loads(frame_line)["vchs"][0]["rows"][0][:2] == ["c0", "vm-0"]


def test_frame_bound(tmp_path):
    path = tmp_path / "r.jsonl"
    with Recorder(path, max_frames=2) as rec:
        assert [rec.write(float(t), [snapshot(t)]) for t in range(4)] == [True, True, False, False]
        assert rec.full and rec.frames == 2
    assert len(Recording(path)) == 2


def test_byte_bound_is_never_passed(tmp_path):
    path = tmp_path / "r.jsonl"
    with Recorder(path, max_bytes=4096) as rec:
        written = sum(rec.write(float(t), [snapshot(t)]) for t in range(100))
        assert rec.full and 0 < written < 100
    assert path.stat().st_size <= 4096
    assert len(Recording(path)) == written


def test_time_never_goes_backwards(tmp_path):
    path = tmp_path / "r.jsonl"
    with Recorder(path) as rec:
        for t in (10.0, 30.0, 20.0, 40.0):
            rec.write(t, [])
    assert Recording(path).timestamps == [10.0, 30.0, 30.0, 40.0]


def test_existing_file_is_not_overwritten_unless_asked(tmp_path):
    path = tmp_path / "r.jsonl"
    record(path, 2)
    with pytest.raises(InvalidInput) as err:
        Recorder(path)
    assert err.value.field == "--record"
    record(path, 1, overwrite=True)
    assert len(Recording(path)) == 1


@pytest.mark.parametrize("name", ["rec.jsonl", "rec.jsonl.gz"])
def test_a_recorder_that_died_leaves_a_readable_file(tmp_path, name):
    path = tmp_path / name
    rec = Recorder(path)
    for i in range(3):
        rec.write(100.0 + i, [snapshot(i)])
    # no close(): simulate a crash (gzip has no trailer; the frames were flushed)
    data = path.read_bytes()
    if not name.endswith(".gz"):
        data += b'{"t":103.0,"vchs":[{"vch'  # half-written line
    cut = tmp_path / ("cut-" + name)
    cut.write_bytes(data)
    with Recording(cut) as replay:
        assert len(replay) == 3 and replay.frame(2).snapshots == (snapshot(2),)
    rec.close()


@pytest.mark.parametrize(
    "content, words",
    [
        (b"hello\n", "not a recording header"),
        (b'{"format":"something-else"}\n', "not a recording header"),
        (b'{"format":"vch-tui-recording","version":99,"columns":[]}\n', "format version 99"),
        (b'{"format":"vch-tui-recording","version":1,"columns":["name"]}\n', "columns missing: vm"),
    ],
)
def test_not_a_recording(tmp_path, content, words):
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as err:
        Recording(path)
    assert err.value.field == "--replay" and words in str(err.value)


def test_damaged_frames_and_missing_files(tmp_path):
    path = tmp_path / "r.jsonl"
    record(path, 2)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + b'{"t":5.0,"vchs":[{"nope":1}]}\n' + lines[2])
    with Recording(path) as rec:
        assert len(rec) == 2
        with pytest.raises(InvalidInput, match="frame 0 is damaged"):
            rec.frame(0)
        assert rec.frame(1).t == 1020.0
    frame = json.loads(lines[1])
    frame["vchs"][0]["rows"][0].append("one too many")  # a row no longer lines up with the header's columns
    path.write_bytes(lines[0] + json.dumps(frame).encode() + b"\n" + lines[2])
    with Recording(path) as rec, pytest.raises(InvalidInput, match="frame 0 is damaged"):
        rec.frame(0)
    path.write_bytes(lines[0] + b"garbage\n")
    with pytest.raises(InvalidInput, match="line 2 is not a frame"):
        Recording(path)
    with pytest.raises(InvalidInput, match="cannot open recording"):
        Recording(tmp_path / "missing.jsonl")
    (tmp_path / "bad.jsonl.gz").write_bytes(b"not gzip at all")
    with pytest.raises(InvalidInput, match="gzip data unreadable"):
        Recording(tmp_path / "bad.jsonl.gz")


def test_gzip_bomb_is_bounded(tmp_path):
    path = tmp_path / "big.jsonl.gz"
    record(path, 50)
    with pytest.raises(InvalidInput, match="more than 2048 bytes uncompressed"):
        Recording(path, max_bytes=2048)


def test_cursor_step_seek_pause(tmp_path):
    path = tmp_path / "r.jsonl"
    record(path, 5)
    rec = Recording(path)
    cur = ReplayCursor(rec)
    assert cur.current().t == 1000.0
    assert cur.step(2).t == 1040.0
    assert cur.step(-10).t == 1000.0  # clamps at the start
    assert cur.seek(99).t == 1080.0 and cur.at_end
    assert cur.tick() is None and cur.seconds_to_next() is None
    assert cur.seek_time(1059.9).t == 1040.0  # the last frame at or before
    assert cur.seek_time(0).t == 1000.0
    assert cur.seconds_to_next() == 20.0
    cur.paused = True
    assert cur.tick() is None
    cur.paused = False
    assert cur.tick().t == 1020.0
    with pytest.raises(IndexError):
        rec.frame(5)
    rec.close()


def test_empty_recording_cannot_be_replayed(tmp_path):
    path = tmp_path / "r.jsonl"
    Recorder(path).close()
    rec = Recording(path)
    assert len(rec) == 0
    with pytest.raises(InvalidInput, match="holds no frames"):
        ReplayCursor(rec)
    rec.close()
