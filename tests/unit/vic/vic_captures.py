"""Reading the vic-machine 1.5.8 captures (tests/data/vic-machine-1.5.8/): extraConfig files, the command each
spec ran, the inventory's morefs, and the Placement each capture implies."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tui.core.spec.model import VchSpec
from tui.core.spec.vicmachine import parse_vic_machine_invocation
from tui.core.vic.config import decode
from tui.core.vic.create_options import Extras
from tui.core.vic.placement import Placement
from tui.core.vic.secretbox import key_from_extra

DATA = Path(__file__).resolve().parents[2] / "data" / "vic-machine-1.5.8"
SPECS = ("G1", "G2", "G3", "G4", "G4-variant-pkcs8-key")
WRITE1 = "extraconfig-write1-CreateVM_Task.txt"
WRITE2 = "extraconfig-write2-ReconfigVM_Task.txt"
EFFECTIVE = "extraconfig.txt"
FILES = (WRITE1, WRITE2, EFFECTIVE)


def load_extra(name: str, file: str) -> dict[str, str]:
    """`key=value` lines (the first `=` splits; values may contain `=`). Each key appears once."""
    out: dict[str, str] = {}
    for line in (DATA / name / file).read_text(encoding="utf-8").splitlines():
        if not line:
            continue
        key, sep, value = line.partition("=")
        assert sep and key not in out, line
        out[key] = value
    return out


def is_secret_key(key: str) -> bool:
    return key.endswith("@secret")


def plain_items(extra: dict[str, str]) -> dict[str, str]:
    """Every key except the secret values (they differ per write: a new key and nonce each time)."""
    return {k: v for k, v in extra.items() if not is_secret_key(k) and k != "guestinfo.ovfEnv"}


@dataclass(frozen=True)
class Command:
    spec: VchSpec
    extras: Extras
    target: str | None
    user: str | None
    thumbprint: str | None


@cache
def command(name: str) -> Command:
    """The spec command.txt asked for, parsed by vch-tui's own vic-machine parser; the defaults typed
    explicitly go into Extras."""
    line = (DATA / name / "command.txt").read_text(encoding="utf-8").splitlines()[1]
    words = shlex.split(line)
    words = words[words.index("vic-machine-linux") :]
    invocation = parse_vic_machine_invocation(shlex.join(words))
    typed = {w[2:] for w in words if w.startswith("--")}
    defaults = {f for f in typed if f in ("public-network",) and invocation.spec.get(f.replace("-", "_")) is not None}
    return Command(
        invocation.spec,
        Extras(explicit=frozenset(defaults)),
        invocation.target,
        invocation.user,
        invocation.thumbprint,
    )


@cache
def inventory() -> dict[str, str]:
    """moref → inventory path, before any VCH existed (baseline/inventory.txt)."""
    out = {}
    for line in (DATA / "baseline" / "inventory.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and ":" in parts[0]:
            out[parts[0]] = parts[1]
    return out


def network_morefs() -> dict[str, str]:
    """port group name → moref."""
    return {
        path.rsplit("/", 1)[1]: moref
        for moref, path in inventory().items()
        if moref.startswith(("Network:", "DistributedVirtualPortgroup:"))
    }


def network_names() -> dict[str, str]:
    return {moref: name for name, moref in network_morefs().items()}


def vm_json(name: str) -> dict:
    return json.loads((DATA / name / "vm.json").read_text(encoding="utf-8"))


def pool_json(name: str) -> dict:
    return json.loads((DATA / name / "pool.json").read_text(encoding="utf-8"))


def nic_slots(name: str) -> dict[str, int]:
    """port group moref → PCI slot, as the VM was created (vm.json devices)."""
    by_name = network_morefs()
    slots = {}
    for device in vm_json(name)["devices"]:
        if device["type"] != "VirtualVmxnet3":
            continue
        backing = device["backing"]
        moref = (
            f"DistributedVirtualPortgroup:{backing['port']['portgroupKey']}"
            if backing.get("port")
            else by_name[backing["deviceName"]]
        )
        slots[moref] = device["slotInfo.pciSlotNumber"]
    return slots


def bootstrap_iso(name: str) -> str:
    for line in (DATA / name / "files.txt").read_text(encoding="utf-8").splitlines():
        path = line.split("\t")[0]
        if path.endswith("-bootstrap.iso"):
            return path.rsplit("/", 1)[1]
    raise AssertionError("no bootstrap ISO uploaded")


def placement(name: str, file: str = WRITE2, **changes) -> Placement:
    """The vSphere facts of one capture: morefs from the inventory and vm/pool JSON, the build strings and the
    secrets (login password, certificate material) from the capture itself."""
    extra = load_extra(name, file)
    captured = decode(extra, key=key_from_extra(extra))
    vm = vm_json(name)
    paths = {path: moref for moref, path in inventory().items()}
    cluster = next(path for moref, path in inventory().items() if moref.startswith("ClusterComputeResource:"))
    datacenter = next(path for moref, path in inventory().items() if moref.startswith("Datacenter:"))
    assert f"{cluster}/Resources" in paths
    target = command(name).target or ""
    host, _, dc = target.partition("/")
    host_cert = captured.cert.host_certificate
    values = dict(
        vch_pool=pool_json(name)["vch_pool"]["moref"],
        networks=network_morefs(),
        datacenter=datacenter.strip("/"),
        cluster_path=cluster,
        pool_path=f"{cluster}/Resources",
        datastore="datastore1",
        target_url=f"https://{host}",
        login_user=command(name).user,
        login_password=captured.connect.token,
        build=captured.init.version,
        bootstrap_iso=bootstrap_iso(name),
        thumbprint=command(name).thumbprint,
        target_datacenter=dc or None,
        vm=vm["moref"],
        vm_folder=vm["config.summary"]["files"]["vmPathName"].split("] ", 1)[1].split("/")[0],
        pci_slots=nic_slots(name),
        server_cert=host_cert.cert if host_cert else None,
        server_key=host_cert.key if host_cert else None,
        client_ca=captured.cert.certificate_authorities or None,
        go119_url_fields=True,
    )
    values.update(changes)
    return Placement(**values)
