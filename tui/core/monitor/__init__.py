"""The live contention monitor behind `vch-tui top` and the Monitor screen.

  facts.py       VMs, pools and hosts as plain facts, and which VMs are a VCH's containers (pure)
  watcher.py     keeps those facts current with one PropertyCollector filter and WaitForUpdatesEx
  collector.py   one refresh = inventory snapshot + batched raw QueryPerf + assessment; re-login and
                 reconnect with backoff
  session.py     what a viewer keeps between refreshes: bounded history and the alert log (pure)
  alerts.py      the alert log: every change of a container's state, with the reasons in words (pure)
  columns.py, spark.py, text_table.py  sorting, filtering and formatting rows (pure)

The shipped recording of the seed story is tui/vchsim/story.py. Nothing here imports textual; pyvmomi only
inside functions.
"""
