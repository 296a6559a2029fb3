"""Provisioning a VCH on vSphere: the plan as data, steps that undo themselves, a runner with rollback.

plan.py builds the ordered steps from a spec and the inventory; runner.py executes them (events,
cancellation, reverse-order rollback of what this run created). The TUI progress screen, `vch-tui create`
and the tests all run the same plan. Heavy imports (pyvmomi, httpx) happen inside functions.
"""
