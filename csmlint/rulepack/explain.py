"""``csmlint explain``: one rule as text (why it matters, how to fix it, its sources)."""

from __future__ import annotations

import re

from csmlint.rulepack.rule import Rule, placeholders
from csmlint.rulepack.wording import condition_words


def find_rule(rules: list[Rule], wanted: str) -> Rule | None:
    """The rule whose id or name is ``wanted`` (case-insensitive)."""
    key = wanted.strip().lower()
    return next((r for r in rules if key in (r.id.lower(), r.name.lower())), None)


def suggest(wanted: str, rules: list[Rule]) -> str:
    """``"; did you mean 'x'?"`` for the rule ids, names and packs closest to ``wanted``
    (``""`` when none is close)."""
    names = sorted({k for r in rules for k in (r.id, r.name, r.pack)})
    lowered = {n.lower(): n for n in names}
    key = wanted.strip().lower()
    import difflib

    if re.fullmatch(r"[a-z]{2,8}\d{3,4}", key):  # an id: one digit wrong, extra or missing
        candidates = [n for n in lowered if _one_edit(key, n)]
    else:
        candidates = list(lowered)
    guesses = difflib.get_close_matches(key, candidates, n=3, cutoff=0.6)
    # one guess: a near-prefix (an extra or a missing last character) beats a shuffle
    near = [g for g in guesses if key.startswith(g) or g.startswith(key)]
    starts = [n for n in candidates if len(key) >= 3 and n.startswith(key)]  # a name begun
    best = (near or (starts if len(starts) == 1 else []) or guesses)[:1]
    if not best and len(starts) > 1:
        shown = ", ".join(repr(lowered[n]) for n in sorted(starts)[:3])
        return f"; did you mean one of {shown}?"
    return f"; did you mean {lowered[best[0]]!r}?" if best else ""


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one substituted, inserted or deleted character."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def explain_text(r: Rule) -> str:
    """The rule as text; template placeholders show as ``<field>``."""
    return placeholders(_text(r), r.scopes)


def _text(r: Rule) -> str:
    lines = [
        f"{r.id} {r.name}: {r.title}",
        f"severity: {r.severity}   category: {r.category}   migration: {r.migration}"
        f"   scope: {', '.join(r.scopes) or 'engine'}   pack: {r.pack}",
        "",
        *([f"Fires when {condition_words(r.when)}.", ""] if r.when is not None else []),
        "Values in <angle brackets> are filled in from your inputs in a report (a visible",
        "placeholder where no input gives them); <migration-validate-command> and the like are",
        "the platform's command for the finding's migration unit (Move-AzureVirtualNetwork,",
        "Move-AzureService or Move-AzureStorageAccount); <unknown-facts>, the topology fields",
        "that would settle a note.",
        "",
        "Reports:",
        f"  {r.message.strip()}",
        "",
        "Why:",
        f"  {r.rationale.strip()}",
        "",
        "Fix:",
        f"  {r.remediation.strip()}",
    ]
    lines += [f"    {c}" for c in r.commands]  # no prompt: a pasted "$ " breaks the command
    for variant in r.variants:
        lines += [
            "",
            f"When also {condition_words(variant.when)}: severity "
            f"{variant.severity or r.severity}, "
            f"category {variant.category or r.category}, "
            f"migration {variant.migration or r.migration}",
        ]
        if variant.message:
            lines.append(f"  {variant.message.strip()}")
        if variant.remediation:
            lines.append(f"  Fix: {variant.remediation.strip()}")
            lines += [f"    {c}" for c in variant.commands]
    if r.unknown_message:
        lines += [
            "",
            f"When a deciding fact is unknown it reports a {r.unknown_severity}:",
            f"  {r.unknown_message.strip()}",
        ]
    lines += ["", "References:"]
    lines += [f"  - {ref.title}: {ref.url}" for ref in r.references if ref.url]
    return "\n".join(lines)
