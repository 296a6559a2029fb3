"""How fast is one monitor refresh of 1000 containers? Ours vs a naive loop vs the floor, in one run.

    .venv/bin/python benchmarks/refresh.py [--vms 1000] [--rounds 15] [--naive-sample 100] [--concurrency 1]

Starts the simulator rig with N powered-on container VMs (pool Cluster/Resources/scale), makes that
pool a VCH (an endpoint VM with guestinfo.vice./init/common/name, CPU / memory limits) and gives every
VM non-zero values for all 13 counters (so replies are as big as a real vCenter's). Then it times:

- ours:  Collector.refresh() for the VCH: inventory snapshot (kept current by WaitForUpdatesEx),
         raw QueryPerf in chunks of 256 over the pyvmomi session, ElementTree parse, formulas,
         thresholds, header, worst-first sort. Median of --rounds after one warm-up.
- floor: ONE raw HTTP QueryPerf POST for all N VMs (no chunking) + ElementTree parse of the reply
         (ET.fromstring only: no values extracted). Median of --rounds.
- naive: pyvmomi PerformanceManager.QueryPerf once per VM. Timed on --naive-sample VMs and scaled
         linearly to N (said so in the output), because the full loop takes minutes.

All three run twice: on the simulator as it is (it answers a one-VM QueryPerf in ~1.5 ms, so a
per-VM loop is cheap there), and with --latency-ms added to every SOAP call, standing in for the
round trip to a real vCenter, which is what makes a per-VM loop slow in practice.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree as ET

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rig import vch_shape  # noqa: E402
from tui.core.metrics import counters, perfxml  # noqa: E402
from tui.core.metrics.perfquery import post_soap  # noqa: E402
from tui.core.monitor.collector import Collector  # noqa: E402
from tui.core.secret import Secret  # noqa: E402
from tui.core.vsphere.connection import ConnectOptions, connect  # noqa: E402
from tui.vchsim import simulator as rig  # noqa: E402

VCH = "bench"


def _scenario() -> dict:
    # Distinct, non-zero, realistic magnitudes per counter; the simulator drops zeros from replies.
    values = {name: [1000 + 37 * n, 1200 + 37 * n] for n, name in enumerate(counters.COUNTER_NAMES)}
    return {"interval": 20, "vms": {rig.SCALE_VM_PREFIX + "*": values}}


def _median(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _measure(args, session, collector, body: bytes, moids: list[str], ids: list[int], latency: int) -> None:
    from pyVmomi import vim

    rounds = args.rounds if not latency else max(3, args.rounds // 3)
    perf_times: list[float] = []
    soap_calls: list[int] = []

    def ours() -> None:
        waits = collector.watcher.waits
        r = collector.refresh()
        assert r.live and not r.problems and len(r.snapshots[0].containers) == len(moids), r.problems
        perf_times.append(r.perf_s)
        soap_calls.append(r.perf_calls + collector.watcher.waits - waits)

    reply_bytes = 0

    def floor() -> None:
        nonlocal reply_bytes
        reply = post_soap(session.soap_stub, body)
        reply_bytes = len(reply)
        ET.fromstring(reply)

    chunk_bodies = [
        perfxml.build_query_perf(part, perfxml.metric_ids_xml(ids), perf_manager=session.content.perfManager._moId)
        for part in perfxml.chunks(moids, perfxml.MAX_ENTITIES_PER_QUERY)
    ]
    width = min(collector.refresh().concurrency, len(chunk_bodies))

    def chunked_floor() -> None:
        def one(chunk: bytes) -> None:
            ET.fromstring(post_soap(session.soap_stub, chunk))

        if width <= 1:
            for chunk in chunk_bodies:
                one(chunk)
        else:
            with ThreadPoolExecutor(max_workers=width) as pool:
                list(pool.map(one, chunk_bodies))

    ours_s = _median(ours, rounds)
    floor_s = _median(floor, rounds)
    chunked_s = _median(chunked_floor, rounds)
    pm = session.content.perfManager
    sample = moids[: args.naive_sample]
    metric_ids = [vim.PerformanceManager.MetricId(counterId=c, instance="") for c in ids]
    started = time.perf_counter()
    for moid in sample:
        spec = vim.PerformanceManager.QuerySpec(
            entity=vim.VirtualMachine(moid, session.stub), maxSample=1, intervalId=20, metricId=metric_ids
        )
        pm.QueryPerf([spec])
    naive_sample_s = time.perf_counter() - started
    naive_s = naive_sample_s * len(moids) / len(sample)
    n = len(moids)
    where = (
        "simulator as is (no added latency)"
        if not latency
        else f"simulator with {latency} ms added to every SOAP call (a vCenter's round trip; assumed)"
    )
    print(f"\n{where}: median of {rounds}")
    print(
        f"  ours   {ours_s * 1000:8.1f} ms   (QueryPerf requests + parse {statistics.median(perf_times) * 1000:.1f} ms, "
        f"the rest inventory snapshot, formulas, thresholds, sort)"
    )
    print(
        f"  floor  {floor_s * 1000:8.1f} ms   (one raw POST for all {n} VMs, {reply_bytes / 1e6:.1f} MB reply, "
        f"+ ElementTree parse)"
    )
    print(
        f"  floor, chunked {chunked_s * 1000:8.1f} ms   (the same {len(chunk_bodies)} raw POSTs of <= 256 VMs as ours, "
        f"{width} in flight, + ElementTree parse)"
    )
    print(
        f"  naive  {naive_s * 1000:8.1f} ms   (pyvmomi QueryPerf per VM: {len(sample)} VMs took "
        f"{naive_sample_s:.2f} s, scaled linearly to {n})"
    )
    calls_target = math.ceil(n / 256) + 1
    calls = max(soap_calls)
    print(
        f"  SOAP calls per steady-state refresh (QueryPerf + WaitForUpdatesEx), worst of {rounds}: {calls}   "
        f"(target <= ceil({n}/256)+1 = {calls_target}: {'met' if calls <= calls_target else 'MISSED'})"
    )
    ratio_floor = ours_s / floor_s
    ratio_chunked = ours_s / chunked_s
    speedup = naive_s / ours_s
    print(
        f"  ours / floor = {ratio_floor:.2f}x   (one POST for all; target <= 1.5x: "
        f"{'met' if ratio_floor <= 1.5 else f'MISSED by {ratio_floor - 1.5:.2f}x'})"
    )
    print(
        f"  ours / chunked floor = {ratio_chunked:.2f}x   (same chunking; target <= 1.5x: "
        f"{'met' if ratio_chunked <= 1.5 else f'MISSED by {ratio_chunked - 1.5:.2f}x'})"
    )
    print(
        f"  naive / ours = {speedup:.0f}x   (target >= 50x: {'met' if speedup >= 50 else 'MISSED'}; "
        f"even the floor is {naive_s / floor_s:.0f}x faster than naive here)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--naive-sample", type=int, default=100)
    parser.add_argument(
        "--concurrency", type=int, default=None, help="parallel QueryPerf chunks in ours (default: the collector's)"
    )
    parser.add_argument(
        "--latency-ms", type=int, default=20, help="second pass with this delay added to every SOAP call (default 20)"
    )
    args = parser.parse_args(argv)

    print(f"starting the simulator with {args.vms} container VMs...", flush=True)
    started = time.perf_counter()
    sim = rig.Simulator(password=Secret("bench-Pa55word"), vms=args.vms, scenario=_scenario()).start()
    try:
        print(f"  ready in {time.perf_counter() - started:.1f} s", flush=True)
        opts = ConnectOptions.resolve(
            target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password, thumbprint=sim.sha256, env={}
        )
        session = connect(opts)
        content = session.content
        vch_shape.create_vch(
            content,
            VCH,
            cpu_limit_mhz=50_000,
            memory_limit_mb=100_000,
            pool=vch_shape.find_pool(content, rig.SCALE_POOL),
        )

        extra = {} if args.concurrency is None else {"concurrency": args.concurrency}
        collector = Collector(session, vch=VCH, **extra)
        started = time.perf_counter()
        first = collector.refresh()
        setup_s = time.perf_counter() - started
        rows = first.samples()
        assert first.live and len(rows) == args.vms, (first.status, first.problems, len(rows))
        assert all(r.metrics.cpu_ready_pct is not None for r in rows), "values missing"
        moids = [r.vm for r in rows]
        ids = [collector.counter_ids[name] for name in counters.COUNTER_NAMES]
        limit = perfxml.MAX_ENTITIES_PER_QUERY
        perfxml.MAX_ENTITIES_PER_QUERY = len(moids)  # the floor is ONE request for all VMs
        try:
            body = perfxml.build_query_perf(moids, perfxml.metric_ids_xml(ids), perf_manager=content.perfManager._moId)
        finally:
            perfxml.MAX_ENTITIES_PER_QUERY = limit
        print(
            f"\none refresh of {args.vms} containers x {len(ids)} counters: chunks of {limit}, "
            f"concurrency {first.concurrency} (by size unless --concurrency); first refresh incl. inventory load {setup_s:.3f} s"
        )
        for latency in (0, args.latency_ms):
            sim.set_delay(latency)
            _measure(args, session, collector, body, moids, ids, latency)
        sim.set_delay(0)
        collector.close()
        session.logout()
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
