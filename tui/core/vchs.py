"""Find the VCHs on a target: endpoint VMs carrying VIC's `guestinfo.vice.` configuration."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .inventory import retrieve

NAME_KEY = "guestinfo.vice./init/common/name"
DOCKER_HOST_KEY = "guestinfo.vice./vch-tui/docker_host"


@dataclass
class VchSummary:
    name: str
    path: str
    endpoint_vm: str
    power: str
    docker_host: str | None

    def to_json(self) -> dict:
        return asdict(self)


def _inventory_path(obj) -> str:
    parts = []
    while obj is not None and obj._wsdlName != "Datacenter":
        parts.append(obj.name)
        obj = getattr(obj, "parent", None)
    if obj is not None:
        parts.append(obj.name)
    return "/" + "/".join(reversed(parts))


def list_vchs(session) -> list[VchSummary]:
    from pyVmomi import vim

    vms = retrieve(session, vim.VirtualMachine, ["name", "runtime.powerState", "config.extraConfig", "resourcePool"])
    out = []
    for vm in vms:
        extra = {opt.key: opt.value for opt in (vm.get("config.extraConfig") or [])}
        name = extra.get(NAME_KEY)
        if not name:
            continue
        pool = vm.get("resourcePool")
        out.append(
            VchSummary(
                name=name,
                path=_inventory_path(pool) if pool is not None else "",
                endpoint_vm=vm.get("name"),
                power=str(vm.get("runtime.powerState")),
                docker_host=extra.get(DOCKER_HOST_KEY),
            )
        )
    return sorted(out, key=lambda v: v.name)
