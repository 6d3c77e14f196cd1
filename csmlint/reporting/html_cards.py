"""The HTML report's view model: cards per migration unit and cloud service, blocked first.

Pure data shaping (no Jinja2, no I/O): :mod:`csmlint.reporting.html` renders it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from csmlint.findings.finding import (
    READINESS,
    SEVERITIES,
    SEVERITY_RANK,
    Finding,
    RunResult,
    ServiceStatus,
    UnitStatus,
)
from csmlint.findings.summary import GROUPS, group_of, summarize
from csmlint.records import field, record

CATEGORY_TITLES = {
    "blocker": "Blockers",
    "dropped": "Dropped by the migration",
    "post-migration": "To change after the migration",
    "advisory": "Advisory",
    "unknown": "Cannot tell yet",
}
"""Titles of the report groups (:data:`csmlint.findings.summary.GROUPS`)."""
UNIT_KINDS = {
    "virtualNetwork": "Virtual network",
    "cloudService": "Cloud service",
    "storageAccount": "Storage account",
}
_RANK = {name: n for n, name in enumerate(READINESS)}
_HTTPS = re.compile(r"https://[^\s\x00-\x1f\x7f-\x9f\"'<>\\`]+")


def safe_url(url: str | None) -> str | None:
    """``url`` when csmlint may link to it (``https://``, nothing odd in it), else ``None``."""
    return url if url and _HTTPS.fullmatch(url) else None


@record
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
    """Shows its excerpt, fix and commands (see :data:`DETAIL_BUDGET`)."""
    short: str | None = None
    """For a brief finding whose rule's brief messages share their start and end: only the
    part that differs (the rule's entry shows the shared text once)."""
    anchor: str = ""
    """The finding's ``id`` when a later finding refers to its fix, commands or excerpt."""
    fix_at: FindingView | None = None
    """An earlier detailed finding that shows this finding's fix text, word for word."""
    commands_at: FindingView | None = None
    """An earlier detailed finding that shows this finding's commands, word for word."""
    excerpt_at: FindingView | None = None
    """An earlier detailed finding that shows the same source excerpt."""
    fix_own: str | None = None
    """When the fix text ends with sentences that its rule's entry shows (the fix of the
    rule's first finding ends with them too): the part before them."""
    fix_rest: int = 0
    """How many sentences :attr:`fix_own` leaves to the rule's entry."""

    at: str = ""
    """A brief finding's location as its line shows it: ``where``, with the file named from
    its cloud service's folder when it lies in it (see :attr:`Card.folder`), and only
    ``:line`` when the line above is in the same file."""

    @property
    def text(self) -> str:
        """What a brief line shows of the message: its values, or all of it."""
        return self.f.message if self.short is None else self.short


@record
class Group:
    category: str
    title: str
    findings: list[FindingView]
    """All of the group's findings, in page order (detailed first, see :func:`arrange`)."""
    detailed: list[FindingView] = field(default_factory=list)
    brief: list[tuple[str, list[FindingView]]] = field(default_factory=list)
    """The brief findings in runs of one severity (see :func:`arrange`)."""
    below: int = 0
    """On a migration unit's card: how many findings of this group's category its cloud
    services' cards hold (the heading says so; "Blockers (1)" alone read as the unit's count)."""


@record
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
    note: str = ""
    """Why the card's verdict is unconfirmed (empty when it is not)."""
    definition: str = ""
    """A cloud service's ``.csdef`` (empty when none is known)."""
    folder: str = ""
    """A cloud service's folder (its ``.csdef``'s, with the ``/``): brief lines name the
    files in it without it, as the card says where the service is defined."""
    totals: bool = False
    """Shows its counts: a migration unit's card (its findings and its services')."""
    alone: bool = False
    """A cloud service outside any VNet: its own migration unit (its card says so; the
    units table's Kind column shows only "Cloud service", one row per unit)."""
    shown: bool = True
    """``False`` for a cloud service's card with nothing to show in a long report (see
    :func:`drop_empty`): its row in the table says all there is."""


def in_page_order(cards: list[Card]) -> Iterator[FindingView]:
    """Every finding of ``cards`` in the order the page shows them."""
    for card in all_cards(cards):
        for group in card.groups:
            yield from group.findings


def all_cards(cards: list[Card]) -> Iterator[Card]:
    """``cards`` and their nested cards, in page order."""
    stack = list(reversed(cards))
    while stack:
        card = stack.pop()
        yield card
        stack.extend(reversed(card.children))


def service_ids(result: RunResult) -> dict[str, tuple[str, str]]:
    """Lower-cased cloud service name -> (``s<n>`` id, display name), sorted by name. The
    display name is the service's label: its deployed name, else ``<cloud-service-name>
    (csdef: X)`` (a files-only run does not know the name the service has in Azure)."""
    names: dict[str, str] = {}
    for s in result.services:
        names.setdefault(s.name.lower(), s.label)
    for u in result.units:
        for name, label in zip(u.cloud_services, u.service_labels, strict=False):
            names.setdefault(name.lower(), label)
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


def view(f: Finding, svc: str, rule_index: dict[str, int]) -> FindingView:
    ex = f.excerpt
    lines = (
        [(ex.first_line + n, text, ex.first_line + n == ex.line) for n, text in enumerate(ex.lines)]
        if ex is not None
        else []
    )
    return FindingView(f, _where(f), svc, safe_url(f.help_uri), rule_index.get(f.rule_id), lines)


def _groups(findings: list[Finding], svc: str, rule_index: dict[str, int]) -> list[Group]:
    by_cat: dict[str, list[Finding]] = {c: [] for c in GROUPS}
    for f in findings:
        by_cat.setdefault(group_of(f), []).append(f)
    groups: list[Group] = []
    for cat, items in by_cat.items():
        if items:
            items.sort(key=lambda f: -SEVERITY_RANK[f.severity])  # stable: keeps file order
            views = [view(f, svc, rule_index) for f in items]
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


def build_cards(
    result: RunResult, services: dict[str, tuple[str, str]], rule_index: dict[str, int]
) -> list[Card]:
    """One card per migration unit (its cloud services nested), blocked first; findings tied
    to neither a cloud service nor a unit go to a last card (first when it holds errors)."""
    summary = summarize(result)
    units = {u.id: u for u in result.units}
    statuses: dict[str, list[ServiceStatus]] = {}
    homes: dict[str, list[str]] = {}
    shared: dict[tuple[str, str], int] = {}
    for s in result.services:
        # Services that share a key (the same name twice in the inputs) share their
        # findings: one card holds them, or the page would repeat them once per service.
        shared[(s.unit, s.key)] = shared.get((s.unit, s.key), 0) + 1
        if shared[(s.unit, s.key)] == 1:
            statuses.setdefault(s.unit, []).append(s)
            homes.setdefault(s.key, []).append(s.unit)
    own: dict[tuple[str, str], list[Finding]] = {}
    unit_level: dict[str, list[Finding]] = {}
    loose: list[Finding] = []
    for f in result.active:
        unit = f.unit
        if f.service_key:
            key = f.service_key
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
            _service_card(f"u{n}-s{m}", s, services, own.get((u.id, s.key), []), rule_index)
            for m, s in enumerate(members)
        ]
        for child, s in zip(children, members, strict=True):
            child.note = summary.readiness_note(s)
            twins = shared[(s.unit, s.key)]
            if twins > 1:
                child.detail = (
                    f"{twins} cloud services in the inputs share this name; their findings "
                    "are shown once, together (Azure cloud service names are unique: check "
                    "for a duplicated topology entry or export)"
                )
        children.sort(key=_order)
        card = _unit_card(f"u{n}", u, services, children, unit_level.get(u.id, []), rule_index)
        if all(card is not child for child in children):
            card.note = summary.readiness_note(u)
        cards.append(card)
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
    _tell_apart(cards)
    return cards


def _tell_apart(cards: list[Card]) -> None:
    """A cloud service's card whose title another card has too (eleven copies of one sample
    project read as eleven identical rows of the units table) says where it is defined."""
    seen: dict[str, int] = {}
    for card in all_cards(cards):
        seen[card.title] = seen.get(card.title, 0) + 1
    for card in all_cards(cards):
        if seen[card.title] > 1 and card.definition:
            card.title = f"{card.title} [{card.definition}]"


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
        title=s.label,
        kind="Cloud service",
        name=s.name,
        readiness=s.readiness,
        svc=sid,
        detail=f"Defined in {s.definition}" if s.definition else "",
        definition=s.definition or "",
        folder=_folder(s.definition),
        groups=_groups(findings, sid, rule_index),
        counts=dict.fromkeys(SEVERITIES, 0) | s.counts,
    )


def _folder(definition: str | None) -> str:
    """The folder of a ``.csdef`` path, with its ``/`` (empty for none)."""
    return definition.rpartition("/")[0] + "/" if definition and "/" in definition else ""


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
        child.anchor, child.alone = anchor, True
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
    own_label = u.kind == "cloudService" and len(u.service_labels) == 1
    groups = _groups(findings, svc, rule_index)
    for group in groups:
        group.below = sum(
            len(g.findings) for c in children for g in c.groups if g.category == group.category
        )
    return Card(
        anchor=anchor,
        title=u.service_labels[0] if own_label else u.name,
        kind=UNIT_KINDS.get(u.kind, u.kind),
        name=u.name,
        readiness=u.readiness,
        svc=svc,
        detail=detail,
        groups=groups,
        children=children,
        counts=dict.fromkeys(SEVERITIES, 0) | u.counts,
        totals=True,
    )
