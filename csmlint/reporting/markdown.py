"""Markdown for pull-request comments and ``$GITHUB_STEP_SUMMARY`` (GitHub-flavoured).

A readiness table per cloud service and per virtual network, then the findings, blockers
first (grouped by category, most severe first inside a group), each with ``file:line``, the
message, the remediation and its commands.

Every input-derived value is escaped (:mod:`csmlint.reporting.escape`): plain values as
Markdown/HTML-inert text, paths as ``<code>`` and commands as ``<pre><code>`` blocks with
entity-escaped content. GitHub renders raw HTML in Markdown, so a role named ``<script>``
must arrive as text: no ``<`` of input ever reaches the Markdown source.

GitHub rejects comments over 65,536 characters; the report stops adding findings at
``LIMIT`` characters and ends with a note saying how many were left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from csmlint.findings.copy_blocks import AFTER_CATEGORIES, labelled_blocks
from csmlint.findings.finding import (
    SEVERITY_RANK,
    Finding,
    ReportContext,
    RunResult,
    ServiceStatus,
    UnitStatus,
)
from csmlint.findings.summary import Summary, group_of, left_out, summarize, unfailed_blockers
from csmlint.reporting.escape import html_code, html_pre, link_target, md_text
from csmlint.reporting.grouping import NoteGroup, group_notes
from csmlint.reporting.uris import is_file_path
from csmlint.rulepack.rule import Rule

LIMIT = 65_000
_RESERVE = 600
"""Room kept for the truncation note."""
FULL_SHARE = 0.6
"""Findings get the full form (message, fix, commands) until this share of ``LIMIT`` is
used; later ones get one line each, so a large estate still lists most of its findings."""
MAX_ROWS = 100
"""Readiness table rows (most blocked first); the summary line counts every service."""
CATEGORY_TITLES = {
    "blocker": "Blockers: must be fixed before the migration",
    "dropped": "Dropped by the migration: settings or features that will not carry over",
    "post-migration": "Post-migration work",
    "advisory": "Advisory",
    "unknown": "Cannot tell yet: facts the inputs do not give (add them to the topology)",
}
"""Section titles; ``unknown`` holds every rule's "cannot tell" notes, whatever its category,
so a blocker heading counts blockers only."""
READINESS_LABEL = {
    "blocked": "**blocked**",
    "needs-attention": "needs attention",
    "ready": "ready",
}
_READINESS_ORDER = {"blocked": 0, "needs-attention": 1, "ready": 2}


def _where(f: Finding) -> str:
    loc = f.location
    if not is_file_path(loc.path):
        return html_code(loc.pointer or f.entity_key or "estate")
    text = f"{loc.path}:{loc.line}" if loc.line is not None else loc.path
    if loc.pointer and loc.line is None:
        text += f"#{loc.pointer}"
    return html_code(text)


def _indent(block: str, spaces: int = 2) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in block.split("\n"))


def finding_line(f: Finding) -> str:
    """The compact form: one list item without fix or commands."""
    return (
        f"- **{md_text(f.severity)}** {md_text(f.rule_id)} {md_text(f.rule_name)} at "
        f"{_where(f)}: {md_text(f.message)}"
    )


def finding_block(f: Finding, labels: dict[str, str] | None = None) -> str:
    """The full form; ``labels`` name the cloud services by service key (the deployed name,
    else ``<cloud-service-name> (csdef: X)``)."""
    head = f"- **{md_text(f.severity)}** {md_text(f.rule_id)} {md_text(f.rule_name)} at {_where(f)}"
    service = (labels or {}).get(f.service_key or "", f.cloud_service)
    scope = [
        f"cloud service {md_text(service)}" if service else "",
        f"virtual network {md_text(f.virtual_network)}" if f.virtual_network else "",
    ]
    scope_text = ", ".join(s for s in scope if s)
    parts = [head + (f" ({scope_text})" if scope_text else ""), "", _indent(md_text(f.message))]
    if f.merged:
        parts += ["", _indent(md_text(f.merged_note))]
    if f.remediation.text:
        parts += ["", _indent(f"**Fix:** {md_text(f.remediation.text)}")]
    for label, block in labelled_blocks(f.remediation.commands, f.category in AFTER_CATEGORIES):
        parts += ["", _indent(html_pre("\n".join([label, *block])))]
    if f.help_uri.startswith("https://"):
        parts += ["", _indent(f"[Learn more](<{link_target(f.help_uri)}>)")]
    return "\n".join(parts) + "\n"


def _group_line(g: NoteGroup) -> str:
    """One list item for all "cannot tell" notes of one rule."""
    settle = f"; settled by {', '.join(html_code(x) for x in g.facts)}" if g.facts else ""
    return (
        f"- **{md_text(g.severity)}** {md_text(g.rule_id)} {md_text(g.rule_name)}: "
        f"{len(g.findings)} notes, for {md_text(g.subject_text())}{settle}"
    )


def _summary(summary: Summary) -> str:
    counts = summary.severities
    states = summary.services
    line = (
        f"{summary.cloud_services} cloud service(s): {states['blocked']} blocked, "
        f"{states['needs-attention']} need attention, {states['ready']} ready. "
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s) "
        f"in {summary.files} file(s)"
    )
    if summary.suppressed:
        line += f"; {summary.suppressed} suppressed"
    line += "."
    if summary.not_run:
        line += (
            f" **Readiness is unconfirmed:** {len(summary.not_run)} of "
            f"{summary.blocking_rules} rules that can block did not run (--select/--ignore)."
        )
    if leaves := left_out(summary):
        line += " " + md_text(leaves)
    return line


def _verdict(summary: Summary, status: ServiceStatus | UnitStatus) -> str:
    label = READINESS_LABEL.get(status.readiness, md_text(status.readiness))
    note = summary.readiness_note(status)
    accepted = summary.accepted(status)
    shown = f"{label} (unconfirmed: {md_text(note)})" if note else label
    return shown + (f" ({md_text(accepted)}: accepted, not fixed)" if accepted else "")


def _service_rows(result: RunResult, summary: Summary) -> list[str]:
    rows = []
    ordered = sorted(
        result.services,
        key=lambda s: (_READINESS_ORDER.get(s.readiness, 3), s.name, s.definition or ""),
    )
    shown = {u.id: u.shown_id for u in result.units}
    for s in ordered[:MAX_ROWS]:
        c = s.counts
        definition = html_code(s.definition) if s.definition else "none"
        rows.append(
            f"| {md_text(s.label)} | {_verdict(summary, s)} "
            f"| {md_text(shown.get(s.unit, s.unit))} | {definition} | {c.get('error', 0)} "
            f"| {c.get('warning', 0)} | {c.get('note', 0)} |"
        )
    if len(ordered) > MAX_ROWS:
        rows.append(f"| {len(ordered) - MAX_ROWS} more | | | | | | |")
    return rows


def _unit_rows(result: RunResult, summary: Summary) -> list[str]:
    rows = []
    units = list(result.units)
    ordered = sorted(units, key=lambda u: (_READINESS_ORDER.get(u.readiness, 3), u.name))
    for u in ordered[:MAX_ROWS]:
        members = ", ".join(md_text(c) for c in u.service_labels) or "none in the inputs"
        rows.append(f"| {md_text(u.shown_id)} | {_verdict(summary, u)} | {members} |")
    if len(ordered) > MAX_ROWS:
        rows.append(f"| {len(ordered) - MAX_ROWS} more | | |")
    return rows


def _ordered(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(group_of(f), []).append(f)
    order = [c for c in CATEGORY_TITLES if c in groups] + sorted(
        c for c in groups if c not in CATEGORY_TITLES
    )
    return [
        (c, sorted(groups[c], key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.sort_key())))
        for c in order
    ]


class _Budget:
    """Appends blocks until ``limit`` characters; counts what did not fit."""

    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit
        self.left_out = 0

    def add(self, block: str) -> bool:
        if self.left_out or self.size + len(block) + 1 > self.limit - _RESERVE:
            self.left_out += 1
            return False
        self.parts.append(block)
        self.size += len(block) + 1
        return True


def _findings(
    out: _Budget,
    active: list[Finding],
    summary: Summary,
    verbose: bool,
    labels: dict[str, str],
) -> int:
    """Adds the findings by category (blockers first); returns how many are shown. When
    they do not all fit, the most severe are kept whatever their category (an unreadable
    input's error is advisory, after hundreds of warnings): the full form goes to the most
    severe until :data:`FULL_SHARE` of the room is used, one line each after that."""
    _, groups = group_notes(active, verbose, labels)
    grouped = {id(f) for g in groups for f in g.findings}
    sections: list[tuple[str, list[NoteGroup | Finding]]] = []
    for category, findings in _ordered(active):
        title = CATEGORY_TITLES.get(category, md_text(category))
        items: list[NoteGroup | Finding] = list(groups) if category == "unknown" else []
        items += [f for f in findings if id(f) not in grouped]
        heading = f"### {title} ({summary.groups.get(category, len(findings))}"
        sections.append((heading, items))
    # each heading ends with ")" or, when its section is cut, "; N shown)"
    room = out.limit - _RESERVE - out.size - sum(len(h) + 20 for h, _ in sections)
    order = sorted(
        ((n, k) for n, (_, items) in enumerate(sections) for k in range(len(items))),
        key=lambda nk: -_rank(sections[nk[0]][1][nk[1]]),
    )  # stable: category order, then the section's own order, inside one severity
    texts: dict[tuple[int, int], str] = {}
    used = 0
    for n, k in order:
        item = sections[n][1][k]
        if isinstance(item, Finding):
            full = out.size + used < LIMIT * FULL_SHARE
            text = finding_block(item, labels) if full else finding_line(item)
        else:
            text = _group_line(item)
        if used + len(text) + 1 > room:
            break  # the rest are less severe, or as severe and later on the page
        texts[n, k] = text
        used += len(text) + 1
    shown = 0
    for n, (heading, items) in enumerate(sections):
        kept = [(item, texts[n, k]) for k, item in enumerate(items) if (n, k) in texts]
        if not kept:
            continue
        count = sum(len(i.findings) if isinstance(i, NoteGroup) else 1 for i, _ in kept)
        cut = f"; {count} shown" if len(kept) < len(items) else ""
        out.add(f"{heading}{cut})\n")  # a cut section does not look complete
        for _, text in kept:
            out.add(text)
        shown += count
    return shown


def _rank(item: NoteGroup | Finding) -> int:
    if isinstance(item, Finding):
        return SEVERITY_RANK.get(item.severity, 0)
    return max((SEVERITY_RANK.get(f.severity, 0) for f in item.findings), default=0)


def render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str:
    del rules
    out = _Budget(LIMIT)
    summary = summarize(result)
    out.add("## csmlint migration readiness\n")
    out.add(_summary(summary) + "\n")
    if unfailed := unfailed_blockers(result, ctx.fail_on):
        out.add(md_text(unfailed) + "\n")
    rows = _service_rows(result, summary)
    if rows:
        out.add(
            "| Cloud service | Readiness | Migration unit | Definition | Errors | Warnings "
            "| Notes |\n| --- | --- | --- | --- | ---: | ---: | ---: |"
        )
        for row in rows:
            out.add(row)
        out.add("")
    rows = _unit_rows(result, summary)
    if rows:
        out.add(
            "Migration units migrate as one: a virtual network with everything in it (a "
            "blocker anywhere in it blocks every cloud service in it), a cloud service outside "
            "any VNet, or a storage account.\n\n"
            "| Migration unit | Readiness | Cloud services |\n| --- | --- | --- |"
        )
        for row in rows:
            out.add(row)
        out.add("")
    active = result.active
    if not active:
        out.add("No findings." + (" (All findings are suppressed.)" if result.findings else ""))
    labels = {s.key: s.label for s in result.services}
    shown = _findings(out, active, summary, ctx.verbose, labels)
    if result.suppressed and not out.left_out:
        out.add(
            f"{len(result.suppressed)} suppressed finding(s) are not listed; the SARIF and "
            "JSON reports carry them with their justification.\n"
        )
    for note in result.notifications:
        out.add(f"> Note: {md_text(note)}\n")
    text = "\n".join(out.parts)
    if out.left_out or shown < len(active):
        others = f" and {out.left_out} other block(s)" if out.left_out else ""
        text += (
            f"\n> **Truncated:** {len(active) - shown} of {len(active)} findings{others} were "
            f"left out to stay under {LIMIT:,} characters, the least severe first. The JSON "
            "report has every finding (SARIF keeps at most 25,000, the most severe first).\n"
        )
    return text.rstrip("\n") + "\n"
