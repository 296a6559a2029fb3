"""Options every subcommand and the TUI share: where vSphere is and how to trust and log in to it."""

from __future__ import annotations

import argparse
import getpass
import sys

from tui.core.secret import Secret


def add_connection_options(parser: argparse.ArgumentParser, *, top_level: bool = True) -> None:
    """On a subcommand the defaults are suppressed, so `vch-tui --target X ls` keeps the top-level value."""
    default = None if top_level else argparse.SUPPRESS
    group = parser.add_argument_group(
        "vSphere connection",
        "flags first, then VIC_MACHINE_TARGET/USER/PASSWORD/THUMBPRINT, then GOVC_URL/GOVC_USERNAME/GOVC_PASSWORD",
    )
    group.add_argument("-t", "--target", default=default, help="vCenter or ESXi: HOST, HOST:PORT, user@HOST/datacenter or https://HOST")
    group.add_argument("-u", "--user", default=default, help="vSphere user name")
    group.add_argument("-p", "--password", type=Secret, default=default, help="password (asked for when missing and a terminal is attached)")
    group.add_argument("--thumbprint", default=default, help="trust the server certificate with this SHA-256 or SHA-1 fingerprint")
    group.add_argument("--ca-file", default=default, help="PEM file of CA certificates to trust (also GOVC_TLS_CA_CERTS)")


def connect_options(args: argparse.Namespace, *, interactive: bool | None = None):
    """Resolve the options; ask for a missing password when a terminal is attached."""
    from tui.core.vsphere.connection import ConnectOptions

    opts = ConnectOptions.resolve(
        target=args.target, user=args.user, password=args.password, thumbprint=args.thumbprint, ca_file=args.ca_file
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
