"""The shipped demo recording: the seed's story, replayable with `vch-tui top --replay seed-story`.

It is synthesized, not captured: every frame runs the scenario's raw counter values
(tui/vchsim/scenario.py, the same data the simulator serves in the end-to-end tests) through the
live path's own assembly (container_sample: formulas and thresholds; vch_header: limits, over-commit,
usage). One frame per 20 s realtime sample over the scenario's 10-minute loop: calm, the ramp, then a
limited VCH whose containers suffer while their unlimited twins are fine. Regenerate with
`python -m tui.vchsim.story` after changing the scenario (a unit test checks it is current).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tui.core.metrics import counters
from tui.core.metrics.assemble import container_sample
from tui.core.metrics.model import VchSnapshot
from tui.core.metrics.record import Recorder
from tui.core.metrics.thresholds import worst_first_key
from tui.core.monitor.collector import vch_header
from tui.core.monitor.facts import Inventory, PoolFacts, VmFacts
from tui.vchsim import scenario
from tui.vchsim.story_file import NAME, PATH

START = 1_715_677_200.0  # 2024-05-14 09:00:00 UTC: any fixed time, so replays are the same everywhere
HOST = "host-21"
HOST_MHZ = 2294  # the simulator's hosts
_IDS = {name: n for n, name in enumerate(counters.COUNTER_NAMES)}


def _vm_name(name: str) -> str:
    return f"{name}-{hashlib.sha256(name.encode()).hexdigest()[:12]}"  # VIC's {name}-{id}


def _inventory() -> Inventory:
    vms: dict[str, VmFacts] = {}
    pools: dict[str, PoolFacts] = {}
    for n, vch in enumerate((scenario.LIMITED, scenario.UNLIMITED)):
        pool = f"resgroup-{70 + n}"
        pools[pool] = PoolFacts(pool, vch.name, vch.cpu_limit_mhz, vch.memory_limit_mb)
        vms[f"vm-{80 + n}"] = VmFacts(f"vm-{80 + n}", vch.name, "poweredOn", 1, 2048, pool, HOST, vch.name)
    for n, c in enumerate(scenario.CONTAINERS):
        pool = f"resgroup-{70 + (0 if c.vch is scenario.LIMITED else 1)}"
        moid = f"vm-{90 + n}"
        vms[moid] = VmFacts(
            moid, _vm_name(c.name), "poweredOn", c.vcpus, c.memory_mb, pool, HOST, None, is_container=True
        )
    return Inventory(vms, pools, {HOST: HOST_MHZ})


def frames(
    count: int = scenario.CALM + scenario.RAMP + scenario.PLATEAU,
) -> list[tuple[float, tuple[VchSnapshot, ...]]]:
    inventory = _inventory()
    by_vm_name = {_vm_name(c.name): c for c in scenario.CONTAINERS}
    loops = {c.name: {name: scenario.series(c, name) for name in counters.COUNTER_NAMES} for c in scenario.CONTAINERS}
    out = []
    for i in range(count):
        t = START + i * scenario.INTERVAL
        snapshots = []
        for members in inventory.vchs.values():
            rows = []
            for vm in members.containers:
                story = by_vm_name[vm.name]
                raw = {_IDS[name]: values[i % len(values)] for name, values in loops[story.name].items()}
                rows.append(
                    container_sample(
                        name=vm.name,
                        vm=vm.moid,
                        vcpus=vm.vcpus,
                        memory_mb=vm.memory_mb,
                        power_state=vm.power_state,
                        raw=raw,
                        counter_ids=_IDS,
                    )
                )
            rows.sort(key=worst_first_key)
            snapshots.append(VchSnapshot(vch_header(members, inventory, rows), tuple(rows)))
        out.append((t, tuple(snapshots)))
    return out


def write(path: Path = PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with Recorder(
        path,
        overwrite=True,
        meta={"interval": scenario.INTERVAL, "story": NAME, "source": "synthesized from tui/vchsim/scenario.py"},
    ) as rec:
        for t, snapshots in frames():
            rec.write(t, snapshots)
    return path


if __name__ == "__main__":
    print(write())
