"""What a booting VCH reports, read as vic-machine's create waits for it (lib/install/management/appliance.go,
ensureApplianceInitializes and CheckDockerAPI):

1. `…init.networks|client.assigned.IP`: the tether configured the NICs and published their addresses;
2. every session's `…init.sessions|<name>.started`: "true", or the error a component failed to start with;
3. Docker's `/info`: `SystemStatus` has the driver (the port layer) RUNNING, and a `VolumeStores` line that
   should list every configured volume store (vic-machine logs the missing ones as errors, and goes on).

On a timeout, `report()` gives the state of every interface and component, as vic-machine prints them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tui.core.vic import read
from tui.core.vic.codec import unescape

_RW = "guestinfo.vice.."
_SESSION = re.compile(r"^guestinfo\.vice\./init/sessions\|([^/]+)/")
_NETWORK = re.compile(r"^guestinfo\.vice\./init/networks\|([^/]+)/")


def _value(extra: Mapping[str, str], key: str) -> str:
    text = unescape(extra.get(key) or "")
    return "" if text == "<nil>" else text


def sessions(extra: Mapping[str, str]) -> list[str]:
    """The session names the configuration launches (init/sessions), sorted."""
    return sorted({m.group(1) for key in extra if (m := _SESSION.match(key))})


def roles(extra: Mapping[str, str]) -> list[str]:
    """The network roles the configuration has (init/networks), sorted."""
    return sorted({m.group(1) for key in extra if (m := _NETWORK.match(key))})


def started(extra: Mapping[str, str], session: str) -> str:
    """A session's `started`: "" while not launched, "true" once it is, else the error it failed with."""
    return _value(extra, f"{_RW}init.sessions|{session}.started")


def client_address(extra: Mapping[str, str]) -> str | None:
    return read.client_ip(extra)


def all_started(extra: Mapping[str, str]) -> bool:
    """Every session has reported (successfully or not), as vic-machine's waitForKey on each `started`."""
    names = sessions(extra)
    return bool(names) and all(started(extra, name) for name in names)


def failed_components(extra: Mapping[str, str]) -> dict[str, str]:
    return {n: s for n in sessions(extra) if (s := started(extra, n)) and s != "true"}


def report(extra: Mapping[str, str]) -> list[str]:
    """Every interface's address and every component's state, one line each."""
    lines = []
    for role in roles(extra):
        address = read.assigned_ip(extra, role)
        lines.append(f"interface {role}: {address or 'waiting for IP'}")
    for name in sessions(extra):
        state = started(extra, name)
        text = "waiting to launch" if not state else "started successfully" if state == "true" else state
        lines.append(f"component {name}: {text}")
    return lines or ["the endpoint VM reports no VIC configuration (no init/networks, no init/sessions)"]


@dataclass(frozen=True)
class ApiReadiness:
    """What Docker's /info says of the port layer and the volume stores."""

    running: bool
    port_layer: str  # the driver's status, e.g. RUNNING, or "not reported"
    missing_stores: tuple[str, ...]  # configured volume stores /info does not list


def volume_store_labels(extra: Mapping[str, str]) -> list[str]:
    from tui.core.vic.config import decode

    try:
        return sorted(decode(dict(extra), key=None).storage.volume_locations)
    except Exception:  # noqa: BLE001 - a config that does not decode has no stores to wait for
        return []


def api_readiness(info: Mapping[str, Any], stores: list[str]) -> ApiReadiness:
    """vic-machine's isPortLayerRunning over a decoded /info (`SystemStatus` pairs, `Driver`)."""
    status = [pair for pair in (info.get("SystemStatus") or []) if isinstance(pair, list | tuple) and len(pair) == 2]
    listed = next((str(v).split() for k, v in status if k == "VolumeStores"), [])
    driver = info.get("Driver")
    state = next((str(v) for k, v in status if driver and k == driver), "not reported")
    return ApiReadiness(state == "RUNNING", state, tuple(s for s in stores if s not in listed))
