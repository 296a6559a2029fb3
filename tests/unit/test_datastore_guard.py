"""The one place that deletes datastore paths refuses, before any vSphere call, a datastore root, anything
outside the VCH's own folder, and any path vSphere could read as something else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.core.vsphere import datastore_files as dsf

INSIDE = "[datastore1] vch1"


@pytest.mark.parametrize(
    "path",
    [
        "[datastore1] vch1",
        "[datastore1] vch1/appliance.iso",
        "[datastore1] vch1/sub/file.log",
        "[data store 1] vch1/x",
    ],
)
def test_paths_inside_the_vch_folder_pass(path):
    inside = INSIDE if path.startswith("[datastore1]") else "[data store 1] vch1"
    assert str(dsf.check_deletable(path, inside)) == path


@pytest.mark.parametrize(
    "path, why",
    [
        ("[datastore1]", "root"),
        ("[datastore1] ", "root"),
        ("[datastore1] /", "'/'"),
        ("[datastore1] vch1/..", "'..'"),
        ("[datastore1] vch1/../other", "'..'"),
        ("[datastore1] vch1/.", "'.'"),
        ("[datastore1] vch1//x", "empty"),
        ("[datastore1] vch1/", "empty"),
        ("[datastore1] other/x", "outside"),
        ("[datastore1] vch10", "outside"),
        ("[datastore1] vch1x/f", "outside"),
        ("[datastore2] vch1/x", "datastore"),
        ("[datastore1] vch1/ x", "whitespace"),
        ("[datastore1] vch1/x\x00", "control"),
        ("[datastore1] vch1/a\u202eb", "control"),
        ("[datastore1] vch1/a\u200bb", "control"),
        ("[datastore1] vch1\\..\\x", "backslash"),
        ("datastore1/vch1", "not a datastore path"),
        ("[] vch1", "does not name"),
        ("[datastore1]vch1", "space"),
        ("[ datastore1] vch1", "does not name"),
    ],
)
def test_paths_that_leave_the_folder_or_could_mean_something_else_are_refused(path, why):
    with pytest.raises(dsf.UnsafeDelete, match=re.escape(why)):
        dsf.check_deletable(path, INSIDE)


@pytest.mark.parametrize(
    "inside",
    [
        "[datastore1]",
        "[datastore1] ",
        "[datastore1] .",
        "[datastore1] ..",
        "[datastore1] a/..",
        "[datastore1]  vch1",
        "[datastore1] vch1 ",
    ],
)
def test_an_unsafe_vch_folder_makes_every_delete_refused(inside):
    with pytest.raises(dsf.UnsafeDelete):
        dsf.check_deletable(inside, inside)
    with pytest.raises(dsf.UnsafeDelete):
        dsf.check_deletable("[datastore1] x", inside)


class _Refuses:
    """A session whose file manager fails the test if anything reaches it."""

    class content:  # noqa: N801 - the attribute name pyvmomi uses
        class fileManager:  # noqa: N801
            @staticmethod
            def DeleteDatastoreFile_Task(*args):  # noqa: N802
                raise AssertionError(f"vSphere was asked to delete {args[0]!r}")


def test_a_refused_path_never_reaches_vsphere():
    with pytest.raises(dsf.UnsafeDelete):
        dsf.delete_path(_Refuses(), None, "[datastore1] ", None, inside=INSIDE)
    with pytest.raises(dsf.UnsafeDelete):
        dsf.delete_path(_Refuses(), None, "[datastore1] vch1/../../", None, inside=INSIDE)


def test_only_the_guard_asks_vsphere_to_delete_datastore_files():
    root = Path(dsf.__file__).resolve().parents[2]
    callers = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "DeleteDatastoreFile_Task(" in p.read_text() and "/vchsim/" not in str(p)
    )
    assert callers == ["core/vsphere/datastore_files.py"]
