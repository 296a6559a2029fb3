"""tui.core.vic.readiness on a captured configuration and on /info bodies as VIC's personality writes them."""

from __future__ import annotations

from tests.unit.vic.vic_captures import EFFECTIVE, load_extra
from tui.core.vic import readiness

DRIVER = "vSphere Integrated Containers v1.5.8-0-2c978fe Backend Engine"


def test_a_captured_vch_before_boot_waits_for_every_interface_and_component():
    extra = load_extra("G1", EFFECTIVE)
    assert readiness.sessions(extra) == ["docker-personality", "port-layer", "vicadmin"]
    assert not readiness.all_started(extra)
    report = readiness.report(extra)
    assert "component port-layer: waiting to launch" in report
    assert any(line.startswith("interface client:") for line in report)


def test_started_keys_say_launched_or_the_error():
    extra = dict(load_extra("G1", EFFECTIVE))
    for name, value in (
        ("docker-personality", "true"),
        ("port-layer", "ServerFaultCode: login failed"),
        ("vicadmin", "true"),
    ):
        extra[f"guestinfo.vice..init.sessions|{name}.started"] = value
    assert readiness.all_started(extra)
    assert readiness.failed_components(extra) == {"port-layer": "ServerFaultCode: login failed"}
    assert "component port-layer: ServerFaultCode: login failed" in readiness.report(extra)
    extra["guestinfo.vice..init.sessions|vicadmin.started"] = "<nil>"  # what the tether clears it to
    assert not readiness.all_started(extra)


def test_the_port_layer_state_and_the_volume_stores_from_info():
    info = {"Driver": DRIVER, "SystemStatus": [["VolumeStores", "default backup"], [DRIVER, "RUNNING"]]}
    assert readiness.api_readiness(info, ["default", "backup"]) == readiness.ApiReadiness(True, "RUNNING", ())
    assert readiness.api_readiness(info, ["default", "nfs"]).missing_stores == ("nfs",)
    starting = {"Driver": DRIVER, "SystemStatus": [[DRIVER, "STOPPED"]]}
    assert readiness.api_readiness(starting, []).running is False
    plain_docker = {"Driver": "overlay2"}  # not VIC's personality: no port layer reported
    assert readiness.api_readiness(plain_docker, []) == readiness.ApiReadiness(False, "not reported", ())
