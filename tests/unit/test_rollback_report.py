"""The rollback report: exactly what was removed and what is left, no duplicates, no contradictions."""

from tui.core.vch import events as ev
from tui.core.vch.runner import _settle


def test_duplicates_and_contradictions_are_settled():
    result = ev.RunResult(ok=False, name="vch")
    result.removed = ["uploaded file [ds] vch/a.iso", "endpoint VM vch", "uploaded file [ds] vch/a.iso"]
    result.left = [
        "endpoint VM vch",
        "resource pool Cluster/Resources/vch",
        "resource pool Cluster/Resources/vch",
        "datastore folder [ds] vch",
        "datastore folder [ds] vch (holds 1 file(s) this run did not create: x)",
    ]
    _settle(result)
    assert result.removed == ["uploaded file [ds] vch/a.iso", "endpoint VM vch"]
    assert result.left == [
        "resource pool Cluster/Resources/vch",
        "datastore folder [ds] vch (holds 1 file(s) this run did not create: x)",
    ]
