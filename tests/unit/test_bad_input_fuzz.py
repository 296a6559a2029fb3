"""No traceback on bad input: the answers-file loader and the validators driven with generated input.

Whatever the table holds (every key with values of every type, huge integers, deep nesting, unknown keys),
loading raises nothing but ProblemsError, validation raises nothing at all, and every problem names a key
the user can find: one of the answers file's keys (or its parts: volume_store[1], container_network[0].gateway),
the unknown key itself, or the file. Plus the cases the issue names: IPv6 anywhere an address goes,
non-regular and huge files, deep nesting, integers too long to convert.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.good_spec import GOOD
from tui.core.problems import ProblemsError
from tui.core.spec.answers import load_answers, loads_answers, parse_answers
from tui.core.spec.model import CONTAINER_NETWORK_KEYS, CONTAINER_NETWORK_TABLE, ContainerNetwork, answer_keys
from tui.core.spec.validate_local import validate_local

KNOWN = {*answer_keys(), CONTAINER_NETWORK_TABLE}
FILE_FIELDS = {"answers file", "--answers"}

scalars = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.integers(min_value=2**63 - 5, max_value=10**300),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["::1", "fd00::1/64", "fd00::/8", "fd00::1-fd00::9", "10.0.0.1", "10.0.0.0/8", "", " ", "-1", "1e9"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
network_table = st.dictionaries(st.sampled_from([*CONTAINER_NETWORK_KEYS, "bogus"]), values, max_size=7)
answers = st.dictionaries(
    st.sampled_from(sorted(KNOWN - {CONTAINER_NETWORK_TABLE}) + ["nmae", "password"]), values, max_size=12
)


def root(field: str) -> str:
    return re.match(r"[^.\[]*", field).group(0)


def check_fields(problems, data: dict) -> None:
    for p in problems:
        assert root(p.field) in KNOWN | FILE_FIELDS | set(data), p
        if root(p.field) == CONTAINER_NETWORK_TABLE and "." in p.field:  # a known key, or the unknown one named
            assert p.field.split(".", 1)[1] in CONTAINER_NETWORK_KEYS or p.message.startswith("unknown key"), p


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers, st.lists(network_table, max_size=3) | values)
def test_any_table_loads_or_names_its_problems_and_validation_never_raises(data, networks):
    data = {**data, CONTAINER_NETWORK_TABLE: networks}
    try:
        spec = parse_answers(data)
    except ProblemsError as err:
        check_fields(err.problems, data)
        return
    check_fields(validate_local(spec), data)


string_values = st.text(max_size=30) | st.sampled_from(
    [
        "::1",
        "fd00::1/64",
        "fd00::/8",
        "fd00::1-fd00::9",
        "fe80::1%eth0",
        "[::1]",
        "::ffff:10.0.0.1",
        "10.0.0.1/33",
        "10.0.0.5-4",
        "10.0.0.1-300",
        "a:b:c",
        "0.0.0.0/0",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "public_network_ip",
                "public_network_gateway",
                "client_network_ip",
                "client_network_gateway",
                "management_network_ip",
                "management_network_gateway",
                "bridge_network_range",
                "tls_cname",
                "timeout",
                "cpu_shares",
                "image_store",
                "name",
            ]
        ),
        string_values,
    ),
    st.lists(string_values, max_size=3),
    st.lists(string_values, max_size=3),
    string_values | st.none(),
)
def test_generated_values_in_a_good_spec_are_problems_never_exceptions(values, ranges, dns, gateway):
    spec = GOOD.with_values(values)
    spec = replace(
        spec,
        dns_server=tuple(dns),
        container_networks=(
            ContainerNetwork(
                "dpg-containers",
                alias="backend",
                gateway=gateway,
                ip_range=tuple(ranges),
                dns=tuple(dns),
                firewall="open",
            ),
        ),
    )
    check_fields(validate_local(spec), values)


# --- the cases the issue names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"public_network_ip": "fd00::5/64"}, "public_network_ip"),
        ({"public_network_gateway": "fd00::1"}, "public_network_gateway"),
        (
            {
                "client_network": "vch-client",
                "client_network_ip": "10.0.1.5/24",
                "client_network_gateway": "fd00::/8:10.0.1.1",
            },
            "client_network_gateway",
        ),
        ({"bridge_network_range": "fd00::/8"}, "bridge_network_range"),
        ({"dns_server": ("::1",)}, "dns_server[0]"),
    ],
)
def test_ipv6_is_refused_with_a_clear_message(changes, field):
    problems = [p for p in validate_local(GOOD.with_values(changes)) if p.is_error]
    assert field in {p.field for p in problems}
    assert "IPv6" in next(p.message for p in problems if p.field == field)


@pytest.mark.parametrize(
    "network",
    [
        ContainerNetwork("dpg-containers", gateway="10.20.0.1/24", ip_range=("fd00::1-fd00::9",)),
        ContainerNetwork("dpg-containers", gateway="10.20.0.1/24", ip_range=("fd00::/120",)),
        ContainerNetwork("dpg-containers", gateway="fd00::1/64", ip_range=("10.20.0.100-10.20.0.199",)),
        ContainerNetwork("dpg-containers", gateway="10.20.0.1/24", ip_range=("10.20.0.100-10.20.0.199",), dns=("::1",)),
    ],
    ids=["v6-range", "v6-cidr-range", "v6-gateway", "v6-dns"],
)
def test_an_ipv6_container_network_is_a_problem_not_a_crash(network):
    """An IPv6 range next to an IPv4 gateway was compared with it and raised TypeError (the wizard crashed)."""
    problems = validate_local(replace(GOOD, container_networks=(network,)))
    assert any(p.field.startswith("container_network[0].") and "IPv6" in p.message for p in problems)


@pytest.mark.parametrize(
    "text, words",
    [
        ("a = " + "[" * 3000 + "]" * 3000, "nests too deeply"),
        ("cpu = " + "9" * 5000, "cannot hold"),
    ],
)
def test_deep_nesting_and_integers_too_long_are_problems(text, words):
    with pytest.raises(ProblemsError) as err:
        loads_answers(text)
    assert err.value.problems[0].field == "answers file" and words in err.value.problems[0].message


def test_a_huge_integer_toml_holds_is_a_range_problem():
    with pytest.raises(ProblemsError):
        load = loads_answers("cpu = 99999999999999999999\nmemory = -99999999999999999999\n")
        raise ProblemsError([p for p in validate_local(load) if p.is_error])


def test_non_regular_and_huge_answers_files_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "answers.toml"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    huge = tmp_path / "huge.toml"
    huge.write_text("# " + "x" * (2 << 20) + "\n")
    for path, words in (
        (fifo, "not a regular file"),
        (tmp_path, "not a regular file"),
        ("/dev/zero", "not a regular file"),
        (huge, "larger than"),
    ):
        with pytest.raises(ProblemsError) as err:
            load_answers(path)
        assert err.value.problems[0].field == "--answers" and words in err.value.problems[0].message


def test_the_generated_tables_round_trip_through_toml_too():
    """The same guarantees through the file parser (tomli_w writes what the strategies make, where TOML can)."""
    data = {"name": 5, "cpu": 10**30, "volume_store": [1, [2]], CONTAINER_NETWORK_TABLE: [{"gateway": "fd00::1/64"}]}
    with pytest.raises(ProblemsError) as err:
        loads_answers(tomli_w.dumps(data))
    check_fields(err.value.problems, data)
