"""UI test helpers (imported as `ui_support`): a stand-in session (it meets the FrontEndSession Protocol, all
the UI reads of a session) and a connect function that plays back scripted outcomes. The full connect against
the simulator lives in tests/integration."""

from __future__ import annotations

from tui.core.vsphere.connection import UnknownCertificate
from tui.core.vsphere.trust import Fingerprints

SHA256 = ":".join(f"{i:02X}" for i in range(0xA0, 0xC0))
SHA1 = ":".join(f"{i:02X}" for i in range(0x10, 0x24))
FINGERPRINTS = Fingerprints(SHA256, SHA1)


class StandInSession:
    """No target, user or pinned thumbprint: the vic-machine command it gives names none."""

    target = None
    user = None
    pinned_sha1 = None

    def __init__(
        self,
        target_label: str = "127.0.0.1:8443",
        trusted_by: str = "fingerprint",
        about: str = "VMware vCenter Server 8.0.2 build-22617221",
    ) -> None:
        self.target_label, self.trusted_by, self.about = target_label, trusted_by, about
        self.logged_out = 0
        self.keepalives = 0

    def start_keepalive(self, interval: float = 600.0) -> None:
        self.keepalives += 1

    def logout(self) -> None:
        self.logged_out += 1


class ScriptedConnect:
    """Call n returns or raises outcome n (a callable gets the options)."""

    def __init__(self, *outcomes: object) -> None:
        self.outcomes = list(outcomes)
        self.calls: list = []

    def __call__(self, opts):
        self.calls.append(opts)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        if callable(outcome) and not isinstance(outcome, StandInSession):
            return outcome(opts)
        return outcome


def unknown_certificate(host: str = "127.0.0.1", port: int = 8443) -> UnknownCertificate:
    return UnknownCertificate(host, port, FINGERPRINTS)
