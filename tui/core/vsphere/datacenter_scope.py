"""The datacenter `--target host/DATACENTER` names: every command works inside it (all of them when none is named).

An unknown name is an error naming the datacenters that exist (exit 2), as `vic-machine --target` does.
"""

from __future__ import annotations

from typing import Any

from tui.core.errors import InvalidInput


def wanted_datacenter(session) -> str | None:
    return getattr(getattr(session, "target", None), "datacenter", None) or None


def check_datacenter(wanted: str | None, names: list[str]) -> None:
    if wanted and wanted not in names:
        raise InvalidInput(
            f"datacenter {wanted!r} not found",
            field="--target",
            hint="datacenters here: "
            + (", ".join(sorted(names)) or "none")
            + " (name one as --target host/DATACENTER, or none for all)",
        )


def datacenter_ref(session) -> Any:
    """The managed object of the named datacenter, or None when --target names none (the whole inventory)."""
    from pyVmomi import vim

    from tui.core.vsphere.inventory import retrieve

    wanted = wanted_datacenter(session)
    if not wanted:
        return None
    dcs = retrieve(session, vim.Datacenter, ["name"])
    check_datacenter(wanted, [d.get("name") for d in dcs])
    return next(d.obj for d in dcs if d.get("name") == wanted)
