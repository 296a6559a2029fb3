"""Talking to vSphere: connection, target, trust, bulk inventory reads, waits, uploads, faults."""
