"""What `ls` shows: every VCH on the target (listing.py) plus the leftovers of interrupted runs that have
no endpoint VM (the local journal, resolved by teardown.py). Above both, so neither imports the other."""

from __future__ import annotations

from tui.core.vch.journal import journals
from tui.core.vch.listing import INCOMPLETE, VchSummary, read_vchs
from tui.core.vch.teardown import JOURNAL_PREFIX, DeleteRefused, leftover_plan


def list_vchs(session) -> list[VchSummary]:
    """Every VCH, plus the leftovers of interrupted runs that have no endpoint VM (from the local journal)."""
    summaries = [r.summary for r in read_vchs(session)]
    return sorted(summaries + _journal_leftovers(session, {s.name for s in summaries}), key=lambda v: (v.name, v.path))


def _journal_leftovers(session, names: set[str]) -> list[VchSummary]:
    out = []
    for journal in journals(session):
        if journal.name in names:
            continue
        try:
            plan = leftover_plan(session, journal.name)
        except DeleteRefused:
            plan = None  # something it names changed since: not this tool's to show or delete
        if plan is None or (
            plan.pool is None
            and plan.folder is None
            and plan.leftover_vm is None
            and plan.bridge is None
            and not plan.volume_folders
        ):
            continue  # nothing of it exists any more (delete NAME checks the bridge and folders again)
        out.append(
            VchSummary(
                journal.name,
                plan.pool_path
                or plan.folder_path
                or (f"bridge {plan.bridge.name}" if plan.bridge is not None else "")
                or (plan.volume_folders[0] if plan.volume_folders else ""),
                "-",
                "-",
                None,
                INCOMPLETE,
                JOURNAL_PREFIX + journal.name,
            )
        )
    return out
