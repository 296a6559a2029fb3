"""`vch-tui export` scraped by a real Prometheus server (Debian's), against the simulator playing the
steady seed story: the stored series are the scenario's raw values after the formulas, the shipped
alerting rules fire for the stressed containers and not for their twins (through the server's query
API and `promtool test rules`), a scrape never reaches vSphere, and TLS + basic auth work with
Prometheus's own client."""

from __future__ import annotations

import json
import os
import queue
import re
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.rig import vch_shape
from tests.rig.binaries import require
from tests.rig.prometheus import PrometheusServer
from tests.rig.tls_files import Authority, write_pair
from tui.core.export import names
from tui.core.export.contrib import RULES_PATH
from tui.core.export.rules import alert_rules
from tui.core.metrics import counters
from tui.core.metrics.model import ContainerMetrics
from tui.core.metrics.thresholds import evaluate
from tui.vchsim import scenario

pytestmark = pytest.mark.rig

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / RULES_PATH
SERVING = re.compile(r"serving (\S+/metrics)")
WEB_PASSWORD = "scrape-Pa55-w0rd"

# The story, written out by hand: which alert fires for which container (none for the twins).
EXPECTED_ALERTS = {
    ("VchContainerCpuReadyCritical", "cpu-stress"),
    ("VchContainerCpuCostopWarning", "cpu-stress"),
    ("VchContainerCpuMaxlimitedWarning", "cpu-stress"),
    ("VchContainerMemoryBalloonWarning", "mem-stress"),
    ("VchContainerMemorySwappedCritical", "mem-stress"),
    ("VchContainerMemorySwapinCritical", "mem-stress"),
    ("VchContainerMemoryLatencyCritical", "mem-stress"),
}
SUMMARIES = {  # as Prometheus renders the rules' templates for the plateau values
    "VchContainerCpuReadyCritical": "CPU ready per vCPU 38% on container {c} (VCH {v}, vCenter {vc})",
    "VchContainerCpuCostopWarning": "Co-stop per vCPU 4% on container {c} (VCH {v}, vCenter {vc})",
    "VchContainerCpuMaxlimitedWarning": "Limit throttling per vCPU 35% on container {c} (VCH {v}, vCenter {vc})",
    "VchContainerMemoryBalloonWarning": "Balloon 236MiB on container {c} (VCH {v}, vCenter {vc})",
    "VchContainerMemorySwappedCritical": "Swapped 120MiB on container {c} (VCH {v}, vCenter {vc})",
    "VchContainerMemorySwapinCritical": "Swap-in rate 300kiB/s on container {c} (VCH {v}, vCenter {vc})",
    "VchContainerMemoryLatencyCritical": "Memory latency 40% on container {c} (VCH {v}, vCenter {vc})",
}


def expected_base(story: scenario.StoryContainer, counter: counters.Counter) -> float:
    """The scenario's raw plateau value in base units, computed here from the counters' raw units."""
    raw = story.plateau[counter.name]
    return {
        "cpu_time": raw / (scenario.INTERVAL * 1000 * story.vcpus),
        "percent": raw / 10000,
        "kb": raw * 1024,
        "kbps": raw * 1024,
        "mhz": raw * 1e6,
    }[counter.kind]


class Exporter:
    """`vch-tui export` as a child process; stderr drained into `lines`."""

    def __init__(self, sim, *extra: str, env: dict | None = None) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui",
                "export",
                "--target",
                f"{sim.host}:{sim.port}",
                "--user",
                sim.username,
                "--thumbprint",
                sim.sha256,
                "--listen",
                "127.0.0.1:0",
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "VIC_MACHINE_PASSWORD": sim.password.reveal(), **(env or {})},
        )
        threading.Thread(target=self._drain, daemon=True).start()
        self.url = self._wait_serving()

    def _drain(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put(None)

    def _wait_serving(self, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            if match := SERVING.search(line):
                return match.group(1)
        self.stop()
        raise AssertionError("the exporter did not start serving:\n" + "".join(self.lines))

    @property
    def address(self) -> str:
        return self.url.split("://", 1)[1].removesuffix("/metrics")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            return self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)


def scrape(url: str, *, context: ssl.SSLContext | None = None, headers: dict | None = None) -> str:
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30, context=context) as resp:
        return resp.read().decode()


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    from prometheus_client.parser import text_string_to_metric_families

    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


@pytest.fixture(scope="module")
def story(vchsim_binary, tmp_path_factory):  # noqa: F811
    sim, opts, shapes, session = vch_shape.story_rig(vchsim_binary, tmp_path_factory.mktemp("export-cert"))
    host_mhz = vch_shape.host_mhz(session.content)
    session.logout()
    yield sim, shapes, host_mhz
    sim.stop()


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export-tls")
    ca = Authority("vch-tui-export-test")
    cert, key = ca.server("127.0.0.1", sans=("127.0.0.1",))
    cert_path, key_path = write_pair(folder, "server", cert, key)
    password_file = folder / "web-password"
    password_file.touch(mode=0o600)
    password_file.write_text(WEB_PASSWORD + "\n")
    return ca.write(folder), cert_path, key_path, password_file


@pytest.fixture(scope="module")
def exporters(story, tls_files):
    sim, _, _ = story
    _, cert, key, password_file = tls_files
    plain = Exporter(sim, "--interval", "2s")
    secure = Exporter(
        sim,
        "--interval",
        "2s",
        "--tls-cert",
        str(cert),
        "--tls-key",
        str(key),
        "--web-user",
        "prometheus",
        "--web-password-file",
        str(password_file),
    )
    yield plain, secure
    codes = (plain.stop(), secure.stop())
    assert codes == (0, 0), "".join(plain.lines + secure.lines)


@pytest.fixture(scope="module")
def prometheus(exporters, tls_files, tmp_path_factory):
    plain, secure = exporters
    ca, _, _, password_file = tls_files
    server = PrometheusServer(
        tmp_path_factory.mktemp("prometheus"),
        [
            {"job_name": "vch-tui", "static_configs": [{"targets": [plain.address]}]},
            {
                "job_name": "vch-tui-secure",
                "scheme": "https",
                "static_configs": [{"targets": [secure.address]}],
                "tls_config": {"ca_file": str(ca)},
                "basic_auth": {"username": "prometheus", "password_file": str(password_file)},
            },
        ],
        [RULES],
    ).start()
    yield server
    server.stop()


def _by_container(results: list[dict]) -> dict[str, float]:
    return {r["metric"]["container"]: float(r["value"][1]) for r in results}


def stored(selector: str) -> str:
    """The last stored sample of each series, even right after a scrape that failed under load (a failed
    scrape marks series stale at once; range functions skip those markers)."""
    return f"last_over_time({selector}[1m])"


def test_stored_series_are_the_scenario_after_the_formulas(story, prometheus):
    sim, shapes, _ = story
    job = '{job="vch-tui"}'
    prometheus.wait_for(
        "every container's CPU ready",
        lambda: len(prometheus.query(stored(names.BY_FIELD["cpu_ready_pct"].name + job))) == len(scenario.CONTAINERS),
    )
    for metric in names.CONTAINER_METRICS:
        counter = counters.BY_FIELD[metric.field]
        got = _by_container(prometheus.query(stored(metric.name + job)))
        want = {vch_shape.container_vm_name(c.name): expected_base(c, counter) for c in scenario.CONTAINERS}
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12), metric.name
    series = prometheus.query(f"{stored(names.CONTAINER_STATE + job)} == 1")
    states = {r["metric"]["container"]: r["metric"]["state"] for r in series}
    for c in scenario.CONTAINERS:
        dashboard_state, _ = evaluate(ContainerMetrics(**scenario.plateau_display(c)))
        assert states[vch_shape.container_vm_name(c.name)] == dashboard_state
        labels = next(r["metric"] for r in series if r["metric"]["container"] == vch_shape.container_vm_name(c.name))
        assert (labels["vch"], labels["vm"], labels["vcenter"]) == (
            c.vch.name,
            shapes[c.vch.name].moid(c.name),
            f"{sim.host}:{sim.port}",
        )


def test_vch_limits_configured_totals_and_overcommit(story, prometheus):
    _, _, host_mhz = story
    mhz = max(host_mhz.values())  # the simulator's hosts are all alike
    assert set(host_mhz.values()) == {mhz}
    configured_mhz = {
        v.name: sum(c.vcpus * mhz for c in scenario.CONTAINERS if c.vch == v)
        for v in (scenario.LIMITED, scenario.UNLIMITED)
    }

    def by_vch(expr: str) -> dict[str, float]:
        return {r["metric"]["vch"]: float(r["value"][1]) for r in prometheus.query(stored(expr + '{job="vch-tui"}'))}

    prometheus.wait_for("the VCH series", lambda: len(by_vch("vch_overcommitted")) == 2)
    assert by_vch("vch_cpu_limit_hertz") == {"vch-limited": 500e6}  # unlimited: no series
    assert by_vch("vch_memory_limit_bytes") == {"vch-limited": 500 * 2**20}
    assert by_vch("vch_cpu_configured_hertz") == {k: v * 1e6 for k, v in configured_mhz.items()}
    assert by_vch("vch_memory_configured_bytes") == {"vch-limited": 4096 * 2**20, "vch-unlimited": 4096 * 2**20}
    assert by_vch("vch_cpu_overcommit_ratio") == pytest.approx({"vch-limited": configured_mhz["vch-limited"] / 500})
    assert by_vch("vch_memory_overcommit_ratio") == pytest.approx({"vch-limited": 4096 / 500})
    assert by_vch("vch_overcommitted") == {"vch-limited": 1, "vch-unlimited": 0}


def _firing(prometheus, job: str) -> set[tuple[str, str]]:
    out = set()
    for r in prometheus.query(f'ALERTS{{alertstate="firing", job="{job}"}}'):
        labels = r["metric"]
        target = re.sub(r"-[0-9a-f]{12}$", "", labels["container"]) if "container" in labels else labels["vch"]
        out.add((labels["alertname"], target))
    return out


def test_rules_fire_for_the_stressed_containers_and_not_their_twins(prometheus):
    expected = EXPECTED_ALERTS | {("VchOvercommitted", scenario.LIMITED.name)}
    # equality, polled: a scrape that fails under load resolves the alerts until the next one succeeds
    last: list[set] = [set()]

    def exactly_expected() -> bool:
        last[0] = _firing(prometheus, "vch-tui")
        return last[0] == expected

    try:
        prometheus.wait_for("exactly the story's alerts", exactly_expected)
    except AssertionError:
        pytest.fail(f"firing {sorted(last[0])}\nexpected {sorted(expected)}")
    firing = last[0]
    assert not {a for a in firing if a[1].startswith("twin-") or a[1] == scenario.UNLIMITED.name}
    # the alerts say what the dashboard says: each container's worst alert is its dashboard state
    for c in scenario.CONTAINERS:
        state, _ = evaluate(ContainerMetrics(**scenario.plateau_display(c)))
        levels = {name.removeprefix("VchContainer") for name, who in firing if who == c.name}
        worst = "crit" if any(x.endswith("Critical") for x in levels) else "warn" if levels else "ok"
        assert worst == state, c.name


def test_promtool_test_rules_on_what_the_exporter_served(exporters, tmp_path):
    promtool = require("promtool", "prometheus")
    plain, _ = exporters
    served = samples(scrape(plain.url))
    series = []
    for (name, labels), value in served.items():
        if name.startswith(f"{names.PREFIX}_container_") or name in (names.VCH_OVERCOMMITTED, names.EXPORTER_UP):
            selector = ",".join([f'__name__="{name}"'] + [f'{k}="{v}"' for k, v in sorted(labels)])
            series.append({"series": "{" + selector + "}", "values": " ".join([repr(value)] * 5)})
    descriptions = {r["alert"]: r["annotations"]["description"] for r in alert_rules()["groups"][0]["rules"]}
    containers = {dict(labels)["container"]: dict(labels) for (name, labels) in served if name == names.CONTAINER_STATE}
    tests = []
    for rule in alert_rules()["groups"][0]["rules"]:
        alert = rule["alert"]
        expected = []
        for container, labels in sorted(containers.items()):
            if (alert, re.sub(r"-[0-9a-f]{12}$", "", container)) in EXPECTED_ALERTS:
                own = {k: v for k, v in labels.items() if k != "state"}
                summary = SUMMARIES[alert].format(c=container, v=own["vch"], vc=own["vcenter"])
                expected.append(
                    {
                        "exp_labels": {**own, "severity": rule["labels"]["severity"]},
                        "exp_annotations": {"summary": summary, "description": descriptions[alert]},
                    }
                )
        if alert == "VchOvercommitted":
            vcenter = next(iter(containers.values()))["vcenter"]
            expected.append(
                {
                    "exp_labels": {"vcenter": vcenter, "vch": scenario.LIMITED.name, "severity": "warning"},
                    "exp_annotations": {
                        "summary": f"VCH {scenario.LIMITED.name} (vCenter {vcenter}) is over-committed",
                        "description": descriptions[alert],
                    },
                }
            )
        tests.append({"alertname": alert, "eval_time": "1m", "exp_alerts": expected})
    assert sum(len(t["exp_alerts"]) for t in tests) == len(EXPECTED_ALERTS) + 1
    spec = tmp_path / "vch-tui.test.yml"
    spec.write_text(
        json.dumps(
            {
                "rule_files": [str(RULES)],
                "evaluation_interval": "15s",
                "tests": [{"interval": "15s", "input_series": series, "alert_rule_test": tests}],
            }
        )
    )
    out = subprocess.run([promtool, "test", "rules", str(spec)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "SUCCESS" in out.stdout + out.stderr


def test_a_scrape_never_reaches_vsphere(story):
    sim, _, _ = story
    exporter = Exporter(sim, "--interval", "1h")  # the only refresh is the one before serving
    try:
        first = samples(scrape(exporter.url))
        for _ in range(10):
            again = samples(scrape(exporter.url))
            for counter in (
                "vch_tui_refreshes_total",
                "vch_tui_queryperf_calls_total",
                "vch_tui_soap_calls_total",
                "vch_tui_last_success_timestamp_seconds",
            ):
                key = next(k for k in again if k[0] == counter)
                assert again[key] == first[key], counter
        assert next(v for k, v in first.items() if k[0] == "vch_tui_refreshes_total") == 1
        assert next(v for k, v in first.items() if k[0] == "vch_tui_queryperf_calls_total") == 1
    finally:
        assert exporter.stop() == 0


def test_tls_and_basic_auth_scraped_by_prometheus(exporters, tls_files, prometheus):
    plain, secure = exporters
    ca, _, _, _ = tls_files
    up = prometheus.wait_for(
        "the secure job's successful scrape",
        lambda: [r for r in prometheus.query('up{job="vch-tui-secure"}') if r["value"][1] == "1"],
    )
    assert len(up) == 1
    got = _by_container(prometheus.query(stored(names.BY_FIELD["cpu_ready_pct"].name + '{job="vch-tui-secure"}')))
    assert got[vch_shape.container_vm_name("cpu-stress")] == pytest.approx(0.38)
    context = ssl.create_default_context(cafile=str(ca))
    with pytest.raises(urllib.error.HTTPError) as refused:
        scrape(secure.url, context=context)
    assert refused.value.code == 401
    with pytest.raises(urllib.error.HTTPError) as wrong:
        scrape(secure.url, context=context, headers={"Authorization": "Basic cHJvbWV0aGV1czp3cm9uZw=="})
    assert wrong.value.code == 401
    with pytest.raises((urllib.error.URLError, ConnectionError)):  # no plain HTTP on the TLS port
        scrape(secure.url.replace("https://", "http://"))
    assert WEB_PASSWORD not in "".join(secure.lines)


def test_only_the_named_vchs(story):
    sim, _, _ = story
    exporter = Exporter(sim, "--vch", scenario.LIMITED.name, "--interval", "1h")
    try:
        served = samples(scrape(exporter.url))
    finally:
        assert exporter.stop() == 0
    containers = {dict(labels)["container"] for name, labels in served if name == names.CONTAINER_STATE}
    assert containers == {vch_shape.container_vm_name(c.name) for c in scenario.CONTAINERS if c.vch == scenario.LIMITED}
    assert {dict(labels)["vch"] for name, labels in served if name == names.VCH_OVERCOMMITTED} == {
        scenario.LIMITED.name
    }


def test_an_unknown_vch_is_invalid_input_naming_the_vchs(story):
    sim, _, _ = story
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "export",
            "--target",
            f"{sim.host}:{sim.port}",
            "--user",
            sim.username,
            "--thumbprint",
            sim.sha256,
            "--listen",
            "127.0.0.1:0",
            "--vch",
            scenario.LIMITED.name,
            "nope",
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=90,
        env={**os.environ, "VIC_MACHINE_PASSWORD": sim.password.reveal()},
    )
    assert out.returncode == 2, out.stderr
    assert "'nope'" in out.stderr and scenario.UNLIMITED.name in out.stderr and "serving" not in out.stderr


def test_vcenter_gone_means_up_0_errors_counted_and_no_container_series(vchsim_binary, tmp_path):  # noqa: F811
    from tests.waits import wait_until

    sim, _, _, session = vch_shape.story_rig(vchsim_binary, tmp_path / "cert")
    session.logout()
    exporter = Exporter(sim, "--interval", "1s")
    try:
        before = samples(scrape(exporter.url))
        assert next(v for k, v in before.items() if k[0] == names.EXPORTER_UP) == 1
        sim.stop()

        def down():
            now = samples(scrape(exporter.url))
            return now if next(v for k, v in now.items() if k[0] == names.EXPORTER_UP) == 0 else None

        after = wait_until(down, "vch_tui_up 0", timeout=60)
        assert not [k for k in after if k[0].startswith(f"{names.PREFIX}_container_")]
        assert next(v for k, v in after.items() if k[0] == "vch_tui_refresh_errors_total") >= 1
        value = lambda doc, name: next(v for k, v in doc.items() if k[0] == name)  # noqa: E731
        errors = value(after, "vch_tui_refresh_errors_total")
        later = wait_until(
            lambda: (
                (doc := samples(scrape(exporter.url))) and value(doc, "vch_tui_refresh_errors_total") > errors and doc
            ),
            "another failed refresh",
            timeout=60,
        )
        last = "vch_tui_last_success_timestamp_seconds"
        assert value(later, last) == value(after, last) >= value(before, last)
        wait_until(lambda: any("reconnecting" in line for line in exporter.lines), "the exporter saying so", timeout=30)
    finally:
        assert exporter.stop() == 0
        sim.stop()
