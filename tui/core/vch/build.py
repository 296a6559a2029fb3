"""`build_plan`: the checked plan (plan.py) with its ordered steps (steps.py).

It sits above both so that the steps can re-assess a plan (ValidateStep) without importing this module's
caller chain back: plan.py knows no steps, steps.py imports plan.py, this module imports both.
"""

from __future__ import annotations

from tui.core.spec.model import VchSpec
from tui.core.vch.plan import Plan, RunOptions, assess
from tui.core.vch.steps import steps_for
from tui.core.vch.validate_target import TargetFacts


def build_plan(spec: VchSpec, facts: TargetFacts, options: RunOptions | None = None) -> Plan:
    plan = assess(spec, facts, options)
    plan.steps = steps_for(plan)
    return plan
