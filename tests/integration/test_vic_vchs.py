"""vch-tui on VCHs vic-machine made: the four vic-machine 1.5.8 captures replayed onto a private simulator
(tests/rig/vic_replay.py; the VIC appliance stand-in boots them and reports their addresses). `ls --json` lists
them with the names, IDs, versions and docker hosts vic-machine printed; `inspect` shows each one's networks,
container networks with firewall levels, TLS mode and stores; `top --once --json` reports their containers;
the datacenter in --target scopes it all; `delete` refuses, then with --force removes one completely although
VIC protected its VMs from Destroy_Task, and leaves the others untouched."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pyVim.connect import Disconnect, SmartConnect
from pyVim.task import WaitForTask
from pyVmomi import vim, vmodl

from tests.rig.simulator_fixtures import SIM_PASSWORD, SIM_USERNAME
from tests.rig.vic_replay import RO, replay
from tests.unit.vic.vic_captures import command
from tui.core.vic.read import CONTAINER_ID_KEY
from tui.core.vsphere import raw_soap
from tui.vchsim.simulator import Simulator

pytestmark = pytest.mark.rig
SPECS = ("G1", "G2", "G3", "G4")
VERSION = "v1.5.8-0-2c978fe"


@pytest.fixture(scope="module")
def site(vchsim_binary, tmp_path_factory):
    """A private simulator with G1..G4 replayed (G4 sharing G1's volume store), a second datacenter, and
    container VMs: G1 one running and one stopped (all of G1's VMs protected as VIC does), G2 one running."""
    sim = Simulator(
        username=SIM_USERNAME, password=SIM_PASSWORD, binary=vchsim_binary, cert_dir=tmp_path_factory.mktemp("cert")
    ).start()
    si = SmartConnect(
        host=sim.host, port=sim.port, user=sim.username, pwd=sim.password.reveal(), sslContext=sim.ssl_context()
    )
    try:

        def share_g1_volumes(keys, box):
            keys[RO + "storage/VolumeLocations|default/Path"] = "[datastore1] volumes"

        vchs = {spec: replay(si, sim, spec, edit=share_g1_volumes if spec == "G4" else None) for spec in SPECS}
        for vch in vchs.values():
            assert vch.wait()["state"] == "running"
        dc = next(e for e in si.content.rootFolder.childEntity if isinstance(e, vim.Datacenter))
        si.content.rootFolder.CreateDatacenter("Elsewhere")
        fm = si.content.fileManager
        g1 = vchs["G1"]
        fm.MakeDirectory(f"[datastore1] {g1.name}/VIC/{g1.vm.config.uuid}/images", dc, True)
        fm.MakeDirectory(f"[datastore1] {g1.name}/kvStores", dc, True)
        fm.MakeDirectory("[datastore1] volumes", dc, True)
        containers = {
            "G1": [container(si, dc, g1, "web-1a2b3c4d5e6f", True), container(si, dc, g1, "db-0f1e2d3c4b5a", False)],
            "G2": [container(si, dc, vchs["G2"], "api-0a1b2c3d4e5f", True)],
        }
        raw_soap.disable_methods(si, [g1.vm, *containers["G1"]], ["Destroy_Task"])
        yield sim, si, vchs, containers
    finally:
        try:
            for vms in list(locals().get("containers", {}).values()):
                for vm in vms:
                    gone_or(lambda vm=vm: destroy(si, vm))
            for vch in locals().get("vchs", {}).values():
                gone_or(vch.destroy)
        finally:
            Disconnect(si)
            sim.stop()


def gone_or(action) -> None:
    try:
        action()
    except vmodl.fault.ManagedObjectNotFound:
        pass


def container(si, dc, vch, name: str, power_on: bool):
    config = vim.vm.ConfigSpec(
        name=name,
        guestId="otherGuest64",
        numCPUs=1,
        memoryMB=256,
        files=vim.vm.FileInfo(vmPathName="[datastore1]"),
        extraConfig=[vim.option.OptionValue(key=CONTAINER_ID_KEY, value=name)],
    )
    task = dc.vmFolder.CreateVM_Task(config, vch.pool)
    WaitForTask(task)
    vm = task.info.result
    if power_on:
        WaitForTask(vm.PowerOnVM_Task())
    return vm


def destroy(si, vm) -> None:
    raw_soap.enable_methods(si, [vm], ["Destroy_Task"])
    if vm.runtime.powerState == "poweredOn":
        WaitForTask(vm.PowerOffVM_Task())
    WaitForTask(vm.Destroy_Task())


def cli(sim, *args: str, datacenter: str | None = None) -> subprocess.CompletedProcess:
    target = f"{sim.host}:{sim.port}" + (f"/{datacenter}" if datacenter else "")
    import os

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            args[0],
            "--target",
            target,
            "--user",
            sim.username,
            "--thumbprint",
            sim.sha256,
            *args[1:],
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "VIC_MACHINE_PASSWORD": sim.password.reveal()},
        stdin=subprocess.DEVNULL,
        timeout=180,
    )


def test_ls_lists_the_four_as_vic_machine_did(site):
    sim, _, vchs, _ = site
    out = cli(sim, "ls", "--json", datacenter="Datacenter")
    assert out.returncode == 0, out.stderr
    listed = {v["name"]: v for v in json.loads(out.stdout)}
    assert set(listed) == {v.name for v in vchs.values()}
    for spec, vch in vchs.items():
        row = listed[vch.name]
        port = 2375 if spec == "G3" else 2376
        assert (row["id"], row["version"], row["upgrade_status"], row["state"]) == (
            vch.moref,
            VERSION,
            "Up to date",
            "created",
        )
        assert row["docker_host"] == f"{vch.guest_ip('client')}:{port}"
        assert row["path"] == f"/Datacenter/host/Cluster/Resources/{vch.name}"
    table = cli(sim, "ls").stdout
    assert "UPGRADE STATUS" in table and all(vch.moref in table for vch in vchs.values())


def test_the_datacenter_in_target_scopes_ls_and_an_unknown_one_is_named(site):
    sim, _, vchs, _ = site
    out = cli(sim, "ls", "--json", datacenter="Elsewhere")
    assert out.returncode == 0 and json.loads(out.stdout) == [], out.stderr
    out = cli(sim, "inspect", vchs["G1"].name, datacenter="Elsewhere")
    assert out.returncode == 2 and "no VCH named" in out.stderr
    for command_name in ("ls", "top"):
        out = cli(sim, command_name, *(["--once"] if command_name == "top" else []), datacenter="Nowhere")
        assert out.returncode == 2, (command_name, out.stderr)
        assert "Nowhere" in out.stderr and "Datacenter, Elsewhere" in out.stderr


@pytest.mark.parametrize("spec", SPECS)
def test_inspect_shows_networks_firewalls_tls_and_stores(site, spec):
    sim, _, vchs, _ = site
    vch = vchs[spec]
    out = cli(sim, "inspect", vch.name, "--json", "--no-probe")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    typed = command(spec).spec
    spec_data = data["spec"]
    assert [(c["port_group"], c.get("alias"), c["firewall"]) for c in spec_data.get("container_network", [])] == [
        (c.port_group, c.alias, c.firewall) for c in typed.container_networks
    ]
    # the config cannot tell a generated certificate from the user's own (G4): both are tlsverify with a CA
    assert data["tls"]["mode"] == {"custom": "tlsverify"}.get(typed.tls_mode().value, typed.tls_mode().value)
    assert (data["tls"]["not_after"] is None) == (typed.tls_mode().value == "no-tls")
    assert spec_data.get("public_network", "VM Network") == typed.effective_public_network()
    assert tuple(spec_data.get("volume_store", ())) == (
        typed.volume_store if spec != "G4" else ("datastore1/volumes:default",)
    )
    assert data["vic"]["vch_version"] == VERSION and data["summary"]["id"] == vch.moref
    text = cli(sim, "inspect", vch.name, "--no-probe").stdout
    for cn in typed.container_networks:
        assert f"firewall {cn.firewall}" in text
    assert (
        f"DOCKER_HOST={vch.guest_ip('client')}" in text.replace("  ", "=").replace("==", "=")
        or vch.guest_ip("client") in text
    )
    config = cli(sim, "inspect", vch.name, "--config")
    assert config.returncode == 0 and config.stdout.startswith("vic-machine-linux create"), config.stderr
    for cn in typed.container_networks:
        assert cn.port_group in config.stdout


def test_top_reports_their_containers(site):
    sim, _, vchs, containers = site
    out = cli(sim, "top", "--once", "--json")
    assert out.returncode == 0, out.stderr
    docs = {d["vch"]["name"]: d for d in json.loads(out.stdout)}
    assert set(docs) >= {v.name for v in vchs.values()}
    for spec, vch in vchs.items():
        assert sorted(c["name"] for c in docs[vch.name]["containers"]) == sorted(
            vm.name for vm in containers.get(spec, [])
        )


def test_delete_refuses_then_force_removes_one_completely_though_protected(site):
    sim, si, vchs, containers = site
    g1 = vchs["G1"]
    with pytest.raises(vim.fault.MethodDisabled):  # VIC's protection is real on this simulator
        g1.vm.Destroy_Task()
    others = {
        spec: (v.moref, v.vm.runtime.powerState, len(v.vm.config.extraConfig))
        for spec, v in vchs.items()
        if spec != "G1"
    }
    uuid = g1.vm.config.uuid
    refused = cli(sim, "delete", g1.name)
    assert refused.returncode == 1 and "--force" in refused.stderr and "web-1a2b3c4d5e6f" in refused.stderr
    assert g1.vm.runtime.powerState == "poweredOn"

    out = cli(sim, "delete", g1.name, "--force", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(out.stdout)
    assert report["left"] == [], report
    removed = report["removed"]
    assert "container VM web-1a2b3c4d5e6f" in removed and "container VM db-0f1e2d3c4b5a" in removed
    assert f"image store [datastore1] {g1.name}/VIC/{uuid}" in removed
    assert f"key/value store [datastore1] {g1.name}/kvStores" in removed
    assert f"endpoint VM {g1.name}" in removed
    assert f"resource pool /Datacenter/host/Cluster/Resources/{g1.name}" in removed
    assert f"volume store default [datastore1] volumes: also used by VCH {vchs['G4'].name}, kept" in report["kept"]
    for vm in (g1.vm, *containers["G1"]):
        with pytest.raises(vmodl.fault.ManagedObjectNotFound):
            vm.name  # noqa: B018 - gone
    with pytest.raises(vmodl.fault.ManagedObjectNotFound):
        g1.pool.name  # noqa: B018
    listed = {v["name"] for v in json.loads(cli(sim, "ls", "--json").stdout)}
    assert listed == {v.name for s, v in vchs.items() if s != "G1"}
    assert {
        spec: (v.moref, v.vm.runtime.powerState, len(v.vm.config.extraConfig))
        for spec, v in vchs.items()
        if spec != "G1"
    } == others
    assert containers["G2"][0].runtime.powerState == "poweredOn"
