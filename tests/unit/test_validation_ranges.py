"""Everything that passes validation is something the create can carry out: ranges and forms are checked up
front, so --dry-run and the wizard refuse what would fail, hang or endanger the create later."""

from __future__ import annotations

import os

import pytest

from tui.core.spec.model import Tls, VchSpec
from tui.core.spec.validate_local import validate_local
from tui.vchsim.iso_image import write_iso

BASE = VchSpec(name="vch-1", tls=Tls(no_tlsverify=True))


def errors_for(spec: VchSpec) -> dict[str, str]:
    return {p.field: p.message for p in validate_local(spec) if p.is_error}


@pytest.mark.parametrize(
    "values, field",
    [
        ({"timeout": "99999h"}, "timeout"),
        ({"timeout": "25h"}, "timeout"),
        ({"timeout": "٣m"}, "timeout"),
        ({"timeout": "１m"}, "timeout"),
        ({"endpoint_cpu": 100000}, "endpoint_cpu"),
        ({"endpoint_cpu": 769}, "endpoint_cpu"),
        ({"endpoint_memory": 2**40}, "endpoint_memory"),
        ({"endpoint_memory": 24 * 1024 * 1024 + 4}, "endpoint_memory"),
        ({"cpu": 2**64}, "cpu"),
        ({"memory_reservation": 2**63}, "memory_reservation"),
        ({"cpu_shares": "٣٠٠٠"}, "cpu_shares"),
        ({"memory_shares": "2147483648"}, "memory_shares"),
        ({"cpu_shares": "1e3"}, "cpu_shares"),
        ({"memory_shares": "４０００"}, "memory_shares"),
        ({"certificate_key_size": 1 << 20}, "certificate_key_size"),
        ({"organization": ["x" * 65]}, "organization[0]"),
        ({"tls_cname": "h" * 65 + ".example.com"}, "tls_cname"),
        ({"tls_cname": "vch\u202e.example.com"}, "tls_cname"),
        ({"tls_cname": " vch.example.com"}, "tls_cname"),
        ({"appliance_iso": "/tmp/a\0b.iso"}, "appliance_iso"),
        ({"bootstrap_iso": "~/bootstrap.iso"}, "bootstrap_iso"),
        ({"tls_cert_path": "~/certs"}, "tls_cert_path"),
        ({"tls_cert_path": "certs\0"}, "tls_cert_path"),
        ({"tls_ca": ["~/ca.pem"]}, "tls_ca[0]"),
        ({"image_store": "datastore1/../other"}, "image_store"),
        ({"image_store": "datastore1/a/./b"}, "image_store"),
        ({"volume_store": ["datastore1/../x:default"]}, "volume_store[0]"),
    ],
)
def test_values_the_create_could_not_carry_out_are_refused(values, field):
    errors = errors_for(BASE.with_values(values))
    assert field in errors, errors


def test_an_iso_that_is_a_folder_or_unreadable_is_refused(tmp_path):
    unreadable = tmp_path / "appliance.iso"
    write_iso(unreadable)
    unreadable.chmod(0)
    fifo = tmp_path / "bootstrap.iso"
    os.mkfifo(fifo)
    errors = errors_for(BASE.with_values({"appliance_iso": str(unreadable), "bootstrap_iso": str(fifo)}))
    assert "not a regular file" in errors["bootstrap_iso"]
    if os.geteuid() != 0:  # root reads anything
        assert "cannot be read" in errors["appliance_iso"]
    assert "not a regular file" in errors_for(BASE.with_values({"appliance_iso": str(tmp_path)}))["appliance_iso"]


@pytest.mark.parametrize(
    "values",
    [
        {"timeout": "24h"},
        {"endpoint_cpu": 768},
        {"cpu_shares": "2147483647"},
        {"memory": 2**62},
        {"certificate_key_size": 4096},
        {"tls_cname": "a" * 64},
        {"image_store": "datastore1/a.b/c..d"},
    ],
)
def test_values_at_the_limits_pass(values):
    errors = errors_for(BASE.with_values(values))
    assert not set(values) & set(errors), errors
