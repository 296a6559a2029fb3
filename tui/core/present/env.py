"""The docker environment as shell lines: `export KEY=value`, each value quoted exactly as the `.env` file
quotes it (a VCH name with a space gives a DOCKER_CERT_PATH with a space, which must stay one word)."""

from __future__ import annotations

from collections.abc import Mapping

from tui.core.tls.envfile import shell_value


def export_lines(env: Mapping[str, str]) -> list[str]:
    return [f"export {key}={shell_value(value)}" for key, value in env.items()]
