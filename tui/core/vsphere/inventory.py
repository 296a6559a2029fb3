"""Read inventory in bulk: one ContainerView + PropertyCollector round trip per object type.

Never read managed-object properties lazily (`vm.name`): each is a separate SOAP call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class ObjectProps:
    obj: Any  # the managed object reference
    props: dict[str, Any]

    @property
    def moid(self) -> str:
        return self.obj._moId

    def get(self, path: str, default: Any = None) -> Any:
        return self.props.get(path, default)


def retrieve(session, obj_type: type, paths: list[str], container=None) -> list[ObjectProps]:
    """Every object of `obj_type` under `container` (default: the root folder) with the given properties."""
    return retrieve_many(session, {obj_type: paths}, container)[obj_type]


def retrieve_many(session, wanted: dict[type, list[str]], container=None) -> dict[type, list[ObjectProps]]:
    """Every object of each type under `container` (default: the root folder), with its paths: 3 calls in all
    (view, retrieve, destroy view) plus one per further page."""
    from pyVmomi import vmodl

    content = session.content
    pc = vmodl.query.PropertyCollector
    view = content.viewManager.CreateContainerView(container or content.rootFolder, list(wanted), True)
    out: dict[type, list[ObjectProps]] = {t: [] for t in wanted}
    try:
        traverse = pc.TraversalSpec(name="view", path="view", skip=False, type=type(view))
        spec = pc.FilterSpec(
            objectSet=[pc.ObjectSpec(obj=view, skip=True, selectSet=[traverse])],
            propSet=[pc.PropertySpec(type=t, pathSet=paths, all=False) for t, paths in wanted.items()],
        )
        collector = content.propertyCollector
        result = collector.RetrievePropertiesEx([spec], pc.RetrieveOptions(maxObjects=1000))
        while result:
            for item in result.objects:
                for t in wanted:
                    if isinstance(item.obj, t):
                        out[t].append(ObjectProps(item.obj, {p.name: p.val for p in item.propSet}))
                        break
            if not result.token:
                break
            result = collector.ContinueRetrievePropertiesEx(result.token)
    finally:
        view.Destroy()
    return out
