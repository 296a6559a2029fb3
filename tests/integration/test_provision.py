"""Provisioning against the simulator, end to end: the plan runs, and everything it made is read back from
vSphere (folder, pool allocation, VM hardware and NIC port groups, CD-ROM ISO path, VIC's configuration, the
uploaded ISO bytes); the simulator's appliance stand-in boots the VCH from that configuration alone (its client
address, its Docker API with the configured certificate), the docker CLI works from the .env file, and `ls` /
`inspect` / `delete` see and remove it. A name in use stops every run before any change."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from pyVmomi import vim

from tests.rig.appliance_checks import presented_certificate
from tests.rig.connect_proxy import ConnectProxy
from tests.rig.dockerd import run_docker
from tests.rig.provisioning import CREATE_STEPS, LOOPBACK, fingerprint, make_custom_tls, make_spec
from tui.core.problems import ProblemsError
from tui.core.spec.model import Tls
from tui.core.vch import events as ev
from tui.core.vch.build import build_plan
from tui.core.vch.inspection import inspect_vch
from tui.core.vch.listing import CREATED
from tui.core.vch.plan import RunOptions
from tui.core.vch.runner import run_plan
from tui.core.vch.site import list_vchs
from tui.core.vch.teardown import delete_vch, plan_delete
from tui.core.vch.validate_target import load_target_facts
from tui.core.vic import read
from tui.core.vic.config import decode
from tui.core.vic.secretbox import key_from_extra
from tui.core.vsphere.wait import Waiter
from tui.vchsim.simulator import DATASTORES, PORT_GROUPS

pytestmark = pytest.mark.rig


def plan_for(session, spec, port: int | None = None):
    return build_plan(spec, load_target_facts(session), RunOptions(docker_port=port))


def find_vm(session, name: str):
    return session.content.searchIndex.FindByInventoryPath(f"Datacenter/vm/{name}/{name}")


def dpg_names(session) -> dict[str, str]:
    """Port group key → name for every distributed port group."""
    view = session.content.viewManager.CreateContainerView(
        session.content.rootFolder, [vim.dvs.DistributedVirtualPortgroup], True
    )
    try:
        return {pg.key: pg.name for pg in view.view}
    finally:
        view.Destroy()


def read_back(sim, session, spec, isos) -> dict:
    """What vSphere holds for the VCH, in plain values."""
    vm = find_vm(session, spec.name)
    assert vm is not None, "no endpoint VM in the VCH folder"
    keys = dpg_names(session)
    devices = vm.config.hardware.device
    nics = [keys[d.backing.port.portgroupKey] for d in devices if isinstance(d, vim.vm.device.VirtualVmxnet3)]
    cdroms = [d.backing.fileName for d in devices if isinstance(d, vim.vm.device.VirtualCdrom)]
    serials = [d.backing.fileName for d in devices if isinstance(d, vim.vm.device.VirtualSerialPort)]
    pool = vm.resourcePool
    cookie = session.cookie().split(";")[0]
    uploads = {}
    for remote, local in ((f"{VERSION}-appliance.iso", isos.appliance), (f"{VERSION}-bootstrap.iso", isos.bootstrap)):
        got = httpx.get(
            sim.datastore_url(f"{spec.name}/{remote}"), headers={"Cookie": cookie}, verify=sim.ssl_context()
        )
        uploads[remote] = got.status_code == 200 and got.content == local.read_bytes()
    return {
        "folder": vm.parent.name,
        "folder_parent": vm.parent.parent.name,
        "pool": pool.name,
        "pool_parent": pool.parent.name,
        "cpu": (
            pool.config.cpuAllocation.limit,
            pool.config.cpuAllocation.reservation,
            pool.config.cpuAllocation.shares.level,
        ),
        "memory": (
            pool.config.memoryAllocation.limit,
            pool.config.memoryAllocation.shares.level,
            pool.config.memoryAllocation.shares.shares,
        ),
        "guest": vm.config.guestId,
        "vcpus": vm.config.hardware.numCPU,
        "memory_mb": vm.config.hardware.memoryMB,
        "nics": nics,
        "cdroms": cdroms,
        "serials": serials,
        "pvscsi": sum(isinstance(d, vim.vm.device.ParaVirtualSCSIController) for d in devices),
        "disks": sum(isinstance(d, vim.vm.device.VirtualDisk) for d in devices),
        "extra": {o.key: o.value for o in vm.config.extraConfig},
        "power": vm.runtime.powerState,
        "ip": vm.guest.ipAddress,
        "uploads": uploads,
    }


VERSION = "v1.5.8-0-2c978fe"  # the rig's ISOs (tui.vchsim.iso_image)
MODES = ["no-tls", "no-tlsverify", "tlsverify", "custom"]
# DHCP, or a static client IP; with DHCP the certificate names the DNS name <name>.vch.test, which the docker
# CLI reaches through a CONNECT proxy, with a static IP it names that IP (vic-machine's --tls-cname fallback)
STATIC = {"no-tls": False, "no-tlsverify": False, "tlsverify": True, "custom": False}
ENV_KEYS = {
    "no-tls": {"DOCKER_HOST"},
    "no-tlsverify": {"DOCKER_HOST", "DOCKER_TLS", "DOCKER_CERT_PATH", "COMPOSE_TLS_VERSION"},
    "tlsverify": {"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "COMPOSE_TLS_VERSION"},
    "custom": {"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "COMPOSE_TLS_VERSION"},
}
PORT = {"no-tls": 2375, "no-tlsverify": 2376, "tlsverify": 2376, "custom": 2376}


def docker_cli(env_file: Path, *args: str, proxy: str | None = None) -> subprocess.CompletedProcess:
    """The real docker CLI, configured only by the VCH's .env file (and a proxy that resolves the cname)."""
    from tui.core.tls.envfile import read_env_file

    env = read_env_file(env_file) | ({"HTTPS_PROXY": proxy} if proxy else {})
    return run_docker(env, *args, home=env_file.parent / "home")


@pytest.mark.parametrize("mode", MODES)
def test_vch_is_created_read_back_listed_inspected_and_deleted(
    prov_sim, prov_session, isos, tmp_path, monkeypatch, mode
):
    """Nobody sets the guest IP: the appliance stand-in boots the VCH from the configuration create wrote,
    and serves the Docker API on its client address with that configuration's certificate and CAs."""
    from tui.core.tls.pem import cert_der, load_certificates, read_certificates

    name = f"vch-{mode}"
    extra = {}
    if mode == "custom":
        cname = f"{name}.vch.test"
        custom = make_custom_tls(tmp_path / "corp", cname)
        extra["tls"] = Tls(
            tls_server_cert=str(custom.server_cert),
            tls_server_key=str(custom.server_key),
            tls_ca=(str(custom.ca),),
            tls_cname=cname,
        )
        cert_dir = tmp_path / "certs" / name
        cert_dir.mkdir(parents=True, mode=0o700)
        shutil.copy(custom.client_cert, cert_dir / "cert.pem")  # the user's own client pair, as docs tell them
        shutil.copy(custom.client_key, cert_dir / "key.pem")
    spec = make_spec(name, isos, tmp_path / "certs", mode=mode, static_ip=STATIC[mode], **extra)
    before = fingerprint(prov_session)
    events: list = []
    plan = plan_for(prov_session, spec)
    result = run_plan(plan, prov_session, on_event=events.append)
    try:
        assert result.ok, (result.error, prov_sim.appliance(name))
        vch = read_back(prov_sim, prov_session, spec, isos)
        assert (vch["folder"], vch["folder_parent"], vch["pool"], vch["pool_parent"]) == (
            name,
            "vm",
            name,
            "Resources",
        )
        assert vch["cpu"] == (4000, 500, "high")
        assert vch["memory"] == (8192, "custom", 2000)
        assert (vch["guest"], vch["vcpus"], vch["memory_mb"]) == ("otherGuest64", 1, 2048)
        assert vch["nics"] == [PORT_GROUPS["bridge"], PORT_GROUPS["public"], PORT_GROUPS["client"]]
        assert vch["cdroms"] == [f"[{DATASTORES[0]}] {name}/{VERSION}-appliance.iso"]
        assert vch["serials"] == [f"[{DATASTORES[0]}] {name}/tether.debug"]
        assert (vch["pvscsi"], vch["disks"]) == (1, 0)
        assert all(vch["uploads"].values()) and len(vch["uploads"]) == 2
        address = result.outputs.address
        static = spec.client.ip.split("/")[0] if spec.client.ip else None
        assert address == (static or address) and address.startswith("127.") and address != LOOPBACK
        assert (vch["power"], vch["ip"]) == ("poweredOn", address)
        info = vch["extra"]
        assert not any(k.startswith("guestinfo.vice./vch-tui/") for k in info)  # VIC's own keys only
        cfg = decode(info, key=key_from_extra(info))
        assert (
            cfg.init.common.name == name and cfg.init.common.id == f"VirtualMachine:{find_vm(prov_session, name)._moId}"
        )
        appliance = prov_sim.appliance(name)
        assert appliance["state"] == "running" and appliance["docker_api"]["port"] == PORT[mode], appliance
        assert appliance["docker_api"]["tls"] == {"no-tls": "plain", "no-tlsverify": "tls"}.get(mode, "tlsverify")

        env = result.outputs.docker_env
        host = static or (address if mode == "no-tls" else f"{name}.vch.test")
        assert set(env) == ENV_KEYS[mode] and env["DOCKER_HOST"] == f"tcp://{host}:{PORT[mode]}"
        env_file = Path(result.outputs.env_file)
        assert env_file.name == f"{name}.env"
        if mode != "no-tls":
            folder = Path(env["DOCKER_CERT_PATH"])
            assert folder == Path(spec.effective_tls_cert_path()).resolve() == Path(result.outputs.cert_path)
            server_file = custom.server_cert if mode == "custom" else folder / "server-cert.pem"
            server = read_certificates(server_file)[0]
            configured = read.server_certificate_pem(info)
            assert configured is not None and load_certificates(configured)[0] == server
            assert presented_certificate(address, PORT[mode]) == cert_der(server)  # what the appliance serves
        with ConnectProxy({f"{name}.vch.test": address}) as proxy:
            out = docker_cli(env_file, "version", "--format", "{{.Server.Version}}", proxy=proxy.url)
        assert out.returncode == 0 and out.stdout.strip() == "1.5.8", out.stderr  # the stand-in's VIC API
        logs = [e.text for e in events if isinstance(e, ev.LogLine)]
        assert any(f"answers on {host}:{PORT[mode]}" in t or f"answers on {address}:{PORT[mode]}" in t for t in logs), (
            logs
        )
        sent = [e for e in events if isinstance(e, ev.BytesSent) and e.label == f"{VERSION}-appliance.iso"]
        assert sent[-1].done == sent[-1].total == isos.appliance.stat().st_size and len(sent) >= 4
        changes = [(e.key, e.state) for e in events if isinstance(e, ev.StepChanged)]
        assert changes == [(key, state) for key in plan.step_keys() for state in (ev.RUNNING, ev.DONE)]
        assert plan.step_keys() == CREATE_STEPS

        added = set(fingerprint(prov_session)["entities"]) - set(before["entities"])
        pool = f"/Datacenter/host/Cluster/Resources/{name}"
        assert added == {
            f"folder /Datacenter/vm/{name}",
            f"pool {pool}",
            f"vm /Datacenter/vm/{name}/{name} pool={pool}",
        }

        (listed,) = [v for v in list_vchs(prov_session) if v.name == name]
        assert (listed.path, listed.endpoint_vm, listed.power, listed.docker_host, listed.state) == (
            pool,
            name,
            "poweredOn",
            f"{address}:{PORT[mode]}",
            CREATED,
        )
        # VIC's configuration does not record where the client certificates are: inspect looks where
        # vic-machine's inspect does, ./<name> first
        monkeypatch.chdir(tmp_path / "certs")
        inspected = inspect_vch(prov_session, name)
        assert inspected.spec is not None, inspected.spec_error
        # VIC's configuration holds a certificate and client CAs either way: the user's own are tlsverify too
        assert inspected.spec.tls_mode().value == ("tlsverify" if mode == "custom" else mode)
        assert inspected.spec.container_networks == spec.container_networks
        assert inspected.api and "(API 1.25) answers" in inspected.api, (inspected.api, inspected.api_error)
        assert inspected.docker_env == env
        assert inspected.pool.cpu_limit == 4000 and inspected.pool.memory_shares == "2000"
    finally:
        outcome = delete_vch(prov_session, plan_delete(prov_session, name), force=True)
    assert outcome.ok, outcome.left
    assert fingerprint(prov_session) == before


@pytest.mark.parametrize("taken", ["vm-folder", "resource-pool", "datastore-folder"])
def test_a_name_in_use_stops_before_any_change(prov_sim, prov_session, isos, tmp_path, taken):
    """Someone else's object with the VCH's name: the plan is refused, and a plan that was made before the
    object appeared fails in its validate step. Either way nothing is created and nothing of theirs is touched."""
    from tui.core.vch.plan import datastore_folder_problems
    from tui.core.vsphere.inventory_snapshot import load_inventory

    spec = make_spec("vch-taken", isos, tmp_path)
    stale_plan = build_plan(spec, load_target_facts(prov_session), RunOptions(inventory_max_age=0))
    inventory = load_inventory(prov_session)
    waiter = Waiter(prov_session)
    cleanup = None
    if taken == "vm-folder":
        theirs = inventory.vm_folder.CreateFolder("vch-taken")
        cleanup = lambda: waiter.task(theirs.Destroy_Task(), "cleanup")  # noqa: E731
    elif taken == "resource-pool":
        cluster = next(c for c in inventory.compute if c.path == "Cluster")
        theirs = cluster.resource_pool.CreateResourcePool("vch-taken", _pool_config())
        cleanup = lambda: waiter.task(theirs.Destroy_Task(), "cleanup")  # noqa: E731
    else:
        cookie = prov_session.cookie().split(";")[0]
        assert (
            httpx.put(
                prov_sim.datastore_url("vch-taken/notes.txt"),
                content=b"mine",
                headers={"Cookie": cookie},
                verify=prov_sim.ssl_context(),
            ).status_code
            == 200
        )
        fm = prov_session.content.fileManager

        def cleanup():
            return waiter.task(
                fm.DeleteDatastoreFile_Task(f"[{DATASTORES[0]}] vch-taken", inventory.datacenter_ref), "cleanup"
            )

    try:
        before = fingerprint(prov_session)
        with pytest.raises(ProblemsError) as refused:
            plan = build_plan(spec, load_target_facts(prov_session), RunOptions())
            problems = datastore_folder_problems(prov_session, plan)
            if problems:
                raise ProblemsError(problems)
        assert any(p.field == "name" for p in refused.value.problems)
        result = run_plan(stale_plan, prov_session)
        assert not result.ok and result.failed_step == "validate" and result.removed == [] and result.left == []
        assert "vch-taken" in result.error
        assert fingerprint(prov_session) == before
    finally:
        cleanup()


def _pool_config():
    from tui.core.vch.steps import allocation

    return vim.ResourceConfigSpec(
        cpuAllocation=allocation(None, None, "normal"), memoryAllocation=allocation(None, None, "normal")
    )


def test_create_stays_within_its_call_budget(prov_session, isos, tmp_path):
    """Every vSphere round trip of a run, counted: bulk reads only (no lazy property read per object). Even
    with a static address the run waits for the appliance's report of it (one property collector, one
    WaitForUpdatesEx: the stand-in reports it at once); DisableMethods goes over raw SOAP (not counted here);
    the plan's own inventory read is counted separately by benchmarks/provision.py."""
    from tui.core.vch.teardown import delete_vch, plan_delete
    from tui.core.vsphere.calls import count_calls

    spec = make_spec("vch-budget", isos, tmp_path, mode="no-tls")
    plan = plan_for(prov_session, spec)
    with count_calls(prov_session) as calls:
        result = run_plan(plan, prov_session)
    try:
        assert result.ok, result.error
        # the appliance's report comes a moment after power-on: the first poll may return before it
        assert calls.by_method.pop("WaitForUpdatesEx") in (1, 2), calls.by_method
        assert calls.by_method == {
            "RetrievePropertiesEx": 7,  # datastore browser, 2 for the port groups' keys and switch, 4 task results
            "SearchDatastore_Task": 1,
            "CreateFolder": 1,
            "CreateResourcePool": 1,
            "CreateVM_Task": 1,
            "ReconfigVM_Task": 1,  # VIC's second write
            "PowerOnVM_Task": 1,
            "CreatePropertyCollector": 1,  # the wait for the client address
            "CreateFilter": 1,
            "DestroyPropertyFilter": 1,
            "DestroyPropertyCollector": 1,
        }, calls.by_method
    finally:
        delete_vch(prov_session, plan_delete(prov_session, "vch-budget"), force=True)
