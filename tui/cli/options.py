"""Options every subcommand and the TUI share: where vSphere is and how to trust and log in to it."""

from __future__ import annotations

import argparse
import getpass
import sys

from tui.core.errors import InvalidInput
from tui.core.secret import Secret


def add_connection_options(parser: argparse.ArgumentParser, *, top_level: bool = True) -> None:
    """On a subcommand the defaults are suppressed, so `vch-tui --target X ls` keeps the top-level value."""
    default = None if top_level else argparse.SUPPRESS
    group = parser.add_argument_group(
        "vSphere connection",
        "flags first, then VIC_MACHINE_TARGET/USER/PASSWORD/THUMBPRINT, then GOVC_URL/GOVC_USERNAME/GOVC_PASSWORD",
    )
    group.add_argument(
        "-t", "--target", default=default, help="vCenter or ESXi: HOST, HOST:PORT, user@HOST/datacenter or https://HOST"
    )
    group.add_argument("-u", "--user", default=default, help="vSphere user name")
    group.add_argument(
        "-p",
        "--password",
        type=Secret,
        default=default,
        help="password (visible to other users in ps: "
        "prefer --password-file or VIC_MACHINE_PASSWORD; asked for when missing and a terminal is attached)",
    )
    group.add_argument(
        "--password-file",
        default=default,
        metavar="PATH",
        help="read the password from the first line of this file or pipe (e.g. --password-file <(pass vc))",
    )
    group.add_argument(
        "--thumbprint", default=default, help="trust the server certificate with this SHA-256 or SHA-1 fingerprint"
    )
    group.add_argument(
        "--ca-file", default=default, help="PEM file of CA certificates to trust (also GOVC_TLS_CA_CERTS)"
    )


MAX_PASSWORD_FILE = 64 * 1024


def read_password_file(path: str, *, flag: str = "--password-file") -> Secret:
    """The first line of a regular file or a pipe (not a device or folder, at most 64 KiB); InvalidInput (exit 2)
    naming --password-file otherwise."""
    import os
    import stat

    def refuse(why: str) -> InvalidInput:
        return InvalidInput(
            f"{flag} {path}: {why}", field=flag, hint="give a file (or a pipe) whose first line is the password"
        )

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise refuse(exc.strerror or "cannot be opened") from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise refuse("is not a regular file or a pipe")
        data = b""
        while len(data) <= MAX_PASSWORD_FILE:
            chunk = os.read(fd, 8192)
            if not chunk:
                break
            data += chunk
            if b"\n" in data:
                break
    finally:
        os.close(fd)
    line = data.split(b"\n", 1)[0]
    if len(line) > MAX_PASSWORD_FILE:
        raise refuse(f"its first line is longer than {MAX_PASSWORD_FILE} bytes")
    try:
        text = line.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        raise refuse("is not UTF-8 text") from None
    if not text:
        raise refuse("its first line is empty")
    return Secret(text)


def connect_options(args: argparse.Namespace, *, interactive: bool | None = None):
    """Resolve the options; ask for a missing password when a terminal is attached."""
    from tui.core.vsphere.connection import ConnectOptions

    password = getattr(args, "password", None)
    password_file = getattr(args, "password_file", None)
    if password is not None and password_file is not None:
        raise InvalidInput(
            "--password and --password-file both given", field="--password-file", hint="give only --password-file"
        )
    if password_file is not None:
        password = read_password_file(password_file)
    elif password is not None:
        print(
            "warning: --password on the command line is visible to other users of this machine (ps, shell "
            "history); use --password-file or VIC_MACHINE_PASSWORD",
            file=sys.stderr,
        )
    opts = ConnectOptions.resolve(
        target=args.target, user=args.user, password=password, thumbprint=args.thumbprint, ca_file=args.ca_file
    )
    if interactive is None:
        interactive = sys.stdin.isatty()
    if opts.user and not opts.password and interactive:
        opts.password = Secret(getpass.getpass(f"Password for {opts.user}@{opts.target.label}: "))
    return opts


def open_session(args: argparse.Namespace):
    """Connect for a headless command. Errors propagate as VchError (exit 3 for trust/connection)."""
    from tui.core.vsphere.connection import connect

    return connect(connect_options(args))
