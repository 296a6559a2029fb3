"""Target validation against the real simulator: every rule finds its problem, names the answers-file key and
lists the valid choices; a spec that fits the target passes (so no rule fires on everything)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui.core.problems import errors_only, warnings_only
from tui.core.spec.model import ContainerNetwork, Resources, VchSpec
from tui.core.spec.validate_local import validate_local
from tui.core.vch.validate_target import (
    default_containers_fit,
    distributed_networks,
    load_target_facts,
    resolve_compute,
    usable_networks,
    validate_against,
)
from tui.core.vsphere.connection import ConnectOptions, connect
from tui.core.vsphere.inventory import retrieve
from tui.vchsim.simulator import (
    CLUSTER,
    DATASTORES,
    PORT_GROUPS,
    SCALE_FOLDER,
    SCALE_POOL,
    STANDALONE_HOST,
    UNREACHABLE_DATASTORE,
    VM_NETWORK,
    Simulator,
    scale_vm_name,
)

pytestmark = pytest.mark.rig


def session_for(sim):
    return connect(
        ConnectOptions.resolve(
            target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password, thumbprint=sim.sha256, env={}
        )
    )


@pytest.fixture(scope="module")
def target(simulator):
    session = session_for(simulator)
    yield session, load_target_facts(session)
    session.logout()


@pytest.fixture(scope="module")
def facts(target):
    return target[1]


@pytest.fixture(scope="module")
def busy_facts(vchsim_binary, tmp_path_factory):
    """A private simulator with VMs, a pool and a folder already there (the shared one stays read-only)."""
    sim = Simulator(vms=2, binary=vchsim_binary, cert_dir=tmp_path_factory.mktemp("busy-cert")).start()
    session = session_for(sim)
    yield load_target_facts(session)
    session.logout()
    sim.stop()


GOOD = VchSpec(
    name="vch-good",
    compute_resource=CLUSTER,
    image_store=f"{DATASTORES[0]}/vch-good",
    volume_store=(f"{DATASTORES[1]}/volumes:default", f"{DATASTORES[0]}/fast:fast"),
    bridge_network=PORT_GROUPS["bridge"],
    container_networks=(
        ContainerNetwork(
            PORT_GROUPS["containers"],
            alias="backend",
            gateway="10.20.0.1/24",
            ip_range=("10.20.0.100-10.20.0.199",),
            firewall="peers",
        ),
        ContainerNetwork(PORT_GROUPS["alias"], alias="legacy", firewall="open"),
    ),
    resources=Resources(cpu=3000, cpu_reservation=500, memory=8192, memory_reservation=2048),
).with_values(
    {
        "public_network": PORT_GROUPS["public"],
        "client_network": PORT_GROUPS["client"],
        "management_network": PORT_GROUPS["management"],
        "tls_cname": "vch-good.example.com",
    }
)


def fields(problems) -> list[str]:
    return [p.field for p in problems]


def only(problems, field: str):
    found = [p for p in problems if p.field == field]
    assert found, f"no problem on {field}: {[str(p) for p in problems]}"
    return found


def test_a_spec_that_fits_the_target_has_no_problem(facts):
    assert validate_local(GOOD) == []
    assert validate_against(GOOD, facts) == []


def test_standalone_host_with_its_own_datastore_fits(facts):
    spec = GOOD.with_values(
        {
            "compute_resource": STANDALONE_HOST,
            "image_store": UNREACHABLE_DATASTORE,
            "volume_store": (),
            "cpu": None,
            "cpu_reservation": None,
            "memory": 4000,
            "memory_reservation": None,
        }
    )
    assert errors_only(validate_against(spec, facts)) == []


def test_capacity_is_in_megabytes_and_matches_the_hosts(target):
    session, facts = target
    from pyVmomi import vim

    hosts = retrieve(session, vim.HostSystem, ["name", "hardware.memorySize", "summary.hardware.numCpuCores"])
    cluster_hosts = [h for h in hosts if h.get("name") != STANDALONE_HOST]
    cap = facts.capacity[CLUSTER]
    assert cap.memory_mb == sum(h.get("hardware.memorySize") for h in cluster_hosts) // (1024 * 1024)
    assert cap.cpu_cores == sum(h.get("summary.hardware.numCpuCores") for h in cluster_hosts)
    assert cap.hosts == len(cluster_hosts) and cap.core_mhz * cap.cpu_cores <= cap.cpu_mhz


def test_uplink_port_groups_are_never_offered(facts):
    assert all("DVUplinks" not in name for name in usable_networks(facts.inventory))
    assert sorted(distributed_networks(facts.inventory)) == sorted(PORT_GROUPS.values())
    assert VM_NETWORK in usable_networks(facts.inventory)


# --- compute resource -----------------------------------------------------------------------------


def test_no_compute_resource_with_two_candidates_lists_both(facts):
    (problem,) = only(validate_against(replace(GOOD, compute_resource=None), facts), "compute_resource")
    assert "No unambiguous default compute resource" in problem.message
    assert repr(CLUSTER) in problem.hint and repr(STANDALONE_HOST) in problem.hint


def test_unknown_compute_resource_lists_every_choice(facts):
    (problem,) = only(validate_against(GOOD.with_values({"compute_resource": "Clustr"}), facts), "compute_resource")
    assert "'Clustr'" in problem.message
    assert repr(CLUSTER) in problem.hint and repr(STANDALONE_HOST) in problem.hint


def test_pool_path_resolves_and_a_pool_name_alone_too(busy_facts):
    full = f"{CLUSTER}/Resources/{SCALE_POOL}"
    assert [c.path for c in resolve_compute(GOOD.with_values({"compute_resource": full}), busy_facts.inventory)] == [
        full
    ]
    assert [
        c.path for c in resolve_compute(GOOD.with_values({"compute_resource": SCALE_POOL}), busy_facts.inventory)
    ] == [full]
    spec = GOOD.with_values({"compute_resource": full})
    assert errors_only(validate_against(spec, busy_facts)) == []


# --- the VCH name ---------------------------------------------------------------------------------


def test_name_of_an_existing_vm_is_refused(busy_facts):
    name = scale_vm_name(0)
    problems = validate_against(GOOD.with_values({"name": name, "bridge_network": PORT_GROUPS["bridge"]}), busy_facts)
    (problem,) = only(problems, "name")
    assert "VM named" in problem.message and name in problem.message


def test_name_of_an_existing_pool_and_folder_is_refused(busy_facts):
    problems = only(validate_against(GOOD.with_values({"name": SCALE_POOL}), busy_facts), "name")
    text = " ".join(p.message for p in problems)
    assert f"resource pool named {SCALE_POOL!r}" in text and f"VM folder named {SCALE_FOLDER!r}" in text


def test_pool_name_is_only_taken_under_its_own_compute_resource(busy_facts):
    spec = GOOD.with_values(
        {
            "name": SCALE_POOL,
            "compute_resource": STANDALONE_HOST,
            "image_store": UNREACHABLE_DATASTORE,
            "volume_store": (),
        }
    )
    messages = [p.message for p in validate_against(spec, busy_facts) if p.field == "name"]
    assert messages and all("resource pool" not in m for m in messages)  # the folder is datacenter-wide


def test_free_name_passes_on_the_busy_target(busy_facts):
    assert "name" not in fields(validate_against(GOOD, busy_facts))


# --- datastores -----------------------------------------------------------------------------------


def test_missing_image_datastore_lists_the_reachable_ones(facts):
    (problem,) = only(validate_against(GOOD.with_values({"image_store": "datastore9/x"}), facts), "image_store")
    assert "'datastore9' does not exist" in problem.message
    assert all(repr(ds) in problem.hint for ds in DATASTORES) and UNREACHABLE_DATASTORE not in problem.hint


def test_datastore_the_cluster_cannot_reach_is_refused(facts):
    (problem,) = only(validate_against(GOOD.with_values({"image_store": UNREACHABLE_DATASTORE}), facts), "image_store")
    assert "not accessible by the compute resource" in problem.message and CLUSTER in problem.message


def test_volume_store_on_an_unreachable_datastore_names_its_index(facts):
    spec = GOOD.with_values({"volume_store": (f"{DATASTORES[0]}/v:default", f"{UNREACHABLE_DATASTORE}/v:far")})
    (problem,) = only(validate_against(spec, facts), "volume_store[1]")
    assert UNREACHABLE_DATASTORE in problem.message


def test_image_store_is_required_when_there_is_more_than_one_datastore(facts):
    (problem,) = only(validate_against(replace(GOOD, image_store=None), facts), "image_store")
    assert "none is picked by default" in problem.message


def test_nfs_volume_stores_are_not_looked_up(facts):
    spec = GOOD.with_values({"volume_store": ("nfs://nas.example.com/exports/vch:shared",)})
    assert validate_against(spec, facts) == []


# --- networks -------------------------------------------------------------------------------------


def test_default_bridge_network_is_the_vch_name_and_missing(facts):
    (problem,) = only(validate_against(replace(GOOD, bridge_network=None), facts), "bridge_network")
    assert "defaults to the VCH name" in problem.message and "'vch-good'" in problem.message
    assert repr(PORT_GROUPS["bridge"]) in problem.hint and repr(VM_NETWORK) not in problem.hint


def test_bridge_on_a_standard_port_group_is_refused(facts):
    (problem,) = only(validate_against(GOOD.with_values({"bridge_network": VM_NETWORK}), facts), "bridge_network")
    assert "standard port group" in problem.message and "distributed" in problem.message


def test_missing_public_network_lists_every_network(facts):
    (problem,) = only(validate_against(GOOD.with_values({"public_network": "vch-publik"}), facts), "public_network")
    assert repr(VM_NETWORK) in problem.hint and repr(PORT_GROUPS["public"]) in problem.hint


@pytest.mark.parametrize("role", ["client", "management"])
def test_missing_client_and_management_networks(facts, role):
    (problem,) = only(validate_against(GOOD.with_values({f"{role}_network": "nowhere"}), facts), f"{role}_network")
    assert "'nowhere'" in problem.message


def test_role_networks_may_be_standard(facts):
    spec = GOOD.with_values({"public_network": VM_NETWORK, "client_network": None, "management_network": None})
    assert validate_against(spec, facts) == []


def test_container_network_must_exist_and_be_distributed(facts):
    spec = replace(
        GOOD, container_networks=(ContainerNetwork("nonexistent", alias="a"), ContainerNetwork(VM_NETWORK, alias="b"))
    )
    problems = validate_against(spec, facts)
    (missing,) = only(problems, "container_network[0].port_group")
    (standard,) = only(problems, "container_network[1].port_group")
    assert "'nonexistent'" in missing.message and repr(PORT_GROUPS["dmz"]) in missing.hint
    assert "standard port group" in standard.message


# --- limits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["cpu", "cpu_reservation", "memory", "memory_reservation"])
def test_limits_and_reservations_above_the_cluster_are_refused(facts, key):
    cap = facts.capacity[CLUSTER]
    available = cap.cpu_mhz if key.startswith("cpu") else cap.memory_mb
    values = {"cpu": None, "cpu_reservation": None, "memory": None, "memory_reservation": None, key: available + 1}
    (problem,) = only(validate_against(GOOD.with_values(values), facts), key)
    assert str(available + 1) in problem.message and str(available) in problem.hint
    values[key] = available
    assert key not in fields(validate_against(GOOD.with_values(values), facts))


def test_endpoint_bigger_than_the_host_is_refused(facts):
    cap = facts.capacity[STANDALONE_HOST]
    spec = GOOD.with_values(
        {
            "compute_resource": STANDALONE_HOST,
            "image_store": UNREACHABLE_DATASTORE,
            "volume_store": (),
            "cpu": None,
            "cpu_reservation": None,
            "memory": None,
            "memory_reservation": None,
            "endpoint_memory": cap.memory_mb + 4,
        }
    )
    only(validate_against(spec, facts), "endpoint_memory")


def test_every_problem_is_collected_at_once(facts):
    spec = replace(
        GOOD.with_values({"image_store": "nowhere", "public_network": "nowhere", "cpu": 10**9}),
        bridge_network=VM_NETWORK,
        container_networks=(ContainerNetwork("nowhere"),),
    )
    assert set(fields(errors_only(validate_against(spec, facts)))) == {
        "image_store",
        "public_network",
        "cpu",
        "bridge_network",
        "container_network[0].port_group",
    }
    assert warnings_only(validate_against(spec, facts)) == []


# --- what fits (the wizard's capacity panel) ------------------------------------------------------


def test_default_containers_that_fit_under_the_limits_of_the_simulated_cluster(facts):
    cap = facts.capacity[CLUSTER]
    unlimited = default_containers_fit(replace(GOOD, resources=Resources()), cap)
    assert (unlimited.memory_limited, unlimited.cpu_limited) == (False, False)
    assert unlimited.by_memory == (cap.memory_mb - 2048) // 2048
    assert unlimited.container_mhz == 2 * cap.core_mhz > 0
    assert unlimited.busy_by_cpu == (cap.cpu_mhz - cap.core_mhz) // (2 * cap.core_mhz)
    limited = default_containers_fit(replace(GOOD, resources=Resources(cpu=cap.core_mhz * 5, memory=8192)), cap)
    assert (limited.by_memory, limited.memory_left_mb, limited.busy_by_cpu) == (3, 6144, 2)
    assert default_containers_fit(replace(GOOD, resources=Resources(memory=3000)), cap).by_memory == 0
