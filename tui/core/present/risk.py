"""What a VCH without TLS exposes. The CLI prints it before asking for `no-tls`, the TUI's confirmation
shows it: the same words in both."""

from __future__ import annotations

from tui.core.vch.plan import DOCKER_PORT_PLAIN

NO_TLS_TITLE = "Create a VCH without TLS?"


def no_tls_risk(name: str) -> list[str]:
    """The warning as sentences (one per line)."""
    return [
        f"no_tls = true: the Docker API of {name} will be plain HTTP on port {DOCKER_PORT_PLAIN}.",
        "Anyone who can reach it controls every container (and can mount host data).",
        "Use it only on an isolated lab network.",
    ]
