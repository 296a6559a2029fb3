"""Bulk reads beyond tui/core/vsphere/inventory.py: several object types in one PropertyCollector round trip, and
inventory paths computed from `name`/`parent` without a call per object."""

from __future__ import annotations

from typing import Any

from tui.core.vsphere.inventory import ObjectProps


class PathIndex:
    """Inventory paths (`/Datacenter/host/Cluster/Resources/vch`) from objects read with `name` and `parent`."""

    def __init__(self, objects: list[ObjectProps]) -> None:
        self._by_moid = {o.moid: o for o in objects}
        self._cache: dict[str, str] = {}

    def parent(self, ref: Any) -> Any:
        obj = self._by_moid.get(ref._moId) if ref is not None else None
        return obj.get("parent") if obj is not None else None

    def path(self, ref: Any) -> str:
        if ref is None:
            return ""
        moid = ref._moId
        if moid in self._cache:
            return self._cache[moid]
        obj = self._by_moid.get(moid)
        if obj is None:
            return ""
        parent = obj.get("parent")
        if parent is None:
            text = ""  # the root folder: paths start below it
        elif parent._moId not in self._by_moid:
            text = "/" + obj.get("name")  # a child of the root folder (a container view leaves the root out)
        else:
            text = self.path(parent) + "/" + obj.get("name")
        self._cache[moid] = text
        return text
