"""The plan as plain text for a terminal: what ``csmlint plan`` prints when standard output
is one. Commands are shown as they are pasted (``<cloud-service-name>``, not the
``&lt;...&gt;`` a Markdown source holds), each copy-and-paste block indented, set off by a
blank line and headed by a comment (``# check (reads only)`` or ``# change``: a comment in
PowerShell and a shell alike, so pasting it runs nothing); every value passes
:func:`~csmlint.reporting.escape.visible`, so nothing from an input can move the cursor or
colour the terminal."""

from __future__ import annotations

from csmlint.findings.commands import SHELL_TITLES, block_label, command_blocks
from csmlint.migration.plan.model import DOWNTIME_NOTES, Plan, Step, UnitPlan
from csmlint.migration.plan.render import (
    READINESS_TITLES,
    SECTION_TITLES,
    SUPPRESSED_TITLE,
    after_units,
    blocker_line,
    resolve_verbs,
    unit_heading,
)
from csmlint.reporting.escape import visible
from csmlint.reporting.text import no_workflow_commands


def to_text(plan: Plan) -> str:
    out = [
        f"Migration plan (csmlint {plan.version}, {plan.files} input file(s), "
        f"{len(plan.units)} migration unit(s))",
        "Blocked units first, each with its blockers at the top; run the units in run order "
        "(a storage account after the VMs that use it), and inside a unit the steps in order.",
        "",
    ]
    for u in plan.units:
        state = READINESS_TITLES.get(u.readiness, u.readiness)
        if u.unconfirmed:
            state += " (unconfirmed)"
        after = "; ".join(f"after {visible(h)} (section {n})" for n, h, _ in after_units(plan, u))
        held = f" (+{len(u.suppressed)} suppressed)" if u.suppressed else ""
        out.append(
            f"  {u.number}. {visible(unit_heading(u))}: {state}, {len(u.blockers)} "
            f"blocker(s){held}, run order {u.order}" + (f", {after}" if after else "")
        )
    for note in plan.notes:
        out += ["", f"note: {visible(note)}"]
    for u in plan.units:
        out += _unit(u)
    return no_workflow_commands("\n".join(out) + "\n")


def _unit(u: UnitPlan) -> list[str]:
    title = READINESS_TITLES.get(u.readiness, u.readiness)
    title += ", unconfirmed" if u.unconfirmed else ""
    heading = f"{u.number}. {visible(unit_heading(u))} ({title})"
    out = ["", "=" * min(len(heading), 78), heading, "=" * min(len(heading), 78)]
    if u.unconfirmed:
        out.append(f"Unconfirmed: {visible(u.unconfirmed)}.")
    if u.cloud_services:
        labels = u.service_labels or u.cloud_services
        out.append("Cloud services: " + ", ".join(visible(n) for n in labels))
    if u.blockers:
        out.append("Blockers (the unit cannot migrate until these are resolved):")
        out += [f"  - {blocker_line(b, visible)}" for b in u.blockers]
    if u.suppressed:
        out.append(SUPPRESSED_TITLE)
        out += [f"  - {blocker_line(b, visible)}" for b in u.suppressed]
    section = ""
    verbs = resolve_verbs(u)
    for s in u.steps:
        if s.section != section:
            section = s.section
            out += ["", f"-- {SECTION_TITLES[section]} --"]
        out += _step(s, verbs[s.number])
    return out


def _step(s: Step, verbs: list[str]) -> list[str]:
    out = ["", f"{s.number} {visible(s.title)}", f"  Downtime: {DOWNTIME_NOTES[s.downtime]}."]
    for r, kind in zip(s.resolves, verbs, strict=True):
        out.append(f"  {kind} {visible(r.rule_id)} at {visible(r.location)}.")
    for paragraph in s.detail.split("\n") if s.detail else ():
        out.append(f"  {visible(paragraph)}")
    for shell in SHELL_TITLES:
        cmds = [c.text for c in s.commands if c.shell == shell]
        if not cmds:
            continue
        out.append(f"  {SHELL_TITLES[shell]}:")
        blocks = command_blocks(cmds)
        for n, block in enumerate(blocks, start=1):
            label = block_label(blocks, n)
            out += ["", f"      {label}"] + [f"      {visible(c)}" for c in block]
        out.append("")
    for ref in s.references:
        out.append(f"  see: {visible(ref.title)} <{visible(ref.url)}>")
    return out
