"""Which VMs are a VCH's containers, from plain inventory facts."""

from types import SimpleNamespace

from tui.core.monitor.facts import Inventory, PoolFacts, VmFacts, plain_value
from tui.core.vch.listing import NAME_KEY


def vm(moid, name, pool, vch=None, host="host-1", vcpus=1, memory=512, power="poweredOn"):
    return VmFacts(moid, name, power, vcpus, memory, pool, host, vch)


def test_containers_are_the_other_vms_of_the_endpoint_pool():
    inv = Inventory(
        vms={v.moid: v for v in (
            vm("vm-1", "vch-a", "pool-a", vch="vch-a"), vm("vm-2", "web-2", "pool-a"), vm("vm-3", "api-1", "pool-a"),
            vm("vm-4", "vch-b", "pool-b", vch="vch-b"), vm("vm-5", "db-1", "pool-b"), vm("vm-6", "stray", "pool-c"),
            vm("vm-7", "vch-c", "pool-a", vch="vch-c"))},
        pools={"pool-a": PoolFacts("pool-a", "vch-a", 500, 500), "pool-b": PoolFacts("pool-b", "vch-b", None, None)},
        host_mhz={"host-1": 2000, "host-2": 3000})
    vchs = inv.vchs
    assert list(vchs) == ["vch-a", "vch-b", "vch-c"]
    assert [c.name for c in vchs["vch-a"].containers] == ["api-1", "web-2"]  # no endpoint, sorted
    assert [c.name for c in vchs["vch-c"].containers] == ["api-1", "web-2"]  # another endpoint is never a container
    assert [c.name for c in vchs["vch-b"].containers] == ["db-1"]
    assert vchs["vch-b"].pool.cpu_limit_mhz is None
    assert inv.host_cpu_mhz("host-2") == 3000 and inv.host_cpu_mhz(None) == 3000


def test_plain_values():
    extra = [SimpleNamespace(key="other", value="x"), SimpleNamespace(key=NAME_KEY, value="vch-a")]
    assert plain_value("config.extraConfig", extra) == "vch-a"
    assert plain_value("config.extraConfig", extra[:1]) is None
    assert plain_value("config.cpuAllocation", SimpleNamespace(limit=-1)) is None
    assert plain_value("config.memoryAllocation", SimpleNamespace(limit=500)) == 500
    assert plain_value("resourcePool", SimpleNamespace(_moId="resgroup-9")) == "resgroup-9"
    assert plain_value("name", "web") == "web"
    facts = VmFacts.from_props("vm-9", {"name": "web", "config.hardware.numCPU": 2})
    assert (facts.vcpus, facts.memory_mb, facts.power_state, facts.vch_name) == (2, 0, "unknown", None)
