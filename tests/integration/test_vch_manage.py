"""Managing VCHs on the simulator: delete refuses while container VMs run unless forced, removes the
containers, endpoint VM, ISOs, pool and folder, and never touches anything outside the VCH (a neighbour VCH,
a VM elsewhere, a VM someone put into the VCH's pool). VCHs vic-machine made: test_vic_vchs.py."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pyVmomi import vim

from tests.rig.provisioning import cli_env, cli_target, fingerprint, make_spec, put_foreign_file, remove_foreign_file
from tui.core.vch.build import build_plan
from tui.core.vch.inspection import inspect_vch
from tui.core.vch.plan import RunOptions
from tui.core.vch.runner import run_plan
from tui.core.vch.site import list_vchs
from tui.core.vch.teardown import DeleteRefused, delete_vch, plan_delete
from tui.core.vch.validate_target import load_target_facts
from tui.core.vic.read import CONTAINER_ID_KEY
from tui.core.vsphere.inventory_snapshot import load_inventory
from tui.core.vsphere.wait import Waiter
from tui.vchsim.simulator import DATASTORES

pytestmark = pytest.mark.rig


def create(session, spec) -> None:
    """A VCH the simulator's appliance stand-in boots (its address, its Docker API)."""
    result = run_plan(build_plan(spec, load_target_facts(session), RunOptions()), session)
    assert result.ok, result.error


def add_vm(session, folder, pool, name: str, *, container: bool, power_on: bool, extra: dict | None = None):
    options = dict(extra or {})
    if container:
        options[CONTAINER_ID_KEY] = name
    config = vim.vm.ConfigSpec(
        name=name,
        guestId="otherGuest64",
        numCPUs=1,
        memoryMB=512,
        files=vim.vm.FileInfo(vmPathName=f"[{DATASTORES[0]}]"),
        extraConfig=[vim.option.OptionValue(key=k, value=v) for k, v in options.items()],
    )
    waiter = Waiter(session)
    vm = waiter.task(folder.CreateVM_Task(config, pool, None), f"creating {name}")
    if power_on:
        waiter.task(vm.PowerOnVM_Task(), f"powering on {name}")
    return vm


def remove_vm(session, vm) -> None:
    waiter = Waiter(session)
    if vm.runtime.powerState == "poweredOn":
        waiter.task(vm.PowerOffVM_Task(), "power off")
    waiter.task(vm.Destroy_Task(), "destroy")


def cli(sim, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", args[0], *cli_target(sim), *args[1:]],
        capture_output=True,
        text=True,
        env=cli_env(sim),
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_delete_refuses_running_containers_unless_forced_and_touches_nothing_outside(
    prov_sim, prov_session, isos, tmp_path
):
    session = prov_session
    baseline = fingerprint(session)
    inventory = load_inventory(session)
    cluster = next(c for c in inventory.compute if c.path == "Cluster")
    outsider = add_vm(session, inventory.vm_folder, cluster.resource_pool, "not-a-vch", container=False, power_on=True)
    create(session, make_spec("vch-neighbour", isos, tmp_path))
    create(session, make_spec("vch-doomed", isos, tmp_path))
    try:
        record = plan_delete(session, "vch-doomed").record
        add_vm(session, record.folder, record.pool, "web-1a2b3c4d5e6f", container=True, power_on=True)
        add_vm(session, record.folder, record.pool, "db-0f1e2d3c4b5a", container=True, power_on=False)
        before = fingerprint(session)

        plan = plan_delete(session, "vch-doomed")
        assert [c.name for c in plan.powered_on] == ["web-1a2b3c4d5e6f"]
        with pytest.raises(DeleteRefused) as refused:
            delete_vch(session, plan)
        assert "web-1a2b3c4d5e6f" in str(refused.value) and "--force" in str(refused.value)
        out = cli(prov_sim, "delete", "vch-doomed")
        assert out.returncode == 1 and "--force" in out.stderr
        assert fingerprint(session) == before  # refused: nothing changed

        inspected = inspect_vch(session, "vch-doomed", probe=False)
        assert {(c.name, c.power) for c in inspected.containers} == {
            ("web-1a2b3c4d5e6f", "poweredOn"),
            ("db-0f1e2d3c4b5a", "poweredOff"),
        }
        out = cli(prov_sim, "delete", "vch-doomed", "--force", "--json")
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        assert report["left"] == []
        # the simulator removes a VM's datastore folder with the VM, so "datastore folder" may not be listed
        assert [r for r in report["removed"] if not r.startswith("datastore folder")] == [
            "container VM db-0f1e2d3c4b5a",
            "container VM web-1a2b3c4d5e6f",
            "endpoint VM vch-doomed",
            "resource pool /Datacenter/host/Cluster/Resources/vch-doomed",
            "VM folder /Datacenter/vm/vch-doomed",
        ]
        after = fingerprint(session)
        gone = set(before["entities"]) - set(after["entities"])
        assert {e.split()[1] for e in gone} == {
            "/Datacenter/vm/vch-doomed",
            "/Datacenter/host/Cluster/Resources/vch-doomed",
            "/Datacenter/vm/vch-doomed/vch-doomed",
            "/Datacenter/vm/vch-doomed/web-1a2b3c4d5e6f",
            "/Datacenter/vm/vch-doomed/db-0f1e2d3c4b5a",
        }
        assert not set(after["entities"]) - set(before["entities"])
        assert not [f for f in after["files"] if "vch-doomed" in f or "web-1a2b" in f or "db-0f1e" in f]
        assert set(before["files"]) - set(after["files"]) >= {
            f"[{DATASTORES[0]}] vch-doomed/v1.5.8-0-2c978fe-appliance.iso",
            f"[{DATASTORES[0]}] vch-doomed/v1.5.8-0-2c978fe-bootstrap.iso",
        }
        assert outsider.runtime.powerState == "poweredOn"
        assert [v.name for v in list_vchs(session)].count("vch-neighbour") == 1
    finally:
        for name in ("vch-neighbour", "vch-doomed"):
            if name in [v.name for v in list_vchs(session)]:
                delete_vch(session, plan_delete(session, name), force=True)
        remove_vm(session, outsider)
    assert fingerprint(session) == baseline


def test_a_vm_someone_put_into_the_vch_pool_is_left_alone(prov_session, isos, tmp_path):
    session = prov_session
    baseline = fingerprint(session)
    create(session, make_spec("vch-shared-pool", isos, tmp_path))
    record = plan_delete(session, "vch-shared-pool").record
    stranger = add_vm(session, record.folder, record.pool, "someones-vm", container=False, power_on=True)
    plan = plan_delete(session, "vch-shared-pool")
    assert [s.name for s in plan.strangers] == ["someones-vm"] and not plan.powered_on
    result = delete_vch(session, plan)
    assert not result.ok
    assert result.removed[0] == "endpoint VM vch-shared-pool"
    assert result.left == [
        "resource pool /Datacenter/host/Cluster/Resources/vch-shared-pool",
        "VM folder /Datacenter/vm/vch-shared-pool",
    ]
    assert stranger.runtime.powerState == "poweredOn"
    # the owner takes their VM away; the pool and folder are then empty and are removed by hand here
    remove_vm(session, stranger)
    waiter = Waiter(session)
    waiter.task(record.pool.Destroy_Task(), "pool")
    waiter.task(record.folder.Destroy_Task(), "folder")
    assert fingerprint(session) == baseline


def test_delete_keeps_another_process_file_in_the_vch_datastore_folder(prov_session, isos, tmp_path):
    """Only the VM's own files and the ISOs go; the folder stays (reported) while a file that is not the VCH's
    is in it."""
    session = prov_session
    baseline = fingerprint(session)
    create(session, make_spec("vch-shared-dir", isos, tmp_path))
    theirs = put_foreign_file(session, tmp_path, "vch-shared-dir/theirs.txt")
    result = delete_vch(session, plan_delete(session, "vch-shared-dir"))
    after = fingerprint(session)
    assert theirs in after["files"]
    assert [f for f in after["files"] if "vch-shared-dir/" in f] == [theirs]
    assert result.left == [
        f"datastore folder [{DATASTORES[0]}] vch-shared-dir (holds 1 file(s) this run did not create: theirs.txt)"
    ]
    assert "endpoint VM vch-shared-dir" in result.removed
    assert f"file [{DATASTORES[0]}] vch-shared-dir/v1.5.8-0-2c978fe-appliance.iso" in result.removed
    assert not [e for e in after["entities"] if "vch-shared-dir" in e]
    remove_foreign_file(session, theirs)
    assert fingerprint(session) == baseline
