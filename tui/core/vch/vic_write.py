"""What create hands the VIC config builder (tui.core.vic.build): the Placement of this run, in one place.

- `connect_credentials`: the user and password the appliance logs in with (connect/*): the ops user of the run
  options when given, else the session's login. Every write takes them from here only.
- `iso_remote_names`: the uploaded ISOs' names, `<version>-appliance.iso` / `<version>-bootstrap.iso`, with the
  version read from each ISO's Primary Volume Descriptor, as vic-machine names them.
- `role_port_groups` / `pci_slots`: the port group moref of each appliance role, and the explicit PCI slot of
  each distinct port group's vmxnet3 NIC (1184, then +32), which the second write records as the role's id.
- `registry_ca_bundle`: the spec's registry CA files, concatenated as vic-machine loads them.
- `placement`: everything above plus the run's pool, datastore, target and build, for write 1 or write 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tui.core.secret import Secret
from tui.core.spec.model import ROLES, VchSpec
from tui.core.vic.iso import read_iso
from tui.core.vic.placement import Placement, default_pci_slots
from tui.core.vic.values import Build

ISO_KINDS = {"appliance_iso": "appliance", "bootstrap_iso": "bootstrap"}
BRIDGE_ROLE = "bridge"


def moref_text(ref: Any) -> str:
    """`Network:network-7`: VIC's types.ManagedObjectReference String() of a pyVmomi managed object."""
    return f"{ref._wsdlName}:{ref._moId}"


def connect_credentials(session: Any, ops: Any = None) -> tuple[str, Secret]:
    """The connect/* user and password: `ops` (RunOptions.ops) when given, else the session's login."""
    if ops is not None:
        return ops.user, ops.password
    return session.options.user or "", session.options.password


def iso_remote_names(isos: Mapping[str, Path]) -> dict[str, str]:
    """ "appliance_iso"/"bootstrap_iso" → the datastore file name vic-machine gives it."""
    names = {}
    for key, kind in ISO_KINDS.items():
        version = read_iso(isos[key]).version
        names[key] = f"{version}-{kind}.iso" if version else f"{kind}.iso"
    return names


def role_port_groups(spec: VchSpec, networks: Mapping[str, Any]) -> dict[str, str]:
    """Role (public, client, management, bridge) → the moref of its port group (`networks`: name → object)."""
    out = {role: moref_text(networks[spec.effective_port_group(role)]) for role in ROLES}
    out[BRIDGE_ROLE] = moref_text(networks[spec.effective_bridge_network()])
    return out


def pci_slots(spec: VchSpec, networks: Mapping[str, Any]) -> dict[str, int]:
    """Port group moref → the PCI slot its NIC gets, numbering distinct port groups 1184, 1216, …"""
    return default_pci_slots(role_port_groups(spec, networks))


def target_url(target: Any) -> str:
    """connect/target as vic-machine writes it: `https://host`, the port only when it is not the default."""
    default = 443 if target.scheme == "https" else 80
    return target.base_url if target.port != default else f"{target.scheme}://{target.label.rsplit(':', 1)[0]}"


def placement(
    *,
    spec: VchSpec,
    session: Any,
    ops: Any,
    pool: Any,
    networks: Mapping[str, Any],
    datacenter: str,
    cluster_path: str,
    datastore: str,
    build: Build,
    bootstrap_iso: str,
    vm: Any = None,
    vm_folder: str | None = None,
    server_cert: bytes | None = None,
    server_key: Secret | None = None,
    client_ca: bytes | None = None,
    registry_ca: bytes | None = None,
    create_bridge_network: bool = False,
) -> Placement:
    """The builder's Placement for this run (vm=None: the first write, before the VM exists)."""
    user, password = connect_credentials(session, ops)
    target = session.target
    by_name = {name: moref_text(ref) for name, ref in networks.items()}
    return Placement(
        vch_pool=moref_text(pool),
        networks=by_name,
        datacenter=datacenter,
        cluster_path=cluster_path,
        pool_path=f"{cluster_path}/Resources",
        datastore=datastore,
        target_url=target_url(target),
        login_user=user,
        login_password=password,
        build=build,
        bootstrap_iso=bootstrap_iso,
        thumbprint=session.pinned_sha1,
        target_datacenter=target.datacenter,
        vm=moref_text(vm) if vm is not None else None,
        vm_folder=vm_folder,
        pci_slots=pci_slots(spec, networks),
        server_cert=server_cert,
        server_key=server_key,
        client_ca=client_ca,
        registry_ca=registry_ca,
        create_bridge_network=create_bridge_network,
    )


def build_from_iso_version(version: str | None) -> Build:
    """init/version from the appliance ISO's version (`v1.5.8-0-2c978fe`): the VIC build the VCH runs."""
    text = version or ""
    release, _, rest = text.partition("-")
    number, _, commit = rest.partition("-")
    return Build(version=release, git_commit=commit, build_date="", build_number=number, state="", plugin_version=10)


def tls_material(tls: Any) -> dict[str, Any]:
    """server_cert / server_key / client_ca for the Placement from the prepared TLS material (none for no-tls)."""
    material = getattr(tls, "material", None)
    if material is None or material.server_cert is None or material.server_key is None:
        return {}
    ca = b"".join(path.read_bytes() for path in material.client_ca_files) or None
    return {
        "server_cert": material.server_cert.read_bytes(),
        "server_key": Secret(material.server_key.read_text(encoding="utf-8")),
        "client_ca": ca,
    }


def registry_ca_bundle(spec: VchSpec) -> bytes | None:
    """The spec's registry_ca files concatenated, as vic-machine loads them (registries.go loadRegistryCAs)."""
    return b"".join(Path(path).read_bytes() for path in spec.registry_ca) or None


def guest_version(build: Build) -> str:
    """The version in vic-machine's alternate guest name, `Photon - VCH v1.5.8, 0, 2c978fe`."""
    return f"{build.version}, {build.build_number}, {build.git_commit}"
