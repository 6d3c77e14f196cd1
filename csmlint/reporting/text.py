"""Human text: one line per finding (and one ``fix:`` line: the first sentence of its fix
and how many commands ``-v`` shows with the rest of the remediation), then readiness per
cloud service and per migration unit (a VNet with everything in it, a cloud service outside
any VNet, a storage account)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from csmlint.findings.finding import Finding, ReportContext, RunResult, ServiceStatus, UnitStatus
from csmlint.findings.summary import Summary, left_out, summarize, unfailed_blockers
from csmlint.reporting.escape import HIDDEN
from csmlint.reporting.grouping import group_notes
from csmlint.rulepack.rule import Rule

_UNSAFE = re.compile(f"[{HIDDEN}\r\ud800-\udfff]")
_COLORS = {
    "error": "31",
    "warning": "33",
    "note": "36",
    "blocked": "31",
    "needs-attention": "33",
    "ready": "32",
}


_NO_MEMBERS = {
    "virtualNetwork": "no cloud service in the inputs migrates with it",
    "storageAccount": "storage account (migrated on its own)",
}
"""What a unit without cloud services shows instead of their names."""


def clean(text: str) -> str:
    """Make input-derived text safe for a terminal: no ANSI/control/bidi/invisible
    characters (:data:`~csmlint.reporting.escape.HIDDEN`), no lone surrogates."""
    text = text.replace("\n", "\\n").replace("\t", " ")
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _paint(text: str, key: str, ctx: ReportContext) -> str:
    return f"\x1b[{_COLORS[key]}m{text}\x1b[0m" if ctx.color else text


def _line(f: Finding, ctx: ReportContext) -> str:
    loc = f.location
    where = clean(loc.display())
    if loc.embedded_line:
        where += f" (embedded .cscfg line {loc.embedded_line})"
    sev = _paint(f.severity, f.severity, ctx)
    if f.severity == "warning" and f.blocks:  # a warning that makes its unit Blocked
        sev += " (blocker)"
    return f"{where}: {sev} {f.rule_id} {f.rule_name} {clean(f.message)}"


def _note(summary: Summary, status: ServiceStatus | UnitStatus) -> str:
    note = summary.readiness_note(status)
    accepted = summary.accepted(status)
    return (f"  (unconfirmed: {note})" if note else "") + (
        f"  ({accepted}: accepted, not fixed)" if accepted else ""
    )


HINT_CHARS = 160


def _hint(f: Finding) -> str:
    """One line of remediation for the default report: the first sentence of the fix,
    clipped, and how many commands ``-v`` shows (the first command is often a look-up, so
    the sentence says more); the first command when there is no text."""
    commands = f.remediation.commands
    text = f.remediation.text.strip()
    if not text:
        return commands[0] if commands else ""
    end = text.find(". ")
    first = text[: end + 1] if end >= 0 else text
    if len(first) > HINT_CHARS:
        first = first[: HINT_CHARS - 3].rstrip() + "..."
    n = len(commands)
    return first + (f"  (-v: {n} command{'s' if n != 1 else ''})" if n else "")


def _labelled(f: Finding) -> list[tuple[str, list[str]]]:
    """The copy boxes of ``f``'s commands (imported here: only ``-v`` shows them, and a
    pre-commit run should not pay for the command analysis)."""
    from csmlint.findings.copy_blocks import AFTER_CATEGORIES, labelled_blocks

    return labelled_blocks(f.remediation.commands, f.category in AFTER_CATEGORIES)


def render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str:
    out: list[str] = []
    labels = {s.key: s.label for s in result.services}
    single, groups = group_notes(result.active, ctx.verbose, labels)
    for f in single:
        out.append(_line(f, ctx))
        if ctx.verbose:
            out.append(f"    fix: {clean(f.remediation.text)}")
            # no "$ " prompt: a line copied whole must paste into PowerShell as it is; the
            # blocks' labels are comments (a check, a change, Commit or Abort), as in the plan
            for label, block in _labelled(f):
                out.append(f"      {label}")
                out.extend(f"      {clean(c)}" for c in block)
        else:
            hint = _hint(f)
            if hint:
                out.append(f"    fix: {clean(hint)}")
        if f.merged:
            out.append(f"    {f.merged_note}")
    if groups:
        out.append("Cannot tell yet (one line per rule; -v lists each note):")
    for g in groups:
        sev = _paint(g.severity, g.severity, ctx)
        settle = f"; settled by {', '.join(g.facts)}" if g.facts else ""
        out.append(
            f"  {sev} {g.rule_id} {g.rule_name}: {len(g.findings)} notes, for "
            f"{clean(g.subject_text())}{clean(settle)}"
        )
    if result.hidden_active:
        out.append(
            "Blocking findings located outside the files named (they decide these files' "
            "verdicts; --fail-on blocked fails on them):"
        )
        out.extend(f"  {_line(f, ctx)}" for f in result.hidden_active)
    hidden = [  # a baseline's findings are summed up in its own line, not listed
        f
        for f in [*result.suppressed, *result.hidden_blockers]
        if (ctx.verbose or f.blocks) and f.suppression and f.suppression.origin != "baseline"
    ]
    if hidden:
        out.append(
            "Suppressed" + ("" if ctx.verbose else " blocking findings (-v lists every one)") + ":"
        )
    for f in hidden:
        reason = (f.suppression.justification if f.suppression else "").strip()
        out.append(f"  {_line(f, ctx)}  (suppressed: {clean(reason or 'no justification')})")
    if out:
        out.append("")
    summary = summarize(result)
    counts = summary.severities
    out.append(
        f"{summary.files} file(s), {summary.cloud_services} cloud service(s): "
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s)"
        + (f", {summary.suppressed} suppressed" if summary.suppressed else "")
    )
    if unfailed := unfailed_blockers(result, ctx.fail_on):
        out.append(unfailed)
    if summary.not_run:
        out.append(
            f"Readiness is unconfirmed: {len(summary.not_run)} of {summary.blocking_rules} "
            "rules that can block did not run (--select/--ignore)."
        )
    if leaves := left_out(summary):
        out.append(leaves)
    if result.baseline is not None:
        out.append(clean(result.baseline.describe()))
    shown = {u.id: u.shown_id for u in result.units}
    if result.services:
        out.append("Readiness by cloud service:")
        told = _told_apart(result.services)
        width = min(max(len(label) for label in told), _WIDEST)
        for s, label in zip(result.services, told, strict=True):
            state = _paint(f"{s.readiness:<15}", s.readiness, ctx)
            unit = clean(shown.get(s.unit, s.unit))
            out.append(f"  {clean(label):<{width}}  {state} {unit}{_note(summary, s)}")
    if result.units:
        out.append("Readiness by migration unit (everything in a unit migrates together):")
        width = min(max(len(u.shown_id) for u in result.units), _WIDEST)
        for u in result.units:
            members = ", ".join(u.service_labels) or _NO_MEMBERS.get(u.kind, "")
            if u.disputed_by:
                members += f"; the .cscfg of {', '.join(u.disputed_by)} names it (CSM184)"
            state = _paint(f"{u.readiness:<15}", u.readiness, ctx)
            line = f"  {clean(u.shown_id):<{width}}  {state} {clean(members)}".rstrip()
            out.append(line + _note(summary, u))
    for note in result.notifications:
        out.append(f"note: {clean(note)}")
    return no_workflow_commands("\n".join(out) + "\n")


def _told_apart(services: list[ServiceStatus]) -> list[str]:
    """Each service's label, with its ``.csdef`` when another service has the same label
    (three copies of one project in a repository read as three identical rows)."""
    seen: dict[str, int] = {}
    for s in services:
        seen[s.label] = seen.get(s.label, 0) + 1
    return [
        f"{s.label} [{s.definition}]" if seen[s.label] > 1 and s.definition else s.label
        for s in services
    ]


_WIDEST = 48
"""Readiness tables pad names to the longest, up to this: a longer name only widens its own
row (a corpus name of 400 characters made every row 500 wide)."""

_COMMAND_START = re.compile(r"^(\s*)::", re.M)


def no_workflow_commands(text: str) -> str:
    """A line that starts with ``::`` is a GitHub Actions workflow command (``::error``,
    ``::add-mask::``, ``::stop-commands::``) when the report is printed in a job log; a
    file named ``::error title=x::a.cscfg`` would forge one. Such a line gets ``./``."""
    return _COMMAND_START.sub(r"\1./::", text)
