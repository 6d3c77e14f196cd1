"""The plan as JSON (``csmlint.plan/v1``, schema ``csmlint schema plan``), Markdown (for a
change ticket), HTML (the look of the lint report) and text (a terminal:
:mod:`csmlint.migration.plan.text`). Nothing here reads the clock, so the
same inputs give the same bytes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from csmlint.findings.commands import SHELL_TITLES, block_label, changes, command_blocks
from csmlint.migration.plan.model import (
    DOWNTIME_NOTES,
    PLAN_SCHEMA,
    Blocker,
    Plan,
    Step,
    UnitPlan,
)
from csmlint.reporting.escape import html_pre, link_target, md_text

READINESS_TITLES = {"blocked": "Blocked", "needs-attention": "Needs attention", "ready": "Ready"}
SECTION_TITLES = {
    "prepare": "Before the migration",
    "migrate": "The platform migration",
    "after": "After Commit",
}
SUPPRESSED_TITLE = (
    "Suppressed blockers (accepted, not fixed: each keeps the step that resolves it, and the "
    "unit is not ready to migrate until it is done):"
)


def as_dict(plan: Plan) -> dict[str, Any]:
    return {
        "schema": PLAN_SCHEMA,
        "version": plan.version,
        "files": plan.files,
        "units": [_unit(u) for u in plan.units],
        "notes": list(plan.notes),
    }


def _unit(u: UnitPlan) -> dict[str, Any]:
    return {
        **_pick(u, "id", "number", "order", "kind", "name", "readiness"),
        **({"unconfirmed": u.unconfirmed} if u.unconfirmed else {}),
        **({"where": u.where} if u.where else {}),
        "cloudServices": list(u.cloud_services),
        "deployedNames": list(u.deployed_names),
        "afterUnits": list(u.after_units),
        "blockers": [
            {**_pick(b, "rule_id", "rule_name", "location", "message"), "step": b.step or None}
            for b in u.blockers
        ],
        **(
            {
                "suppressed": [
                    {
                        **_pick(b, "rule_id", "rule_name", "location", "message"),
                        "justification": b.suppressed,
                        "step": b.step or None,
                    }
                    for b in u.suppressed
                ]
            }
            if u.suppressed
            else {}
        ),
        "steps": [_step(s) for s in u.steps],
    }


def _step(s: Step) -> dict[str, Any]:
    return {
        **_pick(s, "id", "number", "section", "phase", "title", "detail", "downtime"),
        "commands": [{**_pick(c, "shell", "text"), "changes": changes(c.text)} for c in s.commands],
        "resolves": [
            _pick(r, "rule_id", "rule_name", "severity", "location", "message", "unknown")
            for r in s.resolves
        ],
        "references": [_pick(r, "title", "url") for r in s.references],
    }


def _pick(item: Any, *names: str) -> dict[str, Any]:
    """The named attributes of ``item`` under their camelCase JSON keys, in that order."""
    return {_camel(n): getattr(item, n) for n in names}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


def to_json(plan: Plan) -> str:
    return json.dumps(as_dict(plan), indent=2, ensure_ascii=False) + "\n"


def unit_heading(u: UnitPlan) -> str:
    return u.heading


def after_units(plan: Plan, u: UnitPlan) -> list[tuple[int, str, int]]:
    """(number, heading, run order) of each unit ``u`` runs after, for the overview table:
    named by its run order (the column the reader follows), linked by its number."""
    by_id = {p.id: p for p in plan.units}
    return [
        (by_id[a].number, by_id[a].heading, by_id[a].order) for a in u.after_units if a in by_id
    ]


def to_markdown(plan: Plan) -> str:
    out = [
        "# Migration plan",
        "",
        f"csmlint {plan.version} · {plan.files} input file(s) · "
        f"{len(plan.units)} migration unit(s). Blocked units come first, each with its "
        "blockers at the top; run the units in the *run order* column (a storage account "
        "after the virtual machines that use it). Inside a unit, run the steps in their order.",
        "",
        "| # | unit | readiness | blockers | run order | after |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for u in plan.units:
        after = (
            ", ".join(
                f"{md_text(h)} (run order {o}, section {n})" for n, h, o in after_units(plan, u)
            )
            or "—"
        )
        state = READINESS_TITLES.get(u.readiness, u.readiness)
        if u.unconfirmed:
            state += " (unconfirmed)"
        out.append(
            f"| {u.number} | {md_text(unit_heading(u))} | {state}"
            f" | {len(u.blockers)}{f' (+{len(u.suppressed)} suppressed)' if u.suppressed else ''}"
            f" | {u.order} | {after} |"
        )
    for note in plan.notes:
        out += ["", f"> {md_text(note)}"]
    for u in plan.units:
        out += _markdown_unit(u)
    return "\n".join(out) + "\n"


def _markdown_unit(u: UnitPlan) -> list[str]:
    title = READINESS_TITLES.get(u.readiness, u.readiness) + (
        ", unconfirmed" if u.unconfirmed else ""
    )
    out = ["", f"## {u.number}. {md_text(unit_heading(u))} ({title})", ""]
    if u.unconfirmed:
        out += [f"Unconfirmed: {md_text(u.unconfirmed)}.", ""]
    if u.cloud_services:
        labels = u.service_labels or u.cloud_services
        out += ["Cloud services: " + ", ".join(md_text(n) for n in labels), ""]
    if u.blockers:
        out += ["**Blockers** (the unit cannot migrate until these are resolved):", ""]
        out += [f"- {blocker_line(b, md_text)}" for b in u.blockers]
    if u.suppressed:
        out += ["", f"**{SUPPRESSED_TITLE}**", ""]
        out += [f"- {blocker_line(b, md_text)}" for b in u.suppressed]
    section = ""
    verbs = resolve_verbs(u)
    for s in u.steps:
        if s.section != section:
            section = s.section
            out += ["", f"### {SECTION_TITLES[section]}"]
        out += _markdown_step(s, verbs[s.number])
    return out


def blocker_line(b: Blocker, esc: Callable[[str], str]) -> str:
    """One blocker of a unit, for the Markdown and text plans (``esc`` makes a value safe
    for the format): where it is, whether it is suppressed, and the step that resolves it."""
    where = f"step {b.step}" if b.step else "no step resolves it"
    held = f"suppressed: {esc(b.suppressed)}; " if b.suppressed else ""
    return (
        f"{esc(b.rule_id)} {esc(b.rule_name)} at {esc(b.location)} ({held}{where}): "
        f"{esc(b.message)}"
    )


def resolve_verbs(u: UnitPlan) -> dict[str, list[str]]:
    """Step number -> how it relates to each finding it resolves: ``Resolves``, ``Finds
    out`` (a "cannot tell" note), or ``Completes`` for a later step of a fix split around
    the migration (the before-Validate step already said "Resolves")."""
    seen: set[tuple[str, str]] = set()
    out: dict[str, list[str]] = {}
    for s in u.steps:
        verbs = []
        for r in s.resolves:
            key = (r.rule_id, r.location)
            verbs.append("Completes" if key in seen else "Finds out" if r.unknown else "Resolves")
            seen.add(key)
        out[s.number] = verbs
    return out


def _markdown_step(s: Step, verbs: list[str]) -> list[str]:
    out = ["", f"#### {s.number} {md_text(s.title)}", ""]
    out.append(f"Downtime: {DOWNTIME_NOTES[s.downtime]}.")
    for r, kind in zip(s.resolves, verbs, strict=True):
        out.append(f"{kind} {md_text(r.rule_id)} at {md_text(r.location)}.")
    for paragraph in s.detail.split("\n") if s.detail else ():
        out += ["", md_text(paragraph)]
    for shell in SHELL_TITLES:
        cmds = [c.text for c in s.commands if c.shell == shell]
        if cmds:
            out += ["", f"{SHELL_TITLES[shell]}:"]
            blocks = command_blocks(cmds)
            for n, block in enumerate(blocks, start=1):
                label = block_label(blocks, n)
                out += ["", html_pre("\n".join([label, *block]))]
    if s.references:
        out += [""] + [f"- [{md_text(r.title)}](<{link_target(r.url)}>)" for r in s.references]
    return out


def to_html(plan: Plan) -> str:
    from csmlint.reporting.html import environment, inline_hashes, safe_url

    sections = []
    for u in plan.units:
        groups: list[tuple[str, list[Step]]] = []
        for s in u.steps:
            if not groups or groups[-1][0] != SECTION_TITLES[s.section]:
                groups.append((SECTION_TITLES[s.section], []))
            groups[-1][1].append(s)
        sections.append((u, unit_heading(u), groups, after_units(plan, u), resolve_verbs(u)))
    page = environment().get_template("plan.html.j2")
    return (
        page.render(
            version=plan.version,
            csp=inline_hashes(),
            files=plan.files,
            units=sections,
            notes=plan.notes,
            readiness_titles=READINESS_TITLES,
            downtime=DOWNTIME_NOTES,
            shells=SHELL_TITLES,
            safe_url=safe_url,
            link_steps=_step_links({s.number for u in plan.units for s in u.steps}),
        )
        + "\n"
    )


_STEP_NUMBERS = re.compile(r"\b(steps? )(\d+\.\d+(?:(?:, | and )\d+\.\d+)*)")


def _step_links(numbers: set[str]) -> Callable[[str], list[tuple[str, bool]]]:
    """A paragraph of a step's text in pieces: (text, whether it is a step number of the
    page). The template links the numbers ("the rest: step 1.33") and escapes every piece
    (no markup is built here)."""

    def pieces(text: str) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        at = 0
        for match in _STEP_NUMBERS.finditer(text):
            for n in re.finditer(r"\d+\.\d+", match.group(2)):
                start, end = match.start(2) + n.start(), match.start(2) + n.end()
                if n.group(0) in numbers:
                    out += [(text[at:start], False), (n.group(0), True)]
                    at = end
        out.append((text[at:], False))
        return [p for p in out if p[0]]

    return pieces
