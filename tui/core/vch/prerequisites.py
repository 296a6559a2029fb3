"""vCenter and host prerequisites of a VCH, read at validation and shown before anything is created.

- `config.vpxd.SerialPort.PersistNetworkBacking`: the endpoint VM's serial port is a network backing that
  vCenter must keep across vMotion. vic-machine sets this vCenter-wide advanced setting silently during
  validation; vch-tui says so and sets it only with consent (the create's confirmation, --yes, or the wizard's
  question) and never on a dry run. It is not reverted on rollback: it is vCenter-wide and other VCHs need it.
- Outbound TCP 2377 on every host of the compute resource: the appliance's serial-over-LAN back to the VCH.
  A host whose firewall blocks it gets a warning naming it and how to open it (vic-machine stops the create).

Blocking reads (run them in a worker); the results are plain data for both front ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui.core.problems import Problem, warning

PERSIST_NETWORK_BACKING = "config.vpxd.SerialPort.PersistNetworkBacking"
SERIAL_OVER_LAN_PORT = 2377
# The host rulesets that open it: VIC's own (installed by `vic-machine update firewall --allow`), else ESXi's vSPC.
OPENING_RULESETS = ("vic-engine", "vSPC")


CONSENT_TITLE = "Change a vCenter-wide setting?"


def consent_text() -> str:
    """What the wizard asks before setting PersistNetworkBacking (the CLI's plan warning says the same)."""
    return (
        f"This vCenter does not set {PERSIST_NETWORK_BACKING}. A VCH needs it (its serial port is a network "
        "backing vCenter must keep). vic-machine sets it without asking; vch-tui sets it to true only if you "
        "agree. It applies to the whole vCenter and is not reverted if the create fails."
    )


@dataclass(frozen=True)
class Prerequisites:
    """What this target lacks for a VCH. `persist_backing_missing` is only ever True on vCenter."""

    persist_backing_missing: bool = False
    hosts_blocking_serial: tuple[str, ...] = ()  # host names whose firewall blocks outbound TCP 2377

    def problems(self) -> list[Problem]:
        """Warnings for the plan: what create will change on vCenter, and which hosts need their firewall opened."""
        out: list[Problem] = []
        if self.persist_backing_missing:
            out.append(
                warning(
                    "vcenter",
                    f"create will set the vCenter-wide advanced setting {PERSIST_NETWORK_BACKING} = true "
                    "(vic-machine sets it without asking; the VCH's serial port needs it); it is not reverted",
                    "confirm the create (or pass --yes) to allow it, or set it yourself in vCenter's Advanced Settings",
                )
            )
        if self.hosts_blocking_serial:
            names = ", ".join(self.hosts_blocking_serial)
            out.append(
                warning(
                    "compute_resource",
                    f"the firewall of {names} blocks outbound TCP {SERIAL_OVER_LAN_PORT}: the VCH "
                    "cannot reach its containers' serial ports from there (vic-machine stops here)",
                    "open it on each host: vic-machine update firewall --allow, or enable the vSPC ruleset "
                    "(govc host.esxcli -host NAME network firewall ruleset set -r vSPC -e true)",
                )
            )
        return out


def read_prerequisites(session, host_moids: Iterable[str]) -> Prerequisites:
    """Two reads on vCenter (the setting, the hosts' firewalls), one on ESXi."""
    missing = bool(getattr(session, "is_vcenter", False)) and not persist_backing_enabled(session)
    return Prerequisites(missing, hosts_blocking_serial_port(session, set(host_moids)))


def persist_backing_enabled(session) -> bool:
    from pyVmomi import vim

    try:
        values = session.content.setting.QueryOptions(name=PERSIST_NETWORK_BACKING)
    except vim.fault.InvalidName:
        return False
    return any(v.key == PERSIST_NETWORK_BACKING and str(v.value).lower() == "true" for v in values)


def set_persist_backing(session) -> None:
    """UpdateOptions on vCenter's settings, as vic-machine does. Only call it with the user's consent."""
    from pyVmomi import vim

    session.content.setting.UpdateOptions(
        changedValue=[vim.option.OptionValue(key=PERSIST_NETWORK_BACKING, value="true")]
    )


def hosts_blocking_serial_port(session, host_moids: set[str]) -> tuple[str, ...]:
    """The names (sorted) of the hosts among `host_moids` whose firewall blocks outbound TCP 2377."""
    from pyVmomi import vim

    from tui.core.vsphere.inventory import retrieve

    hosts = [
        h for h in retrieve(session, vim.HostSystem, ["name", "configManager.firewallSystem"]) if h.moid in host_moids
    ]
    systems = {
        h.get("configManager.firewallSystem"): h.get("name")
        for h in hosts
        if h.get("configManager.firewallSystem") is not None
    }
    infos = _firewall_infos(session, list(systems))
    return tuple(sorted(name for ref, name in systems.items() if not allows_outbound(infos.get(ref._moId))))


def _firewall_infos(session, systems: list[Any]) -> dict[str, Any]:
    """firewallInfo of each HostFirewallSystem, in one RetrievePropertiesEx."""
    from pyVmomi import vim, vmodl

    if not systems:
        return {}
    pc = vmodl.query.PropertyCollector
    spec = pc.FilterSpec(
        objectSet=[pc.ObjectSpec(obj=s, skip=False) for s in systems],
        propSet=[pc.PropertySpec(type=vim.host.FirewallSystem, pathSet=["firewallInfo"])],
    )
    result = session.content.propertyCollector.RetrievePropertiesEx([spec], pc.RetrieveOptions())
    return {o.obj._moId: o.propSet[0].val for o in (result.objects if result else []) if o.propSet}


def allows_outbound(info: Any, port: int = SERIAL_OVER_LAN_PORT) -> bool:
    """True when outbound TCP `port` passes: outgoing traffic not blocked by default, or an enabled ruleset with
    an outbound TCP rule covering the port for every address (vic-machine's checkFirewall)."""
    if info is None:
        return False
    policy = getattr(info, "defaultPolicy", None)
    if policy is not None and policy.outgoingBlocked is False:
        return True
    for ruleset in info.ruleset or ():
        if not ruleset.enabled:
            continue
        allowed = ruleset.allowedHosts
        if allowed is not None and not allowed.allIp:
            continue
        for rule in ruleset.rule or ():
            end = rule.endPort or rule.port
            if rule.direction == "outbound" and rule.protocol == "tcp" and rule.port <= port <= end:
                return True
    return False
