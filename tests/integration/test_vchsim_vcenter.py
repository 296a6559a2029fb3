"""vCenter behaviour the simulator adds on top of vcsim 0.24.2, where VIC relies on it (checked with pyVmomi).

DisableMethods/EnableMethods (raw SOAP, internal namespace) make Destroy_Task fail with MethodDisabled and
succeed again; ReconfigVM_Task replaces extraConfig keys and deletes them on an empty value;
guestinfo.ovfEnv is hidden from API reads but in the .vmx on the datastore; PowerOnMultiVM_Task returns a
ClusterPowerOnVmResult.
"""

from __future__ import annotations

import urllib.request
import uuid

import pytest
from pyVim.connect import Disconnect
from pyVim.task import WaitForTask
from pyVmomi import vim, vmodl

from tests.rig.simulator_fixtures import pyvmomi_session
from tui.core.vsphere import raw_soap
from tui.vchsim.simulator import DATASTORES

pytestmark = pytest.mark.rig


@pytest.fixture
def si(simulator_si):
    return simulator_si


def _datacenter(si):
    return next(e for e in si.content.rootFolder.childEntity if isinstance(e, vim.Datacenter))


def _cluster_pool(si):
    return _datacenter(si).hostFolder.childEntity[0].resourcePool


def new_vm(si, extra: dict[str, str] | None = None, name: str | None = None):
    name = name or f"vc-{uuid.uuid4().hex[:8]}"
    spec = vim.vm.ConfigSpec(
        name=name,
        guestId="otherGuest64",
        numCPUs=1,
        memoryMB=256,
        files=vim.vm.FileInfo(vmPathName=f"[{DATASTORES[0]}]"),
        extraConfig=[vim.option.OptionValue(key=k, value=v) for k, v in (extra or {}).items()],
    )
    task = _datacenter(si).vmFolder.CreateVM_Task(spec, _cluster_pool(si))
    WaitForTask(task)
    return task.info.result


def extra_of(vm) -> list[tuple[str, str]]:
    return [(o.key, o.value) for o in vm.config.extraConfig]


def reconfigure(vm, **keys: str) -> None:
    WaitForTask(
        vm.ReconfigVM_Task(
            vim.vm.ConfigSpec(
                extraConfig=[vim.option.OptionValue(key=k.replace("__", "."), value=v) for k, v in keys.items()]
            )
        )
    )


def download(simulator, path: str) -> str:
    """GET a datastore file with a session cookie (strict mode requires one)."""
    si = pyvmomi_session(simulator)
    try:
        cookie = si._stub.cookie
        req = urllib.request.Request(simulator.datastore_url(path), headers={"Cookie": cookie})
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=simulator.ssl_context())
        )
        with opener.open(req, timeout=30) as resp:
            return resp.read().decode()
    finally:
        Disconnect(si)


# ------------------------------------------------------------------------------------------ DisableMethods


def test_disabled_destroy_fails_with_method_disabled_until_enabled(si):
    vm = new_vm(si)
    raw_soap.disable_methods(si, [vm], ["Destroy_Task"])
    assert vm.disabledMethod == ["Destroy_Task"]
    with pytest.raises(vim.fault.MethodDisabled) as err:
        vm.Destroy_Task()
    assert err.value.source == "VIC" and "disabled by 'VIC'" in err.value.msg
    assert vm.name  # still there

    raw_soap.enable_methods(si, [vm], ["Destroy_Task"], source_id="someone-else")
    assert vm.disabledMethod == ["Destroy_Task"], "another source cannot lift VIC's block"
    raw_soap.enable_methods(si, [vm], ["Destroy_Task"])
    assert vm.disabledMethod == []
    WaitForTask(vm.Destroy_Task())
    with pytest.raises(vmodl.fault.ManagedObjectNotFound):
        _ = vm.name


def test_a_method_blocked_by_two_sources_needs_both_to_enable(si):
    vm = new_vm(si)
    raw_soap.disable_methods(si, [vm], ["Destroy_Task", "PowerOnVM_Task"], source_id="A")
    raw_soap.disable_methods(si, [vm], ["Destroy_Task"], source_id="B")
    assert vm.disabledMethod == ["Destroy_Task", "PowerOnVM_Task"]
    with pytest.raises(vim.fault.MethodDisabled):
        vm.PowerOnVM_Task()
    raw_soap.enable_methods(si, [vm], ["Destroy_Task", "PowerOnVM_Task"], source_id="A")
    assert vm.disabledMethod == ["Destroy_Task"]
    with pytest.raises(vim.fault.MethodDisabled) as err:
        vm.Destroy_Task()
    assert err.value.source == "B"
    raw_soap.enable_methods(si, [vm], ["Destroy_Task"], source_id="B")
    WaitForTask(vm.Destroy_Task())


def test_disable_methods_on_a_missing_entity_is_managed_object_not_found(si):
    vm = new_vm(si)
    WaitForTask(vm.Destroy_Task())
    with pytest.raises(vmodl.fault.ManagedObjectNotFound):
        raw_soap.disable_methods(si, [vm], ["Destroy_Task"])


# ------------------------------------------------------------------------------------------ extraConfig


def test_reconfigure_replaces_keys_and_an_empty_value_deletes(si):
    vm = new_vm(si, {"guestinfo.a": "1", "guestinfo.b": "2", "guestinfo.c": "3"})
    reconfigure(vm, guestinfo__a="one", guestinfo__b="", guestinfo__d="4")
    extra = dict(extra_of(vm))
    assert [k for k, _ in extra_of(vm) if k.startswith("guestinfo.")] == ["guestinfo.a", "guestinfo.c", "guestinfo.d"]
    assert (extra["guestinfo.a"], extra["guestinfo.c"], extra["guestinfo.d"]) == ("one", "3", "4")
    reconfigure(vm, guestinfo__a="again", guestinfo__zz="")  # deleting an absent key is a no-op
    keys = [k for k, _ in extra_of(vm)]
    assert keys.count("guestinfo.a") == 1 and "guestinfo.zz" not in keys
    WaitForTask(vm.Destroy_Task())


def test_ovf_env_is_hidden_from_the_api_but_in_the_vmx(si, simulator):
    vm = new_vm(si, {"guestinfo.ovfEnv": "c2VjcmV0LWtleQ==", "guestinfo.vice./init/networks": "a|b"})
    assert "guestinfo.ovfEnv" not in dict(extra_of(vm))
    props = si.content.propertyCollector.RetrieveContents(
        [
            vim.PropertyFilterSpec(
                objectSet=[vim.ObjectSpec(obj=vm)],
                propSet=[vim.PropertySpec(type=vim.VirtualMachine, pathSet=["config"])],
            )
        ]
    )
    assert "guestinfo.ovfEnv" not in {o.key for o in props[0].propSet[0].val.extraConfig}
    vmx = download(simulator, f"{vm.name}/{vm.name}.vmx")
    assert 'guestinfo.ovfEnv = "c2VjcmV0LWtleQ=="' in vmx.splitlines()
    assert 'guestinfo.vice./init/networks = "a|7Cb"' in vmx.splitlines()  # the .vmx escape for '|'
    assert f'displayName = "{vm.name}"' in vmx.splitlines()

    reconfigure(vm, guestinfo__ovfEnv="bmV3LWtleQ==")
    assert 'guestinfo.ovfEnv = "bmV3LWtleQ=="' in download(simulator, f"{vm.name}/{vm.name}.vmx")
    assert "guestinfo.ovfEnv" not in dict(extra_of(vm))
    reconfigure(vm, guestinfo__ovfEnv="")
    assert "guestinfo.ovfEnv" not in download(simulator, f"{vm.name}/{vm.name}.vmx")
    WaitForTask(vm.Destroy_Task())


# ------------------------------------------------------------------------------------------ PowerOnMultiVM


def test_power_on_multi_vm_returns_a_cluster_power_on_result(si):
    first, second = new_vm(si), new_vm(si)
    WaitForTask(second.PowerOnVM_Task())
    option = vim.option.OptionValue(key="OverrideAutomationLevel", value="fullyAutomated")
    task = _datacenter(si).PowerOnMultiVM_Task([first, second], [option])
    WaitForTask(task)
    result = task.info.result
    assert isinstance(result, vim.cluster.PowerOnVmResult)
    attempted = {a.vm: a.task for a in result.attempted}
    assert set(attempted) == {first, second}
    WaitForTask(attempted[first])
    assert first.runtime.powerState == "poweredOn"
    with pytest.raises(vim.fault.InvalidPowerState):  # already on: its own task failed, as in vCenter
        WaitForTask(attempted[second])
    for vm in (first, second):
        WaitForTask(vm.PowerOffVM_Task())
        WaitForTask(vm.Destroy_Task())


def test_power_on_multi_vm_does_not_attempt_a_vm_whose_power_on_is_disabled(si):
    vm = new_vm(si)
    raw_soap.disable_methods(si, [vm], ["PowerOnVM_Task"], source_id="test")
    task = _datacenter(si).PowerOnMultiVM_Task([vm])
    WaitForTask(task)
    (skipped,) = task.info.result.notAttempted
    assert skipped.vm == vm and isinstance(skipped.fault, vim.fault.MethodDisabled) and skipped.fault.source == "test"
    assert not task.info.result.attempted and vm.runtime.powerState == "poweredOff"
    raw_soap.enable_methods(si, [vm], ["PowerOnVM_Task"], source_id="test")
    WaitForTask(vm.Destroy_Task())
