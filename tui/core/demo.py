"""The demo rig: a vSphere simulator started on 127.0.0.1, trusted by its fingerprint (no insecure shortcut)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from .connection import ConnectOptions
from .secret import Secret
from .simulator import Simulator

DEMO_USER = "administrator@vsphere.local"


@dataclass
class DemoRig:
    simulator: Simulator

    @classmethod
    def start(cls, listen: str = "127.0.0.1:0") -> "DemoRig":
        # A fresh random password each run: the demo never ships a well-known credential.
        sim = Simulator(username=DEMO_USER, password=Secret(secrets.token_urlsafe(18)), listen=listen)
        return cls(sim.start())

    def connect_options(self) -> ConnectOptions:
        sim = self.simulator
        return ConnectOptions.resolve(target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password,
                                      thumbprint=sim.sha256, env={})

    def stop(self) -> None:
        self.simulator.stop()

    def __enter__(self) -> "DemoRig":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
