"""The live contention monitor behind `vch-tui top` and the Monitor screen.

- inventory.py: VMs, pools and hosts as plain facts, and which VMs are a VCH's containers (pure).
- watcher.py: keeps those facts current with one PropertyCollector filter and WaitForUpdatesEx.
- collector.py: one refresh = inventory snapshot + batched raw QueryPerf + assessment; re-login and
  reconnect with backoff.
- session.py: what a viewer keeps between refreshes: bounded history and the alert log (pure).
- columns.py, spark.py, text_table.py: sorting, filtering and formatting rows (pure).
- story.py: the shipped demo recording of the seed story.

Nothing here imports textual; pyvmomi only inside functions.
"""
