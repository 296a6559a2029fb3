"""The answers file: a VCH spec in TOML, keyed by vic-machine's long flag names with `_` for `-`.

    name = "vch-1"
    compute_resource = "cluster1"
    image_store = "datastore1/vch-1"
    volume_store = ["datastore1/volumes:default"]
    bridge_network = "vch-bridge"
    public_network = "VM Network"
    tls_cname = "vch-1.example.com"
    timeout = "3m"

    [[container_network]]
    port_group = "dpg-containers"
    alias = "backend"
    gateway = "10.20.0.1/24"
    ip_range = ["10.20.0.100-10.20.0.199"]
    dns = ["10.20.0.2"]
    firewall = "peers"

Loading checks the shape only (known keys, value types) and reports every problem at once;
validate_local checks the values. No password is ever read from or written to this file.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w

from tui.core.paths import NotASmallFile, read_small_file
from tui.core.problems import Problem, ProblemsError
from tui.core.spec.model import (
    CONTAINER_NETWORK_KEYS,
    CONTAINER_NETWORK_TABLE,
    FIELDS,
    ContainerNetwork,
    SpecField,
    VchSpec,
    answer_keys,
)
from tui.core.suggest import did_you_mean

HEADER = """\
# vch-tui answers file: one Virtual Container Host, as `vic-machine create` would take it.
# Keys are vic-machine's long flag names with '_' for '-'. Passwords are never stored here:
# give them with --password / VIC_MACHINE_PASSWORD or at the prompt.
"""
_CREDENTIAL_HINT = (
    "pass it with --password or the VIC_MACHINE_PASSWORD environment variable "
    "(or type it at the prompt); answers files never hold passwords"
)
_CONNECTION_KEYS = {"target": "--target", "user": "--user", "thumbprint": "--thumbprint"}
_KIND_TEXT = {
    "text": ("a string", 'e.g. {key} = "value"'),
    "list": ("a list of strings", 'e.g. {key} = ["value"]'),
    "bool": ("true or false", "e.g. {key} = true"),
    "int": ("a whole number", "e.g. {key} = 2048"),
    "shares": ('"low", "normal", "high" or a number of shares', 'e.g. {key} = "high" or {key} = 4000'),
}
_CN_KINDS = {
    "port_group": "text",
    "alias": "text",
    "gateway": "text",
    "ip_range": "list",
    "dns": "list",
    "firewall": "text",
}


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "shares":
        return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
    raise ValueError(kind)


def _type_problem(field: str, key: str, kind: str, value: Any) -> Problem:
    want, example = _KIND_TEXT[kind]
    got = (
        type(value).__name__
        if not isinstance(value, (dict, list))
        else ("a table" if isinstance(value, dict) else "a list")
    )
    shown = "" if isinstance(value, (dict, list)) else f" {value!r}"
    return Problem(field, f"must be {want}, got {got}{shown}", example.format(key=key))


def _is_credential(key: str) -> bool:
    lowered = key.lower()
    return "password" in lowered or "passwd" in lowered or "secret" in lowered


def _unknown_key(field: str, key: str, known: tuple[str, ...]) -> Problem:
    if _is_credential(key):
        return Problem(field, "passwords cannot be stored in an answers file", _CREDENTIAL_HINT)
    if key in _CONNECTION_KEYS:
        return Problem(
            field,
            "the vSphere connection is not part of the answers file",
            f"pass it with {_CONNECTION_KEYS[key]} (or the VIC_MACHINE_{key.upper()} environment variable)",
        )
    underscored = key.replace("-", "_")
    if underscored in known:
        return Problem(field, "unknown key", f"write it with underscores: {underscored}")
    return Problem(
        field,
        "unknown key (it would be ignored, so it is refused)",
        did_you_mean(key, known) or "known keys: " + ", ".join(known),
    )


def _container_network(index: int, table: Any, problems: list[Problem]) -> ContainerNetwork | None:
    where = f"{CONTAINER_NETWORK_TABLE}[{index}]"
    if not isinstance(table, dict):
        problems.append(
            Problem(where, "must be a table", "write each container network as a [[container_network]] table")
        )
        return None
    values: dict[str, Any] = {}
    for key, value in table.items():
        field = f"{where}.{key}"
        if key not in _CN_KINDS:
            problems.append(_unknown_key(field, key, CONTAINER_NETWORK_KEYS))
        elif not _type_ok(_CN_KINDS[key], value):
            problems.append(_type_problem(field, key, _CN_KINDS[key], value))
        else:
            values[key] = value
    if "port_group" not in table:
        problems.append(
            Problem(
                f"{where}.port_group", "is missing", 'name the vSphere port group, e.g. port_group = "dpg-containers"'
            )
        )
        return None
    if "port_group" not in values:
        return None
    return ContainerNetwork(**values)


def parse_answers(data: dict[str, Any], source: str | None = None) -> VchSpec:
    """A spec from an already-decoded answers table; raises ProblemsError listing every problem."""
    problems: list[Problem] = []
    known = (*answer_keys(), CONTAINER_NETWORK_TABLE)
    by_key: dict[str, SpecField] = {f.key: f for f in FIELDS}
    values: dict[str, Any] = {}
    networks: list[ContainerNetwork] = []
    for key, value in data.items():
        if key == CONTAINER_NETWORK_TABLE:
            if not isinstance(value, list):
                problems.append(
                    Problem(
                        key,
                        "must be an array of tables",
                        "write each container network under its own [[container_network]] header",
                    )
                )
                continue
            for index, table in enumerate(value):
                network = _container_network(index, table, problems)
                if network is not None:
                    networks.append(network)
        elif key not in by_key:
            problems.append(_unknown_key(key, key, known))
        elif not _type_ok(by_key[key].kind, value):
            problems.append(_type_problem(key, key, by_key[key].kind, value))
        else:
            values[key] = value
    if problems:
        raise ProblemsError(problems, source=source)
    return replace(VchSpec().with_values(values), container_networks=tuple(networks))


def loads_answers(text: str, source: str | None = None) -> VchSpec:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProblemsError(
            [
                Problem(
                    "answers file",
                    f"is not valid TOML: {exc}",
                    "each line is key = value; strings in double quotes, lists in [ ]",
                )
            ],
            source=source,
        ) from None
    except (RecursionError, ValueError) as exc:  # nesting too deep for the parser; an integer too long to convert
        what = "nests too deeply" if isinstance(exc, RecursionError) else f"has a value TOML cannot hold: {exc}"
        raise ProblemsError(
            [Problem("answers file", what, "an answers file is flat: key = value, plus [[container_network]] tables")],
            source=source,
        ) from None
    return parse_answers(data, source=source)


def load_answers(path: str | os.PathLike[str]) -> VchSpec:
    path = Path(path)
    try:
        text = read_small_file(path)
    except FileNotFoundError:
        raise ProblemsError(
            [
                Problem(
                    "--answers",
                    f"the answers file {path} does not exist",
                    "check the path, or save one from the wizard's summary step",
                )
            ]
        ) from None
    except NotASmallFile as exc:
        raise ProblemsError(
            [Problem("--answers", f"{exc}: not an answers file", "give the path of a TOML answers file")]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ProblemsError([Problem("--answers", f"cannot read the answers file {path}: {reason}")]) from None
    return loads_answers(text, source=str(path))


def answers_dict(spec: VchSpec) -> dict[str, Any]:
    """The answers-file table for a spec: every key that has a value (defaults included, so the file documents them)."""
    data: dict[str, Any] = {}
    for f in FIELDS:
        value = spec.get(f.key)
        if value is None or value == ():
            continue
        if f.kind == "list":
            value = list(value)
        elif f.kind == "shares" and value.isascii() and value.isdigit():
            value = int(value)
        data[f.key] = value
    if spec.container_networks:
        data[CONTAINER_NETWORK_TABLE] = [_network_table(cn) for cn in spec.container_networks]
    return data


def _network_table(cn: ContainerNetwork) -> dict[str, Any]:
    table: dict[str, Any] = {"port_group": cn.port_group}
    if cn.alias is not None:
        table["alias"] = cn.alias
    if cn.gateway is not None:
        table["gateway"] = cn.gateway
    if cn.ip_range:
        table["ip_range"] = list(cn.ip_range)
    if cn.dns:
        table["dns"] = list(cn.dns)
    table["firewall"] = cn.firewall
    return table


def dump_answers(spec: VchSpec) -> str:
    return HEADER + "\n" + tomli_w.dumps(answers_dict(spec))


def save_answers(spec: VchSpec, path: str | os.PathLike[str]) -> Path:
    """Write the answers file atomically (a temporary file in the same folder, then rename)."""
    path = Path(path)
    text = dump_answers(spec)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
