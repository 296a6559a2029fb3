"""Handing the endpoint to users: `<tls_cert_path>/<name>.env` and the equivalent `docker context create`.

The variables are what docker CLI 28 needs (checked against it in tests/integration/test_tls_modes.py):
- clients verified (TLSVERIFY, CUSTOM with tls_ca): DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, which holds
  ca.pem, cert.pem and key.pem (for CUSTOM the user puts their own client pair there);
- no client verification (NO_TLSVERIFY, CUSTOM with no_tlsverify): DOCKER_TLS=1 (TLS, server not
  verified) and DOCKER_CERT_PATH all the same: the CLI refuses TLS when that folder has no ca.pem;
- no TLS: only DOCKER_HOST on 2375.
DOCKER_CERT_PATH is absolute (vic-machine wrote cwd + the folder's base name, wrong for nested paths).
One `KEY=value` per line: works with `set -a; . ./vch.env`, `export $(cat vch.env)` and compose's env_file.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
from pathlib import Path

from tui.core.tls.material import CERT_MODE, Material, make_folders, write_file
from tui.core.tls.modes import CA_CERT, CLIENT_CERT, CLIENT_KEY, TlsMode

_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_./:@%+=,\[\]-]*$")
_CONTEXT_NAME = re.compile(r"[^a-zA-Z0-9_.+-]")


def docker_host(host: str, port: int) -> str:
    try:
        is_v6 = isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address)
    except ValueError:
        is_v6 = False
    return f"tcp://[{host}]:{port}" if is_v6 else f"tcp://{host}:{port}"


def docker_env(material: Material, host: str, port: int | None = None) -> dict[str, str]:
    """The environment a docker client needs for this endpoint. `host` is what clients dial: the cname
    when it is a DNS name (the certificate names it), else the endpoint's IP."""
    port = port or material.docker_port
    env = {"DOCKER_HOST": docker_host(host, port)}
    if material.mode == TlsMode.NO_TLS:
        return env
    if material.verify_clients:
        env["DOCKER_TLS_VERIFY"] = "1"
    else:
        env["DOCKER_TLS"] = "1"
    env["DOCKER_CERT_PATH"] = str(material.folder)
    env["COMPOSE_TLS_VERSION"] = "TLSv1_2"
    return env


def env_file_path(material: Material) -> Path:
    return material.folder / material.settings.env_file_name()


def env_file_text(env: dict[str, str]) -> str:
    return "".join(f"{key}={shell_value(value)}\n" for key, value in env.items())


def shell_value(value: str) -> str:
    """`value` as a POSIX shell word: as it is when nothing in it is special, else single-quoted."""
    return value if _SAFE_VALUE.match(value) else shlex.quote(value)


def write_env_file(material: Material, host: str, port: int | None = None) -> Path:
    """Write (or rewrite) `<name>.env`; the folder is made 0700 if missing. Material.cleanup() undoes it."""
    path = env_file_path(material)
    make_folders(path.parent, material)
    text = env_file_text(docker_env(material, host, port)).encode()
    if path.exists():
        old = path.read_bytes()
        material.record_replaced(path, old, os.stat(path).st_mode & 0o777)
        write_file(path, text, CERT_MODE, replace=True)
    else:
        write_file(path, text, CERT_MODE)
        material.record_created(path)
    return path


def read_env_file(path: Path) -> dict[str, str]:
    """The variables of an env file written by write_env_file (or by hand in the same form)."""
    env: dict[str, str] = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for word in shlex.split(line):
            key, sep, value = word.partition("=")
            if sep:
                env[key.removeprefix("export ").strip()] = value
    return env


def context_name(name: str) -> str:
    cleaned = _CONTEXT_NAME.sub("-", name).strip("-.+_") or "vch"
    return cleaned if cleaned[0].isalnum() else f"vch-{cleaned}"


def _csv_field(text: str) -> str:
    """The --docker option is parsed as CSV: quote a field holding a comma or a quote."""
    return '"' + text.replace('"', '""') + '"' if ("," in text or '"' in text) else text


def docker_context_args(material: Material, host: str, port: int | None = None, name: str | None = None) -> list[str]:
    """argv of the `docker context create` equivalent to the .env file."""
    port = port or material.docker_port
    parts = [f"host={docker_host(host, port)}"]
    folder = material.folder
    if material.mode != TlsMode.NO_TLS:
        if material.verify_clients:
            parts += [f"ca={folder / CA_CERT}", f"cert={folder / CLIENT_CERT}", f"key={folder / CLIENT_KEY}"]
        else:
            parts.append("skip-tls-verify=true")
    docker = ",".join(_csv_field(p) for p in parts)
    label = name or context_name(material.settings.name)
    return [
        "docker",
        "context",
        "create",
        label,
        "--description",
        f"VCH {material.settings.name} (vch-tui)",
        "--docker",
        docker,
    ]


def docker_context_command(material: Material, host: str, port: int | None = None, name: str | None = None) -> str:
    return shlex.join(docker_context_args(material, host, port, name))
