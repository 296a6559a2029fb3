"""Recognising and reading a VCH from its raw extraConfig, without the secret key."""

import datetime as dt

import pytest
from cryptography import x509
from vic_captures import DATA, SPECS, WRITE1, WRITE2, load_extra, pool_json, vm_json

from tui.core.spec.model import TlsMode
from tui.core.vic import read
from tui.core.vic.values import Moref

TLS = {
    "G1": TlsMode.TLSVERIFY,
    "G2": TlsMode.NO_TLSVERIFY,
    "G3": TlsMode.NO_TLS,
    "G4": TlsMode.TLSVERIFY,
    "G4-variant-pkcs8-key": TlsMode.TLSVERIFY,
}


def _no_secrets(extra):
    return {k: v for k, v in extra.items() if "@secret" not in k and k != "guestinfo.ovfEnv"}


@pytest.mark.parametrize("name", SPECS)
def test_a_vic_machine_vch_is_recognised_by_name_and_own_id(name):
    extra = _no_secrets(load_extra(name, WRITE2))
    moref = vm_json(name)["moref"]  # VirtualMachine:vm-61
    assert read.is_vch(extra, moref) and read.is_vch(extra, moref.split(":")[1])
    assert not read.is_vch(extra, "vm-1")  # a copy of the config on another VM is not that VCH
    assert not read.is_vch({k: v for k, v in extra.items() if k != read.NAME_KEY}, moref)
    assert not read.is_creating(extra) and not read.is_container_vm(extra)
    assert read.vch_name(extra) == vm_json(name)["name"]


def test_the_first_write_is_a_vch_being_created_on_any_vm():
    extra = load_extra("G1", WRITE1)
    assert read.is_vch(extra, "vm-12345") and read.is_creating(extra)


def test_a_container_vm_has_its_own_id_at_the_top_level():
    assert read.is_container_vm({"guestinfo.vice./common/id": "5f1c…"})
    assert not read.is_container_vm({"guestinfo.vice./common/id": "<nil>"})


@pytest.mark.parametrize("name", SPECS)
def test_version_port_tls_and_pool(name):
    extra = _no_secrets(load_extra(name, WRITE2))
    build = read.version(extra)
    assert build.short() == "v1.5.8-0-2c978fe" and build.plugin_version == 10 and build.state == ""
    assert read.docker_port(extra) == (2375 if name == "G3" else 2376)
    assert read.tls_mode(extra) == TLS[name]
    assert read.vch_pool(extra) == Moref.parse(pool_json(name)["vch_pool"]["moref"])
    assert read.client_ip(extra) is None  # the appliance never booted in the captures


def test_client_ip_is_the_appliances_base64_address():
    extra = {read.CLIENT_IP_KEY: "AAAAAAAAAAAAAP//fwAAAQ=="}  # 127.0.0.1, as inspect-g2-simulated-ips set it
    assert read.client_ip(extra) == "127.0.0.1"
    assert read.client_ip({read.CLIENT_IP_KEY: "AAAAAAAAAAAAAP//AAAAAA=="}) is None  # 0.0.0.0: none yet
    assert read.client_ip({read.CLIENT_IP_KEY: "garbage"}) is None


def test_certificate_expiry():
    extra = load_extra("G4", WRITE2)
    cert = x509.load_pem_x509_certificate((DATA / "G4" / "inputs" / "server-cert.pem").read_bytes())
    assert read.certificate_expiry(extra) == cert.not_valid_after_utc
    assert read.certificate_expiry(load_extra("G1", WRITE2)) > dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert read.certificate_expiry(load_extra("G3", WRITE2)) is None
    assert read.certificate_expiry({read.HOST_CERT_KEY: "bm90IGEgY2VydA=="}) is None


def test_nothing_is_read_from_an_ordinary_vm():
    extra = {"guestinfo.appInfo": "x"}
    assert (read.vch_name(extra), read.version(extra), read.docker_port(extra), read.vch_pool(extra)) == (
        None,
        None,
        None,
        None,
    )
    assert read.tls_mode(extra) == TlsMode.NO_TLS and not read.is_vch(extra, "vm-1")
