"""A VM whose VIC guestinfo is malformed (non-ASCII digits where numbers belong, bad base64, a slice length
that is not a number) never crashes `ls`, `inspect` or `top`: the readers take a malformed value as absent
(ls and top still list the VM), inspect names the malformed key in its output, and a VM whose keys cannot
be read at all is skipped with a warning naming it (tui/core/vch/listing.py skip_malformed)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pyVim.connect import Disconnect, SmartConnect
from pyVim.task import WaitForTask
from pyVmomi import vim

from tests.rig.provisioning import cli_env, cli_target
from tui.core.vic.read import CLIENT_IP_KEY, DOCKER_ARGS_KEY, HOST_CERT_KEY, ID_KEY, NAME_KEY, VERSION_PREFIX

pytestmark = pytest.mark.rig

MALFORMED = {
    "plugin-version": {VERSION_PREFIX + "Version": "v1.5.8", VERSION_PREFIX + "PluginVersion": "\u00b2"},
    "docker-port": {DOCKER_ARGS_KEY: "-port=\u0663\u0667\u0666"},
    "slice-length": {
        "guestinfo.vice./network/ContainerNetworks~": "x",
        "guestinfo.vice./network/bridge": "\u00b2",
        HOST_CERT_KEY: "%%%",
        CLIENT_IP_KEY: "not-base64",
    },
}


@pytest.fixture(scope="module")
def broken_vms(prov_sim):
    sim = prov_sim
    si = SmartConnect(
        host=sim.host, port=sim.port, user=sim.username, pwd=sim.password.reveal(), sslContext=sim.ssl_context()
    )
    dc = next(e for e in si.content.rootFolder.childEntity if isinstance(e, vim.Datacenter))
    pool = next(c for c in dc.hostFolder.childEntity if hasattr(c, "resourcePool")).resourcePool
    vms = {}
    try:
        for case, keys in MALFORMED.items():
            name = f"broken-{case}"
            task = dc.vmFolder.CreateVM_Task(
                vim.vm.ConfigSpec(
                    name=name,
                    guestId="otherGuest64",
                    numCPUs=1,
                    memoryMB=64,
                    files=vim.vm.FileInfo(vmPathName="[datastore1]"),
                ),
                pool,
            )
            WaitForTask(task)
            vm = task.info.result
            extra = {NAME_KEY: name, ID_KEY: f"VirtualMachine:{vm._moId}", **keys}
            WaitForTask(
                vm.ReconfigVM_Task(
                    vim.vm.ConfigSpec(extraConfig=[vim.option.OptionValue(key=k, value=v) for k, v in extra.items()])
                )
            )
            vms[name] = vm
        yield sim, vms
    finally:
        for vm in vms.values():
            WaitForTask(vm.Destroy_Task())
        Disconnect(si)


def cli(sim, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", args[0], *cli_target(sim), *args[1:]],
        capture_output=True,
        text=True,
        env=cli_env(sim),
        stdin=subprocess.DEVNULL,
        timeout=180,
    )


@pytest.mark.parametrize("command", [("ls", "--json"), ("top", "--once", "--json")])
def test_ls_and_top_skip_a_malformed_vm_with_a_warning_naming_it(broken_vms, command):
    sim, vms = broken_vms
    out = cli(sim, *command)
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 0, out.stderr
    listed = json.dumps(json.loads(out.stdout))
    for name in vms:
        assert name in listed


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_inspect_of_a_malformed_vm_names_what_it_cannot_read_never_a_traceback(broken_vms, case):
    sim, _ = broken_vms
    out = cli(sim, "inspect", f"broken-{case}")
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 0, out.stderr
    assert f"broken-{case}" in out.stdout


def test_inspect_names_the_malformed_keys(broken_vms):
    sim, _ = broken_vms
    assert "PluginVersion: '\u00b2' is not a whole number" in cli(sim, "inspect", "broken-plugin-version").stdout
    assert "is not base64" in cli(sim, "inspect", "broken-slice-length").stdout
