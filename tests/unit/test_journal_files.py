"""The journal on disk, as the runner and `delete` use it: entries round-trip through the file, and a file that
cannot be read is refused by `delete` with an error naming it (it proves nothing, so nothing is deleted)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tui.core.vch.journal import FOLDER, POOL, Journal
from tui.core.vch.teardown import DeleteRefused, leftover_plan


def session():
    return SimpleNamespace(target=SimpleNamespace(label="fake.vcenter:443"), content=None)


def test_entries_round_trip_through_the_file():
    journal = Journal.for_session(session(), "vch-1")
    journal.add(FOLDER, "group-v7", "VM folder Datacenter/vm/vch-1")
    journal.add(POOL, "resgroup-9", "resource pool Cluster/Resources/vch-1")
    again = Journal.for_session(session(), "vch-1")
    assert again.entries == journal.entries and [e.kind for e in again.entries] == [FOLDER, POOL]
    again.drop(FOLDER)
    assert [e.kind for e in Journal.for_session(session(), "vch-1").entries] == [POOL]
    again.clear()
    assert not again.path.exists() and Journal.for_session(session(), "vch-1").entries == []


@pytest.mark.parametrize("content", [b"{not json", b'{"name": "vch-1", "entries": [{"kind": 7}]}', b"\xff\xfe"])
def test_delete_refuses_a_journal_it_cannot_read_and_names_the_file(content):
    journal = Journal.for_session(session(), "vch-1")
    journal.path.parent.mkdir(parents=True, exist_ok=True)
    journal.path.write_bytes(content)
    with pytest.raises(DeleteRefused) as caught:
        leftover_plan(session(), "vch-1")
    text = str(caught.value)
    assert str(journal.path) in text and "cannot be read" in text and "nothing is deleted" in text
    assert journal.path.read_bytes() == content  # left as it was


def test_no_journal_is_no_leftover():
    assert leftover_plan(session(), "never-made") is None
