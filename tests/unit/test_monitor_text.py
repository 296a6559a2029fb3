"""The headless table and JSON document of `vch-tui top`."""

from tui.core.metrics.model import ContainerMetrics, ContainerSample, VchHeader, VchSnapshot
from tui.core.monitor.collector import Refresh
from tui.core.monitor.text_table import json_document, refresh_lines

HEADER = VchHeader("vch-a", 500, 500, 4588, 4096, True, 410.0, 300.0)
ROW = ContainerSample(
    "cpu-stress-0123456789ab",
    "vm-7",
    2,
    2048,
    "poweredOn",
    ContainerMetrics(cpu_ready_pct=38.0, cpu_maxlimited_pct=35.0),
    "crit",
    ("CPU ready 38% per vCPU", "throttled by CPU limit 35% of the time"),
)
SNAP = VchSnapshot(HEADER, (ROW,))


def test_table_lines():
    lines = refresh_lines(Refresh(t=0.0, snapshots=(SNAP,), duration_s=0.25), local_time=__import__("time").gmtime)
    text = "\n".join(lines)
    assert lines[0].startswith("1970-01-01 00:00:00  1 VCH, 1 container, refreshed in 250 ms")
    assert "CPU limit 500 MHz, used 410 MHz" in text and "over-committed" in text
    assert "cpu-stress-0123456789ab" in text and "38.0" in text and "throttled by CPU limit 35%" in text
    assert "—" in text  # values not available


def test_reconnecting_line():
    r = Refresh(t=0.0, status="reconnecting", problems=("connection lost: refused",), retry_in_s=4, attempt=3)
    (line,) = refresh_lines(r, local_time=__import__("time").gmtime)
    assert "reconnecting (attempt 3, next attempt in 4 s): connection lost: refused" in line


def test_json_document_shape():
    assert json_document([SNAP], "vch-a") == SNAP.to_json_dict()
    assert json_document([SNAP], None) == [SNAP.to_json_dict()]
    assert json_document([], "gone") is None
