"""The HTML report: one self-contained page a migration lead opens to decide what to do first.

Safety (design/reliability.md section 4): the templates are package data only, never built
from input or rule text; Jinja2 runs with ``autoescape=True`` and ``StrictUndefined``; every
printed value also passes :func:`visible`, which makes bidi, zero-width and control characters
visible; links are emitted only for ``https://`` URLs; the page makes no request of any kind
and its Content-Security-Policy allows only its own inline style and script, by hash.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from csmlint.findings.finding import READINESS, SEVERITIES, ReportContext, RunResult
from csmlint.findings.summary import GROUPS, summarize
from csmlint.reporting.escape import HIDDEN
from csmlint.reporting.grouping import group_notes
from csmlint.reporting.html_cards import (
    CATEGORY_TITLES,
    DETAIL_BUDGET,
    build_cards,
    safe_url,
    service_ids,
    share_messages,
    spend_budget,
    view,
)
from csmlint.rulepack.rule import Rule

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "report.html.j2"
INLINE = {"style": "report.css", "script": "report.js"}
"""Inline parts of the page whose sha256 goes into the Content-Security-Policy."""
READINESS_TITLES = {"blocked": "Blocked", "needs-attention": "Needs attention", "ready": "Ready"}
BAR_WIDTH = 300
COLLAPSE_AT = 60
"""Findings above which each migration unit's card starts folded (a ``<details>``)."""
_INVISIBLE = re.compile(f"[{HIDDEN}\ud800-\udfff]")
__all__ = ["environment", "inline_hashes", "render", "safe_url", "visible"]


def visible(value: Any) -> Any:
    """Jinja ``finalize``: bidi, zero-width and control characters (and lone surrogates,
    which UTF-8 cannot carry) are shown as ``⟨U+202E⟩`` instead of acting on the page."""
    if type(value) is str:
        if value.isascii() and value.isprintable():
            return value
        return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", value)
    return value


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Jinja2 environment of csmlint (imported only when an HTML report is made)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("csmlint.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=visible,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def inline_hashes() -> dict[str, str]:
    """CSP source expressions for the inline ``<style>`` and ``<script>``: the sha256 of
    exactly the text the page embeds (both are rendered by the same environment)."""
    env = environment()
    out: dict[str, str] = {}
    for element, name in INLINE.items():
        digest = hashlib.sha256(env.get_template(name).render().encode("utf-8")).digest()
        out[element] = "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
    return out


@dataclass(slots=True)
class Bar:
    label: str
    total: int
    parts: list[tuple[str, int, float, float]]
    """(readiness, count, x, width) on a bar :data:`BAR_WIDTH` wide."""


def render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str:
    return environment().get_template(TEMPLATE).render(**_page(result, rules, ctx)) + "\n"


def _page(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> dict[str, Any]:
    active = result.active
    fired = {f.rule_id for f in result.findings}
    shown_rules = sorted((r for r in rules if r.id in fired), key=lambda r: r.id)
    rule_index = {r.id: n for n, r in enumerate(shown_rules)}
    services = service_ids(result)
    cards = build_cards(result, services, rule_index)
    trimmed, first = spend_budget(cards, DETAIL_BUDGET)
    shared = share_messages(cards)
    summary = summarize(result)
    unit_counts = Counter(summary.units)
    service_counts = Counter(summary.services)
    return {
        "version": ctx.version,
        "csp": inline_hashes(),
        "fail_on": ctx.fail_on,
        "fails": any(f.at_or_above(ctx.fail_on) for f in active),
        "counts": summary.severities,
        "by_category": summary.groups,
        "not_run": len(summary.not_run),
        "blocking_rules": summary.blocking_rules,
        "files": summary.files,
        "rule_count": len(rules),
        "unit_counts": unit_counts,
        "service_counts": service_counts,
        "bars": [
            _bar("Migration units", unit_counts),
            _bar("Cloud services", service_counts),
        ],
        "readiness": READINESS,
        "readiness_titles": READINESS_TITLES,
        "severities": SEVERITIES,
        "categories": GROUPS,
        "category_titles": CATEGORY_TITLES,
        "service_options": sorted(services.values(), key=lambda p: p[1].lower()),
        "cards": cards,
        "trimmed": trimmed,
        "budget": DETAIL_BUDGET,
        "total": summary.total,
        "suppressed": [view(f, "", rule_index) for f in result.suppressed],
        "rules": [
            (
                r,
                [(ref.title, safe_url(ref.url)) for ref in r.references],
                first.get(r.id),
                shared.get(r.id),
            )
            for r in shown_rules
        ],
        "skipped": result.skipped,
        "notifications": result.notifications,
        "note_groups": group_notes(active, ctx.verbose)[1],
        "generated": ctx.generated,
        "collapse": len(cards) > 1 and len(active) > COLLAPSE_AT,
    }


def _bar(label: str, counts: Counter[str]) -> Bar:
    total = sum(counts.values())
    parts: list[tuple[str, int, float, float]] = []
    x = 0.0
    for state in READINESS:
        n = counts.get(state, 0)
        if n and total:
            width = round(BAR_WIDTH * n / total, 2)
            parts.append((state, n, round(x, 2), width))
            x += width
    return Bar(label, total, parts)
