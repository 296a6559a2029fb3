"""Volume store folders: create makes `[ds] path` for each datastore volume store (`[ds] VIC` without a path),
as vic-machine does; a rollback removes only the folders this run made, deepest first and only while empty;
a folder that was there before, and anything someone else put in one, stays; `delete` keeps volume stores."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.rig.provisioning import fingerprint, make_spec, plan_and_run, put_foreign_file, remove_foreign_file
from tui.core.spec.model import VchSpec
from tui.core.vch import events as ev
from tui.core.vch import journal
from tui.core.vch.teardown import delete_vch, plan_delete
from tui.core.vch.volume_folders import volume_folders
from tui.core.vsphere.datastore_files import delete_path, list_folder
from tui.core.vsphere.inventory_snapshot import load_inventory
from tui.core.vsphere.wait import Waiter
from tui.vchsim.simulator import DATASTORES

pytestmark = pytest.mark.rig

DS1, DS2 = DATASTORES


def with_stores(spec, *stores: str):
    return replace(spec, volume_store=stores)


def listing(session, path: str) -> list[str] | None:
    return list_folder(Waiter(session), load_inventory(session).datacenter_ref, path)


def remove_tree(session, top: str, *paths: str) -> None:
    """Remove folders a passing test left on purpose (deepest first), through the same guard."""
    dc = load_inventory(session).datacenter_ref
    for path in sorted(paths, key=lambda p: p.count("/"), reverse=True):
        delete_path(session, Waiter(session), path, dc, inside=top)


def test_the_folders_are_vic_machines():
    spec = with_stores(
        VchSpec(name="x"),
        f"{DS1}/volumes:default",
        f"{DS2}:bare",
        f"ds://{DS1}/a/b:deep",
        "nfs://nas.example.com/exports/vch:shared",
        f"{DS1}/volumes:again",
    )
    assert [(f.label, f.text) for f in volume_folders(spec)] == [
        ("default", f"[{DS1}] volumes"),  # G1: MakeDirectory [datastore1] volumes
        ("bare", f"[{DS2}] VIC"),  # no path: vic's StorageParentDir
        ("deep", f"[{DS1}] a/b"),
    ]


def test_create_makes_each_folder_and_delete_keeps_them(prov_session, plain_dockerd, isos, tmp_path):
    name = "vch-vols-ok"
    spec = with_stores(make_spec(name, isos, tmp_path), f"{DS1}/{name}-vols/deep:default", f"{DS2}/{name}-b:other")
    before = fingerprint(prov_session)
    plan, result, events = plan_and_run(prov_session, spec)
    try:
        assert result.ok, result.error
        assert plan.step_keys()[plan.step_keys().index("vm") + 1] == "volumes"
        assert listing(prov_session, f"[{DS1}] {name}-vols/deep") == []
        assert listing(prov_session, f"[{DS2}] {name}-b") == []
        logs = [e.text for e in events if isinstance(e, ev.LogLine)]
        assert f"created the volume store folder [{DS1}] {name}-vols/deep (default)" in logs
    finally:
        outcome = delete_vch(prov_session, plan_delete(prov_session, name))
    assert outcome.ok, outcome.left
    assert listing(prov_session, f"[{DS1}] {name}-vols/deep") == []  # volume stores are kept, as vic-machine
    remove_tree(prov_session, f"[{DS1}] {name}-vols", f"[{DS1}] {name}-vols", f"[{DS1}] {name}-vols/deep")
    remove_tree(prov_session, f"[{DS2}] {name}-b", f"[{DS2}] {name}-b")
    assert fingerprint(prov_session) == before


@pytest.mark.parametrize("where", ["MakeDirectory", "PUT /folder"])
def test_a_fault_at_or_after_the_folders_removes_exactly_what_this_run_made(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path, where
):
    sim = clean_faults
    name = f"vch-vols-{where.split()[0].lower()}"
    spec = with_stores(make_spec(name, isos, tmp_path), f"{DS1}/{name}-v/a/b:default", f"{DS2}/{name}-2:two")
    sim.arm_fault(where, message=f"injected at {where}", count=1)
    before = fingerprint(prov_session)
    _, result, _ = plan_and_run(prov_session, spec)
    assert not result.ok and result.failed_step == ("volumes" if where == "MakeDirectory" else "upload")
    assert result.left == [], result.left
    folders = [r for r in result.removed if r.startswith("volume store folder")]
    if where == "PUT /folder":  # both made: removed deepest first
        assert folders == [
            f"volume store folder [{DS1}] {name}-v/a/b",
            f"volume store folder [{DS1}] {name}-v/a",
            f"volume store folder [{DS1}] {name}-v",
            f"volume store folder [{DS2}] {name}-2",
        ]
    assert fingerprint(prov_session) == before


def test_a_folder_that_was_there_and_what_others_put_in_ours_stay(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path
):
    sim = clean_faults
    name = "vch-vols-theirs"
    theirs = put_foreign_file(prov_session, tmp_path, f"{name}-old/notes.txt")  # an existing store with data
    spec = with_stores(
        make_spec(name, isos, tmp_path),
        f"{DS1}/{name}-old:old",  # exists: never touched
        f"{DS1}/{name}-old/new:inner",  # its parent exists: only "new" is this run's
        f"{DS1}/{name}-busy:busy",  # made now, but someone writes into it before the rollback
    )
    sim.arm_fault("PowerOnVM_Task", stage="task", message="injected: no power")

    def intrude(event) -> None:
        if isinstance(event, ev.StepChanged) and event.key == "upload" and event.state == ev.RUNNING:
            put_foreign_file(prov_session, tmp_path, f"{name}-busy/theirs.txt")

    before = fingerprint(prov_session)
    _, result, _ = plan_and_run(prov_session, spec, hook=intrude)
    try:
        assert result.failed_step == "power"
        folders = [r for r in result.removed if r.startswith("volume store folder")]
        assert folders == [f"volume store folder [{DS1}] {name}-old/new"]
        assert len(result.left) == 1 and result.left[0].startswith(f"volume store folder [{DS1}] {name}-busy")
        assert "theirs.txt" in result.left[0]
        assert listing(prov_session, f"[{DS1}] {name}-old") == ["notes.txt"]
        after = fingerprint(prov_session)
        assert set(after["files"]) - set(before["files"]) == {f"[{DS1}] {name}-busy", f"[{DS1}] {name}-busy/theirs.txt"}
        assert journal.Journal.for_session(prov_session, name).get(journal.VOLUME_FOLDERS).files == (
            f"[{DS1}] {name}-busy",
        )  # what is left stays recorded
    finally:
        journal.Journal.for_session(prov_session, name).clear()
        remove_foreign_file(prov_session, f"[{DS1}] {name}-busy/theirs.txt")
        remove_foreign_file(prov_session, theirs)


def test_folders_the_rollback_could_not_remove_are_deleted_from_the_journal(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path
):
    sim = clean_faults
    name = "vch-vols-stuck"
    spec = with_stores(make_spec(name, isos, tmp_path), f"{DS1}/{name}-v/deep:default")
    before = fingerprint(prov_session)
    sim.arm_fault("PowerOnVM_Task", stage="task", message="injected: no power")

    def intrude(event) -> None:  # a file in the new folder keeps it (and its parent) through the rollback
        if isinstance(event, ev.StepChanged) and event.key == "upload" and event.state == ev.RUNNING:
            put_foreign_file(prov_session, tmp_path, f"{name}-v/deep/theirs.txt")

    _, result, _ = plan_and_run(prov_session, spec, plain_dockerd.port, hook=intrude)
    assert result.failed_step == "power"
    assert [i.partition(" (")[0] for i in result.left] == [
        f"volume store folder [{DS1}] {name}-v/deep",
        f"volume store folder [{DS1}] {name}-v",
    ]
    dc = load_inventory(prov_session).datacenter_ref
    theirs = f"[{DS1}] {name}-v/deep/theirs.txt"
    delete_path(prov_session, Waiter(prov_session), theirs, dc, inside=theirs)  # its owner takes it back

    plan = plan_delete(prov_session, name)
    assert f"volume store folder [{DS1}] {name}-v/deep (once empty)" in plan.describe()
    outcome = delete_vch(prov_session, plan)
    assert outcome.ok, outcome.left
    assert outcome.removed == [
        f"volume store folder [{DS1}] {name}-v/deep",
        f"volume store folder [{DS1}] {name}-v",
    ]
    assert fingerprint(prov_session) == before
    assert not journal.Journal.for_session(prov_session, name).entries


def test_the_folders_cost_a_few_round_trips(prov_session, isos, tmp_path):
    """Per volume store: its datastore's browser, one search per existing level, one MakeDirectory."""
    from tui.core.vsphere.calls import count_calls

    name = "vch-vols-budget"
    spec = with_stores(make_spec(name, isos, tmp_path), f"{DS1}/{name}-a/b:default", f"{DS2}/{name}-c:c")
    before = fingerprint(prov_session)
    with count_calls(prov_session) as calls:
        _, result, _ = plan_and_run(prov_session, spec)
    try:
        assert result.ok, result.error
        assert calls.by_method["MakeDirectory"] == 2
        assert calls.by_method["SearchDatastore_Task"] == 3  # the VM folder's name check, one per store
    finally:
        delete_vch(prov_session, plan_delete(prov_session, name), force=True)  # takes the stores, not parents
        remove_tree(prov_session, f"[{DS1}] {name}-a", f"[{DS1}] {name}-a", f"[{DS1}] {name}-a/b")
        remove_tree(prov_session, f"[{DS2}] {name}-c", f"[{DS2}] {name}-c")
    assert fingerprint(prov_session) == before
