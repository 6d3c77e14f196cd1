"""Readiness per cloud service and per migration unit: the one definition every report uses.

* ``blocked``: an unsuppressed finding that means the unit cannot go ahead as it is touches
  the service or its migration unit: any ``error``, or a ``warning`` of the ``blocker``
  category (a transient state, say). A blocker anywhere in a VNet blocks every cloud service
  in it, because they migrate together; a subscription-wide blocker (the migration resource
  provider is not registered) blocks every cloud service and every migration unit (storage
  accounts too) of that subscription. ``csmlint plan`` shows these verdicts unchanged.
  A suppressed blocker still blocks: a suppression accepts it (the exit code and the
  listing leave it out) but does not fix it, so Validate would still fail; reports say how
  many of a verdict's blockers are suppressed.
* ``needs-attention``: another ``warning`` touches the service itself or its unit as a
  whole (not a sibling service): something is dropped, or must change after the migration.
* ``ready``: neither, and nothing that could still block is undecided. Notes never make a
  verdict worse, except that ``ready`` is never claimed on missing evidence: while a
  blocking rule could not tell (its "cannot tell" note touches the service or its unit),
  did not run, or an input could not be read, the verdict is at best ``needs-attention``,
  *unconfirmed* (:mod:`csmlint.findings.summary` says why).

Services and units come out in one order every report shows: blocked first, then needs
attention, then ready, each by name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from csmlint.findings.finding import SEVERITIES, Finding, RunResult, ServiceStatus, UnitStatus
from csmlint.findings.summary import INPUT_ERROR
from csmlint.model.cloud import CloudService
from csmlint.model.estate import Estate, storage_unit_id, vnet_unit_id
from csmlint.records import field, record

_RANK = {"ready": 0, "needs-attention": 1, "blocked": 2}


def level(f: Finding) -> str:
    """The verdict one unsuppressed finding implies on its own."""
    if f.blocks:
        return "blocked"
    return "needs-attention" if f.severity == "warning" else "ready"


def _worst(levels: list[str]) -> str:
    return max(levels, key=_RANK.__getitem__, default="ready")


def compute(
    findings: list[Finding],
    estate: Estate,
    blocking: Collection[str] = (),
    folded: Collection[Finding] = (),
    run_unsure: bool = False,
    unread: Unread | None = None,
) -> tuple[list[ServiceStatus], list[UnitStatus]]:
    """Statuses of every cloud service and unit; ``blocking`` holds the ids of the rules
    that can block: their "cannot tell" notes, and those of the ``blocker`` category (notes
    about blockers that could not be decided), leave a verdict unconfirmed. ``folded`` are
    "cannot tell" notes merged into another finding on the same element: not counted as
    findings, but still undecided checks. ``run_unsure``: some blocking rule did not run, so
    no verdict of the run can be ``ready``. ``unread``: input files that could not be read,
    as :func:`unread_inputs` scopes them."""
    unread = unread or Unread()
    unread_everywhere, unread_by_service = unread.everywhere, unread.by_service
    unread_by_unit = unread.by_unit
    unit_unread: dict[str, set[str]] = defaultdict(set)
    for unit_id, paths in unread_by_unit.items():
        unit_unread[unit_id] |= paths

    def undecided(items: list[Finding]) -> int:
        return sum(
            1 for f in items if f.unknown and (f.rule_id in blocking or f.category == "blocker")
        )

    by_service: dict[str, list[Finding]] = defaultdict(list)
    by_unit: dict[str, list[Finding]] = defaultdict(list)
    blocked_subscriptions: set[str] = set()
    undecided_subscriptions: dict[str, int] = defaultdict(int)
    wide_rules: dict[str, list[str]] = defaultdict(list)  # subscription -> its undecided rules
    # suppressed blockers are accepted, not fixed: the verdict stays blocked
    hidden_by_service, hidden_by_unit = _accepted(f for f in findings if f.suppression)
    for f in findings:
        if f.suppression is not None:
            continue
        wide = f.subscription and not (f.cloud_service or f.unit or f.virtual_network)
        if wide and f.subscription and level(f) == "blocked":
            blocked_subscriptions.add(f.subscription)
        if wide and f.subscription and undecided([f]):
            undecided_subscriptions[f.subscription] += 1
            wide_rules[f.subscription].append(f.rule_id)
        if f.service_key:
            by_service[f.service_key].append(f)
        if f.unit:
            by_unit[f.unit].append(f)

    services: list[ServiceStatus] = []
    unit_levels: dict[str, list[str]] = defaultdict(list)
    unit_subscriptions: dict[str, set[str]] = defaultdict(set)
    for cs in estate.cloud_services:
        own = by_service.get(cs.key, [])
        in_unit = by_unit.get(cs.migration_unit, [])
        unit_wide = [f for f in in_unit if not f.service_key]
        levels = [level(f) for f in own + unit_wide]
        if any(level(f) == "blocked" for f in in_unit):
            levels.append("blocked")
        if hidden_by_service.get(cs.key) or hidden_by_unit.get(cs.migration_unit):
            levels.append("blocked")  # a suppression accepts a blocker; it does not fix it
        sub = cs.subscription
        if sub is not None and (sub.key or sub.id) in blocked_subscriptions:
            levels.append("blocked")
        verdict = _worst(levels)
        sub_key = (sub.key or sub.id) if sub is not None else None
        wide_undecided = undecided_subscriptions.get(sub_key, 0) if sub_key else 0
        if sub_key:
            unit_subscriptions[cs.migration_unit].add(sub_key)
        services.append(
            ServiceStatus(
                name=cs.name,
                readiness=verdict,
                unit=cs.migration_unit,
                definition=cs.definition.path if cs.definition else None,
                counts=_counts(own),
                key=cs.key,
                cannot_tell=undecided(own + unit_wide) + wide_undecided,
                wide_checks=sorted(set(wide_rules.get(sub_key, []))) if sub_key else [],
                suppressed_blockers=hidden_by_service.get(cs.key, 0)
                + hidden_by_unit.get(cs.migration_unit, 0),
                deployed_name=cs.service_name if isinstance(cs.service_name, str) else None,
                label=cs.display_name or cs.name,
                unread=unread_everywhere + len(unread_by_service.get(cs.key, ())),
            )
        )
        unit_unread[cs.migration_unit] |= unread_by_service.get(cs.key, frozenset())
        unit_levels[cs.migration_unit].append(verdict)
    claimed = disputes(estate)
    status_of = {s.key: s for s in services}
    for unit_id, sub_key in _unit_subscriptions(estate):
        unit_subscriptions[unit_id].add(sub_key)
    labels: dict[tuple[str, str], str] = {}
    for cs in reversed(estate.cloud_services):  # the first of same-named services in a unit
        labels[(cs.migration_unit, cs.name)] = cs.display_name or cs.name
    units: list[UnitStatus] = []
    for unit in estate.units:
        inside = by_unit.get(unit.id, [])
        levels = [level(f) for f in inside] + unit_levels.get(unit.id, [])
        if hidden_by_unit.get(unit.id):
            levels.append("blocked")
        claims = claimed.get(unit.id, [])
        # a service whose .cscfg puts it here may be in this unit: as far from ready as it
        levels += [status_of[cs.key].readiness for cs in claims if cs.key in status_of]
        if unit_subscriptions[unit.id] & blocked_subscriptions:
            levels.append("blocked")  # a storage account has no cloud service to carry it
        units.append(
            UnitStatus(
                id=unit.id,
                kind=unit.kind,
                name=unit.name,
                cloud_services=list(unit.cloud_services),
                service_labels=[labels.get((unit.id, n), n) for n in unit.cloud_services],
                readiness=_worst(levels),
                counts=_counts(inside),
                cannot_tell=undecided(inside)
                + sum(undecided_subscriptions.get(k, 0) for k in unit_subscriptions[unit.id]),
                wide_checks=sorted(
                    {r for k in unit_subscriptions[unit.id] for r in wide_rules.get(k, [])}
                ),
                suppressed_blockers=hidden_by_unit.get(unit.id, 0),
                unread=unread_everywhere + len(unit_unread.get(unit.id, ())),
                disputed_by=[cs.display_name or cs.name for cs in claims],
            )
        )
    services_by_key: dict[str | None, list[ServiceStatus]] = defaultdict(list)
    for status in services:
        services_by_key[status.key].append(status)
    services_by_unit: dict[str, list[ServiceStatus]] = defaultdict(list)
    for status in services:
        services_by_unit[status.unit].append(status)
    units_by_id: dict[str | None, list[UnitStatus]] = defaultdict(list)
    for unit_status in units:
        units_by_id[unit_status.id].append(unit_status)
    for f in folded:  # indexed: a scan of every status per note was quadratic
        if f.suppression is not None or not undecided([f]):
            continue
        for status in services_by_key.get(f.service_key, ()):
            status.cannot_tell += 1
        for unit_status in units_by_id.get(f.unit, ()):
            unit_status.cannot_tell += 1
    statuses: list[ServiceStatus | UnitStatus] = [*services, *units]
    for item in statuses:
        if item.readiness == "ready" and (item.cannot_tell or run_unsure or item.unread):
            item.readiness = "needs-attention"  # never ready on missing evidence
    for unit_status in units:  # a unit is as far from ready as its least ready service
        inner = [s.readiness for s in services_by_unit.get(unit_status.id, ())]
        unit_status.readiness = _worst([unit_status.readiness, *inner])
        if unit_status.disputed_by and unit_status.readiness == "blocked":
            for status in services_by_unit.get(unit_status.id, ()):  # they migrate together
                status.readiness = "blocked"
    services.sort(key=lambda s: (-_RANK[s.readiness], s.name.lower(), s.definition or "", s.key))
    units.sort(key=lambda u: (-_RANK[u.readiness], u.name.lower(), u.id))
    for u in units:
        pairs = sorted(
            zip(u.cloud_services, u.service_labels, strict=True), key=lambda p: p[0].lower()
        )
        u.cloud_services = [name for name, _ in pairs]
        u.service_labels = [label for _, label in pairs]
    return services, units


def count_baselined(result: RunResult) -> None:
    """After a baseline marked findings (the verdicts were computed before, so a baselined
    blocker still blocks), count its blockers as suppressed ones of their service and unit:
    the reports then say why a verdict is blocked with nothing listed."""
    baselined = (f for f in result.findings if f.suppression and f.suppression.origin == "baseline")
    by_service, by_unit = _accepted(baselined)
    for status in result.services:
        status.suppressed_blockers += by_service.get(status.key, 0) + by_unit.get(status.unit, 0)
    for unit in result.units:
        unit.suppressed_blockers += by_unit.get(unit.id, 0)
    result.summary = None  # recomputed with the counts


def _accepted(findings: Iterable[Finding]) -> tuple[dict[str, int], dict[str, int]]:
    """The blockers among ``findings`` counted by service key, and by unit for those of a
    unit (a blocker anywhere in a unit bears on all of it)."""
    by_service: dict[str, int] = defaultdict(int)
    by_unit: dict[str, int] = defaultdict(int)
    for f in findings:
        if not f.blocks:
            continue
        if f.unit:
            by_unit[f.unit] += 1
        elif f.service_key:
            by_service[f.service_key] += 1
    return by_service, by_unit


def blocking_for(findings: list[Finding], estate: Estate, paths: Collection[str]) -> list[Finding]:
    """The findings among ``findings`` (suppressed ones too) that block a cloud service with a
    ``.csdef``, ``.cscfg`` or export among ``paths``, or its migration unit (every blocker
    when the files name no service of their own): what makes the verdict
    of the files named alone (a pre-commit hook) *blocked* although located elsewhere (a
    topology's transient deployment state)."""
    keys: set[str] = set()
    units: set[str] = set()
    subscriptions: set[str] = set()
    for cs in estate.cloud_services:
        files = [c.path for c in cs.configurations]
        if cs.definition is not None:
            files.append(cs.definition.path)
        files += [e.src.path for e in (cs, *cs.deployments) if e.src is not None]
        if any(p in paths for p in files):
            keys.add(cs.key)
            units.add(cs.migration_unit)
            if cs.subscription is not None:
                subscriptions.add(cs.subscription.key or cs.subscription.id or "")
    for vnet in estate.virtual_networks:  # a network configuration named alone
        if vnet.src is not None and vnet.src.path in paths:
            units.add(vnet_unit_id(vnet.name))
    if not keys and not units:  # the files name nothing of their own: exports a topology
        # was imported from (their facts come from it), so its verdicts are theirs
        return [f for f in findings if f.blocks]
    return [
        f
        for f in findings
        if f.blocks
        and (
            f.service_key in keys
            or f.unit in units
            or (f.subscription in subscriptions and not (f.cloud_service or f.unit))
        )
    ]


def disputes(estate: Estate) -> dict[str, list[CloudService]]:
    """Unit id -> cloud services whose ``.cscfg`` names that unit's VNet while the topology
    puts their deployment in another unit (CSM184)."""
    out: dict[str, list[CloudService]] = defaultdict(list)
    for cs in estate.cloud_services:
        for dep in cs.deployments:
            unit = dep.cscfg_vnet_unit
            if unit and unit != cs.migration_unit and cs not in out[unit]:
                out[unit].append(cs)
    return out


def _unit_subscriptions(estate: Estate) -> list[tuple[str, str]]:
    """(unit id, subscription key) of the VNets and storage accounts that are units."""
    out = []
    for unit_id, sub in [
        *((vnet_unit_id(v.name), v.subscription) for v in estate.virtual_networks),
        *((storage_unit_id(a.name), a.subscription) for a in estate.storage_accounts),
    ]:
        key = (sub.key or sub.id) if sub is not None else None
        if key:
            out.append((unit_id, key))
    return out


def _counts(findings: list[Finding]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f.severity] += 1
    return out


_SERVICE_KINDS = frozenset({"csdef", "cscfg"})


@record(frozen=True)
class Unread:
    """Input files that could not be read, by the verdicts they bear on
    (:func:`unread_inputs`)."""

    everywhere: int = 0
    """How many bear on every verdict."""
    by_service: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """The others' paths, by service key."""
    by_unit: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Paths that bear on a migration unit beyond its services' (a VNet's network
    configuration), by unit id."""


def unread_inputs(findings: Iterable[Finding], estate: Estate) -> Unread:
    """Which verdicts the input files that could not be read (CSM000) bear on.

    A `.csdef` or `.cscfg` holds one service's facts: it bears on the services with a file
    in its folder, above it or below it (a service's files sit together; its name is in the
    file that could not be read). A network configuration holds VNets' facts: it bears on
    every VNet and on every service not known to be outside one (a service whose every
    deployment's `.cscfg` or topology names no VNet is not in one). Any other input (a
    topology, an export) may hold facts of every service: it is counted for all."""
    everywhere = 0
    local: set[str] = set()
    netcfgs: set[str] = set()
    read_as = {f.path: f.kind for f in estate.files}  # how it was read, not its extension
    for f in findings:
        if f.rule_id != INPUT_ERROR:
            continue
        kind = read_as.get(f.location.path)
        if kind in _SERVICE_KINDS:
            local.add(f.location.path)
        elif kind == "netcfg":
            netcfgs.add(f.location.path)
        else:  # a topology, an export, or not known: everywhere
            everywhere += 1
    by_service: dict[str, frozenset[str]] = {}
    folders = {p: _folder(p) for p in local}
    for cs in estate.cloud_services:
        hit: set[str] = set()
        if folders:
            mine = {_folder(c.path) for c in cs.configurations}
            if cs.definition is not None:
                mine.add(_folder(cs.definition.path))
            hit = {p for p, f in folders.items() if any(_related(f, m) for m in mine)}
        if netcfgs and not _outside_vnets(cs):
            hit |= netcfgs
        if hit:
            by_service[cs.key] = frozenset(hit)
    by_unit = {
        u.id: frozenset(netcfgs) for u in estate.units if netcfgs and u.kind == "virtualNetwork"
    }
    return Unread(everywhere, by_service, by_unit)


def _outside_vnets(cs: CloudService) -> bool:
    """Known to be in no VNet: it has deployments and none is in one (``None``, not unknown)."""
    return bool(cs.deployments) and all(
        d.vnet_name is None and not d.cscfg_vnet_name for d in cs.deployments
    )


def _folder(path: str) -> str:
    return path.replace("\\", "/").rpartition("/")[0]


def _related(a: str, b: str) -> bool:
    """One folder is the other, or holds it (``""`` is the top: it holds every folder)."""
    return a == b or not a or not b or b.startswith(a + "/") or a.startswith(b + "/")
