"""Recognise and read a VCH from its endpoint VM's extraConfig, without decoding all of it and without the
secret key (what `ls`, `inspect`, `top` and `delete` need, as vic-machine's finder reads it).

Every function takes the extraConfig as a mapping of key → value (wire values, `<nil>` included).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping

from tui.core.spec.model import TlsMode
from tui.core.vic import goip
from tui.core.vic.codec import unescape
from tui.core.vic.keys import SEPARATOR
from tui.core.vic.values import Build, Moref
from tui.core.vic.vch_config import CREATING_VCH

NAME_KEY = "init/common/name"  # hidden: the guest cannot read it
ID_KEY = "guestinfo.vice./init/common/id"
CONTAINER_ID_KEY = "guestinfo.vice./common/id"  # a container VM's own id (top level)
VERSION_PREFIX = "guestinfo.vice./init/version/"
CLIENT_IP_KEY = "guestinfo.vice..init.networks|client.assigned.IP"
DOCKER_ARGS_KEY = "guestinfo.vice./init/sessions|docker-personality/cmd/Args~"
HOST_CERT_KEY = "guestinfo.vice./cert/HostCertificate/Cert"
CA_KEY = "guestinfo.vice./cert/CertificateAuthorities"
POOL_TYPE_KEY = "guestinfo.vice./container/ComputeResources|0/Type"
POOL_VALUE_KEY = "guestinfo.vice./container/ComputeResources|0/Value"


def _get(extra: Mapping[str, str], key: str) -> str:
    return unescape(extra.get(key) or "")


def vch_name(extra: Mapping[str, str]) -> str | None:
    return _get(extra, NAME_KEY) or None


def vch_id(extra: Mapping[str, str]) -> str | None:
    return _get(extra, ID_KEY) or None


def is_vch(extra: Mapping[str, str], moref: str) -> bool:
    """True for the endpoint VM of a VCH: a name, and an id that is this VM (`vm-61` or `VirtualMachine:vm-61`)
    or `CreatingVCH` (vic-machine's first write, before it knew the VM's id)."""
    if not vch_name(extra):
        return False
    own = moref if moref.startswith("VirtualMachine:") else f"VirtualMachine:{moref}"
    return vch_id(extra) in (own, CREATING_VCH)


def is_creating(extra: Mapping[str, str]) -> bool:
    return vch_id(extra) == CREATING_VCH


def is_container_vm(extra: Mapping[str, str]) -> bool:
    return bool(_get(extra, CONTAINER_ID_KEY))


def version(extra: Mapping[str, str]) -> Build | None:
    """vic-machine's recorded build (`init/version/*`), or None when the VM has none."""
    if not any(key.startswith(VERSION_PREFIX) for key in extra):
        return None
    plugin = _get(extra, VERSION_PREFIX + "PluginVersion")
    return Build(
        version=_get(extra, VERSION_PREFIX + "Version"),
        git_commit=_get(extra, VERSION_PREFIX + "GitCommit"),
        build_date=_get(extra, VERSION_PREFIX + "BuildDate"),
        build_number=_get(extra, VERSION_PREFIX + "BuildNumber"),
        state=_get(extra, VERSION_PREFIX + "State"),
        plugin_version=int(plugin) if plugin.isascii() and plugin.isdigit() else 0,
    )


def client_ip(extra: Mapping[str, str]) -> str | None:
    """The address the appliance reports on its client NIC (base64 Go net.IP), or None before it has one."""
    return assigned_ip(extra, "client")


def assigned_ip(extra: Mapping[str, str], role: str) -> str | None:
    """The address the appliance reports for a role's NIC (public, client, management), or None."""
    text = _get(extra, CLIENT_IP_KEY.replace("|client.", f"|{role}.", 1))
    if not text:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
        if goip.is_unspecified(raw):
            return None
        return goip.ip_text(raw)
    except (binascii.Error, ValueError):
        return None


def docker_port(extra: Mapping[str, str]) -> int | None:
    """The Docker API port from the docker-personality's `-port=` argument (2376 with TLS, 2375 without)."""
    for arg in _get(extra, DOCKER_ARGS_KEY).split(SEPARATOR):
        if arg.startswith("-port="):
            value = arg[len("-port=") :]
            return int(value) if value.isascii() and value.isdigit() else None
    return None


def tls_mode(extra: Mapping[str, str]) -> TlsMode:
    """tlsverify with client CAs, no-tlsverify with a server certificate only, no-tls otherwise."""
    if _get(extra, CA_KEY):
        return TlsMode.TLSVERIFY
    if _get(extra, HOST_CERT_KEY):
        return TlsMode.NO_TLSVERIFY
    return TlsMode.NO_TLS


def server_certificate_pem(extra: Mapping[str, str]) -> bytes | None:
    text = _get(extra, HOST_CERT_KEY)
    if not text:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def certificate_expiry(extra: Mapping[str, str]) -> dt.datetime | None:
    """When the Docker API's server certificate expires (UTC), or None without TLS or with an unreadable one."""
    pem = server_certificate_pem(extra)
    if not pem:
        return None
    from cryptography import x509

    try:
        return x509.load_pem_x509_certificate(pem).not_valid_after_utc
    except ValueError:
        return None


def vch_pool(extra: Mapping[str, str]) -> Moref | None:
    """The VCH's own resource pool (`container/ComputeResources|0`), e.g. ResourcePool:resgroup-58."""
    value = _get(extra, POOL_VALUE_KEY)
    if not value:
        return None
    return Moref(_get(extra, POOL_TYPE_KEY) or "ResourcePool", value)
