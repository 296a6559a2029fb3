"""The `vic-machine create` command equivalent to a spec, and reading such a command back into a spec.

The command uses long flag names and POSIX-shell quoting, never contains a password, and leaves out
values vic-machine would assume anyway (except `--name`, which the bridge network and certificate
path default to). Parsing accepts what vic-machine accepts: an optional `vic-machine[-os] create`
prefix, long or short flags with one or two dashes, `--flag value` or `--flag=value`, and
backslash-newline continuations. `parse_vic_machine_command(to_vic_machine_command(spec)) == spec`.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace
from typing import Any

from tui.core.errors import InvalidInput
from tui.core.problems import Problem, ProblemsError
from tui.core.spec.model import (
    DEFAULT_FIREWALL,
    FIELDS,
    ContainerNetwork,
    SpecField,
    VchSpec,
)
from tui.core.suggest import did_you_mean
from tui.core.vsphere.target import Target, parse_target

DEFAULT_PROGRAM = "vic-machine-linux"
_PROGRAM = re.compile(r"(^|.*[/\\])vic-machine(-[a-z]+)?(\.exe)?$")
_BOOL_VALUES = {"1": True, "t": True, "true": True, "0": False, "f": False, "false": False}

# --container-network* flags: name → (short, part of the container network it sets)
_CN_FLAGS = {
    "container-network": ("cn", "alias"),
    "container-network-gateway": ("cng", "gateway"),
    "container-network-ip-range": ("cnr", "ip_range"),
    "container-network-dns": ("cnd", "dns"),
    "container-network-firewall": ("cnf", "firewall"),
}
_CONNECTION_FLAGS = {"target": ("t",), "user": ("u",), "thumbprint": ()}
_CREDENTIAL_FLAGS = {"password": ("p",), "ops-password": ()}
# vic-machine create flags this spec does not model: refused rather than silently dropped.
_UNSUPPORTED_FLAGS = {
    "base-image-size",
    "container-store",
    "cs",
    "bridge-network-width",
    "bnw",
    "asymmetric-routes",
    "ar",
    "syslog-address",
    "force",
    "f",
    "debug",
    "v",
    "ops-user",
    "ops-grant-perms",
    "container-name-convention",
    "cnc",
    "affinity-vm-group",
    "storage-quota",
    "containers",
    "kubelet-image",
    "extended-help",
    "x",
}


# --- spec → command ------------------------------------------------------------------------------


def _field_lines(f: SpecField, value: Any) -> list[list[str]]:
    if value is None or value == () or value is False:
        return []
    if f.key != "name" and value == f.default:
        return []
    if f.kind == "bool":
        return [[f.flag]]
    if f.kind == "list":
        return [[f.flag, item] for item in value]
    return [[f.flag, str(value)]]


def _container_network_lines(cn: ContainerNetwork) -> list[list[str]]:
    pg = cn.port_group
    lines = [["--container-network", pg if cn.alias is None else f"{pg}:{cn.alias}"]]
    if cn.gateway is not None:
        lines.append(["--container-network-gateway", f"{pg}:{cn.gateway}"])
    lines += [["--container-network-ip-range", f"{pg}:{item}"] for item in cn.ip_range]
    lines += [["--container-network-dns", f"{pg}:{item}"] for item in cn.dns]
    if cn.firewall != DEFAULT_FIREWALL:
        lines.append(["--container-network-firewall", f"{pg}:{cn.firewall}"])
    return lines


def _arg_lines(spec: VchSpec) -> list[list[str]]:
    """One flag (with its value) per line, in the order of spec.FIELDS."""
    lines: list[list[str]] = []
    for f in FIELDS:
        lines += _field_lines(f, spec.get(f.key))
        if f.key == "dns_server":
            for cn in spec.container_networks:
                lines += _container_network_lines(cn)
    return lines


def to_vic_machine_args(spec: VchSpec) -> list[str]:
    """The flags after `vic-machine create` (no target, user or password)."""
    return [word for line in _arg_lines(spec) for word in line]


def _target_text(target: str | Target) -> tuple[str, str | None]:
    """The target as --target takes it, without user or password; and the user it named, if any."""
    t = target if isinstance(target, Target) else parse_target(target)
    host = f"[{t.host}]" if ":" in t.host else t.host
    default_port = 443 if t.scheme == "https" else 80
    text = host if t.port == default_port else f"{host}:{t.port}"
    if t.scheme != "https":
        text = f"{t.scheme}://{text}"
    if t.datacenter:
        text += f"/{t.datacenter}"
    return text, t.user


def _words(
    spec: VchSpec, target: str | Target | None, user: str | None, thumbprint: str | None, program: str
) -> list[list[str]]:
    """The command as lines of words: the program, then one flag (with its value) per line."""
    lines: list[list[str]] = [[program, "create"]]
    if target is not None:
        text, target_user = _target_text(target)
        lines.append(["--target", text])
        user = user or target_user
    if user:
        lines.append(["--user", user])
    if thumbprint:
        lines.append(["--thumbprint", thumbprint])
    lines += _arg_lines(spec)
    return lines


def to_vic_machine_command(
    spec: VchSpec,
    target: str | Target | None = None,
    user: str | None = None,
    thumbprint: str | None = None,
    *,
    program: str = DEFAULT_PROGRAM,
    multiline: bool = False,
) -> str:
    """The equivalent `vic-machine create` command. A password given inside `target` is dropped.
    `multiline` puts each flag on its own line with a trailing backslash (for display)."""
    lines = _words(spec, target, user, thumbprint, program)
    if multiline:
        return " \\\n    ".join(shlex.join(line) for line in lines)
    return shlex.join([word for line in lines for word in line])


# --- command → spec ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VicMachineCommand:
    spec: VchSpec
    target: str | None = None  # without any password it carried
    user: str | None = None
    thumbprint: str | None = None


def _flag_table() -> dict[str, tuple[str, Any]]:
    table: dict[str, tuple[str, Any]] = {}
    for f in FIELDS:
        for name in (f.flag[2:], *f.short):
            table[name] = ("field", f)
    for name, (short, part) in _CN_FLAGS.items():
        table[name] = table[short] = ("cn", part)
    for name, shorts in _CONNECTION_FLAGS.items():
        for alias in (name, *shorts):
            table[alias] = ("connection", name)
    return table


_FLAGS = _flag_table()
_LONG_NAMES = tuple(name for name in _FLAGS if len(name) > 3 or "-" in name)


def _tokens(text: str) -> list[str]:
    joined = re.sub(r"\\\r?\n", " ", text)
    try:
        return shlex.split(joined)
    except ValueError as exc:
        raise ProblemsError(
            [
                Problem(
                    "command",
                    f"cannot be split into words: {exc}",
                    "check the quotes: every ' and \" needs its partner",
                )
            ]
        ) from None


def _strip_program(tokens: list[str], problems: list[Problem]) -> list[str]:
    if tokens and _PROGRAM.match(tokens[0]):
        tokens = tokens[1:]
        if not tokens or tokens[0] != "create":
            problems.append(
                Problem(
                    "command",
                    f"is not a create command (found {tokens[0] if tokens else 'nothing'!r} after vic-machine)",
                    "paste a `vic-machine create ...` command",
                )
            )
            return []
    if tokens and tokens[0] == "create":
        tokens = tokens[1:]
    return tokens


class _Reader:
    """Collects flag values, then builds the spec; every problem is kept, not just the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.values: dict[str, Any] = {}
        self.connection: dict[str, str] = {}
        self.cn_order: list[tuple[str, str | None]] = []
        self.cn_parts: dict[str, dict[str, Any]] = {}

    def read(self, tokens: list[str]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            i += 1
            if not token.startswith("-") or token in ("-", "--"):
                self.problems.append(
                    Problem(
                        "command",
                        f"unexpected word {token!r}",
                        "every value must follow its flag, e.g. --name vch-1 (quote values with spaces)",
                    )
                )
                continue
            name, eq, inline = token.lstrip("-").partition("=")
            flag = token.partition("=")[0]
            kind = _FLAGS.get(name)
            if kind is None:
                self._unknown(flag, name)
                if not eq and i < len(tokens) and not tokens[i].startswith("-"):
                    i += 1  # skip its value too, so it is not reported again
                continue
            if kind[0] == "field" and kind[1].kind == "bool":
                self._set_bool(flag, kind[1], inline if eq else None)
                continue
            if eq:
                value = inline
            elif i < len(tokens):
                value = tokens[i]
                i += 1
            else:
                self.problems.append(Problem(flag, "needs a value", f"write {flag} VALUE"))
                continue
            self._set(flag, kind, value)

    def _unknown(self, flag: str, name: str) -> None:
        if name in _CREDENTIAL_FLAGS or any(name in s for s in _CREDENTIAL_FLAGS.values()):
            self.problems.append(
                Problem(
                    flag,
                    "passwords are not taken from a command",
                    "remove it: vch-tui asks for the password, or reads VIC_MACHINE_PASSWORD",
                )
            )
        elif name in _UNSUPPORTED_FLAGS:
            self.problems.append(
                Problem(
                    flag,
                    "is a vic-machine option that vch-tui does not support",
                    "remove it (vch-tui would otherwise ignore it)",
                )
            )
        else:
            self.problems.append(
                Problem(
                    flag,
                    "is not a vic-machine create option",
                    did_you_mean("--" + name, [f"--{n}" for n in _LONG_NAMES]) or "see vic-machine create -x",
                )
            )

    def _set_bool(self, flag: str, f: SpecField, inline: str | None) -> None:
        value = True if inline is None else _BOOL_VALUES.get(inline.lower())
        if value is None:
            self.problems.append(Problem(flag, f"{inline!r} is not true or false", f"write {flag} alone to turn it on"))
            return
        self.values[f.key] = value

    def _set(self, flag: str, kind: tuple[str, Any], value: str) -> None:
        what, target = kind
        if what == "connection":
            self.connection[target] = value
        elif what == "cn":
            self._container_network_option(flag, target, value)
        elif target.kind == "list":
            self.values.setdefault(target.key, []).append(value)
        elif target.key in self.values:
            self.problems.append(Problem(flag, "is given twice", "keep one value"))
        elif target.kind == "int":
            try:
                self.values[target.key] = int(value)
            except ValueError:
                self.problems.append(Problem(flag, f"{value!r} is not a whole number", f"e.g. {flag} 2048"))
        else:
            self.values[target.key] = value

    def _container_network_option(self, flag: str, part: str, value: str) -> None:
        pieces = value.split(":")
        if len(pieces) > 2 or not pieces[0]:
            self.problems.append(
                Problem(
                    flag,
                    f"{value!r} is not PORTGROUP:VALUE",
                    f"e.g. {flag} dpg-containers:{'backend' if part == 'alias' else '...'}",
                )
            )
            return
        pg = pieces[0]
        rest = pieces[1] if len(pieces) == 2 else None
        if part == "alias":
            self.cn_order.append((pg, rest or None))
            return
        if not rest:
            self.problems.append(
                Problem(flag, f"{value!r} has no value after the port group", f"write {flag} {pg}:VALUE")
            )
            return
        options = self.cn_parts.setdefault(pg, {"flags": {}})
        options["flags"].setdefault(part, flag)
        if part in ("ip_range", "dns"):
            options.setdefault(part, []).append(rest)
        elif part in options:
            self.problems.append(
                Problem(flag, f"Duplicate {part} specified for container network {pg}", "give it once")
            )
        else:
            options[part] = rest

    def container_networks(self) -> tuple[ContainerNetwork, ...]:
        listed = [pg for pg, _ in self.cn_order]
        for pg, options in self.cn_parts.items():
            if pg not in listed:
                flags = ", ".join(sorted(set(options["flags"].values())))
                self.problems.append(
                    Problem(
                        flags,
                        f"Inconsistent container network configuration: {pg!r} is not named by a --container-network",
                        did_you_mean(pg, listed) or f"add --container-network {pg}[:ALIAS], or fix the port group name",
                    )
                )
        networks = []
        for pg, alias in self.cn_order:
            options = self.cn_parts.get(pg, {})
            networks.append(
                ContainerNetwork(
                    port_group=pg,
                    alias=alias,
                    gateway=options.get("gateway"),
                    ip_range=tuple(options.get("ip_range", ())),
                    dns=tuple(options.get("dns", ())),
                    firewall=options.get("firewall", DEFAULT_FIREWALL),
                )
            )
        return tuple(networks)


def parse_vic_machine_invocation(text: str) -> VicMachineCommand:
    """The spec and connection options of a `vic-machine create` command; raises ProblemsError for bad input."""
    problems: list[Problem] = []
    tokens = _strip_program(_tokens(text), problems)
    reader = _Reader()
    reader.problems = problems
    reader.read(tokens)
    networks = reader.container_networks()
    if reader.problems:
        raise ProblemsError(reader.problems, source="vic-machine command")
    spec = replace(VchSpec().with_values(reader.values), container_networks=networks)
    target = reader.connection.get("target")
    user = reader.connection.get("user")
    if target is not None:
        try:
            target, target_user = _target_text(target)
        except InvalidInput as exc:
            raise ProblemsError([Problem("--target", str(exc))], source="vic-machine command") from None
        user = user or target_user
    return VicMachineCommand(spec, target, user, reader.connection.get("thumbprint"))


def parse_vic_machine_command(text: str) -> VchSpec:
    return parse_vic_machine_invocation(text).spec
