"""TEMPORARY: endpoint VMs made by vch-tui's create before it wrote VIC's own configuration.

Those carry `guestinfo.vice./init/common/name` (a key VIC never writes) and private `guestinfo.vice./vch-tui/*`
keys. Until the create writes VIC's genuine configuration (tui.core.vic.build), `ls`, `inspect` and `delete`
still recognise them through this one module; nothing else reads those keys. Delete this file with them.
"""

from __future__ import annotations

from collections.abc import Mapping

OLD_NAME_KEY = "guestinfo.vice./init/common/name"
OLD_STATE_KEY = "guestinfo.vice./vch-tui/state"
OLD_DOCKER_HOST_KEY = "guestinfo.vice./vch-tui/docker_host"


def legacy_name(extra: Mapping[str, str]) -> str | None:
    """The VCH name of an endpoint vch-tui's old create made (it always wrote its state key), else None."""
    if OLD_STATE_KEY not in extra:
        return None
    return extra.get(OLD_NAME_KEY) or None


def legacy_state(extra: Mapping[str, str]) -> str:
    return "created" if extra.get(OLD_STATE_KEY) == "created" else "creating"


def legacy_docker_host(extra: Mapping[str, str]) -> str | None:
    return extra.get(OLD_DOCKER_HOST_KEY) or None


def legacy_spec_and_tls(extra: Mapping[str, str]):
    """(spec, TlsFacts) from the old private keys."""
    from tui.core.vch.endpoint import spec_from_guestinfo, tls_facts_from_guestinfo

    return spec_from_guestinfo(dict(extra)), tls_facts_from_guestinfo(dict(extra))
