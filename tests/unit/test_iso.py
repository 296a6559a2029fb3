"""VIC's ISOs: the ISO 9660 Primary Volume Descriptor reader, VIC's version from the publisher, and validation
refusing files that are not ISO 9660 images (given ones and the defaults in the current folder)."""

from __future__ import annotations

import os

import pytest

from tests.unit.good_spec import GOOD
from tui.core.spec.model import VchSpec
from tui.core.spec.validate_local import validate_local
from tui.core.vch.plan import _iso_problems, iso_lines
from tui.core.vic.iso import PVD_OFFSET, SECTOR, NotAnIso, parse_pvd, read_iso
from tui.vchsim.iso_image import VIC_PUBLISHER, iso9660_image, write_iso


def test_the_written_image_reads_back_with_vic_s_version(tmp_path):
    path = tmp_path / "appliance.iso"
    write_iso(path, payload=b"payload")
    info = read_iso(path)
    assert info.publisher == VIC_PUBLISHER
    assert info.version == "v1.5.8-0-2c978fe"
    data = path.read_bytes()
    assert data.endswith(b"payload") and data[17 * SECTOR : 17 * SECTOR + 6] == b"\xffCD001"  # set terminator
    assert int.from_bytes(data[PVD_OFFSET + 80 : PVD_OFFSET + 84], "little") == len(data) // SECTOR + 1


def test_xorriso_s_upper_case_publisher_gives_the_upper_case_version():
    """xorriso upper-cases the field (tests/data/vic-machine-1.5.8/README.md); vic-machine names files after it."""
    info = parse_pvd(iso9660_image("VMWARE INC. V1.5.8-0-2C978FE")[PVD_OFFSET : PVD_OFFSET + SECTOR])
    assert info.version == "V1.5.8-0-2C978FE"


@pytest.mark.parametrize("publisher, version", [("", None), ("VMware", None), ("  a  b  ", "b")])
def test_a_publisher_without_a_version_word(publisher, version):
    assert parse_pvd(iso9660_image(publisher)[PVD_OFFSET : PVD_OFFSET + SECTOR]).version == version


def _image_with(offset: int, value: bytes) -> bytes:
    image = bytearray(iso9660_image())
    image[PVD_OFFSET + offset : PVD_OFFSET + offset + len(value)] = value
    return bytes(image)


@pytest.mark.parametrize(
    "data, why",
    [
        (b"", "shorter"),
        (b"\0" * 2048, "shorter"),
        (os.urandom(64 * 1024), "CD001"),
        (b"\0" * (64 * 1024), "CD001"),
        (_image_with(0, b"\2"), "type 2"),
        (_image_with(6, b"\2"), "version 2"),
        (_image_with(1, b"CD002"), "CD001"),
    ],
    ids=["empty", "one-sector", "random", "zeros", "supplementary-descriptor", "pvd-version-2", "wrong-id"],
)
def test_files_that_are_not_iso_9660_are_refused(tmp_path, data, why):
    path = tmp_path / "x.iso"
    path.write_bytes(data)
    with pytest.raises(NotAnIso, match=why):
        read_iso(path)


@pytest.mark.parametrize("key", ["appliance_iso", "bootstrap_iso"])
def test_validation_names_the_field_of_a_non_iso_file(tmp_path, key):
    good, bad = tmp_path / "good.iso", tmp_path / "bad.iso"
    write_iso(good)
    bad.write_bytes(os.urandom(40 * 1024))
    spec = GOOD.with_values({"appliance_iso": str(good), "bootstrap_iso": str(good), key: str(bad)})
    assert not [p for p in validate_local(spec) if p.is_error]  # exists and is readable
    errors = _iso_problems(spec)
    assert [p.field for p in errors] == [key]
    assert "not an ISO 9660 image" in errors[0].message and str(bad) in errors[0].message


def test_the_default_isos_in_the_current_folder_are_checked_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_iso(tmp_path / "appliance.iso")
    (tmp_path / "bootstrap.iso").write_bytes(b"\0" * 100_000)
    problems = _iso_problems(VchSpec(name="vch-1"))
    assert [p.field for p in problems] == ["bootstrap_iso"] and "ISO 9660" in problems[0].message


def test_the_confirmation_lines_name_the_resolved_paths_and_versions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_iso(tmp_path / "appliance.iso")
    (tmp_path / "sub").mkdir()
    write_iso(tmp_path / "sub" / "b.iso", publisher="VMWARE INC. V1.5.8-0-2C978FE")
    lines = iso_lines(VchSpec(name="vch-1", bootstrap_iso="sub/../sub/b.iso"))
    assert lines == [
        f"appliance ISO: {tmp_path / 'appliance.iso'} (v1.5.8-0-2c978fe)",
        f"bootstrap ISO: {tmp_path / 'sub' / 'b.iso'} (V1.5.8-0-2C978FE)",
    ]
