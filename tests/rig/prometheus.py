"""A real Prometheus server (Debian's `prometheus`) on 127.0.0.1, started by the suite, and its query API.

Config files are written as JSON (which YAML reads as it is). Prometheus cannot report a port it picked,
so a free one is chosen and the start is retried on a clash.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.rig.binaries import free_port, require
from tests.waits import wait_until


class PrometheusServer:
    def __init__(
        self, workdir: Path, scrape_configs: list[dict], rule_files: list[Path], *, interval: str = "1s"
    ) -> None:
        self.workdir = workdir
        self.scrape_configs = scrape_configs
        self.rule_files = rule_files
        self.interval = interval
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> "PrometheusServer":
        binary = require("prometheus", "prometheus")
        config = {
            "global": {
                "scrape_interval": self.interval,
                "evaluation_interval": self.interval,
                "scrape_timeout": self.interval,
            },
            "rule_files": [str(p) for p in self.rule_files],
            "scrape_configs": self.scrape_configs,
        }
        config_path = self.workdir / "prometheus.yml"
        config_path.write_text(json.dumps(config, indent=1))
        for _ in range(3):
            self.port = free_port()
            log = (self.workdir / "prometheus.log").open("wb")
            self.proc = subprocess.Popen(
                [
                    binary,
                    f"--config.file={config_path}",
                    f"--storage.tsdb.path={self.workdir / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                    "--log.level=warn",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
            log.close()
            if self._wait_ready(timeout):
                return self
            self.stop()
            if "address already in use" not in self.log():
                break
        raise RuntimeError(f"prometheus did not become ready:\n{self.log()[-3000:]}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url + "/-/ready", timeout=5) as resp:
                    if resp.status == 200:
                        return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def log(self) -> str:
        path = self.workdir / "prometheus.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def api(self, path: str, **params: str) -> Any:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}?{query}", timeout=30) as resp:
            body = json.loads(resp.read())
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict]:
        """Instant vector: [{"metric": {labels}, "value": [t, "v"]}]."""
        return self.api("query", query=expr)["result"]

    def wait_for(self, what: str, check: Callable[[], Any], timeout: float = 90, every: float = 0.5) -> Any:
        return wait_until(check, what, timeout=timeout, step=every)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
