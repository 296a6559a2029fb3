"""Per-container contention metrics: counters, conversions, thresholds, history, raw QueryPerf, record/replay.

Pure and cheap to import: nothing here imports textual or pyvmomi.
"""
