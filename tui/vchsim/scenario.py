"""The seed's story as per-VM counter series for the team simulator (tui/vchsim, perf_scenario.go).

A VCH limited to 500 MHz / 500 MB holds two containers configured far above it: `cpu-stress`
(2 vCPU, 2048 MB, burning both vCPUs) and `mem-stress` (1 vCPU, 2048 MB, touching ~1 GB). Over ten
minutes CPU ready piles up to 38 % per vCPU (35 % of it waiting on the limit), and memory gets
ballooned (~236 MB), swapped (120 MB) and 40 % latency. Their twins on an unlimited VCH run the same
work and stay fine. VIC names container VMs `{name}-{id}`, hence the globs below; the twins are named
`twin-cpu-stress` / `twin-mem-stress` so no glob matches both.

Scenario format (the simulator's): {"interval": 20, "vms": {"<VM name glob>": {"<counter>": [raw, ...]}}}
with raw values in the counters' raw units (ms per interval, MHz, KB, KBps, percent x 100). The value of
a sample taken at Unix time t is series[(t // interval) % len(series)]. With steady=True every series
is its plateau value alone, so one refresh has exactly known values (end-to-end tests).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tui.core.metrics import counters

INTERVAL = 20
CALM, RAMP, PLATEAU = 3, 6, 21  # samples per phase: 30 samples = a 10-minute loop
_WIGGLE = (0, 1, -1, 0.5, -0.5, 1, 0, -1, 0.5, 0, -0.5, 1, -1, 0, 0.5, -1, 1, 0, -0.5, 0.5, 0)


@dataclass(frozen=True)
class StoryVch:
    name: str
    cpu_limit_mhz: int | None  # None = unlimited
    memory_limit_mb: int | None


LIMITED = StoryVch("vch-limited", 500, 500)
UNLIMITED = StoryVch("vch-unlimited", None, None)


@dataclass(frozen=True)
class StoryContainer:
    name: str  # the container name; its VM is "{name}-{id}"
    vch: StoryVch
    vcpus: int
    memory_mb: int
    plateau: dict[str, int]  # counter -> raw value once the stress has built up
    calm: dict[str, int] = field(default_factory=dict)  # before the stress starts (default: plateau)
    wiggle: dict[str, int] = field(default_factory=dict)  # +- amplitude on the plateau (default 0)

    @property
    def vm_glob(self) -> str:
        return f"{self.name}-*"


def _ms(pct_per_vcpu: float, vcpus: int) -> int:
    """Raw ms of summed vCPU time for a share of the interval per vCPU."""
    return round(pct_per_vcpu / 100 * INTERVAL * 1000 * vcpus)


_KB = 1024  # raw memory counters are KB

CONTAINERS: tuple[StoryContainer, ...] = (
    StoryContainer(
        "cpu-stress",
        LIMITED,
        vcpus=2,
        memory_mb=2048,
        plateau={
            "cpu.usagemhz.average": 410,
            "cpu.demand.average": 4200,
            "cpu.entitlement.latest": 420,
            "cpu.ready.summation": _ms(38, 2),
            "cpu.costop.summation": _ms(4, 2),
            "cpu.maxlimited.summation": _ms(35, 2),
            "mem.consumed.average": 180 * _KB,
            "mem.active.average": 90 * _KB,
            "mem.entitlement.average": 190 * _KB,
            "mem.vmmemctl.average": 0,
            "mem.swapped.average": 0,
            "mem.swapinRate.average": 0,
            "mem.latency.average": 0,
        },
        calm={
            "cpu.usagemhz.average": 40,
            "cpu.demand.average": 45,
            "cpu.ready.summation": _ms(0.6, 2),
            "cpu.costop.summation": 0,
            "cpu.maxlimited.summation": 0,
        },
        wiggle={
            "cpu.usagemhz.average": 10,
            "cpu.demand.average": 150,
            "cpu.ready.summation": _ms(4, 2),
            "cpu.costop.summation": _ms(0.5, 2),
            "cpu.maxlimited.summation": _ms(3, 2),
        },
    ),
    StoryContainer(
        "mem-stress",
        LIMITED,
        vcpus=1,
        memory_mb=2048,
        plateau={
            "cpu.usagemhz.average": 55,
            "cpu.demand.average": 60,
            "cpu.entitlement.latest": 80,
            "cpu.ready.summation": _ms(1.2, 1),
            "cpu.costop.summation": 0,
            "cpu.maxlimited.summation": 0,
            "mem.consumed.average": 300 * _KB,
            "mem.active.average": 290 * _KB,
            "mem.entitlement.average": 310 * _KB,
            "mem.vmmemctl.average": 236 * _KB,
            "mem.swapped.average": 120 * _KB,
            "mem.swapinRate.average": 300,
            "mem.latency.average": 4000,
        },
        calm={
            "mem.consumed.average": 120 * _KB,
            "mem.active.average": 60 * _KB,
            "mem.vmmemctl.average": 0,
            "mem.swapped.average": 0,
            "mem.swapinRate.average": 0,
            "mem.latency.average": 0,
        },
        wiggle={
            "mem.vmmemctl.average": 24 * _KB,
            "mem.swapinRate.average": 60,
            "mem.latency.average": 400,
            "mem.active.average": 8 * _KB,
        },
    ),
    StoryContainer(
        "twin-cpu-stress",
        UNLIMITED,
        vcpus=2,
        memory_mb=2048,
        plateau={
            "cpu.usagemhz.average": 4150,
            "cpu.demand.average": 4200,
            "cpu.entitlement.latest": 4200,
            "cpu.ready.summation": _ms(1.2, 2),
            "cpu.costop.summation": _ms(0.3, 2),
            "cpu.maxlimited.summation": 0,
            "mem.consumed.average": 180 * _KB,
            "mem.active.average": 90 * _KB,
            "mem.entitlement.average": 600 * _KB,
            "mem.vmmemctl.average": 0,
            "mem.swapped.average": 0,
            "mem.swapinRate.average": 0,
            "mem.latency.average": 0,
        },
        calm={
            "cpu.usagemhz.average": 40,
            "cpu.demand.average": 45,
            "cpu.entitlement.latest": 4200,
            "cpu.ready.summation": _ms(0.5, 2),
            "cpu.costop.summation": 0,
        },
        wiggle={"cpu.usagemhz.average": 40, "cpu.demand.average": 150, "cpu.ready.summation": _ms(0.4, 2)},
    ),
    StoryContainer(
        "twin-mem-stress",
        UNLIMITED,
        vcpus=1,
        memory_mb=2048,
        plateau={
            "cpu.usagemhz.average": 55,
            "cpu.demand.average": 60,
            "cpu.entitlement.latest": 2000,
            "cpu.ready.summation": _ms(0.5, 1),
            "cpu.costop.summation": 0,
            "cpu.maxlimited.summation": 0,
            "mem.consumed.average": 1100 * _KB,
            "mem.active.average": 950 * _KB,
            "mem.entitlement.average": 1400 * _KB,
            "mem.vmmemctl.average": 0,
            "mem.swapped.average": 0,
            "mem.swapinRate.average": 0,
            "mem.latency.average": 0,
        },
        calm={"mem.consumed.average": 120 * _KB, "mem.active.average": 60 * _KB},
        wiggle={"mem.active.average": 20 * _KB},
    ),
)


def series(container: StoryContainer, counter: str) -> list[int]:
    """The 30-sample loop of one counter: calm, a linear ramp, then the plateau with its wiggle."""
    peak = container.plateau[counter]
    start = container.calm.get(counter, peak)
    amplitude = container.wiggle.get(counter, 0)
    ramp = [round(start + (peak - start) * (i + 1) / (RAMP + 1)) for i in range(RAMP)]
    plateau = [max(0, round(peak + amplitude * w)) for w in _WIGGLE[:PLATEAU]]
    return [start] * CALM + ramp + plateau


LOOP = CALM + RAMP + PLATEAU  # samples in one loop of the story
START_AT = CALM + RAMP - 2  # where a demo starts: late in the ramp, the first warnings a sample or two away


def seed_story(*, steady: bool = False, start: float | None = None) -> dict:
    """The scenario for the simulator's control API (json.dumps it). `start` (Unix time): rotate the loop so
    that the sample due at that time is START_AT, the story's interesting part, not wherever the clock is."""
    shift = 0 if start is None else (int(start) // INTERVAL) % LOOP - START_AT
    vms = {}
    for c in CONTAINERS:
        vms[c.vm_glob] = {
            name: [c.plateau[name]] if steady else _rotated(series(c, name), shift) for name in counters.COUNTER_NAMES
        }
    return {"interval": INTERVAL, "vms": vms}


def _rotated(values: list[int], shift: int) -> list[int]:
    """values[(k - shift) % n] at k: the sample `shift` slots later in the served loop."""
    n = len(values)
    return [values[(k - shift) % n] for k in range(n)]


def loop_note(start: float) -> str:
    """What the demo says about the story's loop, from the time it started (UTC times)."""
    import time

    restart = start + (LOOP - START_AT) * INTERVAL
    return (
        f"the seed story starts late in its ramp (vch-limited's containers close to their peak contention) "
        f"and loops every {LOOP * INTERVAL // 60} minutes: calm {CALM * INTERVAL // 60} min, ramp "
        f"{RAMP * INTERVAL // 60} min, contention {PLATEAU * INTERVAL // 60} min; next restart "
        f"{time.strftime('%H:%M:%S', time.gmtime(restart))} UTC"
    )


def raw_at(values: list[int], t: float, interval: int = INTERVAL) -> int:
    """What the simulator serves for a sample at Unix time t (its formula, for tests)."""
    return values[(int(t) // interval) % len(values)]


def plateau_display(container: StoryContainer) -> dict[str, float | None]:
    """The display values of a steady-story container: what `top --once --json` must print."""
    return counters.display_values(container.plateau, interval_s=INTERVAL, vcpus=container.vcpus)


def by_name(name: str) -> StoryContainer:
    for c in CONTAINERS:
        if c.name == name:
            return c
    raise KeyError(f"no container {name!r} in the seed story; known: {', '.join(c.name for c in CONTAINERS)}")


def to_json(*, steady: bool = False) -> str:
    return json.dumps(seed_story(steady=steady), separators=(",", ":"))
