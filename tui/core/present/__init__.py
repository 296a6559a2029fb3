"""What both front ends present: the CLI prints it, the TUI lays it out, and neither words it on its own.

Results are typed (the outcome of a run lists what was removed and what is left as items, not as prose), so
tests assert on the data and each front end only chooses the layout.

  plan.py      plan_lines: a plan's numbered steps with their details, then its warnings
  outcome.py   RunOutcome (a create run) and DeleteOutcome (a delete) from the core's results
  env.py       export_lines: the docker environment as `export KEY=value`, shell-quoted like the .env file
  inspect.py   Section and inspection_sections: what `inspect` shows, as titled (label, value) rows; rows_text
  listing.py   COLUMNS and vch_row: the VCH list of `ls` and the TUI, `*` for what an interrupted create left
  command.py   vic_machine_command: the equivalent vic-machine create for a spec on a session's target
  progress.py  log_text: a run's log line, `warning: ` or `error: ` before what is not information
  risk.py      no_tls_risk: what a VCH without TLS exposes, said the same in the CLI and the TUI

Errors become text in one place below this package: tui.core.vsphere.faults.error_text (the runner needs it
too).
"""
