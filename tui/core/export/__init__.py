"""`vch-tui export`: the monitor's collector behind a Prometheus /metrics endpoint, and the alerting rules
and Grafana dashboard that go with it.

- names.py: metric names and base units (ratio 0-1, bytes, hertz) for every value the dashboard shows.
- families.py: one refresh -> Prometheus metric families (pure, no vSphere call).
- poller.py: one collector refreshed by a background thread; scrapes read its latest state only.
- server.py: the HTTP(S) endpoint with optional basic auth.
- rules.py, dashboard.py, yaml_text.py: alerting rules and a Grafana dashboard written from the
  dashboard's own thresholds (metrics/thresholds.py), so the three cannot drift.

Nothing here imports textual.
"""
