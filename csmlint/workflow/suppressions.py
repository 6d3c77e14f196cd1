"""Suppressions: inline XML comments and external (configuration) entries.

Inline forms (the reason after the colon is recorded as the justification)::

    <!-- csmlint-disable-next-element CSM127: sized on purpose, see ADR-12 -->
    <!-- csmlint-disable-file legacy-role-size, CSM173: lab environment -->

``next-element`` covers the element the comment binds to and everything inside it. Rules
are named by id or name. A suppression that matches no finding is itself reported
(``unused-suppression``), so stale suppressions do not pile up; so is one that names no known
rule. A suppression naming a rule that did not run (``--select``/``--ignore``) cannot be
judged and is left alone.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from csmlint.findings.finding import Finding, Remediation, Suppression
from csmlint.model.location import SourceRef
from csmlint.parsing.xmlsafe import XmlDocument
from csmlint.rulepack.rule import Rule

_DIRECTIVE = re.compile(
    r"^\s*csmlint-disable(?P<kind>-next-element|-file)\s+(?P<rules>[A-Za-z0-9_\-\s,]+?)\s*"
    r"(?::\s*(?P<reason>.*?))?\s*$",
    re.S,
)
MARKER = b"csmlint-disable"


@dataclass(slots=True)
class InlineSuppression:
    rules: tuple[str, ...]
    reason: str
    scope: str  # element | file
    path: str
    start_line: int
    end_line: int
    location: SourceRef
    used: bool = False


@dataclass(slots=True)
class ExternalSuppression:
    """An entry of the configuration's ``suppress:`` list."""

    rules: tuple[str, ...]
    paths: tuple[str, ...]
    reason: str
    location: SourceRef | None = None
    used: bool = False


@dataclass(slots=True)
class Suppressions:
    inline: list[InlineSuppression] = field(default_factory=list)
    external: list[ExternalSuppression] = field(default_factory=list)


def parse_comments(doc: XmlDocument, path: str) -> list[InlineSuppression]:
    out: list[InlineSuppression] = []
    for comment in doc.comments():
        m = _DIRECTIVE.match(comment.text)
        if not m:
            continue
        rules = tuple(r.strip() for r in re.split(r"[,\s]+", m.group("rules")) if r.strip())
        reason = (m.group("reason") or "").strip()
        ref = SourceRef(path, comment.line, 1)
        if m.group("kind") == "-file":
            out.append(InlineSuppression(rules, reason, "file", path, 0, 1 << 30, ref))
        elif comment.target is not None and comment.target_line is not None:
            end = max((d.sourceline or 0) for d in comment.target.iter())
            out.append(
                InlineSuppression(
                    rules,
                    reason,
                    "element",
                    path,
                    comment.target_line,
                    max(end, comment.target_line),
                    ref,
                )
            )
    return out


def _names(f: Finding) -> set[str]:
    return {f.rule_id.lower(), f.rule_name.lower()}


def apply(findings: list[Finding], suppressions: Suppressions) -> None:
    """Mark suppressed findings; records which suppressions were used."""
    for f in findings:
        names = _names(f)
        line = f.location.line or 0
        for s in suppressions.inline:
            if s.path != f.location.path or not names & {r.lower() for r in s.rules}:
                continue
            if s.start_line <= line <= s.end_line:
                s.used = True
                f.suppression = Suppression("inSource", s.reason, s.location)
                break
        if f.suppression is not None:
            continue
        for e in suppressions.external:
            if not names & {r.lower() for r in e.rules}:
                continue
            if e.paths and not any(fnmatch.fnmatchcase(f.location.path, p) for p in e.paths):
                continue
            e.used = True
            f.suppression = Suppression("external", e.reason, e.location)
            break


def unused_findings(
    suppressions: Suppressions, rule: Rule, all_rules: list[Rule], active: list[Rule]
) -> list[Finding]:
    """``rule`` (unused-suppression) findings for the suppressions nothing used."""
    known = {name.lower(): r.id for r in all_rules for name in (r.id, r.name)}
    ran = {r.id for r in active}
    out: list[Finding] = []
    entries: list[tuple[tuple[str, ...], SourceRef | None, str, str]] = [
        (s.rules, s.location, "Suppression", s.scope) for s in suppressions.inline if not s.used
    ]
    entries += [
        (e.rules, e.location, "Configuration suppression", "config:" + ",".join(e.paths))
        for e in suppressions.external
        if not e.used
    ]
    for names, location, kind, scope in entries:
        if location is None:
            continue
        unknown = [n for n in names if n.lower() not in known]
        what = ", ".join(names)
        if unknown:
            message = f"{kind} names no known rule ({', '.join(unknown)}); correct or remove it"
        elif all(known[n.lower()] in ran for n in names):
            message = f"{kind} of {what} matches no finding; remove it"
        else:
            continue  # a rule it names did not run, so it may still be needed
        out.append(
            Finding(
                rule_id=rule.id,
                rule_name=rule.name,
                severity=rule.severity,  # type: ignore[arg-type]
                category=rule.category,  # type: ignore[arg-type]
                migration=rule.migration,
                message=message,
                location=location,
                remediation=Remediation(rule.remediation),
                help_uri=rule.help_uri,
                entity_key=f"suppression:{what}:{scope}",
            )
        )
    return out
