"""The vSphere test rig itself (tui/vchsim + tui/vchsim/simulator.py), checked with plain pyvmomi."""

from __future__ import annotations

import hashlib
import os
import re
import ssl
import stat
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from pyVim.connect import Disconnect, SmartConnect
from pyVim.task import WaitForTask
from pyVmomi import vim, vmodl

from tui.core.errors import InvalidInput
from tui.core.secret import Secret
from tui.vchsim import simulator as rig
from tui.vchsim.simulator import Simulator, SimulatorError, SimulatorUnavailable

pytestmark = pytest.mark.rig


@contextmanager
def connected(sim: Simulator, pwd: str | None = None):
    kwargs = {"host": sim.host, "port": sim.port, "user": sim.username, "pwd": pwd or sim.password.reveal()}
    if sim.mode == "https":
        kwargs["sslContext"] = sim.ssl_context()
    else:
        kwargs["protocol"] = "http"
    si = SmartConnect(**kwargs)
    try:
        yield si, si.RetrieveContent()
    finally:
        try:
            Disconnect(si)
        except vim.fault.NotAuthenticated:
            pass


@pytest.fixture
def clean_faults(simulator):
    simulator.clear_faults()
    yield simulator
    simulator.clear_faults()


def find(content, kind, name):
    view = content.viewManager.CreateContainerView(content.rootFolder, [kind], True)
    try:
        return next((obj for obj in view.view if obj.name == name), None)
    finally:
        view.Destroy()


def counter_keys(content) -> dict[str, int]:
    return {f"{c.groupInfo.key}.{c.nameInfo.key}.{c.rollupType}": c.key for c in content.perfManager.perfCounter}


def query(content, vm, counters: list[str], samples: int = 6):
    keys = counter_keys(content)
    spec = vim.PerformanceManager.QuerySpec(
        entity=vm,
        intervalId=20,
        maxSample=samples,
        metricId=[vim.PerformanceManager.MetricId(counterId=keys[c], instance="") for c in counters],
    )
    (metric,) = content.perfManager.QueryPerf([spec])
    by_key = {series.id.counterId: list(series.value) for series in metric.value}
    return metric.sampleInfo, {c: by_key[keys[c]] for c in counters}


def expected(sample_info, series: list[int], interval: int = 20) -> list[int]:
    values = [series[(int(s.timestamp.timestamp()) // interval) % len(series)] for s in sample_info]
    return [v for v in values if v != 0]  # vcsim drops zeros from value arrays (kept on purpose)


# ------------------------------------------------------------------------------------------ inventory


def test_inventory_matches_the_documented_names(simulator):
    assert simulator.inventory["port_groups"] == list(rig.PORT_GROUPS.values())
    assert simulator.inventory["datastores"] == list(rig.DATASTORES)
    with connected(simulator) as (_, content):
        (dc,) = content.rootFolder.childEntity
        assert dc.name == rig.DATACENTER
        cluster = find(content, vim.ClusterComputeResource, rig.CLUSTER)
        assert cluster.configurationEx.drsConfig.enabled is True
        assert cluster.configurationEx.drsConfig.defaultVmBehavior == "fullyAutomated"
        assert sorted(h.name for h in cluster.host) == list(rig.CLUSTER_HOSTS)
        assert find(content, vim.HostSystem, rig.STANDALONE_HOST) is not None

        for name in rig.DATASTORES:
            ds = find(content, vim.Datastore, name)
            assert sorted(m.key.name for m in ds.host) == list(rig.CLUSTER_HOSTS), name
        lonely = find(content, vim.Datastore, rig.UNREACHABLE_DATASTORE)
        assert [m.key.name for m in lonely.host] == [rig.STANDALONE_HOST]
        assert {ds.name for ds in cluster.datastore} == set(rig.DATASTORES)

        networks = {n.name: n for n in dc.network}
        dvs = find(content, vim.DistributedVirtualSwitch, rig.DVS)
        for name in rig.PORT_GROUPS.values():
            assert isinstance(networks[name], vim.dvs.DistributedVirtualPortgroup), name
            assert networks[name].config.distributedVirtualSwitch == dvs
            assert {h.name for h in networks[name].host} >= set(rig.CLUSTER_HOSTS)
        assert type(networks[rig.VM_NETWORK]) is vim.Network
        assert simulator.inventory["scale_vms"] == 0


def test_certificate_is_its_own_and_reused_from_cert_dir(fresh_simulator, tmp_path):
    first = fresh_simulator(cert_dir=tmp_path)
    key = tmp_path / "vchsim-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    pem = ssl.get_server_certificate((first.host, first.port))
    der = ssl.PEM_cert_to_DER_cert(pem)
    assert hashlib.sha256(der).hexdigest().upper() == first.sha256.replace(":", "")
    assert hashlib.sha1(der).hexdigest().upper() == first.sha1.replace(":", "")
    first.stop()
    second = fresh_simulator(cert_dir=tmp_path)
    assert second.sha256 == first.sha256 and second.port != 0
    # check_hostname against 127.0.0.1 works: the SAN carries the IP
    with urllib.request.urlopen(second.control_url, context=second.ssl_context(), timeout=10) as resp:
        assert resp.status == 200


# ------------------------------------------------------------------------------------------ logins


def test_wrong_password_is_invalid_login_and_the_password_never_leaks(simulator):
    with pytest.raises(vim.fault.InvalidLogin):
        SmartConnect(
            host=simulator.host,
            port=simulator.port,
            user=simulator.username,
            pwd="Wrong-Pa55!",
            sslContext=simulator.ssl_context(),
        )
    password = simulator.password.reveal()
    cmdline = open(f"/proc/{simulator.pid}/cmdline", "rb").read().decode()
    assert password not in cmdline
    environ = open(f"/proc/{simulator.pid}/environ", "rb").read().decode(errors="replace")
    assert password not in environ  # it came on a pipe (-password-fd)
    assert password not in simulator.stderr_tail(1000)
    assert password not in repr(simulator) + str(simulator.inventory)


def test_plain_http_mode(plain_simulator):
    assert plain_simulator.url.startswith("http://127.0.0.1:") and plain_simulator.cert_pem is None
    assert plain_simulator.sha256 == ""
    with connected(plain_simulator) as (si, content):
        assert content.about.apiType == "VirtualCenter"
        assert si.CurrentTime() is not None


def test_terminated_sessions_get_not_authenticated(fresh_simulator):
    simulator = fresh_simulator()  # terminating would also end other tests' sessions on the shared one
    with connected(simulator) as (si, content):
        assert content.rootFolder.name
        assert simulator.terminate_sessions() == 1
        with pytest.raises(vim.fault.NotAuthenticated):
            si.CurrentTime()
        with pytest.raises(vim.fault.NotAuthenticated):  # vcsim alone would still answer property reads
            _ = content.rootFolder.name
        # like vCenter, the ServiceInstance content stays readable without a session (pyvmomi's si.content)
        assert vim.ServiceInstance("ServiceInstance", si._stub).content.about.apiType == "VirtualCenter"
    with connected(simulator) as (si, _):
        assert si.CurrentTime() is not None


# ------------------------------------------------------------------------------------------ faults


def test_armed_fault_fails_the_next_call_only(clean_faults):
    sim = clean_faults
    sim.arm_fault("CreateFolder", "SystemError", message="disk on fire")
    with connected(sim) as (_, content):
        (dc,) = content.rootFolder.childEntity
        with pytest.raises(vmodl.fault.SystemError) as err:
            dc.vmFolder.CreateFolder("rig-fault-test")
        assert err.value.msg == "disk on fire" and err.value.reason == "disk on fire"
        assert find(content, vim.Folder, "rig-fault-test") is None

        folder = dc.vmFolder.CreateFolder("rig-fault-test")
        try:
            assert folder.name == "rig-fault-test"
        finally:
            WaitForTask(folder.Destroy_Task())
    state = sim.faults()
    assert state["armed"] == [] and state["fired"] == {"CreateFolder": 1} and state["fired_total"] == 1


def test_task_methods_fail_at_the_call_or_inside_the_task(clean_faults):
    sim = clean_faults
    sim.arm_fault("CreateVM_Task", "InvalidState", message="host in maintenance", count=2)
    sim.arm_fault("CreateVM_Task", "SystemError", message="datastore vanished", stage="task")
    with connected(sim) as (_, content):
        (dc,) = content.rootFolder.childEntity
        pool = find(content, vim.ClusterComputeResource, rig.CLUSTER).resourcePool
        spec = vim.vm.ConfigSpec(
            name="rig-task-fault", guestId="otherGuest64", files=vim.vm.FileInfo(vmPathName=f"[{rig.DATASTORES[0]}]")
        )
        for _ in range(2):
            with pytest.raises(vim.fault.InvalidState) as err:
                dc.vmFolder.CreateVM_Task(spec, pool)
            assert err.value.msg == "host in maintenance"
        task = dc.vmFolder.CreateVM_Task(spec, pool)
        with pytest.raises(vmodl.fault.SystemError) as err:
            WaitForTask(task)
        assert err.value.msg == "datastore vanished"
        assert find(content, vim.VirtualMachine, "rig-task-fault") is None

        task = dc.vmFolder.CreateVM_Task(spec, pool)
        WaitForTask(task)
        WaitForTask(task.info.result.Destroy_Task())
    assert sim.faults()["fired"] == {"CreateVM_Task": 3}


def test_fault_requests_are_validated(clean_faults):
    with pytest.raises(SimulatorError, match="not a vSphere SOAP method"):
        clean_faults.arm_fault("CreateVM")
    with pytest.raises(SimulatorError, match="not a vSphere fault type"):
        clean_faults.arm_fault("CreateFolder", "DiskOnFire")
    with pytest.raises(SimulatorError, match="needs a \\*_Task method"):
        clean_faults.arm_fault("CreateFolder", stage="task")
    assert clean_faults.faults()["armed"] == []


def test_datastore_upload_and_http_fault(clean_faults):
    sim = clean_faults
    url = sim.datastore_url("rig/upload test.iso")
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=sim.ssl_context())
    )
    payload = os.urandom(4096)
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(urllib.request.Request(url, data=payload, method="PUT"), timeout=10)
    assert err.value.code == 401  # no session cookie
    with connected(sim) as (si, _):
        cookie = {"Cookie": si._stub.cookie.split(";")[0]}
        sim.arm_fault("PUT /folder", message="datastore full")
        with pytest.raises(urllib.error.HTTPError) as err:
            opener.open(urllib.request.Request(url, data=payload, method="PUT", headers=cookie), timeout=10)
        assert err.value.code == 500
        with opener.open(urllib.request.Request(url, data=payload, method="PUT", headers=cookie), timeout=10) as r:
            assert r.status == 200
        with opener.open(urllib.request.Request(url, headers=cookie), timeout=10) as r:
            assert r.read() == payload
    assert sim.faults()["fired"] == {"PUT /folder": 1}


def test_delay_applies_to_every_call_and_changes_at_runtime(simulator):
    with connected(simulator) as (si, _):
        simulator.set_delay(250)
        try:
            started = time.monotonic()
            si.CurrentTime()
            assert time.monotonic() - started >= 0.25
        finally:
            simulator.set_delay(0)
        started = time.monotonic()
        si.CurrentTime()
        assert time.monotonic() - started < 0.25


# ------------------------------------------------------------------------------------------ perf


def test_scenario_serves_series_for_matching_vms_only(fresh_simulator):
    first, second = rig.scale_vm_name(0), rig.scale_vm_name(1)
    scenario = {
        "interval": 20,
        "vms": {
            "scale-*": {"cpu.ready.summation": [4000, 3800, 0, 3600]},
            first: {"mem.vmmemctl.average": [1024, 2048, 4096]},
        },
    }
    sim = fresh_simulator(vms=3, scenario=scenario)
    with connected(sim) as (_, content):
        exact = find(content, vim.VirtualMachine, first)
        globbed = find(content, vim.VirtualMachine, second)
        info, got = query(content, exact, ["cpu.ready.summation", "mem.vmmemctl.average"])
        assert got["cpu.ready.summation"] == expected(info, [4000, 3800, 0, 3600])
        assert got["mem.vmmemctl.average"] == expected(info, [1024, 2048, 4096])
        info, got = query(content, globbed, ["cpu.ready.summation", "mem.vmmemctl.average"])
        assert got["cpu.ready.summation"] == expected(info, [4000, 3800, 0, 3600])
        assert got["mem.vmmemctl.average"] == []  # stock vcsim: always 0, so dropped

        sim.set_scenario(None)
        _, got = query(content, exact, ["cpu.ready.summation", "mem.vmmemctl.average"], samples=12)
        assert got["mem.vmmemctl.average"] == []
        assert got["cpu.ready.summation"] and max(got["cpu.ready.summation"]) < 1000  # stock range 88-271 + noise

        # vcsim 0.24.2's QueryPerfCounter panics and drops the connection; the rig answers it
        (info,) = content.perfManager.QueryPerfCounter([counter_keys(content)["cpu.ready.summation"]])
        assert (info.groupInfo.key, info.nameInfo.key, info.rollupType) == ("cpu", "ready", "summation")

        with pytest.raises(SimulatorError, match="cpu.nonsense.summation"):
            sim.set_scenario({"vms": {"x": {"cpu.nonsense.summation": [1]}}})


# ------------------------------------------------------------------------------------------ scale + misc


def test_thousand_vms_start_in_seconds(fresh_simulator):
    started = time.monotonic()
    sim = fresh_simulator(vms=1000)
    elapsed = time.monotonic() - started
    print(f"vchsim with 1000 VMs ready in {elapsed:.2f} s")
    assert elapsed < 10
    with connected(sim) as (_, content):
        pool = find(content, vim.ResourcePool, rig.SCALE_POOL)
        names = {vm.name for vm in pool.vm}
        assert names == {rig.scale_vm_name(i) for i in range(1000)}
        assert all(re.fullmatch(r"scale-[0-9a-f]{12}", n) for n in names)
        assert len(find(content, vim.Folder, rig.SCALE_FOLDER).childEntity) == 1000
        sample = pool.vm[0]
        assert sample.runtime.powerState == "poweredOn"
        sim.set_vm_ip(sample.name, "127.0.0.1")
        assert sample.guest.ipAddress == "127.0.0.1" and sample.summary.guest.ipAddress == "127.0.0.1"
    with pytest.raises(SimulatorError, match="no VM named"):
        sim.set_vm_ip("no-such-vm", "127.0.0.1")


def test_stop_is_prompt_and_complete_even_during_a_long_poll(fresh_simulator):
    sim = fresh_simulator(mode="http")
    with connected(sim) as (si, content):
        pc = content.propertyCollector
        spec = vmodl.query.PropertyCollector.FilterSpec(
            objectSet=[vmodl.query.PropertyCollector.ObjectSpec(obj=content.rootFolder)],
            propSet=[vmodl.query.PropertyCollector.PropertySpec(type=vim.Folder, pathSet=["name"])],
        )
        pc.CreateFilter(spec, True)
        version = pc.WaitForUpdatesEx("", vmodl.query.PropertyCollector.WaitOptions(maxWaitSeconds=1)).version
        options = vmodl.query.PropertyCollector.WaitOptions(maxWaitSeconds=30)
        poll = threading.Thread(
            target=lambda: pytest.raises(Exception, pc.WaitForUpdatesEx, version, options),  # noqa: B017
            daemon=True,
        )
        poll.start()
        time.sleep(0.3)  # the long poll is now blocked inside vchsim
        pid, data_dir = sim.pid, sim.data_dir
        assert data_dir.is_dir()
        started = time.monotonic()
        sim.stop()
        assert time.monotonic() - started < 2  # no SIGKILL fallback needed
        poll.join(5)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not data_dir.exists()


def test_bad_listen_address_is_explained(vchsim_binary):
    with pytest.raises(SimulatorError, match="exited with status 2:\n.*-listen must be a loopback address"):
        Simulator(mode="http", listen="0.0.0.0:0", password=Secret("x"), binary=vchsim_binary).start()


def test_missing_toolchain_names_the_packages(monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(rig.shutil, "which", lambda *_: None)
        m.setattr(rig, "GO_FALLBACKS", ())
        with pytest.raises(SimulatorUnavailable, match="Go compiler") as err:
            rig.build(force=True)
        assert "apt-get install golang-go golang-github-vmware-govmomi-dev golang-golang-x-crypto-dev" in str(err.value)
    with monkeypatch.context() as m:
        m.setattr(rig, "DEBIAN_GOPATH", rig.Path("/nonexistent"))
        m.setattr(rig, "GOVMOMI_DEB", "golang-github-vmware-govmomi-dev-missing")
        with pytest.raises(SimulatorUnavailable, match="govmomi") as err:
            rig.build(force=True)
        assert "apt-get install golang-go golang-github-vmware-govmomi-dev" in str(err.value)
    with monkeypatch.context() as m:
        m.setattr(rig, "_XCRYPTO_SECRETBOX", rig.Path("src/golang.org/x/crypto/nacl/no-secretbox"))
        with pytest.raises(SimulatorUnavailable, match="golang.org/x/crypto") as err:
            rig.build(force=True)
        assert "apt-get install golang-golang-x-crypto-dev" in str(err.value)


def test_the_password_comes_on_a_file_descriptor_only(vchsim_binary):
    env = dict(os.environ, VCHSIM_PASSWORD="from-the-environment")  # the old way: now ignored
    out = subprocess.run(
        [str(vchsim_binary), "-mode", "http"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 2 and "-password-fd" in out.stderr
    read_fd, write_fd = os.pipe()
    os.close(write_fd)  # EOF at once: an empty password
    try:
        out = subprocess.run(
            [str(vchsim_binary), "-mode", "http", "-password-fd", str(read_fd)],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
            pass_fds=(read_fd,),
        )
    finally:
        os.close(read_fd)
    assert out.returncode == 2 and "empty password" in out.stderr


def test_dockerd_option_must_name_an_executable(tmp_path, vchsim_binary):
    with pytest.raises(InvalidInput, match="dockerd") as err:
        Simulator(password=Secret("x"), dockerd=tmp_path / "no-dockerd", binary=vchsim_binary)
    assert err.value.field == "dockerd"


def test_password_must_be_a_secret():
    with pytest.raises(Exception, match="Secret"):
        Simulator(password="plain")  # type: ignore[arg-type]
    assert Simulator(password=Secret("x")).password.reveal() == "x"
