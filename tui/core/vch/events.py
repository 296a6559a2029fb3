"""What a provisioning (or delete) run reports while it works. Plain data: the CLI prints these, the TUI
turns them into messages, tests collect them. `at` is the run clock's reading (monotonic seconds)."""

from __future__ import annotations

from dataclasses import dataclass, field

PENDING = "pending"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
ROLLING_BACK = "rolling back"
ROLLED_BACK = "rolled back"
ROLLBACK_FAILED = "rollback failed"
STATES = (PENDING, RUNNING, DONE, FAILED, ROLLING_BACK, ROLLED_BACK, ROLLBACK_FAILED)


@dataclass(frozen=True)
class StepChanged:
    key: str
    state: str
    at: float
    message: str | None = None


@dataclass(frozen=True)
class BytesSent:
    key: str
    label: str  # the file being sent
    done: int
    total: int
    at: float


@dataclass(frozen=True)
class LogLine:
    text: str
    at: float
    level: str = "info"  # info | warning | error


@dataclass
class Outputs:
    """What a successful run leaves for the user."""

    endpoint_vm: str | None = None
    address: str | None = None
    docker_host: str | None = None
    docker_env: dict[str, str] = field(default_factory=dict)
    env_file: str | None = None
    cert_path: str | None = None
    tls_mode: str | None = None


@dataclass
class RunResult:
    ok: bool
    cancelled: bool = False
    failed_step: str | None = None
    error: str | None = None
    removed: list[str] = field(default_factory=list)  # what the rollback removed, in order
    left: list[str] = field(default_factory=list)  # what could not be removed
    outputs: Outputs = field(default_factory=Outputs)
    name: str = ""

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


@dataclass(frozen=True)
class Finished:
    result: RunResult
    at: float


Event = StepChanged | BytesSent | LogLine | Finished
