"""VIC's encoding rules: key forms per scope, value forms, and property tests of the round trips."""

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.errors import VicConfigError
from tui.core.secret import Secret
from tui.core.vic import goip
from tui.core.vic.codec import Decoder, Encoder
from tui.core.vic.keys import field_key, item_key, values_key
from tui.core.vic.schema import (
    BOOL,
    BYTES,
    HIDDEN,
    INHERIT,
    INT,
    RO,
    RW,
    SECRET,
    TEXT,
    TEXTS,
    ListOf,
    MapOf,
    Ptr,
    Struct,
    vic,
)
from tui.core.vic.secretbox import new_key, unseal
from tui.core.vic.values import IPNet, IPRange

# --- key forms ----------------------------------------------------------------------------------


def test_key_forms_per_scope():
    init = field_key("", "init", RO)
    common = field_key(init, "common", RO)
    client = item_key(field_key(init, "networks", RO), "client")
    network = field_key(client, "network", RO)
    session = item_key(field_key(init, "sessions", RO), "port-layer")
    assert init == "guestinfo.vice./init"
    assert field_key(common, "id", RO) == "guestinfo.vice./init/common/id"
    assert field_key(common, "name", HIDDEN) == "init/common/name"
    assert field_key(common, "ExecutionEnvironment", INHERIT) == "guestinfo.vice./init/common/ExecutionEnvironment"
    assert (
        field_key(field_key(client, "assigned", RW), "IP", INHERIT)
        == "guestinfo.vice..init.networks|client.assigned.IP"
    )
    assert field_key(network, "type", RW) == "guestinfo.vice..init.networks|client.network.type"
    common = field_key(network, "Common", INHERIT)
    assert field_key(common, "notes", HIDDEN) == "init/networks|client/network/Common/notes"
    assert (
        field_key(field_key(session, "diagnostics", RO), "resurrections", RW)
        == "guestinfo.vice..init.sessions|port-layer.diagnostics.resurrections"
    )
    assert (
        values_key(field_key(field_key(session, "cmd", RO), "Args", RO))
        == "guestinfo.vice./init/sessions|port-layer/cmd/Args~"
    )
    assert field_key(field_key("", "connect", RO), "token", SECRET) == "guestinfo.vice./connect/token@secret"
    host = field_key(field_key("", "cert", RO), "HostCertificate", RO)
    assert field_key(host, "Key", SECRET) == "guestinfo.vice./cert/HostCertificate/Key@secret"
    assert field_key(host, "Cert", INHERIT) == "guestinfo.vice./cert/HostCertificate/Cert"


def test_non_persistent_is_inherited_and_a_dot_in_a_map_key_becomes_a_slash_like_vic_does():
    execs = item_key(field_key("guestinfo.vice./init", "execs", "read-only,non-persistent"), "e1")
    assert execs == "guestinfo.vice./init/execs|e1@non-persistent"
    assert field_key(execs, "cmd", RO) == "guestinfo.vice./init/execs|e1/cmd@non-persistent"
    assert field_key(execs, "started", RW) == "guestinfo.vice..init.execs|e1.started@non-persistent"
    network = item_key("guestinfo.vice./network/container_networks", "web.prod")
    assert field_key(network, "TrustLevel", INHERIT) == "guestinfo.vice./network/container_networks|web/prod/TrustLevel"
    assert field_key(network, "type", RW) == "guestinfo.vice..network.container_networks|web.prod.type"


# --- value forms --------------------------------------------------------------------------------


def test_go_ip_byte_lengths():
    assert goip.parse_ip("10.20.0.1") == bytes(10) + b"\xff\xff" + bytes([10, 20, 0, 1])  # AAAAAAAAAAAAAP//ChQAAQ==
    assert IPNet.network("172.16.0.0/12") == IPNet(bytes([172, 16, 0, 0]), bytes([255, 240, 0, 0]))  # rBAAAA==
    assert IPNet.interface("10.0.0.5/24").ip == goip.parse_ip("10.0.0.5")
    assert IPNet.interface("10.0.0.5/24").mask == bytes([255, 255, 255, 0])
    assert goip.IPV4_ZERO == goip.parse_ip("0.0.0.0") and len(goip.IPV4_ZERO) == 16
    assert goip.ip_text(goip.parse_ip("fd00::1")) == "fd00::1"
    assert goip.cidr_mask(16) == bytes([255, 255, 0, 0])


def test_ip_ranges_keep_vics_forms():
    dash = IPRange.parse("10.20.0.100-10.20.0.199")
    assert len(dash.first) == 16 and dash.text() == "10.20.0.100-10.20.0.199"
    assert IPRange.parse("10.0.0.10-20").text() == "10.0.0.10-10.0.0.20"
    cidr = IPRange.parse("10.20.0.0/28")
    assert (len(cidr.first), goip.ip_text(cidr.last), cidr.text()) == (4, "10.20.0.15", "10.20.0.0/28")


@dataclass
class Leaf:
    text: str = vic("text")
    number: int = vic("n", INT)
    flag: bool = vic("flag", BOOL)
    raw: bytes = vic("raw", BYTES)
    words: list[str] = vic("words", TEXTS)
    note: str = vic("note", scope=HIDDEN)
    state: str = vic("state", TEXT, RW)


@dataclass
class Root:
    leaf: Leaf = vic("leaf", Struct(Leaf))
    items: list[Leaf] = vic("items", ListOf(Struct(Leaf)))
    by_name: dict[str, Leaf] = vic("by", MapOf(Ptr(Leaf)))
    labels: dict[str, str] = vic("labels", MapOf(TEXT))
    ips: list[bytes] = vic("ips", ListOf(BYTES))
    maybe: Leaf | None = vic("maybe", Ptr(Leaf))
    net: IPNet | None = vic("net", Ptr(IPNet))
    token: Secret = vic("token", TEXT, SECRET)
    key: Secret | None = vic("key", BYTES, SECRET)


def _encode(obj, key=None):
    encoder = Encoder(key)
    encoder.struct(obj, "")
    return encoder.out


def _decode(extra, key=None, cls=Root):
    decoder = Decoder(extra, key)
    obj, _ = decoder.struct(cls, "")
    return obj, decoder.used


def test_wire_forms():
    key = new_key()
    root = Root(
        leaf=Leaf(words=["/sbin/x", "", "-port=2376"], raw=b"\x00\xff"),
        items=[Leaf(), Leaf()],
        by_name={"b": Leaf(), "a": Leaf(number=-3)},
        ips=[goip.parse_ip("10.0.0.53")],
        token=Secret("pw"),
        key=Secret("PEM"),
    )
    out = _encode(root, key)
    assert out["guestinfo.vice./leaf/text"] == "<nil>"  # empty strings are written as <nil>
    assert out["guestinfo.vice./leaf/words~"] == "/sbin/x||-port=2376"
    assert out["guestinfo.vice./leaf/words"] == "2"  # len - 1
    assert out["guestinfo.vice./leaf/raw"] == "AP8="
    assert out["guestinfo.vice./leaf/flag"] == "false" and out["guestinfo.vice./leaf/n"] == "0"
    assert out["guestinfo.vice..leaf.state"] == "<nil>" and out["leaf/note"] == "<nil>"
    assert out["guestinfo.vice./items"] == "1" and out["guestinfo.vice./items|1/n"] == "0"
    assert out["guestinfo.vice./by"] == "a|b" and out["guestinfo.vice./by|a/n"] == "-3"
    assert out["guestinfo.vice./ips"] == "0" and out["guestinfo.vice./ips|0"] == "AAAAAAAAAAAAAP//CgAANQ=="
    assert not any(
        k.startswith(("guestinfo.vice./maybe", "guestinfo.vice./net", "guestinfo.vice./labels")) for k in out
    )  # nil pointers and empty maps are left out
    assert "guestinfo.vice./items|0/raw" not in out and "guestinfo.vice./items|0/words" not in out
    assert unseal(key, out["guestinfo.vice./token@secret"], name="t") == "pw"
    assert unseal(key, out["guestinfo.vice./key@secret"], name="k") == "UEVN"  # base64 first, then sealed


def test_malformed_values_are_product_errors_naming_the_key():
    for key, value in (
        ("guestinfo.vice./leaf/n", "ten"),
        ("guestinfo.vice./leaf/flag", "yes"),
        ("guestinfo.vice./leaf/raw", "***"),
        ("guestinfo.vice./items", "x"),
    ):
        with pytest.raises(VicConfigError, match=key.replace("|", r"\|").replace(".", r"\.")):
            _decode({key: value})


def test_go_parses_bool_spellings():
    assert _decode({"guestinfo.vice./leaf/flag": "T"})[0].leaf.flag is True
    assert _decode({"guestinfo.vice./leaf/flag": "<nil>"})[0].leaf.flag is False


# --- properties ---------------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12).filter(lambda t: t != "<nil>")
_ITEM = _TEXT.filter(lambda t: "|" not in t)  # `|` separates a primitive slice's values: VIC cannot store it
_NAME = st.text("abcxyz019._-", min_size=1, max_size=8)  # map keys: no separators (`|`, `@`, `~`, `/`)
_IP = st.one_of(st.binary(min_size=4, max_size=4), st.binary(min_size=16, max_size=16))
_LEAF = st.builds(
    Leaf,
    text=_TEXT,
    number=st.integers(-(2**63), 2**63 - 1),
    flag=st.booleans(),
    raw=st.binary(max_size=20),
    words=st.lists(_ITEM, max_size=4),
    note=_TEXT,
    state=_TEXT,
)
_ROOT = st.builds(
    Root,
    leaf=_LEAF,
    items=st.lists(_LEAF, max_size=3),
    by_name=st.dictionaries(_NAME, _LEAF, max_size=3),
    labels=st.dictionaries(_NAME, _TEXT, max_size=3),
    ips=st.lists(_IP, max_size=3),
    maybe=st.none() | _LEAF,
    net=st.none() | st.builds(IPNet, ip=_IP, mask=st.binary(min_size=4, max_size=4)),
    token=_TEXT.map(Secret),
    key=st.none() | st.text(min_size=1, max_size=30).map(Secret),
)


@settings(max_examples=80, deadline=None)
@given(_ROOT)
def test_decode_inverts_encode(root):
    key = new_key()
    out = _encode(root, key)
    back, used = _decode(out, key)
    assert back == root
    assert used == set(out)  # every key written is read back: nothing lands in `unknown`


@settings(max_examples=50, deadline=None)
@given(_ROOT)
def test_encode_is_stable_over_a_round_trip(root):
    key = new_key()
    once = _encode(root, key)
    twice = _encode(_decode(once, key)[0], key)
    secret = {"guestinfo.vice./token@secret", "guestinfo.vice./key@secret"}
    assert {k: v for k, v in twice.items() if k not in secret} == {k: v for k, v in once.items() if k not in secret}


@given(st.lists(_ITEM, min_size=1, max_size=5))
def test_primitive_slices(values):
    out = _encode(Leaf(words=values))
    assert out["guestinfo.vice./words"] == str(len(values) - 1)
    assert out["guestinfo.vice./words~"] == ("|".join(values) or "<nil>")
    assert _decode(out, cls=Leaf)[0].words == values


@given(st.ip_addresses(v=4) | st.ip_addresses(v=6).filter(lambda a: a.ipv4_mapped is None))
def test_ip_text_round_trip_in_both_go_lengths(address):
    """(A v4-mapped IPv6 address reads back as IPv4, as Go's net.IP does.)"""
    raw16 = goip.ip16(address)
    assert len(raw16) == 16 and goip.address(raw16) == address
    assert goip.address(goip.ip4(address)) == address
