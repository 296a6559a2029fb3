"""Build and run `vchsim`, the vSphere test rig: govmomi's simulator (vcsim 0.24.2) plus what tests need.

The Go sources ship in `tui/vchsim/`; `build()` compiles them in GOPATH mode against Debian's
golang-github-vmware-govmomi-dev. `Simulator` starts the binary, waits for its one JSON "ready" line and
drives its control API (/vchsim/* on the same 127.0.0.1 listener): fault injection, latency, per-VM perf
scenarios, session termination, guest IPs, and the state of its VIC appliance stand-in (appliances()),
which serves a VCH's Docker API itself or with a real dockerd (Simulator(dockerd=...)). Pure stdlib; the
password travels to the child on a pipe (-password-fd), never in its environment or on a command line.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from tui.core import paths
from tui.core.errors import InvalidInput, VchError
from tui.core.secret import Secret

# Inventory built by tui/vchsim/inventory.go (keep both in sync; the ready line repeats it).
DATACENTER = "Datacenter"
CLUSTER = "Cluster"  # DRS enabled, fully automated
CLUSTER_HOSTS = ("esx-01", "esx-02", "esx-03")
STANDALONE_HOST = "esx-04"
DATASTORES = ("datastore1", "datastore2")  # mounted on every cluster host
UNREACHABLE_DATASTORE = "esx-04-local"  # mounted only on the standalone host
DVS = "DSwitch"
PORT_GROUPS = {
    "bridge": "vch-bridge",
    "public": "vch-public",
    "client": "vch-client",
    "management": "vch-management",
    "containers": "containers",
    "dmz": "dmz",
    "alias": "Container Net",  # has a space, for alias rules
}
VM_NETWORK = "VM Network"  # standard (non-distributed) network
SCALE_POOL = "scale"  # Cluster/Resources/scale, only with vms > 0
SCALE_FOLDER = "scale"  # vm/scale, only with vms > 0
SCALE_VM_PREFIX = "scale-"  # scale-<12 hex>
DEFAULT_USERNAME = "vcsim-user"
# model="esx" (tui/vchsim/esx_inventory.go): one standalone ESXi host answering as itself (apiType HostAgent)
ESX_DATACENTER = "ha-datacenter"
ESX_DATASTORE = "datastore1"
ESX_EXISTING_PORT_GROUP = "esx-existing-pg"  # a standard port group on vSwitch0 before any VCH
ESX_VSWITCH = "vSwitch0"  # holds "VM Network" and ESX_EXISTING_PORT_GROUP
MODELS = ("vpx", "esx")


def scale_vm_name(index: int) -> str:
    """Name of the index-th VM created by vms=N (same derivation as tui/vchsim/scale.go)."""
    return SCALE_VM_PREFIX + hashlib.sha256(f"vchsim-scale-{index}".encode()).hexdigest()[:12]


INSTALL_HINT = "apt-get install golang-go golang-github-vmware-govmomi-dev golang-golang-x-crypto-dev"
GOVMOMI_DEB = "golang-github-vmware-govmomi-dev"
XCRYPTO_DEB = "golang-golang-x-crypto-dev"  # nacl/secretbox: the appliance stand-in reads VIC's secrets
_XCRYPTO_SECRETBOX = Path("src/golang.org/x/crypto/nacl/secretbox")
DEBIAN_GOPATH = Path("/usr/share/gocode")  # where Debian's golang-*-dev packages put their sources
_GOVMOMI_SIMULATOR = Path("src/github.com/vmware/govmomi/simulator")
GO_FALLBACKS = (Path("/usr/lib/go/bin/go"),)  # Debian's golang-go, when /usr/bin is not on PATH
SOURCE_DIR = Path(__file__).resolve().parent

START_TIMEOUT = 60.0


class SimulatorUnavailable(VchError):
    """Go or the govmomi sources are not installed, so the rig cannot be built."""


class SimulatorError(VchError):
    """The rig failed to build, start, or answer a control call."""


# ---------------------------------------------------------------------------------------------- build


def _go_sources() -> list[Path]:
    files = sorted(SOURCE_DIR.glob("*.go"))
    if not files:
        raise SimulatorUnavailable(
            f"the vchsim Go sources are missing from {SOURCE_DIR}",
            hint="reinstall vch-tui: the package ships tui/vchsim/*.go",
        )
    return files


def source_digest() -> str:
    """Hash of the Go sources (names and contents): the binary's cache key."""
    h = hashlib.sha256()
    for f in _go_sources():
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _build_dir() -> Path:
    override = os.environ.get("VCH_TUI_BUILD_CACHE")
    return (Path(override) if override else paths.cache_dir()) / "vchsim"


def _find_go() -> str:
    go = shutil.which("go") or next((str(p) for p in GO_FALLBACKS if p.is_file()), None)
    if not go:
        raise SimulatorUnavailable(
            "cannot build the vSphere simulator: the Go compiler (go) is not installed",
            hint=f"install it with: {INSTALL_HINT}",
        )
    return go


def _find_gopath() -> Path:
    """The GOPATH tree holding govmomi: Debian's standard path, else wherever dpkg put the package."""
    candidates = [DEBIAN_GOPATH]
    try:
        listed = subprocess.run(["dpkg", "-L", GOVMOMI_DEB], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        listed = ""
    marker = "/" + str(_GOVMOMI_SIMULATOR)
    for line in listed.splitlines():
        if line.endswith(marker):
            candidates.append(Path(line[: -len(marker)]))
    for root in candidates:
        if (root / _GOVMOMI_SIMULATOR / "simulator.go").is_file():
            if not (root / _XCRYPTO_SECRETBOX / "secretbox.go").is_file():
                raise SimulatorUnavailable(
                    f"cannot build the vSphere simulator: golang.org/x/crypto ({XCRYPTO_DEB}) is not installed",
                    hint=f"install it with: apt-get install {XCRYPTO_DEB}",
                )
            return root
    raise SimulatorUnavailable(
        f"cannot build the vSphere simulator: the govmomi Go sources ({GOVMOMI_DEB}) are not installed",
        hint=f"install them with: {INSTALL_HINT}",
    )


def _go_env(gopath: Path, build_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(GO111MODULE="off", GOPATH=str(gopath), GOFLAGS="")
    if not env.get("GOCACHE"):
        base = env.get("XDG_CACHE_HOME") or (str(Path(env["HOME"]) / ".cache") if env.get("HOME") else "")
        usable = False
        if base:
            try:
                Path(base, "go-build").mkdir(parents=True, exist_ok=True)
                usable = os.access(Path(base, "go-build"), os.W_OK)
            except OSError:
                pass
        if not usable:
            env["GOCACHE"] = str(build_dir / "go-build")
    return env


def build(force: bool = False) -> Path:
    """Compile tui/vchsim into <cache>/vchsim/vchsim-<source hash> (reused when present) and return it.

    <cache> is $VCH_TUI_BUILD_CACHE if set, else paths.cache_dir(). Raises SimulatorUnavailable when Go or
    govmomi is missing, SimulatorError when compilation fails.
    """
    out_dir = _build_dir()
    binary = out_dir / f"vchsim-{source_digest()}"
    if binary.is_file() and os.access(binary, os.X_OK) and not force:
        return binary
    go = _find_go()
    gopath = _find_gopath()
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=binary.name + ".", suffix=".tmp", dir=out_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        proc = subprocess.run(
            [go, "build", "-o", str(tmp), "."],
            cwd=SOURCE_DIR,
            env=_go_env(gopath, out_dir),
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )
        if proc.returncode != 0:
            raise SimulatorError(
                f"building the vSphere simulator failed (go build exit {proc.returncode}):\n"
                f"{_tail(proc.stderr + proc.stdout)}",
                hint=f"check that {GOVMOMI_DEB} is version 0.24.x and Go >= 1.18 is installed",
            )
        tmp.chmod(0o755)
        os.replace(tmp, binary)  # atomic: parallel builders never see a half-written binary
    except subprocess.TimeoutExpired as exc:
        raise SimulatorError("building the vSphere simulator timed out after 600 s") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return binary


def go_test(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`go test` of tui/vchsim with the toolchain and GOPATH build() uses (e.g. the VIC decoder's tests on the
    vic-machine captures). Raises SimulatorUnavailable when Go or govmomi is missing."""
    go = _find_go()
    env = _go_env(_find_gopath(), _build_dir())
    return subprocess.run(
        [go, "test", *args, "."],
        cwd=SOURCE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


# ---------------------------------------------------------------------------------------------- run


class Simulator:
    """One running vchsim process. Use as a context manager, or call start()/stop().

    After start(): url ("https://127.0.0.1:PORT/sdk"), host, port, mode, control_url, cert_pem (Path, or
    None in http mode), sha256/sha1 (colon hex of the certificate, "" in http mode), pid, data_dir,
    inventory (dict from the ready line), username, password (Secret).
    """

    def __init__(
        self,
        mode: str = "https",
        username: str = DEFAULT_USERNAME,
        password: Secret | None = None,
        vms: int = 0,
        delay_ms: int = 0,
        scenario: dict | Path | None = None,
        cert_dir: Path | None = None,
        listen: str = "127.0.0.1:0",
        *,
        binary: Path | None = None,
        start_timeout: float = START_TIMEOUT,
        strict_sessions: bool = True,
        dockerd: Path | str | None = None,
        model: str = "vpx",
    ) -> None:
        if model not in MODELS:
            raise InvalidInput(f"simulator model must be 'vpx' or 'esx', not {model!r}", field="model")
        if model == "esx" and vms:
            raise InvalidInput("vms needs the vpx model (the scale VMs go into the cluster)", field="vms")
        if mode not in ("https", "http"):
            raise InvalidInput(f"simulator mode must be 'https' or 'http', not {mode!r}", field="mode")
        if password is None:
            password = Secret("vcsim-Pa55word")
        if not isinstance(password, Secret):
            raise InvalidInput(
                "the simulator password must be a Secret, not a plain string",
                field="password",
                hint="wrap it: Secret('...')",
            )
        if not password:
            raise InvalidInput("the simulator password must not be empty", field="password")
        if not username:
            raise InvalidInput("the simulator user name must not be empty", field="username")
        for name, value in (("vms", vms), ("delay_ms", delay_ms)):
            if not isinstance(value, int) or value < 0:
                raise InvalidInput(f"{name} must be a whole number >= 0, not {value!r}", field=name)
        self.mode = mode
        self.model = model  # "vpx": a vCenter with the inventory above; "esx": a standalone ESXi host
        self.username = username
        self.password = password
        self.vms = vms
        self.delay_ms = delay_ms
        self.listen = listen
        self._scenario = scenario
        self._cert_dir = Path(cert_dir) if cert_dir else None
        self._binary = binary
        self._start_timeout = start_timeout
        self._strict = strict_sessions
        # The VIC appliance stand-in serves a VCH's Docker API with this dockerd (else its built-in endpoint).
        self.dockerd = Path(dockerd) if dockerd else None
        if self.dockerd is not None and not (self.dockerd.is_file() and os.access(self.dockerd, os.X_OK)):
            raise InvalidInput(
                f"dockerd {str(self.dockerd)!r} is not an executable file",
                field="dockerd",
                hint="pass the path of a dockerd binary, e.g. /usr/sbin/dockerd",
            )
        self._proc: subprocess.Popen | None = None
        self._workdir: Path | None = None
        self._ssl: ssl.SSLContext | None = None
        self.url = self.host = self.control_url = self.sha256 = self.sha1 = ""
        self.port = self.pid = 0
        self.cert_pem: Path | None = None
        self.data_dir: Path | None = None  # datastore contents; vchsim removes it when it exits
        self.inventory: dict[str, Any] = {}
        self.start_seconds = 0.0

    def __repr__(self) -> str:
        state = self.url or "not started"
        return f"<Simulator {self.mode} {state} user={self.username!r}>"

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- lifecycle

    def start(self) -> Simulator:
        if self._proc is not None:
            raise SimulatorError("this simulator is already running")
        binary = self._binary or build()
        self._workdir = Path(tempfile.mkdtemp(prefix="vchsim-"))
        args = [
            str(binary),
            "-listen",
            self.listen,
            "-mode",
            self.mode,
            "-model",
            self.model,
            "-username",
            self.username,
            "-vms",
            str(self.vms),
            "-delay-ms",
            str(self.delay_ms),
            f"-strict-sessions={str(self._strict).lower()}",
        ]  # vchsim owns (and removes) its datastore dir
        if self.mode == "https":
            args += ["-cert-dir", str(self._cert_dir or self._workdir / "cert")]
        if self.dockerd is not None:
            args += ["-dockerd", str(self.dockerd)]
        if isinstance(self._scenario, dict):
            scenario_file = self._workdir / "scenario.json"
            scenario_file.write_text(json.dumps(self._scenario))
            args += ["-scenario", str(scenario_file)]
        elif self._scenario is not None:
            args += ["-scenario", str(self._scenario)]
        read_fd, write_fd = os.pipe()
        args += ["-password-fd", str(read_fd)]
        stderr_path = self._workdir / "stderr.log"
        started = time.monotonic()
        try:
            with open(stderr_path, "wb") as stderr:
                # stdin stays open for the child's lifetime: when this process dies, the pipe closes and vchsim
                # exits (-watch-stdin), so no simulator outlives its test run.
                self._proc = subprocess.Popen(
                    args,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=stderr,
                    close_fds=True,
                    pass_fds=(read_fd,),
                )
        finally:
            os.close(read_fd)
        try:
            _write_all(write_fd, self.password.reveal().encode())
        except OSError:
            pass  # the child died before reading: its exit status and stderr explain why (below)
        finally:
            os.close(write_fd)
        line = self._read_ready_line()
        if not line:
            try:  # stdout closed: the process is exiting; the status follows within moments
                code = self._proc.wait(5) if line == "" else self._proc.poll()
            except subprocess.TimeoutExpired:
                code = None
            why = (
                f"exited with status {code}"
                if code is not None
                else f"sent no ready line within {self._start_timeout:.0f} s"
            )
            log = _tail(stderr_path.read_text(errors="replace"))
            self.stop()
            raise SimulatorError(f"the vSphere simulator {why}:\n{log}")
        self.start_seconds = time.monotonic() - started
        try:
            ready = json.loads(line)
        except ValueError:
            self.stop()
            raise SimulatorError(
                f"the vSphere simulator printed {line[:200]!r} instead of its JSON ready line"
            ) from None
        self.url, self.host, self.port = ready["url"], ready["host"], int(ready["port"])
        self.control_url, self.pid, self.inventory = ready["control"], int(ready["pid"]), ready["inventory"]
        self.data_dir = Path(ready["data_dir"])
        self.sha256, self.sha1 = ready["sha256"], ready["sha1"]
        self.cert_pem = Path(ready["cert_pem"]) if ready["cert_pem"] else None
        if self.cert_pem:
            self._ssl = ssl.create_default_context(cafile=str(self.cert_pem))
        return self

    def _read_ready_line(self) -> str | None:
        assert self._proc and self._proc.stdout
        result: list[str] = []
        got = threading.Event()
        stdout = self._proc.stdout

        def pump() -> None:  # read the ready line, then keep draining so the child never blocks on stdout
            first = stdout.readline()
            result.append(first.decode(errors="replace").strip())
            got.set()
            while stdout.read(65536):
                pass

        threading.Thread(target=pump, name="vchsim-stdout", daemon=True).start()
        got.wait(self._start_timeout)
        return result[0] if result else None  # "" = stdout closed, None = timed out

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 5 s (30 s with a dockerd: the appliance stand-in stops its daemons
        first); removes the temporary work directory."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30 if self.dockerd else 5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
            for stream in (proc.stdin, proc.stdout):
                try:
                    if stream:
                        stream.close()
                except OSError:
                    pass
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stderr_tail(self, lines: int = 25) -> str:
        """The last lines vchsim logged (for failure messages)."""
        log = self._workdir / "stderr.log" if self._workdir else None
        return _tail(log.read_text(errors="replace"), lines) if log and log.is_file() else ""

    # -- for clients

    def ssl_context(self) -> ssl.SSLContext:
        """A verifying TLS context that trusts only this simulator's certificate (https mode)."""
        if self.cert_pem is None:
            raise SimulatorError("this simulator runs plain http: it has no certificate")
        return ssl.create_default_context(cafile=str(self.cert_pem))

    def datastore_url(self, path: str, datastore: str | None = None) -> str:
        """HTTP URL of a datastore file (/folder/PATH?dcPath=..&dsName=..), for PUT uploads and GETs."""
        datacenter = ESX_DATACENTER if self.model == "esx" else DATACENTER
        datastore = datastore or (ESX_DATASTORE if self.model == "esx" else DATASTORES[0])
        query = urllib.parse.urlencode({"dcPath": datacenter, "dsName": datastore})
        base = self.url.rsplit("/sdk", 1)[0]
        return f"{base}/folder/{urllib.parse.quote(path.lstrip('/'))}?{query}"

    # -- control API

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        if not self.control_url:
            raise SimulatorError("the simulator is not started")
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.control_url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]  # loopback: no proxy
        if self._ssl is not None:
            handlers.append(urllib.request.HTTPSHandler(context=self._ssl))
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(req, timeout=30) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read()).get("error", "")
            except ValueError:
                detail = exc.reason
            raise SimulatorError(f"vchsim control {method} /vchsim{path} failed ({exc.code}): {detail}") from None
        except urllib.error.URLError as exc:
            raise SimulatorError(f"vchsim control {method} /vchsim{path} failed: {exc.reason}") from None

    def status(self) -> dict:
        return self._control("GET", "")

    def arm_fault(
        self, method: str, fault: str | None = None, message: str | None = None, count: int = 1, stage: str = "call"
    ) -> dict:
        """Make the next `count` calls of SOAP `method` fail with vSphere fault `fault` (-1: until cleared).

        fault defaults to SystemError (its `reason` carries the message); names like "InvalidState" or
        "vim.fault.InvalidState" work. stage="task" (for *_Task methods): the call returns a Task already
        failed with the fault. method "PUT /folder" (HTTP verb + path prefix): those requests get HTTP
        status `fault` (default "500") with the message as body.
        """
        spec: dict[str, Any] = {"method": method, "count": count}
        if fault:
            spec["fault"] = fault
        if message is not None:
            spec["message"] = message
        if stage != "call":
            spec["stage"] = stage
        return self._control("POST", "/fault", spec)

    def clear_faults(self, method: str | None = None) -> None:
        """Disarm everything and reset the fired counters (or disarm only `method`)."""
        suffix = "?" + urllib.parse.urlencode({"method": method}) if method else ""
        self._control("DELETE", "/fault" + suffix)

    def faults(self) -> dict:
        """{"armed": [...], "fired": {method: n}, "fired_total": n}"""
        return self._control("GET", "/fault")

    def terminate_sessions(self) -> int:
        """End every vSphere session; clients get NotAuthenticated on their next call."""
        return int(self._control("POST", "/sessions/terminate")["terminated"])

    def set_scenario(self, data: dict | None) -> None:
        """Replace the per-VM perf scenario ({"interval": 20, "vms": {glob: {counter: [..]}}}); None clears."""
        if data is None:
            self._control("DELETE", "/scenario")
        else:
            self._control("POST", "/scenario", data)

    def set_delay(self, ms: int, methods: dict[str, int] | None = None) -> None:
        """Latency for every SOAP call, plus optional extra per method."""
        self._control("POST", "/delay", {"ms": ms, "methods": methods or {}})

    def appliances(self) -> list[dict]:
        """The VIC appliance stand-in's view of every endpoint VM that booted an *appliance.iso: state
        (booting, no-boot, idle, network-failed, running, degraded, stopping, off) and reason, interfaces with their
        loopback addresses, components (started/status/state/reason) and the Docker API (served, url, tls)."""
        return self._control("GET", "/appliances")["appliances"]

    def appliance(self, vm: str) -> dict | None:
        """The stand-in's state for one VM, by VM name or moref id (vm-61); None if it never booted one."""
        return next((a for a in self.appliances() if vm in (a["name"], a["vm"])), None)

    def set_boot_delay(self, ms: int) -> None:
        """Appliances booted from now on take `ms` (a real appliance's boot and DHCP) before their tether
        publishes an address or starts a component; a power-off meanwhile ends that boot. 0: at once."""
        self._control("POST", "/appliances/boot", {"delay_ms": ms})

    def set_vm_ip(self, name: str, ip: str) -> None:
        """Set guest.ipAddress of VM `name` (vcsim's SET.guest.ipAddress extraConfig hook)."""
        self._control("POST", "/vm/ip", {"name": name, "ip": ip})
