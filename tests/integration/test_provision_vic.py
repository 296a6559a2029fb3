"""create writes VIC's own configuration and the simulator's appliance stand-in boots it: nobody sets the guest
IP here. The stand-in decodes the VM's extraConfig, assigns the client address, starts the sessions and serves
the Docker API on the session's port; the VM carries VIC's two writes, NICs in explicit PCI slots, the ISOs
under vic-machine's names, Destroy_Task disabled; delete re-enables it and leaves the inventory as before."""

from __future__ import annotations

import httpx
import pytest
from pyVmomi import vim

from tests.rig.provisioning import CREATE_STEPS, fingerprint, make_spec
from tui.core.vch.build import build_plan
from tui.core.vch.plan import RunOptions
from tui.core.vch.runner import run_plan
from tui.core.vch.teardown import delete_vch, plan_delete
from tui.core.vch.validate_target import load_target_facts
from tui.core.vic.config import decode
from tui.core.vic.secretbox import key_from_extra
from tui.vchsim.simulator import DATASTORES

pytestmark = pytest.mark.rig

VERSION = "v1.5.8-0-2c978fe"


def test_no_tls_vch_boots_on_the_appliance_stand_in_and_is_deleted(prov_sim, prov_session, isos, tmp_path):
    name = "vch-vic-no-tls"
    spec = make_spec(name, isos, tmp_path / "certs", mode="no-tls", static_ip=False)
    before = fingerprint(prov_session)
    plan = build_plan(spec, load_target_facts(prov_session), RunOptions())
    assert plan.step_keys() == CREATE_STEPS
    result = run_plan(plan, prov_session)
    try:
        assert result.ok, (result.error, prov_sim.appliance(name))
        vm = prov_session.content.searchIndex.FindByInventoryPath(f"Datacenter/vm/{name}/{name}")
        extra = {o.key: o.value for o in vm.config.extraConfig}
        cfg = decode(extra, key=key_from_extra(extra))
        assert cfg.init.common.id == f"VirtualMachine:{vm._moId}" and cfg.init.common.name == name
        assert set(cfg.init.sessions) == {"docker-personality", "port-layer", "vicadmin"}
        assert not any(k.startswith("guestinfo.vice./vch-tui/") for k in extra)  # no private keys any more
        slots = sorted(
            d.slotInfo.pciSlotNumber for d in vm.config.hardware.device if isinstance(d, vim.vm.device.VirtualVmxnet3)
        )
        assert slots == [1184, 1216, 1248]
        assert {e.common.id for e in cfg.init.networks.values()} == {str(s) for s in slots}
        cdroms = [d.backing.fileName for d in vm.config.hardware.device if isinstance(d, vim.vm.device.VirtualCdrom)]
        assert cdroms == [f"[{DATASTORES[0]}] {name}/{VERSION}-appliance.iso"]
        assert cfg.container.bootstrap_image_path == f"[{DATASTORES[0]}] {name}/{VERSION}-bootstrap.iso"
        assert vm.config.alternateGuestName == "Photon - VCH v1.5.8, 0, 2c978fe"
        assert "Destroy_Task" in (vm.disabledMethod or [])
        appliance = prov_sim.appliance(name)
        assert appliance is not None and appliance["state"] == "running", appliance
        address = result.outputs.address
        assert result.outputs.docker_host == f"tcp://{address}:2375" or result.outputs.docker_host.endswith(
            f"{address}:2375"
        )
        assert httpx.get(f"http://{address}:2375/_ping", timeout=5).text == "OK"
    finally:
        outcome = delete_vch(prov_session, plan_delete(prov_session, name), force=True)
    assert outcome.ok, outcome.left
    assert fingerprint(prov_session) == before
