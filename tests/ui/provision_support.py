"""Stand-ins for the provisioning and VCH screens' UI tests: a fake clock, the plan's step list, scripted run
events, and VCH data objects built from the real core dataclasses. (The real runs against the simulator are
in tests/integration/test_provision_tui.py.)"""

from __future__ import annotations

from tui.core.spec.model import RoleNetwork, Tls, VchSpec
from tui.core.vch import events as ev
from tui.core.vch.plan import PlannedStep


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


SPEC = VchSpec(
    name="vch-demo",
    compute_resource="Cluster",
    image_store="datastore1",
    bridge_network="vch-bridge",
    public=RoleNetwork(port_group="vch-public"),
    tls=Tls(tls_cname="vch.example.com"),
)

STEPS = [
    PlannedStep("validate", "Validate the spec and the target", ("local rules, then the target",)),
    PlannedStep("tls", "Prepare the TLS material", ("generate a CA, server and client certificates",)),
    PlannedStep("folder", "Create the VM folder", ("Datacenter/vm/vch-demo",)),
    PlannedStep("pool", "Create the resource pool", ("Cluster/Resources/vch-demo",)),
    PlannedStep("vm", "Create the endpoint VM", ("vch-demo: otherGuest64, 1 vCPU, 2048 MB",)),
    PlannedStep("upload", "Upload the ISOs", ("v1.5.8-0-2c978fe-appliance.iso", "v1.5.8-0-2c978fe-bootstrap.iso")),
    PlannedStep("configure", "Write VIC's configuration", ("ReconfigVM_Task: the VM's moref, sessions",)),
    PlannedStep("power", "Power on the endpoint VM", ()),
    PlannedStep("address", "Wait for the client address", ()),
    PlannedStep("probe", "Check that the Docker API answers", ()),
    PlannedStep("finish", "Write the .env file", ()),
]


def run_until(clock: FakeClock, last_key: str, *, final_state: str = ev.DONE) -> list[ev.Event]:
    """Events of a run where every step up to `last_key` takes 0.5 s; `last_key` ends in `final_state`
    (RUNNING leaves it running)."""
    events: list[ev.Event] = []
    for step in STEPS:
        events.append(ev.StepChanged(step.key, ev.RUNNING, clock.now))
        if step.key == last_key and final_state == ev.RUNNING:
            return events
        clock.now += 0.5
        events.append(
            ev.StepChanged(
                step.key,
                final_state if step.key == last_key else ev.DONE,
                clock.now,
                "injected fault" if final_state == ev.FAILED else None,
            )
        )
        if step.key == last_key:
            return events
    return events


def success_result() -> ev.RunResult:
    outputs = ev.Outputs(
        endpoint_vm="vch-demo",
        address="10.0.0.42",
        docker_host="10.0.0.42:2376",
        docker_env={
            "DOCKER_TLS_VERIFY": "1",
            "DOCKER_CERT_PATH": "/home/me/vch-demo",
            "DOCKER_HOST": "10.0.0.42:2376",
            "COMPOSE_TLS_VERSION": "TLSv1_2",
        },
        env_file="/home/me/vch-demo/vch-demo.env",
        cert_path="/home/me/vch-demo",
        tls_mode="tlsverify",
    )
    return ev.RunResult(ok=True, outputs=outputs, name="vch-demo")


def failed_result(left: list[str] | None = None) -> ev.RunResult:
    return ev.RunResult(
        ok=False,
        failed_step="power",
        name="vch-demo",
        error="powering on vch-demo failed: injected fault (SystemError)",
        removed=[
            "re-enabled Destroy_Task on the endpoint VM vch-demo",
            "uploaded file [datastore1] vch-demo/v1.5.8-0-2c978fe-bootstrap.iso",
            "uploaded file [datastore1] vch-demo/v1.5.8-0-2c978fe-appliance.iso",
            "endpoint VM vch-demo",
            "resource pool Cluster/Resources/vch-demo",
            "VM folder Datacenter/vm/vch-demo",
        ],
        left=left or [],
    )


# --- the VCH list: data in the core's own dataclasses --------------------------------------------------


def vch_summaries():
    from tui.core.vch.listing import CREATED, INCOMPLETE, VchSummary

    return [
        VchSummary(
            "vch-alpha",
            "/Datacenter/host/Cluster/Resources/vch-alpha",
            "vch-alpha",
            "poweredOn",
            "10.0.0.42:2376",
            CREATED,
            "vm-41",
            "v1.5.8-0-2c978fe",
            "Up to date",
        ),
        VchSummary(
            "vch-broken",
            "/Datacenter/host/Cluster/Resources/vch-broken",
            "vch-broken",
            "poweredOff",
            None,
            INCOMPLETE,
            "vm-57",
        ),
    ]


def inspection(summary):
    from tui.core.vch.endpoint import TlsFacts
    from tui.core.vch.inspection import PoolSettings, VchInspection, VicFacts
    from tui.core.vch.listing import ContainerVm

    tls = TlsFacts(
        "tlsverify",
        server_sha256="AB:" * 31 + "CD",
        ca_sha256="12:" * 31 + "34",
        not_after="2027-11-29T05:00:00+00:00",
        cert_path="/home/me/vch-alpha",
    )
    return VchInspection(
        summary,
        SPEC,
        None,
        tls,
        "10.0.0.42",
        PoolSettings(4000, 0, "high", 8192, 1024, "normal"),
        [ContainerVm("web-1a2b3c4d5e6f", "poweredOn"), ContainerVm("db-0f1e2d3c4b5a", "poweredOff")],
        {"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/home/me/vch-alpha", "DOCKER_HOST": "10.0.0.42:2376"},
        api="Docker 20.10.24, API 1.41",
        vic=VicFacts(
            "v1.5.8-0-2c978fe",
            "Up to date",
            admin_portal="https://10.0.0.42:2378",
            bridge_range="172.16.0.0/12",
            bridge_width=16,
            published_ip="10.0.0.42",
        ),
        docker_command="docker -H 10.0.0.42:2376 --tlsverify info",
    )


def delete_plan(summary, *, running: bool):
    from tui.core.vch.listing import ContainerVm, VchRecord
    from tui.core.vch.teardown import DeletePlan

    record = VchRecord(summary, None, {}, None, None, f"[datastore1] {summary.name}/{summary.name}.vmx")
    members = [
        ContainerVm("web-1a2b3c4d5e6f", "poweredOn" if running else "poweredOff"),
        ContainerVm("stray-vm", "poweredOff", is_container=False),
    ]
    return DeletePlan(
        record,
        members,
        object(),
        summary.path,
        object(),
        f"/Datacenter/vm/{summary.name}",
        f"[datastore1] {summary.name}",
        None,
    )


class StandInBackend:
    """Records the calls the VCH screens make and answers from the data above."""

    def __init__(self, *, running: bool = True) -> None:
        from tui.core.vch.teardown import DeleteResult

        self.vchs = vch_summaries()
        self.running = running
        self.calls: list[tuple] = []
        self._result = DeleteResult

    def list(self, session):
        self.calls.append(("list",))
        return list(self.vchs)

    def inspect(self, session, ref):
        self.calls.append(("inspect", ref))
        return inspection(next(v for v in self.vchs if v.id == ref))

    def plan_delete(self, session, ref):
        self.calls.append(("plan_delete", ref))
        return delete_plan(next(v for v in self.vchs if v.id == ref), running=self.running)

    def delete(self, session, plan, *, force, on_event=None):
        from tui.core.vch.events import LogLine

        self.calls.append(("delete", plan.name, force))
        if on_event:
            on_event(LogLine(f"removed endpoint VM {plan.name}", 0.0))
        self.vchs = [v for v in self.vchs if v.name != plan.name]
        return self._result(plan.name, removed=plan.describe())
