"""The rule reference, generated from the packs: ``python -m csmlint.docsgen docs/rules``.

One Markdown page per rule (what it checks, why, how to fix it, its sources, its fixture
cases) and an index table. ``tests/test_docs.py`` fails when the pages are stale.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from csmlint.rulepack.loader import load_rules
from csmlint.rulepack.rule import Rule, placeholders
from csmlint.rulepack.wording import condition_words

INDEX = "README.md"


def page_name(rule: Rule) -> str:
    return f"{rule.id}-{rule.name}.md"


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _prose(text: str, scopes: Sequence[str] = ()) -> str:
    """Text for a Markdown page: placeholders in words, and ``<...>`` kept visible (GitHub
    would take ``<cloud-service-name>`` for an HTML tag and drop it)."""
    return placeholders(text.strip(), scopes).replace("<", "&lt;").replace(">", "&gt;")


def rule_page(rule: Rule, fixtures: Path | None = None) -> str:
    lines = [
        f"# {rule.id} {rule.name}",
        "",
        f"**{rule.title}**",
        "",
        "| severity | category | migration | scope | pack |",
        "| --- | --- | --- | --- | --- |",
        f"| {rule.severity} | {rule.category} | {rule.migration} | "
        f"{', '.join(rule.scopes) or 'engine'} | {rule.pack} |",
        "",
        "## Why it matters",
        "",
        _prose(rule.rationale, rule.scopes),
        "",
        "## What it reports",
        "",
        *([f"It fires when {_code(condition_words(rule.when))}.", ""] if rule.when else []),
        _prose(rule.message, rule.scopes),
        "",
    ]
    for v in rule.variants:
        lines += [
            f"When also {_code(condition_words(v.when))}: severity "
            f"**{v.severity or rule.severity}**, "
            f"category **{v.category or rule.category}**, "
            f"migration **{v.migration or rule.migration}**"
            + (f": {_prose(v.message, rule.scopes)}" if v.message else ""),
            "",
        ]
        if v.remediation:
            lines += [f"Its fix: {_prose(v.remediation, rule.scopes)}", ""]
            if v.commands:
                lines += [
                    "```powershell",
                    *(placeholders(c, rule.scopes) for c in v.commands),
                    "```",
                    "",
                ]
    if rule.unknown_message:
        lines += [
            f"When a deciding fact is unknown it reports a **{rule.unknown_severity}**: "
            f"{_prose(rule.unknown_message, rule.scopes)}",
            "",
        ]
    lines += ["## How to fix it", "", _prose(rule.remediation, rule.scopes), ""]
    if rule.commands:
        lines += [
            "```powershell",
            *(placeholders(c, rule.scopes) for c in rule.commands),
            "```",
            "",
        ]
    if rule.after_commit:
        lines += [
            f"After Commit (the plan's step for it): {_prose(rule.after_commit, rule.scopes)}",
            "",
        ]
    lines += ["## Sources", ""]
    for ref in rule.references:
        if ref.url:
            lines.append(f"- {ref.title}: <{ref.url}>")
    lines.append("")
    if fixtures is not None:
        folder = fixtures / f"{rule.id}-{rule.name}"
        if folder.is_dir():
            cases = sorted(p.name for p in folder.iterdir() if p.is_dir())
            lines += ["## Tested examples", ""]
            lines += [f"- [`{case}`](../../fixtures/rules/{folder.name}/{case}/)" for case in cases]
            lines.append("")
    return "\n".join(lines)


def index_page(rules: list[Rule]) -> str:
    lines = [
        "# Rule reference",
        "",
        "Generated from the rule packs by `python -m csmlint.docsgen docs/rules`; do not edit.",
        "Ids are `CSM1nn` for migration rules and `CSM0nn` for the engine's own (input errors,",
        "suppressions); an id is never reused.",
        "",
        "| id | name | severity | category | migration | title |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        lines.append(
            f"| [{r.id}]({page_name(r)}) | {r.name} | {r.severity} | {r.category} | "
            f"{r.migration} | {r.title} |"
        )
    return "\n".join(lines) + "\n"


def generate(fixtures: Path | None = None) -> dict[str, str]:
    """File name -> content of every page."""
    rules = load_rules()
    pages = {page_name(r): rule_page(r, fixtures) for r in rules}
    pages[INDEX] = index_page(rules)
    return pages


def write(target: Path, fixtures: Path | None) -> list[str]:
    target.mkdir(parents=True, exist_ok=True)
    pages = generate(fixtures)
    for old in target.glob("*.md"):
        if old.name not in pages:
            old.unlink()
    for name, text in pages.items():
        (target / name).write_text(text, encoding="utf-8")
    return sorted(pages)


if __name__ == "__main__":  # pragma: no cover - thin wrapper
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    root = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
    write(out, root if root.is_dir() else None)
