"""The local journal of a create: exact name encoding, keyed by the vCenter's instance UUID, intents before
ids, files private and atomic whatever the umask, never written through a symlink, unreadable ones ignored."""

from __future__ import annotations

import os
import stat
from types import SimpleNamespace

import pytest

from tui.core.vch import journal as j


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("VCH_TUI_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def session(uuid: str | None = "DBED6E0C-bd88-4ef6-b594-21283e1c677f", label: str = "vc.example.com:443"):
    return SimpleNamespace(
        content=SimpleNamespace(about=SimpleNamespace(instanceUuid=uuid)), target=SimpleNamespace(label=label)
    )


@pytest.mark.parametrize(
    "names", [("a b", "a_b", "a%20b", "a.b", "a-b"), (".", "..", "%2E", "_"), ("vch", "VCH", "vch ")]
)
def test_distinct_names_get_distinct_files_and_decode_back(names):
    encoded = [j.encode_name(n) for n in names]
    assert len(set(encoded)) == len(names)
    assert [j.decode_name(e) for e in encoded] == list(names)
    assert all("/" not in e and e not in (".", "..") for e in encoded)


def test_journals_are_keyed_by_the_instance_uuid_not_the_address():
    a = j.Journal.for_session(session(label="10.0.0.1:443"), "vch")
    a.add(j.FOLDER, "group-v1", "VM folder Datacenter/vm/vch")
    same_vc_other_address = j.Journal.for_session(session(label="vc.example.com:8443"), "vch")
    assert same_vc_other_address.entries == a.entries
    other_vc_same_address = j.Journal.for_session(
        session(uuid="11111111-2222-3333-4444-555555555555", label="10.0.0.1:443"), "vch"
    )
    assert other_vc_same_address.entries == []
    esx = j.Journal.for_session(session(uuid=None, label="esx-01:443"), "vch")
    assert esx.path.parent.name.startswith("host-") and esx.entries == []


def test_a_b_and_a_underscore_b_keep_separate_journals():
    s = session()
    j.Journal.for_session(s, "a b").add(j.FOLDER, "group-v1", "VM folder a b")
    j.Journal.for_session(s, "a_b").add(j.FOLDER, "group-v2", "VM folder a_b")
    assert j.Journal.for_session(s, "a b").get(j.FOLDER).ref == "group-v1"
    assert j.Journal.for_session(s, "a_b").get(j.FOLDER).ref == "group-v2"
    assert sorted(x.name for x in j.journals(s)) == ["a b", "a_b"]


def test_the_intent_is_on_disk_before_the_id():
    s = session()
    journal = j.Journal.for_session(s, "vch")
    journal.intend(j.POOL, "vch", "resgroup-8", "resource pool Cluster/Resources/vch")
    on_disk = j.Journal.for_session(s, "vch").get(j.POOL)
    assert (on_disk.ref, on_disk.name, on_disk.parent) == (None, "vch", "resgroup-8")
    journal.created(j.POOL, "resgroup-42")
    assert j.Journal.for_session(s, "vch").get(j.POOL).ref == "resgroup-42"


def test_files_are_private_whatever_the_umask(home):
    old = os.umask(0)
    try:
        j.Journal.for_session(session(), "vch").add(j.FOLDER, "group-v1", "VM folder")
    finally:
        os.umask(old)
    path = j.Journal.for_session(session(), "vch").path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_symlink_in_place_of_the_journal_is_replaced_not_written_through(tmp_path):
    s = session()
    journal = j.Journal.for_session(s, "vch")
    journal.path.parent.mkdir(parents=True)
    victim = tmp_path / "victim"
    victim.write_text("precious")
    journal.path.symlink_to(victim)
    journal.add(j.FOLDER, "group-v1", "VM folder")
    assert victim.read_text() == "precious"
    assert not journal.path.is_symlink()


@pytest.mark.parametrize(
    "content",
    [
        b"{",
        b"[]",
        b'{"name": "vch", "entries": [1, 2]}',
        b'{"name": "other"}',
        b'{"name": "vch", "entries": [{"kind": 3}]}',
        b"\xff\xfe",
        b"[" * 100000,
    ],
)
def test_an_unreadable_journal_proves_nothing(content):
    journal = j.Journal.for_session(session(), "vch")
    journal.path.parent.mkdir(parents=True)
    journal.path.write_bytes(content)
    again = j.Journal.for_session(session(), "vch")
    assert again.entries == [] and again.unreadable


def test_local_files_changed_since_are_kept(tmp_path):
    a, b = tmp_path / "a.pem", tmp_path / "b.pem"
    a.write_text("one")
    b.write_text("two")
    journal = j.Journal.for_session(session(), "vch")
    journal.record_local_files("local certificate folder", [tmp_path, a, b])
    b.write_text("edited by the user")
    same, changed = j.local_files_unchanged(j.Journal.for_session(session(), "vch").get(j.LOCAL))
    assert same == [a] and len(changed) == 1 and str(b) in changed[0]
