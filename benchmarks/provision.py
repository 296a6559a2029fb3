"""Benchmark: create (and delete) a VCH against the simulator with 20 ms per SOAP call.

Prints how many vSphere calls each phase makes, by method, and the wall time against calls x latency, so a
change that adds round trips (a lazy property read in a loop, a per-object query) shows up at once.

    .venv/bin/python benchmarks/provision.py [--latency-ms 20] [--dhcp] [--iso-mb 8]

The simulator's VIC appliance stand-in boots the VCH from the configuration create writes: it reports the
client address (after a 1 s boot with --dhcp) and serves the Docker API itself.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rig.provisioning import free_loopback  # noqa: E402
from tui.core.secret import Secret  # noqa: E402
from tui.core.spec.model import Resources, RoleNetwork, Tls, VchSpec  # noqa: E402
from tui.core.vsphere.calls import count_calls  # noqa: E402
from tui.core.vsphere.connection import ConnectOptions, connect  # noqa: E402
from tui.vchsim.iso_image import write_iso  # noqa: E402
from tui.vchsim.simulator import CLUSTER, DATASTORES, PORT_GROUPS, Simulator  # noqa: E402


def _spec(name: str, isos: Path, dhcp: bool) -> VchSpec:
    public = (
        RoleNetwork(port_group=PORT_GROUPS["public"])
        if dhcp
        else RoleNetwork(port_group=PORT_GROUPS["public"], ip=f"{free_loopback()}/8", gateway="127.0.0.254")
    )
    return VchSpec(
        name=name,
        compute_resource=CLUSTER,
        image_store=DATASTORES[0],
        bridge_network=PORT_GROUPS["bridge"],
        public=public,
        tls=Tls(no_tls=True, tls_cert_path=str(isos / name)),
        resources=Resources(cpu=4000, memory=8192, cpu_shares="high"),
        appliance_iso=str(isos / "appliance.iso"),
        bootstrap_iso=str(isos / "bootstrap.iso"),
        timeout="60s",
    )


def _report(title: str, counter, seconds: float, latency: float) -> None:
    floor = counter.total * latency
    print(
        f"\n{title}: {counter.total} vSphere calls in {seconds:.2f} s "
        f"(calls x latency = {floor:.2f} s, other work {seconds - floor:+.2f} s)"
    )
    for method, n in sorted(counter.by_method.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {n:>3}  {method}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument(
        "--dhcp", action="store_true", help="DHCP: the appliance reports its address 1 s after power-on"
    )
    parser.add_argument("--iso-mb", type=int, default=8, help="size of the appliance ISO to upload")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vch-bench-") as tmp, Simulator(password=Secret("bench-Pa55word")) as sim:
        isos = Path(tmp)
        write_iso(isos / "appliance.iso", os.urandom(args.iso_mb << 20))
        write_iso(isos / "bootstrap.iso", os.urandom(1 << 20))
        return _measure(sim, isos, args.dhcp, args.latency_ms)


def _measure(sim, isos: Path, dhcp: bool, latency_ms: int) -> int:
    from tui.core.vch.build import build_plan
    from tui.core.vch.plan import RunOptions
    from tui.core.vch.runner import run_plan
    from tui.core.vch.teardown import delete_vch, plan_delete
    from tui.core.vch.validate_target import load_target_facts

    latency = latency_ms / 1000
    opts = ConnectOptions.resolve(
        target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password, thumbprint=sim.sha256, env={}
    )
    with connect(opts) as session:
        sim.set_delay(latency_ms)
        spec = _spec("vch-bench", isos, dhcp)
        print(
            f"simulator {sim.url}, {latency_ms} ms per SOAP call, appliance ISO "
            f"{(isos / 'appliance.iso').stat().st_size >> 20} MiB, {'DHCP address' if dhcp else 'static address'}"
        )

        started = time.monotonic()
        with count_calls(session) as planning:
            plan = build_plan(spec, load_target_facts(session), RunOptions())
        _report("plan (inventory read + validation)", planning, time.monotonic() - started, latency)

        sim.set_boot_delay(1000 if dhcp else 0)
        started = time.monotonic()
        with count_calls(session) as running:
            result = run_plan(plan, session)
        _report("create (run the plan)", running, time.monotonic() - started, latency)
        if not result.ok:
            print(f"create FAILED: {result.error}")
            return 1

        started = time.monotonic()
        with count_calls(session) as deleting:
            outcome = delete_vch(session, plan_delete(session, spec.name))
        _report("delete", deleting, time.monotonic() - started, latency)
        total = planning.total + running.total + deleting.total
        print(f"\ntotal: {total} calls; create end to end {planning.total + running.total} calls")
        if not outcome.ok:
            return 1
        return _versus_vic_machine_g1(sim, session, isos, latency_ms)


def _before_power_on(methods: list[str]) -> int:
    return next((i for i, m in enumerate(methods) if m.startswith("PowerOn")), len(methods))


def _versus_vic_machine_g1(sim, session, isos: Path, latency_ms: int) -> int:
    """G1 of the vic-machine 1.5.8 captures, created by vch-tui from the same command: the SOAP calls before
    power-on, next to vic-machine's (tests/data/vic-machine-1.5.8/G1/soap-summary.txt, one line per request)."""
    from dataclasses import replace

    from tests.unit.vic.vic_captures import DATA, command
    from tui.core.vch.build import build_plan
    from tui.core.vch.plan import RunOptions
    from tui.core.vch.runner import run_plan
    from tui.core.vch.teardown import delete_vch, plan_delete
    from tui.core.vch.validate_target import load_target_facts

    theirs = [line.split()[1] for line in (DATA / "G1" / "soap-summary.txt").read_text().splitlines() if line.strip()]
    spec = command("G1").spec
    spec = replace(
        spec,
        tls=replace(spec.tls, tls_cert_path=str(isos / spec.name)),
        appliance_iso=str(isos / "appliance.iso"),
        bootstrap_iso=str(isos / "bootstrap.iso"),
    )
    with count_calls(session) as ours:
        plan = build_plan(spec, load_target_facts(session), RunOptions())
        result = run_plan(plan, session)
    sim.set_delay(0)
    if not result.ok:
        print(f"G1 create FAILED: {result.error}")
        return 1
    delete_vch(session, plan_delete(session, spec.name))
    mine, vics = _before_power_on(ours.order), _before_power_on(theirs)
    print(
        f"\nG1 (the captured vic-machine 1.5.8 spec), SOAP calls before power-on: vch-tui {mine}, "
        f"vic-machine {vics} ({mine / vics:.2f}x); whole create: vch-tui {ours.total}, vic-machine {len(theirs)} "
        f"(vic-machine's count includes its 2 logins and ServiceContent reads; vch-tui's starts logged in)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
