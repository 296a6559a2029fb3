"""A VCH on vSphere: the plan as data, steps that undo themselves, a runner with rollback, and listing,
inspecting and deleting what exists. The TUI's progress screen, `vch-tui create` and the tests run the same
plan. Heavy imports (pyvmomi, httpx) happen inside functions.

  validate_target.py  TargetFacts (one inventory read) and the checks of a spec against them
  plan.py             check() and assess(): every problem, or the Plan (targets resolved, warnings)
  steps.py            each step's run, undo and description; RunContext records what a run created
  build.py            build_plan: assess, then the ordered steps (above plan.py and steps.py)
  runner.py           run_plan: steps in order, events, cancel, reverse-order rollback, RunResult
  events.py           what a run reports: StepChanged, BytesSent, LogLine, Finished(RunResult)
  journal.py          the local record of what a run made (intent before each create), for `ls` and `delete`
  ownership.py        is the object a journal names still the one this run made?
  endpoint.py         the endpoint VM's hardware and the `guestinfo.vice.` keys it carries
  tls_bridge.py       the run's certificate folder and .env file, on tui.core.tls
  listing.py          the VCHs on a target, find_vch, inspect_vch (VchInspection)
  site.py             what `ls` shows: the VCHs plus the leftovers the journal knows of
  teardown.py         plan_delete and delete_vch: remove a VCH and only what it owns
  vm_removal.py       remove an endpoint VM and its datastore folder, nothing that is not provably its
  fingerprint.py      everything a run could touch, for tests that prove nothing else changed
"""
