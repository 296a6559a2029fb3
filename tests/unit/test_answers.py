"""The answers file: vic-machine key names, every shape problem reported, no password, exact round trip."""

import os
import tomllib

import pytest

from tui.core.problems import ProblemsError
from tui.core.spec.answers import dump_answers, load_answers, loads_answers, save_answers
from tui.core.spec.model import FIELDS, ContainerNetwork, Tls, VchSpec

EXAMPLE = """
name = "vch-1"
compute_resource = "cluster1"
image_store = "datastore1/vch-1"
volume_store = ["datastore1/volumes:default"]
bridge_network = "vch-bridge"
public_network = "VM Network"
public_network_ip = "10.0.0.5/24"
public_network_gateway = "10.0.0.1"
dns_server = ["10.0.0.53"]
cpu = 8000
cpu_shares = 4000
memory_shares = "high"
tls_cname = "vch-1.example.com"
timeout = "5m"

[[container_network]]
port_group = "dpg-containers"
alias = "backend"
gateway = "10.20.0.1/24"
ip_range = ["10.20.0.100-10.20.0.199"]
dns = ["10.20.0.2"]
firewall = "peers"

[[container_network]]
port_group = "dpg-dhcp"
"""


def test_example_loads_into_the_spec():
    spec = loads_answers(EXAMPLE)
    assert spec.name == "vch-1" and spec.volume_store == ("datastore1/volumes:default",)
    assert spec.public.ip == "10.0.0.5/24" and spec.effective_client_network() == "VM Network"
    assert spec.resources.cpu == 8000 and spec.resources.cpu_shares == "4000"
    assert spec.resources.memory_shares == "high" and spec.timeout == "5m"
    assert spec.container_networks == (
        ContainerNetwork(
            "dpg-containers", "backend", "10.20.0.1/24", ("10.20.0.100-10.20.0.199",), ("10.20.0.2",), "peers"
        ),
        ContainerNetwork("dpg-dhcp"),
    )
    assert loads_answers(dump_answers(spec)) == spec


def test_an_empty_file_is_the_vic_defaults():
    assert loads_answers("") == VchSpec()


def test_dump_uses_vic_machine_key_names_and_writes_no_password():
    spec = VchSpec(name="v", tls=Tls(tls_cname="h"))
    text = dump_answers(spec)
    data = tomllib.loads(text)
    assert set(data) <= {f.key for f in FIELDS} | {"container_network"}
    assert data["name"] == "v" and data["public_network"] == "VM Network" and data["timeout"] == "3m"
    assert "password" not in "".join(data)
    assert text.startswith("# vch-tui answers file")


def test_save_and_load_a_file(tmp_path):
    spec = loads_answers(EXAMPLE)
    path = save_answers(spec, tmp_path / "vch-1.toml")
    assert load_answers(path) == spec
    assert oct(os.stat(path).st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == ["vch-1.toml"]  # no temporary left behind


def test_missing_file_names_the_option(tmp_path):
    with pytest.raises(ProblemsError) as caught:
        load_answers(tmp_path / "nope.toml")
    assert "--answers" in str(caught.value) and "does not exist" in str(caught.value)


# (id, answers text, field the problem names, fragment of its message or hint)
BAD = [
    ("misspelt-key", 'nmae = "x"', "nmae", "did you mean 'name'"),
    ("dashes", 'public-network = "x"', "public-network", "underscores: public_network"),
    ("unknown-far", 'colour = "blue"', "colour", "known keys"),
    ("password", 'password = "hunter2"', "password", "passwords cannot be stored"),
    ("ops-password", 'ops_password = "x"', "ops_password", "passwords cannot be stored"),
    ("target", 'target = "vc.example.com"', "target", "--target"),
    ("cpu-string", 'cpu = "2048"', "cpu", "whole number"),
    ("memory-float", "memory = 2048.0", "memory", "whole number"),
    ("endpoint-memory-bool", "endpoint_memory = true", "endpoint_memory", "whole number"),
    ("no-tls-string", 'no_tls = "yes"', "no_tls", "true or false"),
    ("volume-store-string", 'volume_store = "ds/v:default"', "volume_store", "list of strings"),
    ("dns-ints", "dns_server = [1, 2]", "dns_server", "list of strings"),
    ("shares-bool", "cpu_shares = true", "cpu_shares", '"low", "normal", "high"'),
    ("name-int", "name = 5", "name", "a string"),
    ("timeout-int", "timeout = 180", "timeout", "a string"),
    ("name-table", "[name]\nx = 1", "name", "a table"),
    ("cn-single-table", '[container_network]\nport_group = "x"', "container_network", "array of tables"),
    ("cn-not-table", "container_network = [1]", "container_network[0]", "must be a table"),
    ("cn-no-port-group", '[[container_network]]\nalias = "x"', "container_network[0].port_group", "missing"),
    (
        "cn-misspelt",
        '[[container_network]]\nport_group = "x"\ngatway = "10.0.0.1/24"',
        "container_network[0].gatway",
        "did you mean 'gateway'",
    ),
    (
        "cn-range-string",
        '[[container_network]]\nport_group = "x"\nip_range = "10.0.0.0/24"',
        "container_network[0].ip_range",
        "list of strings",
    ),
    ("cn-port-group-int", "[[container_network]]\nport_group = 7", "container_network[0].port_group", "a string"),
    (
        "cn-password",
        '[[container_network]]\nport_group = "x"\npassword = "x"',
        "container_network[0].password",
        "passwords cannot be stored",
    ),
    (
        "second-cn",
        '[[container_network]]\nport_group = "x"\n[[container_network]]\nport_group = "y"\nfirewal = "open"',
        "container_network[1].firewal",
        "did you mean 'firewall'",
    ),
    ("not-toml", 'name = "unterminated', "answers file", "not valid TOML"),
    ("not-toml-bare", "name = vch", "answers file", "not valid TOML"),
]


def test_enough_distinct_bad_files():
    assert len({case[0] for case in BAD}) == len(BAD) >= 25


@pytest.mark.parametrize("text, field, fragment", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_answers_name_the_key(text, field, fragment):
    with pytest.raises(ProblemsError) as caught:
        loads_answers(text, source="vch.toml")
    err = caught.value
    assert [p.field for p in err.problems] == [field]
    message = str(err)
    assert message.startswith("vch.toml:") and field in message and fragment in message
    assert "hunter2" not in message
    assert err.exit_code == 2


def test_all_shape_problems_are_reported_together():
    text = 'nmae = "x"\ncpu = "lots"\npassword = "p"\n[[container_network]]\nalias = "a"\n'
    with pytest.raises(ProblemsError) as caught:
        loads_answers(text)
    assert {p.field for p in caught.value.problems} == {"nmae", "cpu", "password", "container_network[0].port_group"}
