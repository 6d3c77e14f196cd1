"""Steps about a whole subscription (the migration provider is not registered), which every
unit of that subscription needs: done once, in the unit that runs first; the other units'
steps only check that it is done, and name the step that does it."""

from __future__ import annotations

from collections.abc import Iterable

from csmlint.findings import commands as azure
from csmlint.findings.finding import Finding
from csmlint.migration.plan.model import Command, UnitPlan

ONCE_NOTE = (
    "Once per subscription: step {step} ({unit}) does this. If it has run, only check that "
    "it held (the commands below read only); if not, run step {step} first."
)


def subscription_wide(findings: Iterable[Finding]) -> set[tuple[str, str]]:
    """(rule id, location) of the findings about a whole subscription, not one unit."""
    return {
        (f.rule_id, f.location.display())
        for f in findings
        if f.subscription and not f.unit and f.entity_key.startswith("subscription:")
    }


def share_subscription_steps(plans: list[UnitPlan], wide: set[tuple[str, str]]) -> None:
    """Keep each subscription-wide step whole in the unit that runs first (``order``), and
    cut its copies in the other units down to the checks, naming that step. ``plans`` are
    numbered."""
    first: dict[tuple[object, ...], tuple[str, str]] = {}  # step -> (number, unit heading)
    for plan in sorted(plans, key=lambda p: p.order):
        for step in plan.steps:
            about = [(r.rule_id, r.location) for r in step.resolves]
            if not about or not all(a in wide for a in about):
                continue
            key = (step.phase, tuple(about), tuple(c.text for c in step.commands))
            if key not in first:
                first[key] = (step.number, plan.heading)
                continue
            number, heading = first[key]
            step.detail = ONCE_NOTE.format(step=number, unit=heading)
            step.commands = _checks(step.commands)


def _checks(commands: list[Command]) -> list[Command]:
    """The commands that only read, with the context they run in (the subscription)."""
    looks = [c for c in commands if azure.changes(c.text) is False]
    shells = {c.shell for c in looks}
    return [c for c in commands if c in looks or (azure.is_context(c.text) and c.shell in shells)]
