"""Exit codes and the error types every front end maps onto them."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # the operation failed (after any rollback)
    INVALID = 2  # invalid input or usage
    CONNECTION = 3  # connection or certificate-trust failure


class VchError(Exception):
    """Base error: `str(err)` is a complete message for the user; `exit_code` says how the CLI exits."""

    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  {self.hint}" if self.hint else self.message


class InvalidInput(VchError):
    """Bad input. `field` names the answers-file key / flag the problem is about."""

    exit_code = ExitCode.INVALID

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


class ConnectionFailed(VchError):
    """The target could not be reached, is not vSphere, or refused the login."""

    exit_code = ExitCode.CONNECTION


class TrustError(ConnectionFailed):
    """The server certificate is not trusted (unknown) or does not match the pinned fingerprint."""


class VicConfigError(VchError):
    """VIC's configuration on an endpoint VM (its extraConfig keys) cannot be read or written: a malformed value,
    or a secret that does not open with the VM's secret key."""
