"""A real dockerd for the test suite, on a free 127.0.0.1 port, with the TLS material under test.

    handle = start_dockerd(material, tmp_path)     # Material of any mode, or None for plain HTTP
    handle.host, handle.port, handle.stop()

Each daemon is isolated: its own data root, exec root (and so its own containerd, which dockerd 20.10
starts itself), pidfile, unix socket and an empty daemon.json (never /etc/docker/daemon.json). No
iptables, no bridge, vfs storage. The exec root sits in a short /tmp folder because containerd's unix
sockets live under it (at most 107 bytes). Needs root; fails (never skips) when dockerd is missing.
Plain TCP costs about one second more: dockerd 20.10 sleeps 1 s after warning about a non-TLS listener.

run_docker(env, *args, home=...) runs the real docker CLI with ONLY the given variables (plus PATH and
a private HOME), e.g. the variables of a `.env` file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tui.core.tls.material import Material
from tui.core.tls.modes import TlsMode

START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


class DockerdUnavailable(RuntimeError):
    pass


def dockerd_binary(search_path: str | None = None) -> str:
    """dockerd on PATH or in the sbin folders (root's PATH may lack them)."""
    search_path = search_path if search_path is not None else os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    path = shutil.which("dockerd", path=search_path)
    if path is None:
        raise DockerdUnavailable("dockerd is not installed: apt-get install docker.io")
    if os.geteuid() != 0:
        raise DockerdUnavailable("dockerd needs root: run the integration tests as root (CI does)")
    return path


def docker_cli() -> str:
    path = shutil.which("docker")
    if path is None:
        raise DockerdUnavailable("the docker CLI is not installed: apt-get install docker.io (or docker-ce-cli)")
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DockerdHandle:
    host: str
    port: int
    mode: TlsMode
    process: subprocess.Popen
    log_path: Path
    short_dir: Path  # exec root and unix socket
    client_ca_file: Path | None = None
    started_in: float = 0.0  # seconds from exec to "API listen on"
    _stopped: bool = field(default=False, repr=False)

    @property
    def unix_socket(self) -> Path:
        return self.short_dir / "docker.sock"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 15) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM; once dockerd logs "Daemon shutdown complete" (its containerd has stopped), the rest is a 1 s
        gRPC reconnect wait, so the process is killed then. Its containerd (own session) is checked by pid."""
        if self._stopped:
            return
        self._stopped = True
        containerd = self._containerd_pid()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT
            while self.process.poll() is None and time.monotonic() < deadline:
                if "Daemon shutdown complete" in self.log_text():
                    time.sleep(0.05)
                    break
                time.sleep(0.01)
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait(timeout=5)
        if containerd is not None and _is_ours(containerd, self.short_dir):
            os.kill(containerd, signal.SIGKILL)
        shutil.rmtree(self.short_dir, ignore_errors=True)

    def _containerd_pid(self) -> int | None:
        match = re.search(r"started new containerd process\" pid=(\d+)", self.log_text())
        return int(match.group(1)) if match else None


def _is_ours(pid: int, short_dir: Path) -> bool:
    try:
        return str(short_dir) in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def _tls_args(material: Material | None, work: Path) -> tuple[list[str], Path | None]:
    if material is None or material.mode == TlsMode.NO_TLS:
        return ["--tls=false"], None
    args = ["--tlscert", str(material.server_cert), "--tlskey", str(material.server_key)]
    if material.verify_clients:
        bundle = work / "client-ca.pem"
        bundle.write_bytes(material.client_ca_pem())
        return ["--tlsverify", "--tlscacert", str(bundle), *args], bundle
    return ["--tls", "--tlsverify=false", *args], None


def start_dockerd(
    material: Material | TlsMode | None, tmp_path: Path, *, port: int | None = None, timeout: float = START_TIMEOUT
) -> DockerdHandle:
    """Start dockerd serving `material` and wait until its API listens. None, TlsMode.NO_TLS or a NO_TLS
    Material mean plain HTTP; TLS modes need their Material. A free port is picked when none is given
    (and picked again if another process took it meanwhile)."""
    if isinstance(material, TlsMode):
        if material != TlsMode.NO_TLS:
            raise ValueError(f"dockerd in {material.value} mode needs its Material (write_material), not the mode")
        material = None
    for attempt in range(3):
        try:
            return _start(material, tmp_path, port or free_port(), timeout)
        except _PortTaken:
            if port is not None or attempt == 2:
                raise RuntimeError("dockerd: the port was taken by another process") from None
    raise AssertionError("unreachable")


class _PortTaken(RuntimeError):
    pass


def _start(material: Material | None, tmp_path: Path, port: int, timeout: float) -> DockerdHandle:
    binary = dockerd_binary()
    work = Path(tempfile.mkdtemp(prefix="dockerd-", dir=tmp_path))
    short = Path(tempfile.mkdtemp(prefix="vd", dir="/tmp"))
    tls_args, bundle = _tls_args(material, work)
    config = work / "daemon.json"
    config.write_text(json.dumps({}))
    cmd = [
        binary,
        "--config-file",
        str(config),
        "--iptables=false",
        "--ip-forward=false",
        "--ip-masq=false",
        "--bridge=none",
        "--userland-proxy=false",
        "--storage-driver=vfs",
        "--data-root",
        str(work / "data"),
        "--exec-root",
        str(short / "x"),
        "--pidfile",
        str(work / "dockerd.pid"),
        "-H",
        f"tcp://127.0.0.1:{port}",
        "-H",
        f"unix://{short / 'docker.sock'}",
        *tls_args,
    ]
    log_path = work / "dockerd.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    mode = material.mode if material is not None else TlsMode.NO_TLS
    handle = DockerdHandle("127.0.0.1", port, mode, process, log_path, short, bundle)
    ready = f"API listen on 127.0.0.1:{port}"
    deadline = started + timeout
    while time.monotonic() < deadline:
        text = handle.log_text()
        if ready in text:
            handle.started_in = time.monotonic() - started
            return handle
        if process.poll() is not None:
            handle.stop()
            if "address already in use" in text:
                raise _PortTaken()
            raise RuntimeError(f"dockerd exited with {process.returncode} before listening:\n{handle.log_tail()}")
        time.sleep(0.02)
    handle.stop()
    raise RuntimeError(f"dockerd did not listen on 127.0.0.1:{port} within {timeout:g} s:\n{handle.log_tail()}")


def run_docker(env: dict[str, str], *args: str, home: Path, timeout: float = 30.0) -> subprocess.CompletedProcess:
    """The docker CLI with only `env`, PATH and a private HOME (no ~/.docker, no inherited DOCKER_*)."""
    home.mkdir(parents=True, exist_ok=True)
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), **env}
    return subprocess.run(
        [docker_cli(), *args], env=full, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def docker_info(env: dict[str, str], home: Path) -> subprocess.CompletedProcess:
    """`docker info` printing "<server version> <storage driver>". Check it with docker_info_ok(): CLI 28 exits 0
    even when the daemon answered an error (it prints the error and an empty template)."""
    return run_docker(env, "info", "--format", "{{.ServerVersion}} {{.Driver}}", home=home)


def docker_info_ok(out: subprocess.CompletedProcess) -> bool:
    words = out.stdout.split()
    return out.returncode == 0 and len(words) == 2 and words[0][:1].isdigit()


def start_or_fail(material: Material | TlsMode | None, tmp_path: Path, **kwargs) -> DockerdHandle:
    """start_dockerd for fixtures: a missing or failing dockerd fails the test (the rig never skips)."""
    try:
        return start_dockerd(material, tmp_path, **kwargs)
    except (DockerdUnavailable, RuntimeError) as exc:
        pytest.fail(f"dockerd rig: {exc}", pytrace=False)


@pytest.fixture
def dockerd_factory(tmp_path) -> Iterator:
    """start(material) -> DockerdHandle; every daemon is stopped when the test ends. Fails when dockerd is missing."""
    started: list[DockerdHandle] = []

    def start(material: Material | TlsMode | None, **kwargs) -> DockerdHandle:
        handle = start_or_fail(material, tmp_path, **kwargs)
        started.append(handle)
        return handle

    yield start
    for handle in started:
        handle.stop()
