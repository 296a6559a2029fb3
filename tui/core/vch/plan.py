"""The provisioning plan as data: from a validated spec and the inventory, the ordered steps to run.

`check(spec, facts)` lists every problem (local rules, the target, and what the plan itself needs).
`assess(spec, facts)` raises ProblemsError on any error, else returns a `Plan`; tui.core.vch.build adds the
`steps` the runner executes and whose `describe()` the dry run, the CLI confirmation and the TUI show.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.problems import Problem, raise_if_errors
from tui.core.spec.model import TlsMode, VchSpec
from tui.core.spec.ops_user import OpsCredentials, ops_user_warning
from tui.core.spec.storage_paths import parse_datastore_path
from tui.core.spec.units import parse_duration
from tui.core.spec.validate_local import validate_local
from tui.core.vch.bridge_network import bridge_to_create
from tui.core.vch.endpoint import distinct_port_groups
from tui.core.vch.validate_target import TargetFacts, resolve_compute, validate_against
from tui.core.vic.iso import NotAnIso, read_iso
from tui.core.vsphere.inventory_snapshot import ComputeResource, Datastore, Inventory, Network

DOCKER_PORT_PLAIN = 2375
DOCKER_PORT_TLS = 2376
DEFAULT_ISO_NAMES = {"appliance_iso": "appliance.iso", "bootstrap_iso": "bootstrap.iso"}
INVENTORY_MAX_AGE = 15.0  # seconds a plan's inventory is trusted before the validate step reads it again


@dataclass(frozen=True)
class RunOptions:
    docker_port: int | None = None  # probe another port than the session's (tests: a port nothing serves)
    inventory_max_age: float = INVENTORY_MAX_AGE
    probe_interval: float = 1.0
    ops: OpsCredentials | None = None  # what connect/* holds; None = the session's login (see spec/ops_user.py)


@dataclass
class Targets:
    """Where each object goes, resolved from the inventory."""

    datacenter: str
    datacenter_ref: Any
    vm_folder: Any  # the datacenter's VM folder: the VCH folder goes in it (on standalone ESXi, the VM itself)
    compute: ComputeResource
    create_pool: bool  # False on a cluster without DRS: the VM goes into the cluster's root pool
    datastore: Datastore
    vm_dir: str  # the endpoint VM's folder on the datastore (holds the ISOs)
    networks: dict[str, Network]  # the endpoint's port groups, by name
    isos: dict[str, Path]  # "appliance_iso"/"bootstrap_iso" → local file
    make_vm_folder: bool = True  # vCenter only: standalone ESXi has no VM folders (vic-machine makes none there)
    bridge_to_create: str | None = None  # standalone ESXi without the bridge port group: create makes it


@dataclass(frozen=True)
class PlannedStep:
    key: str
    title: str
    details: tuple[str, ...]

    def to_json(self) -> dict:
        return {"key": self.key, "title": self.title, "details": list(self.details)}


@dataclass
class Plan:
    spec: VchSpec
    facts: TargetFacts
    targets: Targets
    steps: list  # of steps.Step
    options: RunOptions = field(default_factory=RunOptions)
    warnings: list[Problem] = field(default_factory=list)
    loaded_at: float = field(default_factory=time.monotonic)

    @property
    def docker_port(self) -> int:
        if self.options.docker_port:
            return self.options.docker_port
        return DOCKER_PORT_PLAIN if self.spec.tls_mode() == TlsMode.NO_TLS else DOCKER_PORT_TLS

    @property
    def timeout_seconds(self) -> float:
        return parse_duration(self.spec.timeout)

    def describe(self) -> list[PlannedStep]:
        return [PlannedStep(s.key, s.title, tuple(s.details(self))) for s in self.steps]

    def step_keys(self) -> list[str]:
        return [s.key for s in self.steps]

    def to_json(self) -> dict:
        return {
            "name": self.spec.name,
            "steps": [p.to_json() for p in self.describe()],
            "warnings": [w.to_dict() for w in self.warnings],
        }


# --- what the plan needs beyond validation ---------------------------------------------------------


def iso_path(spec: VchSpec, key: str) -> Path:
    """The given ISO, or vic-machine's default: the file of that name in the current directory."""
    given = getattr(spec, key)
    return Path(given) if given else Path(os.getcwd()) / DEFAULT_ISO_NAMES[key]


def _iso_problems(spec: VchSpec) -> list[Problem]:
    """The ISOs are ISO 9660 images; the defaults (in the current directory) must exist. validate_local has
    reported a given ISO that is missing or unreadable."""
    problems = []
    for key in DEFAULT_ISO_NAMES:
        path = iso_path(spec, key)
        if getattr(spec, key) is None and not path.is_file():
            problems.append(
                Problem(
                    key,
                    f"is not set and there is no {DEFAULT_ISO_NAMES[key]} in the current directory",
                    f"set {key} to the path of the ISO shipped with VIC",
                )
            )
        elif path.is_file() and os.access(path, os.R_OK):
            try:
                read_iso(path)
            except NotAnIso as exc:
                problems.append(
                    Problem(
                        key,
                        f"the file {path} is not an ISO 9660 image: {exc}",
                        f"give VIC's {DEFAULT_ISO_NAMES[key]} from the VIC release bundle",
                    )
                )
            except OSError as exc:
                problems.append(
                    Problem(key, f"the file {path} cannot be read: {exc.strerror or exc}", "check the file")
                )
    return problems


def iso_lines(spec: VchSpec) -> list[str]:
    """What the create confirmation says about the ISOs: each resolved path and the VIC version it carries."""
    lines = []
    for key in DEFAULT_ISO_NAMES:
        path = iso_path(spec, key)
        try:
            version = read_iso(path).version or "no version in its publisher field"
        except (OSError, ValueError):
            version = "unreadable"
        lines.append(f"{key.removesuffix('_iso')} ISO: {path.resolve()} ({version})")
    return lines


def _image_datastore(spec: VchSpec, inventory: Inventory) -> Datastore | None:
    if spec.image_store is None:
        return next(iter(inventory.datastores.values())) if len(inventory.datastores) == 1 else None
    try:
        return inventory.datastores.get(parse_datastore_path(spec.image_store).datastore)
    except ValueError:
        return None


def resolve_targets(spec: VchSpec, inventory: Inventory, *, vcenter: bool = True) -> Targets | None:
    """The placement of every object, or None while something does not resolve (validation says what).
    `vcenter` False: a standalone ESXi host (no VM folder; a missing bridge port group is created)."""
    computes = resolve_compute(spec, inventory)
    datastore = _image_datastore(spec, inventory)
    bridge = bridge_to_create(spec, inventory, vcenter=vcenter)
    networks = {pg: inventory.networks.get(pg) for pg in distinct_port_groups(spec) if pg != bridge}
    if len(computes) != 1 or datastore is None or any(n is None for n in networks.values()):
        return None
    compute = computes[0]
    return Targets(
        datacenter=inventory.datacenter,
        datacenter_ref=inventory.datacenter_ref,
        vm_folder=inventory.vm_folder,
        compute=compute,
        create_pool=compute.kind != "cluster" or compute.drs,
        datastore=datastore,
        vm_dir=spec.name,
        networks={k: v for k, v in networks.items() if v is not None},
        isos={key: iso_path(spec, key) for key in DEFAULT_ISO_NAMES},
        make_vm_folder=vcenter,
        bridge_to_create=bridge,
    )


def check(spec: VchSpec, facts: TargetFacts) -> list[Problem]:
    """Every problem: local rules, then the target, then what the plan needs (ISOs present, targets resolved)."""
    from tui.core.vch.tls_bridge import material_problems

    problems = validate_local(spec)
    problems += validate_against(spec, facts)
    problems += _iso_problems(spec)
    problems += material_problems(spec, problems)
    if (
        not [p for p in problems if p.is_error]
        and resolve_targets(spec, facts.inventory, vcenter=facts.vcenter) is None
    ):
        problems.append(
            Problem(
                "compute_resource",
                "the placement of the VCH could not be resolved",
                "check compute_resource, image_store and the network names",
            )
        )
    return problems


def datastore_folder_problems(session, plan: Plan) -> list[Problem]:
    """The name must also be free on the image datastore: the endpoint VM's folder is created there (one
    search task). A leftover folder would mix its files with this run's and be deleted by a rollback."""
    from tui.core.vsphere.datastore import datastore_entry_exists
    from tui.core.vsphere.wait import Waiter

    t = plan.targets
    if not datastore_entry_exists(session, Waiter(session), t.datastore, t.vm_dir):
        return []
    return [
        Problem(
            "name",
            f"the datastore folder [{t.datastore.name}] {t.vm_dir} already exists",
            "choose another name, or remove that folder (vch-tui delete NAME if it is a VCH's)",
        )
    ]


def assess(spec: VchSpec, facts: TargetFacts, options: RunOptions | None = None) -> Plan:
    """The plan without its steps (tui.core.vch.build adds them): raises ProblemsError on any error."""
    warnings = raise_if_errors(check(spec, facts), source=f"VCH {spec.name!r}")
    ops_warning = ops_user_warning(spec.ops_user)
    if ops_warning is not None:
        warnings.append(ops_warning)
    targets = resolve_targets(spec, facts.inventory, vcenter=facts.vcenter)
    assert targets is not None  # check() reported anything unresolved
    return Plan(spec=spec, facts=facts, targets=targets, steps=[], options=options or RunOptions(), warnings=warnings)
