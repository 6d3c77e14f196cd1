"""The HTML report: one self-contained page a migration lead opens to decide what to do first.

Safety (design/reliability.md section 4): the templates are package data only, never built
from input or rule text; Jinja2 runs with ``autoescape=True`` and ``StrictUndefined``; every
printed value also passes :func:`visible`, which makes bidi, zero-width and control characters
visible; links are emitted only for ``https://`` URLs; the page makes no request of any kind
and its Content-Security-Policy allows only its own inline style and script, by hash.
"""

from __future__ import annotations

import base64
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from csmlint.findings.commands import block_label, command_blocks
from csmlint.findings.copy_blocks import AFTER_CATEGORIES, labelled_blocks
from csmlint.findings.finding import READINESS, SEVERITIES, ReportContext, RunResult
from csmlint.findings.summary import GROUPS, run_fails, summarize, unfailed_blockers
from csmlint.records import record
from csmlint.reporting.escape import HIDDEN
from csmlint.reporting.grouping import group_notes
from csmlint.reporting.html_cards import (
    CATEGORY_TITLES,
    Card,
    FindingView,
    all_cards,
    build_cards,
    in_page_order,
    safe_url,
    service_ids,
    view,
)
from csmlint.rulepack.rule import Rule
from csmlint.sha256 import sha256

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "report.html.j2"
INLINE = {"style": "report.css", "script": "report.js"}
"""Inline parts of the page whose sha256 goes into the Content-Security-Policy."""
READINESS_TITLES = {"blocked": "Blocked", "needs-attention": "Needs attention", "ready": "Ready"}
READINESS_CSS = {"blocked": "blocked", "needs-attention": "attn", "ready": "ready"}
"""The class-name part of each readiness (``r-attn`` colours a text, ``s-attn`` a card's
edge): short, because a 5,000-unit page names one on every row and card."""
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

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("csmlint.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=visible,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals["rc"] = READINESS_CSS
    # commands that depend on each other (``$rdp = ...`` then ``... += $rdp``) share one
    # copy box, as the Markdown report's blocks do
    env.globals["blocks"] = command_blocks
    env.globals["block_label"] = block_label
    env.globals["labelled"] = lambda f: labelled_blocks(  # the report's, labelled as in text
        f.remediation.commands, f.category in AFTER_CATEGORIES
    )
    return env


def inline_hashes() -> dict[str, str]:
    """CSP source expressions for the inline ``<style>`` and ``<script>``: the sha256 of
    exactly the text the page embeds (both are rendered by the same environment)."""
    env = environment()
    out: dict[str, str] = {}
    for element, name in INLINE.items():
        digest = sha256(env.get_template(name).render().encode("utf-8")).digest()
        out[element] = "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
    return out


DETAIL_BUDGET = 200
"""Findings (in page order: blocked units first, errors first) that show their source
excerpt, fix and commands; the rest are listed briefly, one line each (severity, file and
line, rule and the values of the message; each rule's entry at the end of the page shows
the message's wording and the fix once), which keeps a 10,000-finding page under 3 MB.
The JSON and SARIF reports always carry everything."""


DETAIL_CHARS = 250_000
"""At most this many characters of fix texts, commands and source excerpt lines for the
detailed findings (counted before sharing): where the first findings have long fixes, fewer
than :data:`DETAIL_BUDGET` are detailed, so the page keeps under 3 MB as rule texts grow."""


def detail_cost(v: FindingView) -> int:
    """What showing ``v`` in detail adds, in characters (before sharing)."""
    rem = v.f.remediation
    return (
        len(rem.text)
        + len(rem.after)
        + sum(len(c) for c in rem.commands)
        + sum(len(line) for _, line, _ in v.excerpt)
    )


def spend_budget(
    cards: list[Card], budget: int, chars: int = DETAIL_CHARS
) -> tuple[int, int, dict[str, FindingView]]:
    """Mark findings past ``budget`` findings or ``chars`` characters of details (see
    :func:`detail_cost`; in page order) as brief. Returns how many are brief, how many are
    detailed, and for each rule with brief findings its first finding (whose fix the rule's
    entry repeats)."""
    trimmed = detailed = 0
    first: dict[str, FindingView] = {}
    brief: set[str] = set()
    for v in in_page_order(cards):
        first.setdefault(v.f.rule_id, v)
        cost = detail_cost(v) if budget > 0 else 0
        if budget > 0 and cost <= chars:
            budget -= 1
            chars -= cost
            detailed += 1
        else:
            budget = 0  # the rest in page order is brief
            v.full, v.excerpt = False, []
            brief.add(v.f.rule_id)
            trimmed += 1
    return trimmed, detailed, {rule_id: first[rule_id] for rule_id in sorted(brief)}


def arrange(cards: list[Card]) -> None:
    """Split each group into its detailed findings and its brief ones (in runs of one
    severity), after :func:`spend_budget`; give each brief one its location as shown."""
    for card in all_cards(cards):
        folder = card.folder
        for group in card.groups:
            group.detailed = [v for v in group.findings if v.full]
            runs = group.brief
            for v in group.findings:
                if v.full:
                    continue
                where, path = v.where, v.f.location.path
                if not runs or runs[-1][0] != v.f.severity:
                    runs.append((v.f.severity, []))
                elif runs[-1][1][-1].f.location.path == path and where.startswith(path):
                    v.at = where[len(path) :]  # the line above names the file
                    runs[-1][1].append(v)
                    continue
                v.at = where[len(folder) :] if folder and where.startswith(folder) else where
                runs[-1][1].append(v)


def drop_empty(cards: list[Card]) -> int:
    """Marks the cards of cloud services without findings as not shown (a long report
    would spend most of its size on them); a migration unit's card always stays. Returns
    how many."""
    dropped = 0
    for card in all_cards(cards):
        if not card.totals and not card.groups and not card.children:
            card.shown = False
            dropped += 1
    return dropped


def share_details(cards: list[Card], examples: dict[str, FindingView]) -> None:
    """Collapse repeated remediation and share excerpts: a detailed finding whose fix text,
    commands or source excerpt an earlier detailed finding already shows word for word
    points to that finding instead of repeating them; a fix text that ends with the same
    sentences as the fix its rule's entry shows (``examples``: the rule's first finding)
    shows only what comes before them."""
    fixes: dict[str, FindingView] = {}
    commands: dict[tuple[str, ...], FindingView] = {}
    excerpts: dict[tuple[object, ...], FindingView] = {}
    for v in in_page_order(cards):
        if not v.full:
            continue
        rem, ex = v.f.remediation, v.f.excerpt
        if rem.text:
            v.fix_at = _earlier(fixes, rem.text, v)
            example = examples.get(v.f.rule_id)
            if v.fix_at is None and example is not None and example is not v:
                _shared_tail(v, example.f.remediation.text)
        if rem.commands:
            v.commands_at = _earlier(commands, rem.commands, v)
        if ex is not None and v.excerpt:
            v.excerpt_at = _earlier(excerpts, (v.f.location.path, ex.first_line, ex.lines), v)
    shown = [v for v in in_page_order(cards) if v.full]
    for n, v in enumerate(shown):
        if v.anchor:
            v.anchor = f"f{n}"


TAIL_MIN = 60
"""Characters of shared trailing sentences worth leaving to the rule's entry."""
_SENTENCE_END = re.compile(r"[.!?] ")


def _shared_tail(v: FindingView, example: str) -> None:
    """Sets ``v.fix_own`` to the part of its fix text before the longest run of whole
    trailing sentences that ``example`` ends with too (the text is that part plus them)."""
    text = v.f.remediation.text
    starts = [0, *(m.end() for m in _SENTENCE_END.finditer(text))]
    for start in starts:
        tail = text[start:]
        if len(tail) < TAIL_MIN:
            return
        if example.endswith(tail) and (len(example) == len(tail) or example[-len(tail) - 1] == " "):
            v.fix_own = text[:start].rstrip(" ")
            v.fix_rest = len(starts) - starts.index(start)
            return


def _earlier(seen: dict[Any, FindingView], key: Any, v: FindingView) -> FindingView | None:
    first = seen.setdefault(key, v)
    if first is v:
        return None
    first.anchor = "yes"  # numbered once every reference is known
    return first


SHARED_MIN = 40
"""Characters a rule's brief messages must share before rows show only what differs."""


def share_messages(cards: list[Card]) -> dict[str, list[str]]:
    """Per rule with two or more brief findings whose messages are one template with a
    few values filled in (same words in the same places, at least :data:`SHARED_MIN`
    characters of them): the template with ``…`` where the values go; each brief view's
    ``short`` is set to its values. Nothing is dropped: the values put back into the
    template are the message."""
    by_shape: dict[tuple[str, int], list[tuple[FindingView, list[str]]]] = {}
    for v in in_page_order(cards):
        if not v.full:
            words = _WORDS.split(v.f.message)
            by_shape.setdefault((v.f.rule_id, len(words)), []).append((v, words))
    out: dict[str, list[str]] = {}
    for (rule_id, _), group in sorted(by_shape.items()):
        views = [v for v, _ in group]
        split = [words for _, words in group]
        if len(split) < 2:
            continue
        same = [len(set(column)) == 1 for column in zip(*split, strict=True)]
        if sum(len(w) for w, s in zip(split[0], same, strict=True) if s) < SHARED_MIN:
            continue
        out.setdefault(rule_id, []).append("".join(_runs(split[0], same, "\u2026")))
        spans = list(_spans([not s for s in same]))  # where the values are: one per group
        for v, words in zip(views, split, strict=True):
            v.short = " \u2026 ".join("".join(words[a:b]) for a, b in spans)
    return out


_WORDS = re.compile(r"([\s'\"(),;:]+)")
"""Splits a message into words and what separates them (spaces, quotes, brackets and
punctuation stay in the shared text, so a value is shown without its quotes)."""


def _spans(flags: list[bool]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of ``True`` in ``flags``."""
    start = None
    for n, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = n
        elif not flag and start is not None:
            yield start, n
            start = None


def _runs(words: list[str], same: list[bool], gap: str) -> Iterator[str]:
    """``words`` with each run of differing words replaced by ``gap``."""
    previous = True
    for word, shared in zip(words, same, strict=True):
        if shared:
            yield word
        elif previous:
            yield gap
        previous = shared


@record
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
    trimmed, detailed, first = spend_budget(cards, DETAIL_BUDGET, DETAIL_CHARS)
    shared = share_messages(cards)
    arrange(cards)
    share_details(cards, {r: v for r, v in first.items() if v.rule is not None})
    empty = drop_empty(cards) if trimmed else 0
    summary = summarize(result)
    unit_counts = Counter(summary.units)
    service_counts = Counter(summary.services)
    return {
        "version": ctx.version,
        "csp": inline_hashes(),
        "fail_on": ctx.fail_on,
        "fails": run_fails(result, ctx.fail_on),
        "unfailed": unfailed_blockers(result, ctx.fail_on),
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
        # only services a finding names: an option that filters to nothing is noise, and
        # 5,000 of them were 0.4 MB of a page
        "service_options": sorted(
            (
                services[k]
                for k in {f.cloud_service.lower() for f in result.findings if f.cloud_service}
                if k in services
            ),
            key=lambda p: p[1].lower(),
        ),
        "cards": cards,
        "trimmed": trimmed,
        "empty": empty,
        "budget": detailed,
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
