"""The alert log: state changes with time and reasons; first refresh, appear, gone; bounded."""

from tui.core.metrics.model import ContainerSample, VchHeader, VchSnapshot
from tui.core.monitor.alerts import AlertLog


def snap(*rows: tuple[str, str, tuple[str, ...]], vch: str = "v1") -> VchSnapshot:
    header = VchHeader(vch, None, None, 0, 0, False)
    return VchSnapshot(
        header,
        tuple(
            ContainerSample(f"{vm}-name", vm, 1, 512, "poweredOn", state=state, reasons=reasons)
            for vm, state, reasons in rows
        ),
    )


def test_first_refresh_reports_only_containers_in_trouble():
    log = AlertLog()
    new = log.update(10.0, [snap(("vm-1", "ok", ()), ("vm-2", "crit", ("CPU ready 12% per vCPU",)))])
    assert [(a.vm, a.old, a.new, a.first) for a in new] == [("vm-2", None, "crit", True)]
    assert new[0].words() == "vm-2-name (v1) crit: CPU ready 12% per vCPU"


def test_changes_appear_and_gone():
    log = AlertLog()
    log.update(1.0, [snap(("vm-1", "ok", ()), ("vm-2", "warn", ("co-stop 4%",)))])
    new = log.update(2.0, [snap(("vm-1", "crit", ("ballooning 5 MB",)), ("vm-3", "ok", ()))])
    words = sorted(a.words() for a in new)
    assert words == ["vm-1-name (v1) ok → crit: ballooning 5 MB", "vm-2-name (v1) gone", "vm-3-name (v1) appeared, ok"]
    assert all(a.t == 2.0 for a in new)
    assert log.update(3.0, [snap(("vm-1", "crit", ("ballooning 6 MB",)), ("vm-3", "ok", ()))]) == []
    back = log.update(4.0, [snap(("vm-1", "ok", ()), ("vm-3", "ok", ()))])
    assert [a.words() for a in back] == ["vm-1-name (v1) crit → ok"] and back[0].severity == "ok"
    assert back[0].line(local_time=lambda t: __import__("time").gmtime(t)).startswith("00:00:04  ")


def test_bounded_and_rebase():
    log = AlertLog(maxlen=3)
    for i in range(10):
        log.update(float(i), [snap(("vm-1", "crit" if i % 2 else "ok", ()))])
    assert len(log) == 3
    log.rebase()
    assert log.update(20.0, [snap(("vm-9", "ok", ()))]) == []  # a first refresh again: no "gone" for vm-1


NO_DATA = ("vm-1", "unknown", ("no performance data",))


def test_missing_data_neither_clears_nor_raises():
    """crit → (perf query failed) → crit is no alert at all: no false crit → ok → crit."""
    log = AlertLog()
    log.update(1.0, [snap(("vm-1", "crit", ("CPU ready 12% per vCPU",)))])
    assert log.update(2.0, [snap(NO_DATA)]) == []
    assert log.update(3.0, [snap(NO_DATA)]) == []
    assert log.update(4.0, [snap(("vm-1", "crit", ("CPU ready 13% per vCPU",)))]) == []
    back = log.update(5.0, [snap(NO_DATA)]) + log.update(6.0, [snap(("vm-1", "ok", ()))])
    assert [a.words() for a in back] == ["vm-1-name (v1) crit → ok"]  # the change, once data says so
    assert [a.words() for a in log.entries] == [
        "vm-1-name (v1) crit: CPU ready 12% per vCPU",
        "vm-1-name (v1) crit → ok",
    ]


def test_a_container_first_seen_without_data_is_news_only_once_known_to_be_in_trouble():
    log = AlertLog()
    assert log.update(1.0, [snap(NO_DATA, ("vm-2", "unknown", ()))]) == []
    later = log.update(2.0, [snap(("vm-1", "ok", ()), ("vm-2", "warn", ("co-stop 4%",)))])
    assert [(a.vm, a.old, a.new) for a in later] == [("vm-2", None, "warn")]
    assert [a.words() for a in log.update(3.0, [snap(("vm-1", "ok", ()))])] == ["vm-2-name (v1) gone"]
