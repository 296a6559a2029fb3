"""The demo rig: a vSphere simulator started on 127.0.0.1 playing the seed story, seeded with its two VCHs,
trusted by its fingerprint (no insecure shortcut)."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.paths import state_dir, write_private_atomic
from tui.core.secret import Secret
from tui.core.vsphere.connection import ConnectOptions
from tui.vchsim.simulator import Simulator

DEMO_USER = "administrator@vsphere.local"
PASSWORD_FILE = "demo-password"  # in state_dir(), 0600, removed when the demo stops
# Guest addresses for the endpoint VMs (the simulator runs no guest), so `ls` shows a Docker host. Loopback
# ones, as the simulator maps every guest address (a static a.b.c.d becomes 127.b.c.d): a probe or a docker
# command against the demo never reaches the operator's real network.
ENDPOINT_IPS = {"vch-limited": "127.168.10.41", "vch-unlimited": "127.168.10.42"}


@dataclass
class DemoRig:
    simulator: Simulator
    workdir: Path  # holds the placeholder ISOs; the TUI runs from here so the wizard's defaults exist
    keep_workdir: bool = False  # the user's --iso-dir: left in place on exit
    story_start: float | None = None  # when the seed story's rotated loop started (None: --steady)
    password_file: Path | None = None
    vchs: list[str] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        listen: str = "127.0.0.1:0",
        *,
        steady: bool = False,
        seed: bool = True,
        binary: Path | None = None,
        cert_dir: Path | None = None,
        iso_dir: Path | None = None,
    ) -> "DemoRig":
        """`iso_dir`: the folder for the placeholder ISOs (made if missing, ISOs already there kept, nothing
        removed on exit); without it, a temporary folder removed on exit."""
        from tui.vchsim import scenario
        from tui.vchsim.demo_seed import write_placeholder_isos

        story_start = None if steady else time.time()
        # A fresh random password each run: the demo never ships a well-known credential.
        sim = Simulator(
            username=DEMO_USER,
            password=Secret(secrets.token_urlsafe(18)),
            listen=listen,
            scenario=scenario.seed_story(steady=steady, start=story_start),
            binary=binary,
            cert_dir=cert_dir,
        )
        if iso_dir is not None:
            workdir = Path(iso_dir).absolute()
            workdir.mkdir(parents=True, exist_ok=True)
        else:
            workdir = Path(tempfile.mkdtemp(prefix="vch-tui-demo-"))
        rig = cls(sim, workdir, keep_workdir=iso_dir is not None, story_start=story_start)
        try:
            sim.start()
            write_placeholder_isos(workdir, keep_existing=rig.keep_workdir)
            if seed:
                rig.seed()
        except BaseException:
            rig.stop()
            raise
        return rig

    def seed(self) -> None:
        from tui.core.vsphere.connection import connect
        from tui.vchsim.demo_seed import seed_story

        session = connect(self.connect_options())
        try:
            self.vchs = list(seed_story(session.content))
        finally:
            session.logout()
        for name in self.vchs:
            if name in ENDPOINT_IPS:
                self.simulator.set_vm_ip(name, ENDPOINT_IPS[name])

    def story_note(self) -> str:
        from tui.vchsim import scenario

        if self.story_start is None:
            return "the seed story holds its peak (--steady): every counter stays at its contention value"
        return scenario.loop_note(self.story_start)

    def connect_options(self) -> ConnectOptions:
        sim = self.simulator
        return ConnectOptions.resolve(
            target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password, thumbprint=sim.sha256, env={}
        )

    def write_password_file(self) -> Path:
        """The password in a 0600 file (for a second terminal or a test to log in); never printed."""
        path = state_dir() / PASSWORD_FILE
        write_private_atomic(path, self.simulator.password.reveal().encode())  # 0600 in a 0700 folder
        self.password_file = path
        return path

    def stop(self) -> None:
        try:
            self.simulator.stop()
        finally:
            if self.password_file is not None:
                self.password_file.unlink(missing_ok=True)
                self.password_file = None
            if not self.keep_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "DemoRig":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
