"""Everything that is not UI: the TUI (tui.ui) and the CLI (tui.cli) are two front ends over it. Nothing under
tui.core imports Textual, Rich, a front end or the simulator, and its subpackages import only downwards, in
this order (the import-linter contracts in pyproject.toml; tests/unit/test_core_boundary.py for Textual):

  present/   what both front ends show: plan lines, run/delete outcomes, export lines, inspect sections
  monitor/   the live contention monitor behind `vch-tui top` and the dashboard
  vch/       a VCH on vSphere: plan, steps, runner with rollback, journal, listing, inspect, delete
  vic/       VIC's own configuration format (the endpoint's extraConfig): codec, typed config, readers
  tls/       the Docker API's TLS: modes, certificates, the .env hand-off, the HTTPS probe
  spec/      the VCH spec without vSphere: model, answers file, local validation, the vic-machine command
  vsphere/   talking to vSphere: connection, trust, bulk reads, waits, uploads, faults in words
  settings/  the user's settings file and theme files
  metrics/   per-container contention metrics: counters, thresholds, history, QueryPerf, record/replay

beside them export/ (`vch-tui export`: the collector behind a Prometheus endpoint, rules, dashboard), and the
modules every layer may use:

  errors.py    exit codes and the error types (VchError: str() is the whole message for the user)
  problems.py  Problem (field, message, hint, severity) and ProblemsError carrying all of them
  cancel.py    CancelToken: cooperative cancellation checked between calls
  paths.py     where vch-tui keeps its files (VCH_TUI_HOME moves them all)
  secret.py    Secret: a string that never shows itself
  suggest.py   'did you mean ...?' for mistyped keys, flags and names
"""
