"""Suppressions: inline XML comments (:mod:`csmlint.workflow.directives`) and external
(configuration ``suppress:``) entries.

``next-element`` covers the element the comment binds to and everything inside it. Rules
are named by id or name. Every suppression needs a reason; one may carry an end date
(``until=`` inline, ``until:`` in the configuration) after which it stops working and a
finding says it lapsed. A suppression that matches no finding is itself reported
(``unused-suppression``), so stale suppressions do not pile up; so is one that names no known
rule, and a comment that tries to be a directive and is not one. A suppression naming a rule
that did not run (``--select``/``--ignore``) cannot be judged and is left alone.
"""

from __future__ import annotations

import fnmatch
from datetime import date

from csmlint.findings.finding import Finding, Remediation, Suppression
from csmlint.model.location import SourceRef
from csmlint.records import field, record
from csmlint.rulepack.rule import Rule
from csmlint.workflow.directives import DirectiveProblem, InlineSuppression

__all__ = [
    "DirectiveProblem",
    "ExternalSuppression",
    "InlineSuppression",
    "Suppressions",
    "apply",
    "problem_findings",
]


@record
class ExternalSuppression:
    """An entry of the configuration's ``suppress:`` list."""

    rules: tuple[str, ...]
    paths: tuple[str, ...]
    reason: str
    location: SourceRef | None = None
    until: date | None = None
    used: bool = False
    lapsed: bool = False


@record
class Suppressions:
    inline: list[InlineSuppression] = field(default_factory=list)
    external: list[ExternalSuppression] = field(default_factory=list)
    problems: list[DirectiveProblem] = field(default_factory=list)


def _names(f: Finding) -> set[str]:
    return {f.rule_id.lower(), f.rule_name.lower()}


def apply(findings: list[Finding], suppressions: Suppressions, today: date) -> None:
    """Mark suppressed findings; records which suppressions were used and which lapsed
    (``until`` before ``today``: it works through its last day)."""
    every: list[InlineSuppression | ExternalSuppression] = [
        *suppressions.inline,
        *suppressions.external,
    ]
    for s in every:
        s.lapsed = s.until is not None and s.until < today
    for f in findings:
        names = _names(f)
        line = f.location.line or 0
        for s in suppressions.inline:
            if s.path != f.location.path or not names & {r.lower() for r in s.rules}:
                continue
            if s.start_line <= line <= s.end_line and not s.lapsed:
                s.used = True
                f.suppression = Suppression("inSource", s.reason, s.location, s.until, "comment")
                break
        if f.suppression is not None:
            continue
        for e in suppressions.external:
            if not names & {r.lower() for r in e.rules}:
                continue
            if e.paths and not any(fnmatch.fnmatchcase(f.location.path, p) for p in e.paths):
                continue
            if e.lapsed:
                continue
            e.used = True
            f.suppression = Suppression("external", e.reason, e.location, e.until, "config")
            break


def problem_findings(
    suppressions: Suppressions,
    rule: Rule,
    all_rules: list[Rule],
    active: list[Rule],
    *,
    judge_unused: bool = True,
) -> list[Finding]:
    """``rule`` (unused-suppression) findings: directives that are not ones, suppressions
    that lapsed, and (with ``judge_unused``) suppressions nothing used."""
    known = {name.lower(): r.id for r in all_rules for name in (r.id, r.name)}
    ran = {r.id for r in active}
    out = [_finding(rule, p.message, p.location, p.key) for p in suppressions.problems]
    entries: list[tuple[InlineSuppression | ExternalSuppression, str, str]] = [
        (s, "Suppression", s.scope) for s in suppressions.inline
    ]
    entries += [
        (e, "Configuration suppression", "config:" + ",".join(e.paths))
        for e in suppressions.external
    ]
    for s, kind, scope in entries:
        if s.location is None or s.used:
            continue
        what = ", ".join(s.rules)
        key = f"suppression:{what}:{scope}"
        unknown = [n for n in s.rules if n.lower() not in known]
        if unknown:
            named = _with_guesses(unknown, known)
            message = f"{kind} names no known rule ({named}); correct or remove it"
        elif s.lapsed:
            message = (
                f"{kind} of {what} lapsed on {s.until}, so its findings are reported again: "
                f"fix them, or renew the date if the reason ({s.reason}) still holds"
            )
        elif not judge_unused:
            continue
        elif all(known[n.lower()] in ran for n in s.rules):
            message = f"{kind} of {what} matches no finding; remove it"
        else:
            continue  # a rule it names did not run, so it may still be needed
        out.append(_finding(rule, message, s.location, key))
    return out


def _with_guesses(unknown: list[str], known: dict[str, str]) -> str:
    parts = []
    for name in unknown:
        import difflib

        guess = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.75)
        parts.append(f"{name}: did you mean {guess[0]!r}?" if guess else name)
    return ", ".join(parts)


def _finding(rule: Rule, message: str, location: SourceRef, key: str) -> Finding:
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=rule.severity,  # type: ignore[arg-type]
        category=rule.category,  # type: ignore[arg-type]
        migration=rule.migration,
        message=message,
        location=location,
        remediation=Remediation(rule.remediation),
        help_uri=rule.help_uri,
        entity_key=key,
    )
