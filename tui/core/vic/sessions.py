"""The three components the appliance runs, as vic-machine 1.5.8 configures them (appliance.go createAppliance):
the Docker personality (API on 2376 with TLS, 2375 without), the port layer (2377, with the vSphere paths it
works in) and vicadmin (the admin portal), each restarted when it exits."""

from __future__ import annotations

from tui.core.spec.model import VchSpec
from tui.core.vic.executor import Cmd, Common, SessionConfig
from tui.core.vic.placement import Placement

PERSONALITY, PORT_LAYER, VICADMIN = "docker-personality", "port-layer", "vicadmin"
DOCKER_TLS_PORT, DOCKER_PORT, PORT_LAYER_PORT = 2376, 2375, 2377


def _session(name: str, cmd: Cmd, *, user: str = "", group: str = "") -> SessionConfig:
    return SessionConfig(common=Common(id=name, name=name), cmd=cmd, user=user, group=group, restart=True, active=True)


def _proxy_env(spec: VchSpec, http: str, https: str, no: str) -> list[str]:
    """The proxy environment in vic-machine's order: HTTP, HTTPS, no-proxy (appliance.go createAppliance)."""
    pairs = ((http, spec.http_proxy), (https, spec.https_proxy), (no, spec.no_proxy))
    return [f"{name}={value}" for name, value in pairs if value]


def components(placement: Placement, spec: VchSpec, *, datastore: str, tls: bool) -> dict[str, SessionConfig]:
    vicadmin = Cmd(
        path="/sbin/vicadmin",
        args=[
            "/sbin/vicadmin",
            f"--dc={placement.datacenter}",
            f"--pool={placement.pool_path}",
            f"--cluster={placement.cluster_path}",
        ],
        env=[
            "PATH=/sbin:/bin",
            "GOTRACEBACK=all",
            *_proxy_env(spec, "VICADMIN_HTTP_PROXY", "VICADMIN_HTTPS_PROXY", "NO_PROXY"),
        ],
        dir="/home/vicadmin",
    )
    personality = Cmd(
        path="/sbin/docker-engine-server",
        args=[
            "/sbin/docker-engine-server",
            f"-port={DOCKER_TLS_PORT if tls else DOCKER_PORT}",
            f"-port-layer-port={PORT_LAYER_PORT}",
        ],
        env=["PATH=/sbin", "GOTRACEBACK=all", *_proxy_env(spec, "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")],
    )
    port_layer = Cmd(
        path="/sbin/port-layer-server",
        args=["/sbin/port-layer-server", "--host=localhost", f"--port={PORT_LAYER_PORT}"],
        env=[
            f"VC_URL={placement.target_url}",
            f"DC_PATH={placement.datacenter}",
            f"CS_PATH={placement.cluster_path}",
            f"POOL_PATH={placement.pool_path}",
            f"DS_PATH={datastore}",
        ],
    )
    return {
        VICADMIN: _session(VICADMIN, vicadmin, user="vicadmin", group="vicadmin"),
        PERSONALITY: _session(PERSONALITY, personality),
        PORT_LAYER: _session(PORT_LAYER, port_layer),
    }
