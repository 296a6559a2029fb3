"""Parsers for the values a spec holds: durations, addresses, ranges, datastore paths."""

import ipaddress

import pytest

from tui.core.spec.addresses import (
    IpRange,
    is_routable,
    parse_cidr_address,
    parse_ip_range,
    parse_routed_gateway,
)
from tui.core.spec.storage_paths import parse_datastore_path, parse_volume_store
from tui.core.spec.units import format_duration, parse_duration


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("3m", 180),
        ("90s", 90),
        ("1m30s", 90),
        ("1h", 3600),
        ("1.5h", 5400),
        ("500ms", 0.5),
        ("0", 0),
        (" 2m ", 120),
        ("1h2m3s", 3723),
    ],
)
def test_durations(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "3", "3 m", "m", "3min", "1m30", "abc", "3m!"])
def test_bad_durations(text):
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize("seconds, text", [(180, "3m"), (90, "1m30s"), (3723, "1h2m3s"), (0, "0s")])
def test_format_duration_round_trips(seconds, text):
    assert format_duration(seconds) == text
    assert parse_duration(text) == seconds


def test_routed_gateway_forms():
    plain = parse_routed_gateway("10.0.0.1")
    assert str(plain.gateway) == "10.0.0.1" and plain.destinations == ()
    routed = parse_routed_gateway("10.1.0.0/16,10.2.0.0/16:10.0.0.1")
    assert [str(d) for d in routed.destinations] == ["10.1.0.0/16", "10.2.0.0/16"]
    for bad in ("10.0.0.1/24", "a:b:c", "x", "10.1.0.0:10.0.0.1"):
        with pytest.raises(ValueError):
            parse_routed_gateway(bad)


def test_cidr_address_needs_a_mask():
    assert str(parse_cidr_address("10.0.0.2/24").network) == "10.0.0.0/24"
    with pytest.raises(ValueError, match="no network mask"):
        parse_cidr_address("10.0.0.2")


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("10.0.0.0/30", "10.0.0.0", "10.0.0.3"),
        ("10.0.0.10-10.0.0.20", "10.0.0.10", "10.0.0.20"),
        ("10.0.0.10-20", "10.0.0.10", "10.0.0.20"),
    ],
)
def test_ip_ranges(text, first, last):
    r = parse_ip_range(text)
    assert (str(r.first), str(r.last)) == (first, last)


@pytest.mark.parametrize("text", ["10.0.0.20-10", "10.0.0.20-10.0.0.10", "10.0.0.1-300", "a-b", "10.0.0.1"])
def test_bad_ip_ranges(text):
    with pytest.raises(ValueError):
        parse_ip_range(text)


def test_range_overlap_and_routable():
    a, b = parse_ip_range("10.0.0.10-20"), parse_ip_range("10.0.0.20-30")
    assert a.overlaps(b) and b.overlaps(a)
    assert not a.overlaps(parse_ip_range("10.0.0.21-30"))
    assert IpRange.of_network(ipaddress.ip_network("10.0.0.0/24")).within(ipaddress.ip_network("10.0.0.0/16"))
    assert is_routable(ipaddress.ip_interface("10.0.0.1/24"))
    assert not is_routable(ipaddress.ip_interface("10.0.0.0/24"))
    assert not is_routable(ipaddress.ip_interface("10.0.0.255/24"))


def test_an_ipv4_and_an_ipv6_range_share_nothing_rather_than_raise():
    # parse_ip_range refuses IPv6; an IpRange built otherwise still compares without TypeError.
    v4 = parse_ip_range("10.0.0.10-20")
    v6 = IpRange(ipaddress.ip_address("fd00::10"), ipaddress.ip_address("fd00::20"))
    assert not v4.overlaps(v6) and not v6.overlaps(v4)
    assert not v4.contains(ipaddress.ip_address("fd00::15")) and v6.contains(ipaddress.ip_address("fd00::15"))


def test_datastore_paths_and_volume_stores():
    assert parse_datastore_path("datastore1/vch/images").datastore == "datastore1"
    assert parse_datastore_path("ds://datastore 1/x").path == "x"
    store = parse_volume_store("datastore1/volumes:default")
    assert (store.label, store.datastore.datastore, store.nfs) == ("default", "datastore1", False)
    assert parse_volume_store("ds://datastore1/volumes:v").label == "v"
    assert parse_volume_store("datastore1:root").datastore.path == ""
    nfs = parse_volume_store("nfs://nas.example.com/exports/vch?uid=1000&gid=1000:shared")
    assert nfs.nfs and nfs.label == "shared" and nfs.datastore is None
