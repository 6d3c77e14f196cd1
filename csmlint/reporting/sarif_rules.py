"""SARIF ``reportingDescriptor`` objects: one per rule that ran (``tool.driver.rules``).

GitHub code scanning shows ``shortDescription`` as the alert title, ``fullDescription`` in the
rule panel and ``help.markdown`` (else ``help.text``) as the help; it rejects empty strings
for these, so a missing text falls back to the title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from csmlint.findings.finding import Finding
from csmlint.reporting.escape import html_pre, link_target, md_text, visible
from csmlint.rulepack.rule import Rule, placeholders

MAX_TAGS = 20
"""GitHub accepts at most 20 tags per rule (and shows 10)."""
PRECISION = "high"
"""Rules read declared configuration, not heuristics: a finding is what the file says.
Unknown facts never fire a rule (they give a separate note), so ``high`` is honest."""
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
_URI = re.compile(
    r"https://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?"
)


def _plain(text: str, scopes: Sequence[str] = ()) -> str:
    return " ".join(visible(placeholders(text, scopes)).split())


def help_link(url: str | None) -> str | None:
    """``url`` when it is an ``https`` URI made only of RFC 3986 characters, else ``None``
    (``helpUri`` is a URI: a quote or ``<`` in a rule pack's URL must not reach it)."""
    return url if url and _URI.fullmatch(url) else None


def help_uri(rule: Rule) -> str | None:
    """The rule's help URL, else its first public reference (``https`` only)."""
    return help_link(rule.help_uri) or next(
        (u for u in (help_link(r.url) for r in rule.references) if u), None
    )


def tags(rule: Rule) -> list[str]:
    out: list[str] = []
    for tag in ("csmlint", rule.category, f"migration/{rule.migration}", *rule.tags):
        tag = visible(tag).strip()
        if tag and tag not in out:
            out.append(tag)
    return out[:MAX_TAGS]


def help_text(rule: Rule) -> str:
    lines = [_plain(rule.title)]
    if rule.rationale.strip():
        lines += ["", "Why: " + _plain(rule.rationale, rule.scopes)]
    if rule.remediation.strip():
        lines += ["", "Fix: " + _plain(rule.remediation, rule.scopes)]
    lines += ["  " + visible(placeholders(c, rule.scopes)) for c in rule.commands]
    refs = [r for r in rule.references if help_link(r.url)]
    if refs:
        lines += ["", "References:"]
        lines += [f"- {_plain(r.title)}: {r.url}" for r in refs]
    return "\n".join(lines)


def help_markdown(rule: Rule) -> str:
    parts = [f"**{md_text(_plain(rule.title))}**"]
    if rule.rationale.strip():
        parts.append(f"**Why it matters.** {md_text(_plain(rule.rationale, rule.scopes))}")
    if rule.remediation.strip():
        parts.append(f"**How to fix it.** {md_text(_plain(rule.remediation, rule.scopes))}")
    if rule.commands:
        parts.append(html_pre("\n".join(placeholders(c, rule.scopes) for c in rule.commands)))
    refs = [r for r in rule.references if help_link(r.url)]
    if refs:
        parts.append(
            "**References**\n\n"
            + "\n".join(
                f"- [{md_text(_plain(r.title))}](<{link_target(r.url or '')}>)" for r in refs
            )
        )
    parts.append(
        f"Rule {md_text(rule.id)} {md_text(rule.name)}: severity {md_text(rule.severity)}, "
        f"category {md_text(rule.category)}, migration {md_text(rule.migration)}."
    )
    return "\n\n".join(parts)


@lru_cache(maxsize=4096)
def descriptor(rule: Rule) -> dict[str, Any]:
    """The rule's descriptor (rules are immutable: computed once per process; callers must
    not change it)."""
    title = _plain(rule.title) or rule.id
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": title},
        "fullDescription": {"text": _plain(rule.rationale) or title},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "defaultConfiguration": {"level": _level(rule.severity)},
        "properties": {
            "category": rule.category,
            "migration": rule.migration,
            "tags": tags(rule),
            "precision": PRECISION,
            "problem.severity": PROBLEM_SEVERITY.get(rule.severity, "warning"),
            "pack": rule.pack,
        },
    }
    uri = help_uri(rule)
    if uri:
        out["helpUri"] = uri
    if rule.deprecated:
        out["properties"]["deprecated"] = True
    return out


def stand_in(finding: Finding) -> dict[str, Any]:
    """A descriptor for a finding whose rule is not among the rules that ran (should not
    happen, but a result must never point at a missing rule)."""
    title = f"{finding.rule_id} {finding.rule_name}"
    out: dict[str, Any] = {
        "id": finding.rule_id,
        "name": finding.rule_name,
        "shortDescription": {"text": title},
        "fullDescription": {"text": title},
        "help": {"text": visible(finding.remediation.text) or title},
        "defaultConfiguration": {"level": _level(finding.severity)},
        "properties": {
            "category": finding.category,
            "migration": finding.migration,
            "tags": ["csmlint", finding.category],
            "precision": PRECISION,
        },
    }
    if help_link(finding.help_uri):
        out["helpUri"] = finding.help_uri
    return out


def _level(severity: str) -> str:
    return severity if severity in ("error", "warning", "note") else "warning"
