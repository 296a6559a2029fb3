"""Build the shape of a VCH in the simulator with plain pyvmomi (tui/vchsim/demo_seed.py): what the monitor needs.

A VCH here is a resource pool under Cluster (with CPU / memory limits, or unlimited), an endpoint VM
in it carrying `guestinfo.vice./init/common/name=<vch>` in extraConfig, and container VMs named like
VIC's `{name}-{12 hex}` with their vCPUs and memory. No ISO, no appliance: the
provisioning code builds real VCHs; this only gives the monitor something to watch.
"""

from __future__ import annotations

from tui.vchsim import scenario
from tui.vchsim.demo_seed import (  # noqa: F401 (re-exported for the tests that build VCH shapes)
    ContainerSpec,
    VchShape,
    _wait,
    add_container,
    allocation,
    container_vm_name,
    create_vch,
    pool_config,
    seed_story,
)


def delete_container(shape: VchShape, name: str) -> None:
    vm = shape.containers.pop(name)
    if vm.runtime.powerState == "poweredOn":
        _wait(vm.PowerOffVM_Task())
    _wait(vm.Destroy_Task())


def find_pool(content, name: str):
    """A resource pool anywhere under Cluster by name (e.g. the simulator's `scale` pool)."""
    from pyVmomi import vim

    from tui.core.vsphere.inventory import retrieve

    class _S:  # retrieve() wants an object with .content
        pass

    holder = _S()
    holder.content = content
    for item in retrieve(holder, vim.ResourcePool, ["name"]):
        if item.get("name") == name:
            return item.obj
    raise LookupError(f"no resource pool {name!r}")


# -- a simulator playing the seed story, for the monitor's end-to-end tests ----------------------------------


def story_rig(binary, tmp_dir, *, steady: bool = True, **kwargs):
    """Start a private simulator with the seed-story scenario and its two VCHs built; returns
    (simulator, connect options trusting it by fingerprint, {vch name: VchShape}, the building session)."""
    from tui.core.vsphere.connection import ConnectOptions, connect
    from tui.vchsim.simulator import Simulator

    from .simulator_fixtures import SIM_PASSWORD, SIM_USERNAME

    sim = Simulator(
        username=SIM_USERNAME,
        password=SIM_PASSWORD,
        binary=binary,
        cert_dir=tmp_dir,
        scenario=scenario.seed_story(steady=steady),
        **kwargs,
    ).start()
    opts = ConnectOptions.resolve(
        target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password, thumbprint=sim.sha256, env={}
    )
    session = connect(opts)
    shapes = seed_story(session.content)
    return sim, opts, shapes, session


def host_mhz(content) -> dict[str, int]:
    """CPU MHz per host moid, read from the simulator (for expected over-commit figures)."""
    from pyVmomi import vim

    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.HostSystem], True)
    try:
        return {h._moId: h.summary.hardware.cpuMhz for h in view.view}
    finally:
        view.Destroy()
