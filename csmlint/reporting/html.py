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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from csmlint.findings import (
    CATEGORIES,
    READINESS,
    SEVERITIES,
    SEVERITY_RANK,
    Finding,
    ReportContext,
    RunResult,
    ServiceStatus,
    UnitStatus,
)
from csmlint.rulepack.rule import Rule

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "report.html.j2"
INLINE = {"style": "report.css", "script": "report.js"}
"""Inline parts of the page whose sha256 goes into the Content-Security-Policy."""

CATEGORY_TITLES = {
    "blocker": "Blockers",
    "dropped": "Dropped by the migration",
    "post-migration": "To change after the migration",
    "advisory": "Advisory",
}
READINESS_TITLES = {"blocked": "Blocked", "needs-attention": "Needs attention", "ready": "Ready"}
UNIT_KINDS = {
    "virtualNetwork": "Virtual network",
    "cloudService": "Cloud service",
    "storageAccount": "Storage account",
}
BAR_WIDTH = 300
DETAIL_BUDGET = 1000
"""Findings (in page order: blocked units first, errors first) that show their source excerpt
and remediation commands; the rest show message, location and fix text, which keeps a
10,000-finding page at a few MB. The JSON and SARIF reports always carry everything."""
_RANK = {name: n for n, name in enumerate(READINESS)}
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_HTTPS = re.compile(r"https://[^\s\x00-\x1f\x7f-\x9f\"'<>\\`]+")


def visible(value: Any) -> Any:
    """Jinja ``finalize``: bidi, zero-width and control characters (and lone surrogates,
    which UTF-8 cannot carry) are shown as ``⟨U+202E⟩`` instead of acting on the page."""
    if type(value) is str:
        if value.isascii() and value.isprintable():
            return value
        return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", value)
    return value


def safe_url(url: str | None) -> str | None:
    """``url`` when csmlint may link to it (``https://``, nothing odd in it), else ``None``."""
    return url if url and _HTTPS.fullmatch(url) else None


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
class FindingView:
    f: Finding
    where: str
    svc: str
    """Space-separated ``s<n>`` ids of the cloud services the finding touches (filters)."""
    help: str | None
    rule: int | None
    """Index of the rule in the report's rule list (for its anchor)."""
    excerpt: list[tuple[int, str, bool]]
    full: bool = True
    """Shows its excerpt and commands (see :data:`DETAIL_BUDGET`)."""


@dataclass(slots=True)
class Group:
    category: str
    title: str
    findings: list[FindingView]


@dataclass(slots=True)
class Card:
    anchor: str
    title: str
    kind: str
    name: str
    readiness: str | None
    svc: str
    detail: str = ""
    groups: list[Group] = field(default_factory=list)
    children: list[Card] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


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
    shown_rules = [r for r in rules if r.id in fired]
    rule_index = {r.id: n for n, r in enumerate(shown_rules)}
    services = _service_ids(result)
    cards = _cards(result, services, rule_index)
    trimmed = _spend_budget(cards, DETAIL_BUDGET)
    unit_counts = Counter(u.readiness for u in result.units)
    service_counts = Counter(s.readiness for s in result.services)
    return {
        "version": ctx.version,
        "csp": inline_hashes(),
        "fail_on": ctx.fail_on,
        "fails": any(f.at_or_above(ctx.fail_on) for f in active),
        "counts": result.counts(),
        "by_category": Counter(f.category for f in active),
        "files": len(result.files),
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
        "categories": CATEGORIES,
        "category_titles": CATEGORY_TITLES,
        "service_options": sorted(
            ((sid, name) for name, sid in services.values()), key=lambda p: p[1].lower()
        ),
        "cards": cards,
        "trimmed": trimmed,
        "budget": DETAIL_BUDGET,
        "total": len(active),
        "suppressed": [_view(f, "", rule_index) for f in result.suppressed],
        "rules": [
            (r, [(ref.title, safe_url(ref.url)) for ref in r.references]) for r in shown_rules
        ],
        "skipped": result.skipped,
        "notifications": result.notifications,
    }


def _spend_budget(cards: list[Card], budget: int) -> int:
    """Mark findings past ``budget`` (in page order) as brief; returns how many."""
    trimmed = 0
    stack = list(reversed(cards))
    while stack:
        card = stack.pop()
        for group in card.groups:
            for view in group.findings:
                if budget > 0:
                    budget -= 1
                else:
                    view.full, view.excerpt = False, []
                    trimmed += 1
        stack.extend(reversed(card.children))
    return trimmed


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


def _service_ids(result: RunResult) -> dict[str, tuple[str, str]]:
    """Lower-cased cloud service name -> (``s<n>`` id, display name), sorted by name."""
    names: dict[str, str] = {}
    for s in result.services:
        names.setdefault(s.name.lower(), s.name)
    for u in result.units:
        for name in u.cloud_services:
            names.setdefault(name.lower(), name)
    for f in result.findings:
        if f.cloud_service:
            names.setdefault(f.cloud_service.lower(), f.cloud_service)
    ordered = sorted(names, key=lambda k: (k, names[k]))
    return {key: (f"s{n}", names[key]) for n, key in enumerate(ordered)}


def _where(f: Finding) -> str:
    loc = f.location
    if loc.line is None:
        where = f"{loc.path}#{loc.pointer}" if loc.pointer else loc.path
    else:
        where = f"{loc.path}:{loc.line}"
        if loc.pointer:
            where += f" ({loc.pointer})"
    if loc.embedded_line is not None:
        where += f" (embedded .cscfg line {loc.embedded_line})"
    return where


def _view(f: Finding, svc: str, rule_index: dict[str, int]) -> FindingView:
    ex = f.excerpt
    lines = (
        [(ex.first_line + n, text, ex.first_line + n == ex.line) for n, text in enumerate(ex.lines)]
        if ex is not None
        else []
    )
    return FindingView(f, _where(f), svc, safe_url(f.help_uri), rule_index.get(f.rule_id), lines)


def _groups(findings: list[Finding], svc: str, rule_index: dict[str, int]) -> list[Group]:
    by_cat: dict[str, list[Finding]] = {c: [] for c in CATEGORIES}
    for f in findings:
        by_cat.setdefault(f.category, []).append(f)
    groups: list[Group] = []
    for cat, items in by_cat.items():
        if items:
            items.sort(key=lambda f: -SEVERITY_RANK[f.severity])  # stable: keeps file order
            views = [_view(f, svc, rule_index) for f in items]
            groups.append(Group(cat, CATEGORY_TITLES.get(cat, cat), views))
    return groups


def _counts(findings: list[Finding]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f.severity] += 1
    return out


def _order(card: Card) -> tuple[int, str, str]:
    rank = _RANK.get(card.readiness or "ready", len(READINESS))
    return (rank, card.name.lower(), card.anchor)


def _cards(
    result: RunResult, services: dict[str, tuple[str, str]], rule_index: dict[str, int]
) -> list[Card]:
    """One card per migration unit (its cloud services nested), blocked first; findings tied
    to neither a cloud service nor a unit go to a last card (first when it holds errors)."""
    units = {u.id: u for u in result.units}
    statuses: dict[str, list[ServiceStatus]] = {}
    homes: dict[str, list[str]] = {}
    for s in result.services:
        statuses.setdefault(s.unit, []).append(s)
        homes.setdefault(s.name.lower(), []).append(s.unit)
    own: dict[tuple[str, str], list[Finding]] = {}
    unit_level: dict[str, list[Finding]] = {}
    loose: list[Finding] = []
    for f in result.active:
        unit = f.unit or (f"vnet:{f.virtual_network.lower()}" if f.virtual_network else None)
        if f.cloud_service:
            key = f.cloud_service.lower()
            candidates = homes.get(key, [])
            home = unit if unit in candidates else next(iter(candidates), None)
            if home is not None:
                own.setdefault((home, key), []).append(f)
                continue
        if unit is not None and unit in units:
            unit_level.setdefault(unit, []).append(f)
        else:
            loose.append(f)
    cards: list[Card] = []
    for n, u in enumerate(result.units):
        members = statuses.get(u.id, [])
        children = [
            _service_card(
                f"card-u{n}-s{m}", s, services, own.get((u.id, s.name.lower()), []), rule_index
            )
            for m, s in enumerate(members)
        ]
        children.sort(key=_order)
        cards.append(
            _unit_card(f"card-u{n}", u, services, children, unit_level.get(u.id, []), rule_index)
        )
    cards.sort(key=_order)
    if loose:
        other = Card(
            anchor="card-other",
            title="Not tied to a cloud service",
            kind="Files and rules",
            name="",
            readiness=None,
            svc="",
            detail="Input files that could not be read, unused suppressions and other findings "
            "about no particular cloud service or migration unit.",
            groups=_groups(loose, "", rule_index),
            counts=_counts(loose),
        )
        if any(f.severity == "error" for f in loose):
            cards.insert(0, other)
        else:
            cards.append(other)
    return cards


def _service_card(
    anchor: str,
    s: ServiceStatus,
    services: dict[str, tuple[str, str]],
    findings: list[Finding],
    rule_index: dict[str, int],
) -> Card:
    sid = services[s.name.lower()][0]
    return Card(
        anchor=anchor,
        title=s.name,
        kind="Cloud service",
        name=s.name,
        readiness=s.readiness,
        svc=sid,
        detail=f"Defined in {s.definition}" if s.definition else "",
        groups=_groups(findings, sid, rule_index),
        counts=_counts(findings),
    )


def _unit_card(
    anchor: str,
    u: UnitStatus,
    services: dict[str, tuple[str, str]],
    children: list[Card],
    findings: list[Finding],
    rule_index: dict[str, int],
) -> Card:
    svc = " ".join(sorted({services[name.lower()][0] for name in u.cloud_services}))
    lone = u.kind == "cloudService" and len(children) == 1 and not findings
    if lone:
        child = children[0]
        child.anchor, child.kind = anchor, "Cloud service (migrates alone)"
        return child
    if u.kind == "virtualNetwork":
        detail = (
            f"Migrates as one unit with its {len(u.cloud_services)} cloud service(s): "
            "a blocker anywhere in it blocks all of them."
            if u.cloud_services
            else "No cloud service in the inputs is deployed into this virtual network."
        )
    else:
        detail = ""
    return Card(
        anchor=anchor,
        title=u.name,
        kind=UNIT_KINDS.get(u.kind, u.kind),
        name=u.name,
        readiness=u.readiness,
        svc=svc,
        detail=detail,
        groups=_groups(findings, svc, rule_index),
        children=children,
        counts=_counts(findings),
    )
