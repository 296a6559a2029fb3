"""Local checks of the spec's registries and proxies, by vic-machine 1.5.8's rules plus vch-tui's own.

- `insecure_registry`: each a registry address, `host[:port][/path]` (a scheme is allowed; a `*.` wildcard
  host too); not a CIDR ("invalid insecure registry entry", validator.go reachableRegistries).
- `whitelist_registry`: each a registry address or a CIDR (registry.ParseEntry).
- `registry_ca`: each a readable file holding PEM certificates ("Unable to load certificate authority data for
  registry").
- `http_proxy` / `https_proxy`: an `http://` or `https://` URL with a host ("Could not parse HTTP(S) proxy -
  expected format http(s)://fqnd_or_ip:port"); vch-tui also refuses a password in it (it would be stored in
  the answers file and in the VCH's configuration in clear).
- `no_proxy`: `*` or a comma-separated list of host names and domains, without blanks.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterator
from urllib.parse import SplitResult, urlsplit

from cryptography import x509

from tui.core.problems import Problem, warning
from tui.core.spec.model import VchSpec

_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_REGISTRY_EXAMPLE = "e.g. registry.example.com:5000 or 10.0.0.5:5000"
_PROXY_EXAMPLE = "http://proxy.example.com:3128"
_MAX_CA_BYTES = 1024 * 1024


def _is_cidr(text: str) -> bool:
    if "/" not in text:
        return False
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def _url_host(url: SplitResult) -> str | None:
    """The URL's host, or None when it has none or its port is not a number."""
    try:
        if url.port is not None and url.port <= 0:  # raises ValueError for a port that is not a number in range
            return None
    except ValueError:
        return None
    return url.hostname or None


def registry_address_problem(text: str) -> str | None:
    """Why `text` is not a registry address (`host[:port][/path]`, a scheme allowed), or None."""
    if not text.strip():
        return "is empty"
    if _BLANK_OR_CONTROL.search(text):
        return f"{text!r} contains blanks or control characters"
    url = urlsplit(text if "://" in text else "https://" + text)
    if _url_host(url) is None:
        return f"{text!r} is not a registry address"
    return None


def _check_registry_list(key: str, entries: tuple[str, ...], *, cidr_allowed: bool) -> Iterator[Problem]:
    fix = f"give host[:port], {_REGISTRY_EXAMPLE}" + (", or a CIDR such as 10.0.0.0/8" if cidr_allowed else "")
    for index, entry in enumerate(entries):
        field = f"{key}[{index}]"
        if _is_cidr(entry):
            if not cidr_allowed:
                yield Problem(
                    field,
                    f"invalid insecure registry entry: {entry} (a CIDR names no registry to reach)",
                    f"name the registry, {_REGISTRY_EXAMPLE}; CIDRs belong in whitelist_registry",
                )
            continue
        why = registry_address_problem(entry)
        if why:
            yield Problem(field, why, fix)
    for entry in sorted({e for e in entries if entries.count(e) > 1}):
        yield warning(key, f"{entry} is listed more than once", "keep one")


def check_registry_ca(spec: VchSpec) -> Iterator[Problem]:
    for index, path in enumerate(spec.registry_ca):
        field = f"registry_ca[{index}]"
        if not path.strip():
            yield Problem(field, "is empty", "give the path of a registry's CA certificate (PEM)")
            continue
        if path.startswith("~") or _CONTROL.search(path):
            continue  # validate_local.check_paths reports it
        if not os.path.isfile(path):
            what = "is not a regular file" if os.path.exists(path) else "does not exist"
            yield Problem(field, f"the file {path} {what}", "give the path of a registry's CA certificate (PEM)")
            continue
        try:
            with open(path, "rb") as f:
                data = f.read(_MAX_CA_BYTES + 1)
        except OSError as exc:
            yield Problem(field, f"cannot read {path}: {exc.strerror or exc}", "check its permissions")
            continue
        try:
            ok = len(data) <= _MAX_CA_BYTES and bool(x509.load_pem_x509_certificates(data))
        except ValueError:
            ok = False
        if not ok:
            yield Problem(
                field,
                f"Unable to load certificate authority data for registry from {path}: no PEM certificate in it",
                "give the registry's CA certificate in PEM (-----BEGIN CERTIFICATE-----)",
            )


def check_registries(spec: VchSpec) -> Iterator[Problem]:
    yield from _check_registry_list("insecure_registry", spec.insecure_registry, cidr_allowed=False)
    yield from _check_registry_list("whitelist_registry", spec.whitelist_registry, cidr_allowed=True)
    yield from check_registry_ca(spec)


def proxy_problem(key: str, text: str) -> Problem | None:
    """Why `text` is not a proxy vic-machine accepts (http(s)://host[:port]), or None."""
    fix = f"write it as http(s)://fqdn_or_ip:port, e.g. {key} = {_PROXY_EXAMPLE!r}"
    if _BLANK_OR_CONTROL.search(text):
        return Problem(key, f"{text!r} contains blanks or control characters", fix)
    url = urlsplit(text)
    if url.scheme.lower() not in ("http", "https") or _url_host(url) is None:
        return Problem(key, f"Could not parse HTTP(S) proxy - expected format http(s)://fqnd_or_ip:port: {text}", fix)
    if url.password is not None:
        return Problem(
            key,
            "holds a password, which would be stored in clear in the answers file and the VCH's configuration",
            "use a proxy that admits the VCH by its address, without a password in the URL",
        )
    return None


def check_proxies(spec: VchSpec) -> Iterator[Problem]:
    for key in ("http_proxy", "https_proxy"):
        text = spec.get(key)
        if text is not None:
            problem = proxy_problem(key, text)
            if problem:
                yield problem
    if spec.no_proxy is None:
        return
    items = spec.no_proxy.split(",")
    if any(not item.strip() or _BLANK_OR_CONTROL.search(item.strip()) for item in items):
        yield Problem(
            "no_proxy",
            f"{spec.no_proxy!r} is not * or a comma-separated list of host names and domains",
            'e.g. no_proxy = "localhost,.example.com,10.0.0.5" (no empty entries, no blanks inside one)',
        )
    elif any(item != item.strip() for item in items):
        yield Problem(
            "no_proxy",
            f"{spec.no_proxy!r} has blanks around an entry (vic-machine would strip them, so would not write "
            "what you typed)",
            "write it without spaces: " + ",".join(item.strip() for item in items),
        )
    if spec.http_proxy is None and spec.https_proxy is None:
        yield warning("no_proxy", "has no effect without http_proxy or https_proxy", "set a proxy, or remove no_proxy")
