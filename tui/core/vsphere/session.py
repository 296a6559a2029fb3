"""What the front ends read of a logged-in vSphere session, as a Protocol: the TUI's screens, the status bar
and the CLI's vic-machine command read these and nothing else (the core's own work takes the real
VSphereSession from connection.py, which meets this Protocol). UI tests hand in small stand-ins that meet it
without pyvmomi."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from tui.core.vsphere.target import Target


@runtime_checkable
class FrontEndSession(Protocol):
    @property
    def target(self) -> Target | None:
        """Where the session is logged in (None for a stand-in without one)."""

    @property
    def target_label(self) -> str:
        """`host:port`, as the connection bar shows it."""

    @property
    def user(self) -> str | None: ...

    @property
    def trusted_by(self) -> str:
        """How the server certificate was trusted: "ca", "fingerprint" or "plain-http"."""

    @property
    def pinned_sha1(self) -> str | None:
        """The SHA-1 fingerprint when the certificate was trusted by its fingerprint (vic-machine's --thumbprint)."""

    @property
    def about(self) -> str:
        """The server's full name and build, e.g. `VMware vCenter Server 8.0.2 build-22617221`."""

    def start_keepalive(self, interval: float = 600.0) -> None: ...

    def logout(self) -> None: ...
