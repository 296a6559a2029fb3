"""Which VMs are VCHs and a VCH's containers, from plain inventory facts (VIC's own keys)."""

from types import SimpleNamespace

from tui.core.monitor.facts import Inventory, PoolFacts, VicKeys, VmFacts, plain_value
from tui.core.vic import read


def vm(
    moid, name, pool, vch=None, host="host-1", vcpus=1, memory=512, power="poweredOn", container=None, vch_pool=None
):
    return VmFacts(
        moid,
        name,
        power,
        vcpus,
        memory,
        pool,
        host,
        vch,
        vch_pool,
        is_container=vch is None if container is None else container,
    )


def test_containers_are_the_other_vms_of_the_vch_pool():
    inv = Inventory(
        vms={
            v.moid: v
            for v in (
                vm("vm-1", "vch-a", "pool-a", vch="vch-a"),
                vm("vm-2", "web-2", "pool-a"),
                vm("vm-3", "api-1", "pool-a"),
                vm("vm-4", "vch-b", "pool-b", vch="vch-b"),
                vm("vm-5", "db-1", "pool-b"),
                vm("vm-6", "stray", "pool-c"),
                vm("vm-7", "vch-c", "pool-a", vch="vch-c"),
                vm("vm-8", "someones", "pool-a", container=False),
                vm("vm-9", "vch-d", "pool-root", vch="vch-d", vch_pool="pool-d"),
                vm("vm-10", "job-1", "pool-d"),
            )
        },
        pools={
            "pool-a": PoolFacts("pool-a", "vch-a", 500, 500),
            "pool-b": PoolFacts("pool-b", "vch-b", None, None),
            "pool-d": PoolFacts("pool-d", "vch-d", 300, None),
        },
        host_mhz={"host-1": 2000, "host-2": 3000},
    )
    vchs = inv.vchs
    assert list(vchs) == ["vch-a", "vch-b", "vch-c", "vch-d"]
    # no endpoint, sorted; a VM VIC did not make still draws on the pool, so the monitor shows it
    assert [c.name for c in vchs["vch-a"].containers] == ["api-1", "someones", "web-2"]
    assert [c.is_container for c in vchs["vch-a"].containers] == [True, False, True]
    assert [c.name for c in vchs["vch-c"].containers] == ["api-1", "someones", "web-2"]  # never another endpoint
    assert [c.name for c in vchs["vch-b"].containers] == ["db-1"]
    # the pool comes from the config (container/ComputeResources), not from where the endpoint sits
    assert [c.name for c in vchs["vch-d"].containers] == ["job-1"] and vchs["vch-d"].pool.cpu_limit_mhz == 300
    assert vchs["vch-b"].pool.cpu_limit_mhz is None
    assert inv.host_cpu_mhz("host-2") == 3000 and inv.host_cpu_mhz(None) == 3000


def options(**keys):
    return [SimpleNamespace(key=k, value=v) for k, v in keys.items()]


def test_plain_values_read_vics_identity_keys():
    endpoint = options(
        other="x", **{read.NAME_KEY: "vch-a", read.ID_KEY: "VirtualMachine:vm-7", read.POOL_VALUE_KEY: "resgroup-58"}
    )
    keys = plain_value("config.extraConfig", endpoint)
    assert keys == VicKeys("vch-a", "VirtualMachine:vm-7", "resgroup-58", False)
    assert keys.vch_name("vm-7") == "vch-a"
    assert keys.vch_name("vm-8") is None  # a copy of another VM's config is not a VCH (vic-machine's rule)
    creating = plain_value("config.extraConfig", options(**{read.NAME_KEY: "new", read.ID_KEY: "CreatingVCH"}))
    assert creating.vch_name("vm-99") == "new"
    # the key vch-tui used to write and VIC never does is no VCH on its own
    assert (
        plain_value("config.extraConfig", options(**{"guestinfo.vice./init/common/name": "x"})).vch_name("vm-1") is None
    )
    container = plain_value("config.extraConfig", options(**{read.CONTAINER_ID_KEY: "abc"}))
    assert container.container and container.vch_name("vm-1") is None
    assert plain_value("config.cpuAllocation", SimpleNamespace(limit=-1)) is None
    assert plain_value("config.memoryAllocation", SimpleNamespace(limit=500)) == 500
    assert plain_value("resourcePool", SimpleNamespace(_moId="resgroup-9")) == "resgroup-9"
    assert plain_value("name", "web") == "web"
    facts = VmFacts.from_props("vm-9", {"name": "web", "config.hardware.numCPU": 2})
    assert (facts.vcpus, facts.memory_mb, facts.power_state, facts.vch_name) == (2, 0, "unknown", None)
    endpoint_facts = VmFacts.from_props("vm-7", {"name": "vch-a", "config.extraConfig": keys})
    assert (endpoint_facts.vch_name, endpoint_facts.vch_pool) == ("vch-a", "resgroup-58")
