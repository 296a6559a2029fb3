"""The operations user: who the VCH's appliance logs in to vSphere as (vic-machine --ops-user/--ops-password).

The user name is part of the spec (answers key `ops_user`, flag --ops-user); the password never is: it comes
from the wizard, VIC_MACHINE_OPS_PASSWORD or --ops-password-file, and lives only encrypted in the VM's
configuration (`connect/*`). Without an ops user vic-machine uses the login and prints ADMIN_OPS_WARNING.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from tui.core.errors import InvalidInput
from tui.core.problems import Problem, warning
from tui.core.secret import Secret

OPS_PASSWORD_ENV = "VIC_MACHINE_OPS_PASSWORD"
# vic-machine 1.5.8's words (every create capture's stdout.txt, line 2).
ADMIN_OPS_WARNING = "Using administrative user for VCH operation - use --ops-user to improve security"


@dataclass(frozen=True)
class OpsCredentials:
    """What connect/* of the VCH's configuration holds when an ops user is given (else: the login's)."""

    user: str
    password: Secret


def ops_user_problems(ops_user: str | None) -> list[Problem]:
    """Local rules for the user name: vSphere logins are `user` or `user@domain` without spaces."""
    if ops_user is None:
        return []
    if not isinstance(ops_user, str) or not ops_user.strip():
        return [
            Problem(
                "ops_user",
                "is empty",
                'remove the key to use the login, or give a user, e.g. ops_user = "vch-ops@vsphere.local"',
            )
        ]
    if any(ch.isspace() or not ch.isprintable() for ch in ops_user):
        return [
            Problem(
                "ops_user",
                f"{ops_user!r} contains whitespace or control characters",
                'give the vSphere user name as you log in with it, e.g. "vch-ops@vsphere.local"',
            )
        ]
    return []


def ops_user_warning(ops_user: str | None) -> Problem | None:
    """The warning vic-machine prints when the VCH would run as the administrative login."""
    if ops_user:
        return None
    return warning(
        "ops_user",
        ADMIN_OPS_WARNING,
        "set ops_user (--ops-user) to a vSphere user with only the VCH's permissions, and give its "
        f"password in {OPS_PASSWORD_ENV} or --ops-password-file",
    )


def ops_password_from_env(environ: Mapping[str, str] | None = None) -> Secret | None:
    value = (os.environ if environ is None else environ).get(OPS_PASSWORD_ENV)
    return Secret(value) if value else None


def resolve_ops_credentials(ops_user: str | None, ops_password: Secret | None) -> OpsCredentials | None:
    """The ops user's credentials, or None when the login is to be used (no ops user: vic-machine's default).
    An ops user without a password, or an ops password without an ops user, is invalid input naming the field."""
    if not ops_user:
        if ops_password:
            raise InvalidInput(
                "ops_user: not set, but an ops password was given",
                field="ops_user",
                hint=f"set ops_user (--ops-user), or unset {OPS_PASSWORD_ENV}",
            )
        return None
    if not ops_password:
        raise InvalidInput(
            f"ops_password: missing for ops_user {ops_user!r}",
            field="ops_password",
            hint=f"give it in {OPS_PASSWORD_ENV} or --ops-password-file FILE",
        )
    return OpsCredentials(ops_user, ops_password)
