"""The equivalent vic-machine create command: right flags, shell-safe, no password, and it parses back."""

import random
import shlex
from dataclasses import replace

import pytest

from tui.core.problems import ProblemsError
from tui.core.spec.answers import dump_answers, loads_answers
from tui.core.spec.model import FIELDS, ContainerNetwork, Resources, RoleNetwork, Tls, VchSpec
from tui.core.spec.vicmachine import (
    parse_vic_machine_command,
    parse_vic_machine_invocation,
    to_vic_machine_args,
    to_vic_machine_command,
)
from tui.core.vsphere.target import parse_target

FULL_CN = ContainerNetwork(
    "dpg containers",
    "backend",
    "10.20.0.1/24",
    ("10.20.0.100-10.20.0.150", "10.20.0.200-250"),
    ("10.20.0.2", "10.20.0.3"),
    "peers",
)
HAND_BUILT = {
    "defaults": VchSpec(),
    "typical": VchSpec(
        name="vch-1",
        compute_resource="cluster1",
        image_store="datastore1/vch-1",
        volume_store=("datastore1/volumes:default",),
        bridge_network="vch-bridge",
        tls=Tls(tls_cname="vch-1.example.com"),
    ),
    "all-static": VchSpec(
        name="vch static",
        public=RoleNetwork("VM Network", "10.0.0.5/24", "10.0.0.1"),
        client=RoleNetwork("dpg-client", "10.1.0.5/24", "10.9.0.0/16,10.8.0.0/16:10.1.0.1"),
        management=RoleNetwork("dpg-mgmt", "10.2.0.5/24", "10.7.0.0/16:10.2.0.1"),
        dns_server=("10.0.0.53", "10.0.0.54"),
    ),
    "container-networks": VchSpec(
        container_networks=(
            FULL_CN,
            ContainerNetwork("dpg-dhcp"),
            ContainerNetwork("dpg-open", firewall="OPEN"),
            ContainerNetwork("dpg-closed", alias="quiet", firewall="closed"),
        )
    ),
    "no-tls": VchSpec(tls=Tls(no_tls=True)),
    "custom-certs": VchSpec(
        tls=Tls(
            tls_server_cert="certs/server cert.pem",
            tls_server_key="certs/server-key.pem",
            tls_ca=("ca1.pem", "ca 2.pem"),
            tls_cert_path="/srv/vch certs",
            certificate_key_size=4096,
            organization=("Acme", "R&D"),
            tls_cname="*.acme.io",
        )
    ),
    "resources": VchSpec(
        resources=Resources(
            cpu=0,
            cpu_reservation=500,
            cpu_shares="low",
            memory=8192,
            memory_reservation=1024,
            memory_shares="163840",
            endpoint_cpu=2,
            endpoint_memory=4096,
        ),
        timeout="1m30s",
    ),
    "registries-and-proxies": VchSpec(
        registry_ca=("/etc/ssl/reg ca.pem", "r2.pem"),
        insecure_registry=("127.0.0.1:5000", "http://r.example.com"),
        whitelist_registry=("10.0.0.0/8", "*.example.com"),
        https_proxy="https://p.example.com:3129",
        http_proxy="http://127.0.0.1:3128",
        no_proxy="localhost,.example.com",
    ),
    "isos-and-odd-text": VchSpec(
        name='it\'s "quoted" $HOME',
        appliance_iso="/opt/vic/appliance.iso",
        bootstrap_iso="./bootstrap iso.iso",
        compute_resource="Clüster/Resources/pool (a)",
        image_store="ds://datastore 1/images;x",
    ),
}

WORDS = [
    "vch-1",
    "VM Network",
    "dpg a",
    "Ünïcode ✓",
    "it's",
    'say "hi"',
    "$HOME",
    "a;b|c",
    "-dash",
    "--no-tls",
    "x=y",
    "back\\slash",
    "tab\there",
    "",
    "*glob*",
    "a:b",
    "10.0.0.5/24",
    "nfs://h/p?uid=1:l",
    "(paren)",
]
CN_WORDS = [w for w in WORDS if ":" not in w and w]


def random_spec(rng: random.Random) -> VchSpec:
    values = {}
    for f in FIELDS:
        if rng.random() < 0.4:
            continue
        if f.kind == "text":
            values[f.key] = rng.choice(WORDS)
        elif f.kind == "list":
            values[f.key] = [rng.choice(WORDS) for _ in range(rng.randint(0, 3))]
        elif f.kind == "bool":
            values[f.key] = rng.random() < 0.5
        elif f.kind == "int":
            values[f.key] = rng.choice([0, 1, 2048, -5, 10**6])
        else:
            values[f.key] = rng.choice(["low", "normal", "HIGH", "4000", 250])
    networks = tuple(
        ContainerNetwork(
            pg,
            alias=rng.choice([None, *CN_WORDS]),
            gateway=rng.choice([None, *CN_WORDS]),
            ip_range=tuple(rng.sample(CN_WORDS, rng.randint(0, 2))),
            dns=tuple(rng.sample(CN_WORDS, rng.randint(0, 2))),
            firewall=rng.choice(["published", "peers", "Open", "closed", "outbound"]),
        )
        for pg in rng.sample(CN_WORDS, rng.randint(0, 3))
    )
    return replace(VchSpec().with_values(values), container_networks=networks)


RANDOM_SPECS = [random_spec(random.Random(seed)) for seed in range(300)]


@pytest.mark.parametrize("spec", list(HAND_BUILT.values()), ids=list(HAND_BUILT))
def test_hand_built_specs_round_trip(spec):
    for multiline in (False, True):
        command = to_vic_machine_command(spec, multiline=multiline)
        assert parse_vic_machine_command(command) == spec, command
    assert loads_answers(dump_answers(spec)) == spec


def test_random_specs_round_trip_through_command_and_answers():
    assert len(set(map(repr, RANDOM_SPECS))) > 250, "the generator must produce varied specs"
    for spec in RANDOM_SPECS:
        command = to_vic_machine_command(spec, target="vc.example.com", user="admin")
        assert parse_vic_machine_command(command) == spec, command
        assert parse_vic_machine_command(to_vic_machine_command(spec, multiline=True)) == spec
        assert loads_answers(dump_answers(spec)) == spec


def test_defaults_give_the_shortest_command():
    assert to_vic_machine_command(VchSpec()) == "vic-machine-linux create --name virtual-container-host"
    explicit_defaults = VchSpec().with_values(
        {
            "public_network": "VM Network",
            "timeout": "3m",
            "cpu_shares": "normal",
            "endpoint_memory": 2048,
            "certificate_key_size": 2048,
        }
    )
    assert to_vic_machine_args(explicit_defaults) == ["--name", "virtual-container-host"]


def test_every_field_has_its_flag():
    values = {
        "name": "v",
        "compute_resource": "c",
        "image_store": "ds/i",
        "volume_store": ["ds/v:default"],
        "bridge_network": "b",
        "bridge_network_range": "10.0.0.0/12",
        "dns_server": ["10.0.0.53"],
        "cpu": 1,
        "cpu_reservation": 1,
        "cpu_shares": "low",
        "memory": 1,
        "memory_reservation": 1,
        "memory_shares": "high",
        "endpoint_cpu": 2,
        "endpoint_memory": 4096,
        "no_tls": True,
        "no_tlsverify": True,
        "tls_cname": "h",
        "tls_cert_path": "p",
        "tls_ca": ["ca"],
        "tls_server_cert": "c",
        "tls_server_key": "k",
        "certificate_key_size": 4096,
        "organization": ["o"],
        "appliance_iso": "a",
        "bootstrap_iso": "b",
        "timeout": "5m",
        "ops_user": "ops@vsphere.local",
        "registry_ca": ["rca.pem"],
        "insecure_registry": ["r:5000"],
        "whitelist_registry": ["10.0.0.0/8"],
        "https_proxy": "https://p:3129",
        "http_proxy": "http://p:3128",
        "no_proxy": "localhost",
    }
    for role in ("public", "client", "management"):
        values.update({f"{role}_network": role, f"{role}_network_ip": "10.0.0.5/24", f"{role}_network_gateway": "g"})
    assert set(values) == {f.key for f in FIELDS}
    args = to_vic_machine_args(VchSpec().with_values(values))
    for f in FIELDS:
        assert f.flag in args, f.flag
    assert "--no-tls" in args and args[args.index("--no-tls") + 1].startswith("--")


def test_container_gateway_keeps_its_mask():
    args = to_vic_machine_args(VchSpec(container_networks=(FULL_CN,)))
    assert args[args.index("--container-network-gateway") + 1] == "dpg containers:10.20.0.1/24"
    assert args[args.index("--container-network") + 1] == "dpg containers:backend"
    assert args.count("--container-network-ip-range") == 2 and args.count("--container-network-dns") == 2
    assert args[args.index("--container-network-firewall") + 1] == "dpg containers:peers"


def test_command_is_posix_quoted():
    spec = HAND_BUILT["isos-and-odd-text"]
    words = shlex.split(to_vic_machine_command(spec))
    assert words[words.index("--name") + 1] == 'it\'s "quoted" $HOME'
    assert words[words.index("--image-store") + 1] == "ds://datastore 1/images;x"


def test_no_password_ever_reaches_the_command():
    command = to_vic_machine_command(VchSpec(), target="https://root:s3cret@vc.example.com/DC1", thumbprint="AB:CD")
    assert "s3cret" not in command and "--password" not in command
    assert "--target vc.example.com/DC1 --user root --thumbprint AB:CD" in command
    target = parse_target("http://127.0.0.1:8989")
    assert "--target http://127.0.0.1:8989" in to_vic_machine_command(VchSpec(), target=target)


def test_invocation_keeps_connection_options_without_password():
    parsed = parse_vic_machine_invocation(
        "vic-machine-linux create -t 'admin:pw@vc.example.com:8443/DC1' --thumbprint AB:CD -n vch-1"
    )
    assert (parsed.target, parsed.user, parsed.thumbprint) == ("vc.example.com:8443/DC1", "admin", "AB:CD")
    assert parsed.spec.name == "vch-1"
    assert parse_vic_machine_invocation("create -u bob -t vc").user == "bob"


def test_short_and_single_dash_flags_and_equals():
    command = r"""./vic-machine-darwin create -n vch-2 -r cluster1 -i datastore1/img -vs ds/v:default \
        -b br -bnr 10.0.0.0/12 -pn pub -cln cli -mn mgmt -cn 'dpg a:alpha' -cng 'dpg a:10.3.0.1/24' \
        -cnr 'dpg a:10.3.0.10-20' -cnd 'dpg a:10.3.0.2' -cnf 'dpg a:Closed' -kv -ca ca.pem -ksz 4096 \
        -mem 4096 -memr 512 -mems high -cpur 100 -cpus 2000 -ai a.iso -bi b.iso \
        -name=vch-3 --cpu=3000 -no-tls=false --timeout 10m"""
    with pytest.raises(ProblemsError, match="given twice"):
        parse_vic_machine_command(command)
    spec = parse_vic_machine_command(command.replace("-n vch-2 ", ""))
    expected = VchSpec(
        name="vch-3",
        compute_resource="cluster1",
        image_store="datastore1/img",
        volume_store=("ds/v:default",),
        bridge_network="br",
        bridge_network_range="10.0.0.0/12",
        public=RoleNetwork("pub"),
        client=RoleNetwork("cli"),
        management=RoleNetwork("mgmt"),
        container_networks=(
            ContainerNetwork("dpg a", "alpha", "10.3.0.1/24", ("10.3.0.10-20",), ("10.3.0.2",), "Closed"),
        ),
        tls=Tls(no_tlsverify=True, tls_ca=("ca.pem",), certificate_key_size=4096),
        resources=Resources(
            cpu=3000, cpu_reservation=100, cpu_shares="2000", memory=4096, memory_reservation=512, memory_shares="high"
        ),
        appliance_iso="a.iso",
        bootstrap_iso="b.iso",
        timeout="10m",
    )
    assert spec == expected


@pytest.mark.parametrize(
    "prefix",
    ["", "create ", "vic-machine-linux create ", "/opt/vic/vic-machine create ", "vic-machine-windows.exe create "],
)
def test_program_prefixes(prefix):
    assert parse_vic_machine_command(prefix + "--name vch-9").name == "vch-9"


# (id, command, field the problem names, fragment)
BAD = [
    ("password", "create --name x --password hunter2", "--password", "not taken from a command"),
    ("password-short", "create -p=hunter2", "-p", "not taken from a command"),
    ("not-int", "create --cpu lots", "--cpu", "not a whole number"),
    ("misspelt", "create --nmae x", "--nmae", "did you mean '--name'"),
    ("unsupported", "create --debug 1", "--debug", "does not support"),
    ("no-value", "create --name", "--name", "needs a value"),
    ("stray-word", "create --name x extra", "command", "unexpected word"),
    ("not-create", "vic-machine-linux delete --name x", "command", "not a create command"),
    ("bad-bool", "create --no-tls=maybe", "--no-tls", "not true or false"),
    ("twice", "create --name a --name b", "--name", "given twice"),
    ("cn-three-parts", "create -cn a:b:c", "-cn", "not PORTGROUP:VALUE"),
    ("cn-option-no-value", "create -cn pg -cnr pg:", "-cnr", "no value after the port group"),
    ("cn-option-unknown-pg", "create -cn pg -cng pgx:10.0.0.1/24", "-cng", "Inconsistent container network"),
    ("cn-dup-gateway", "create -cn pg -cng pg:10.0.0.1/24 -cng pg:10.0.1.1/24", "-cng", "Duplicate gateway"),
    ("quotes", "create --name 'unterminated", "command", "cannot be split"),
    ("bad-target", "create --target 'ftp://vc'", "--target", "unsupported scheme"),
]


def test_registry_and_proxy_flags_as_vic_machine_takes_them():
    """The G3 capture's flags, long and short (-dir, -wr, -rc), repeated list flags; printed in vic-machine's order."""
    spec = parse_vic_machine_command(
        "vic-machine-linux create --name g3 --insecure-registry 127.0.0.1:5000 -dir r2:5000 -wr 10.0.0.0/8 "
        "-rc ca.pem --http-proxy http://127.0.0.1:3128 --https-proxy=https://p:3129 --no-proxy localhost"
    )
    assert spec.insecure_registry == ("127.0.0.1:5000", "r2:5000")
    assert (spec.whitelist_registry, spec.registry_ca) == (("10.0.0.0/8",), ("ca.pem",))
    assert (spec.http_proxy, spec.https_proxy, spec.no_proxy) == (
        "http://127.0.0.1:3128",
        "https://p:3129",
        "localhost",
    )
    assert to_vic_machine_args(spec)[2:] == [
        "--registry-ca",
        "ca.pem",
        "--insecure-registry",
        "127.0.0.1:5000",
        "--insecure-registry",
        "r2:5000",
        "--whitelist-registry",
        "10.0.0.0/8",
        "--https-proxy",
        "https://p:3129",
        "--http-proxy",
        "http://127.0.0.1:3128",
        "--no-proxy",
        "localhost",
    ]
    with pytest.raises(ProblemsError, match="given twice"):
        parse_vic_machine_command("create --http-proxy http://a:1 --http-proxy http://b:1")


@pytest.mark.parametrize("command, field, fragment", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_commands_name_the_flag(command, field, fragment):
    with pytest.raises(ProblemsError) as caught:
        parse_vic_machine_command(command)
    assert field in [p.field for p in caught.value.problems]
    message = str(caught.value)
    assert fragment in message and "hunter2" not in message
