"""A fingerprint of everything a VCH run could touch: every folder, resource pool and VM (type, inventory
path, parent), every network, every host's vSwitches and port groups, and every file on every datastore. Equal fingerprints before and after a failed or
cancelled run prove the rollback left nothing behind (and touched nothing else)."""

from __future__ import annotations

from tui.core.vsphere.inventory import retrieve_many
from tui.core.vsphere.query import PathIndex


def datastore_files(session, datastore_ref, name: str) -> set[str]:
    from pyVmomi import vim

    from tui.core.vsphere.wait import Waiter

    waiter = Waiter(session)
    browser = waiter.read(datastore_ref, vim.Datastore, ["browser"])["browser"]
    spec = vim.host.DatastoreBrowser.SearchSpec(matchPattern=["*"])
    results = waiter.task(browser.SearchDatastoreSubFolders_Task(f"[{name}]", spec), f"listing {name}")
    files: set[str] = set()
    for folder in results or []:
        where = folder.folderPath.replace(f"[{name}]", "", 1).strip("/ ")
        for f in folder.file or []:
            files.add(f"[{name}] {where + '/' if where else ''}{f.path}")
    return files


def host_switches(session, hosts) -> list[str]:
    """Each host's standard vSwitches with their port groups (what a run on standalone ESXi may add)."""
    from pyVmomi import vim

    from tui.core.vsphere.wait import Waiter

    waiter = Waiter(session)
    out = []
    for host in hosts:
        system = host.get("configManager.networkSystem")
        info = waiter.read(system, vim.host.NetworkSystem, ["networkInfo"]).get("networkInfo") if system else None
        for switch in getattr(info, "vswitch", None) or []:
            groups = ",".join(sorted(switch.portgroup or []))
            out.append(f"vswitch {host.get('name')}/{switch.name} ports={switch.numPorts} portgroups={groups}")
        for group in getattr(info, "portgroup", None) or []:
            out.append(f"portgroup {host.get('name')}/{group.spec.vswitchName}/{group.spec.name}")
    return out


def inventory_fingerprint(session) -> dict[str, list[str]]:
    from pyVmomi import vim

    found = retrieve_many(
        session,
        {
            vim.Folder: ["name", "parent"],
            vim.Datacenter: ["name", "parent"],
            vim.ComputeResource: ["name", "parent"],
            vim.ResourcePool: ["name", "parent"],
            vim.VirtualMachine: ["name", "parent", "resourcePool"],
            vim.Datastore: ["name"],
            vim.Network: ["name"],
            vim.HostSystem: ["name", "configManager.networkSystem"],
        },
    )
    index = PathIndex(
        [
            o
            for t in (vim.Folder, vim.Datacenter, vim.ComputeResource, vim.ResourcePool, vim.VirtualMachine)
            for o in found[t]
        ]
    )
    entities = []
    for kind, items in (
        ("folder", found[vim.Folder]),
        ("pool", found[vim.ResourcePool]),
        ("vm", found[vim.VirtualMachine]),
    ):
        for o in items:
            entry = f"{kind} {index.path(o.obj)}"
            if kind == "vm":
                entry += f" pool={index.path(o.get('resourcePool'))}"
            entities.append(entry)
    entities += [f"network {o.get('name')}" for o in found[vim.Network]]
    entities += host_switches(session, found[vim.HostSystem])
    files = set()
    for ds in found[vim.Datastore]:
        files |= datastore_files(session, ds.obj, ds.get("name"))
    return {"entities": sorted(entities), "files": sorted(files)}
