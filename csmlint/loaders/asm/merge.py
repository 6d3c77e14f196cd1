"""Merging topology documents: several exports into one, and imported facts into a
user-written document.

Objects of keyed lists join by identity (cloud services and VNets by name, deployments by
slot, VMs by name...). The document merged *into* wins: a fact it already states (not
``null``) is kept, a fact it lacks is filled. Objects whose ``source`` is being refreshed
(a re-import of the same export) take the new facts instead; keys and list items the user
added are kept either way. A subscription's ``cloudServices`` is complete when one of the
documents says so (:func:`merge_subscription`). Facts whose owner lives in another export
(validation messages, gateway details, Get Role responses) are attached once everything is
merged.
"""

from __future__ import annotations

from typing import Any

from csmlint.loaders.asm.base import PRIVATE, SITE_ID, EmbeddedConfig, Obj, Pending, Provenance
from csmlint.loaders.asm.export import COMPLETE, SCHEMA, AsmImport
from csmlint.model.location import SourceRef
from csmlint.records import field, record

LIST_KEYS: dict[str, tuple[str, ...]] = {
    "sources": ("id",),
    "subscriptions": ("id?",),
    "providers": ("namespace",),
    "cloudServices": ("name",),
    "virtualNetworks": ("name",),
    "reservedIps": ("name",),
    "affinityGroups": ("name",),
    "networkSecurityGroups": ("name",),
    "routeTables": ("name",),
    "storageAccounts": ("name",),
    "expressRouteCircuits": ("name",),
    "links": ("vnet",),
    "deployments": ("slot", "name"),
    "extensions": ("id", "name"),
    "extensionRefs": ("id",),
    "roles": ("name",),
    "vms": ("name",),
    "vips": ("name", "address"),
    "nics": ("name",),
    "endpoints": ("name",),
    "acl": ("order",),
    "dataDisks": ("lun", "name"),
    "disks": ("name",),
    "subnets": ("name",),
    "dnsServers": ("name", "address"),
    "gateways": ("kind",),
    "connections": ("localSite",),
    "peerings": ("remoteVnetId",),
    "services": ("kind", "name"),
}
"""Lists of objects merged item by item, and the fields that identify an item (the first
field both items state decides; ``?``: a missing value is a value). Other lists are single
facts."""


@record
class Merged:
    document: Obj
    prov: Provenance
    configurations: list[EmbeddedConfig] = field(default_factory=list)
    unmatched: list[Pending] = field(default_factory=list)
    """Facts whose owner no export contains (also kept under ``x-unmatched``)."""
    conflicts: list[tuple[str, object, object, SourceRef | None]] = field(default_factory=list)
    """Facts two exports state differently: (key, kept, dropped, where the dropped was)."""


def merge_imports(imports: list[AsmImport]) -> Merged:
    """One document from several exports (the first export stating a fact wins)."""
    prov = Provenance()
    prov.conflicts = []
    doc: Obj = {"schema": SCHEMA, "sources": [], "subscriptions": []}
    for imp in imports:
        prov.absorb(imp.prov)
        merge_into(doc, imp.document(), prov=prov)
    conflicts, prov.conflicts = prov.conflicts, None
    _fold_unnamed_subscription(doc, prov)
    out = Merged(doc, prov, [c for imp in imports for c in imp.configurations], conflicts=conflicts)
    for imp in imports:
        for pending in imp.pending:
            if not _attach(doc, pending, prov):
                out.unmatched.append(pending)
                doc.setdefault("x-unmatched", []).append(_unmatched(pending, imp))
    link_associations(doc)
    return out


def merge_into(
    base: Obj, new: Obj, *, prov: Provenance | None = None, refresh: frozenset[str] = frozenset()
) -> Obj:
    """Merge ``new`` into ``base`` (``base`` wins but for objects from ``refresh`` sources)."""
    _merge_obj(base, new, prov, refresh, fresh=False)
    return base


def _merge_obj(
    base: Obj, new: Obj, prov: Provenance | None, refresh: frozenset[str], *, fresh: bool
) -> None:
    own = base.get("source")
    if isinstance(own, str):
        fresh = own in refresh
    for key, val in new.items():
        cur = base.get(key)
        if key == "source":
            if fresh:  # an object someone wrote (no source) never becomes imported
                base[key] = val
            continue
        if isinstance(cur, dict) and isinstance(val, dict):
            _merge_obj(cur, val, prov, refresh, fresh=fresh)
        elif isinstance(cur, list) and _keyed(key, cur, val):
            _merge_list(key, cur, val, prov, refresh, fresh=fresh)
        elif cur is None or fresh:
            base[key] = val
            if prov is not None:
                prov.copy_key(base, new, key)
        elif prov is not None and prov.conflicts is not None and _differs(cur, val):
            owner = base.get("name")
            what = f"{owner}: {key}" if isinstance(owner, str) and owner else key
            prov.conflicts.append((what, cur, val, prov.of_key(new, key) or prov.of(new)))
            del base[key]  # unknown is not false: neither export's value is taken on trust


def _differs(kept: Any, other: Any) -> bool:
    """Two scalar facts that disagree (names compare case-insensitively; lists and
    objects are merged item by item, not compared)."""
    if isinstance(kept, (dict, list)) or isinstance(other, (dict, list)) or other is None:
        return False
    if isinstance(kept, str) and isinstance(other, str):
        return kept.strip().lower() != other.strip().lower()
    return bool(kept != other)


def _keyed(key: str, cur: Any, val: Any) -> bool:
    return (
        key in LIST_KEYS
        and isinstance(cur, list)
        and isinstance(val, list)
        and all(isinstance(i, dict) for i in (*cur, *val))
    )


def _merge_list(
    key: str,
    cur: list[Obj],
    new: list[Obj],
    prov: Provenance | None,
    refresh: frozenset[str],
    *,
    fresh: bool,
) -> None:
    fields = LIST_KEYS[key]
    for item in new:
        match = next((c for c in cur if same(c, item, fields)), None)
        if match is None:
            cur.append(item)
        elif key == "subscriptions":
            merge_subscription(match, item, prov, refresh, fresh=fresh)
        else:
            _merge_obj(match, item, prov, refresh, fresh=fresh)


def merge_subscription(
    base: Obj,
    new: Obj,
    prov: Provenance | None,
    refresh: frozenset[str] = frozenset(),
    *,
    fresh: bool = False,
) -> None:
    """Merge two objects of one subscription. Its ``cloudServices`` list is complete when
    either document says so (a complete list with more services is still complete); an
    import's ``cloudServicesComplete: false`` is kept unless the other document lists all."""
    claims = [_claim(base, refresh), _claim(new, frozenset())]
    stated_before = isinstance(base.get(COMPLETE), bool)
    _merge_obj(base, new, prov, refresh, fresh=fresh)
    stated = [c for c in claims if c is not None]
    if not stated:
        return
    complete = any(stated)
    if complete and not stated_before and new.get(COMPLETE) is not True:
        base.pop(COMPLETE, None)  # a cloudServices list without the key is complete
        return
    base[COMPLETE] = complete
    if prov is not None and new.get(COMPLETE) is complete:
        prov.copy_key(base, new, COMPLETE)


def _claim(sub: Obj, refresh: frozenset[str]) -> bool | None:
    """Whether ``sub`` says its ``cloudServices`` lists all its cloud services; ``None``:
    it says nothing (no list, or a list without ``cloudServicesComplete`` that only exports
    being imported again wrote: an import that predates the key; their new claim counts)."""
    flag = sub.get(COMPLETE)
    if isinstance(flag, bool):
        return flag
    services = sub.get("cloudServices")
    if not isinstance(services, list):
        return None
    refreshed = [cs for cs in services if isinstance(cs, dict) and cs.get("source") in refresh]
    if services and len(refreshed) == len(services):
        return None
    return True


def same(a: Obj, b: Obj, fields: tuple[str, ...]) -> bool:
    """The first field both objects state decides (case-insensitively)."""
    for f in fields:
        if f.endswith("?"):
            f = f[:-1]
            return str(a.get(f) or "").lower() == str(b.get(f) or "").lower()
        va, vb = a.get(f), b.get(f)
        if va is not None and vb is not None:
            return str(va).lower() == str(vb).lower()
    return False


def _fold_unnamed_subscription(doc: Obj, prov: Provenance) -> None:
    """Facts from exports that do not name their subscription join the only one named."""
    subs = doc["subscriptions"]
    named = [s for s in subs if s.get("id")]
    unnamed = [s for s in subs if not s.get("id")]
    if len(named) == 1 and len(unnamed) == 1:
        merge_subscription(named[0], unnamed[0], prov)
        subs.remove(unnamed[0])


def _objects(doc: Obj, key: str) -> list[Obj]:
    return [o for sub in doc.get("subscriptions") or [] for o in sub.get(key) or []]


def _eq(a: Any, b: str | None) -> bool:
    return b is None or (isinstance(a, str) and a.lower() == b.lower())


def _attach(doc: Obj, pending: Pending, prov: Provenance) -> bool:
    keys = pending.keys
    if pending.kind == "gateway":
        return _attach_gateway(doc, pending, prov)
    candidates = [
        (cs, dep)
        for cs in _objects(doc, "cloudServices")
        if _eq(cs.get("name"), keys.get("service"))
        for dep in cs.get("deployments") or []
        if _eq(dep.get("name"), keys.get("deployment"))
        and (
            "vm" not in keys or any(_eq(vm.get("name"), keys["vm"]) for vm in dep.get("vms") or [])
        )
    ]
    if len(candidates) != 1 or not keys:
        return False
    _, dep = candidates[0]
    if pending.kind == "validation":
        migration = dep.setdefault("migration", {})
        if migration.get("lastValidation") is None:
            migration["lastValidation"] = pending.value
            prov.mark_key(migration, "lastValidation", pending.ref)
        return True
    vm = next(v for v in dep.get("vms") or [] if _eq(v.get("name"), keys["vm"]))
    merge_into(vm, pending.value, prov=prov)
    return True


def _attach_gateway(doc: Obj, pending: Pending, prov: Provenance) -> bool:
    vnets = _objects(doc, "virtualNetworks")
    site_id, name = pending.keys.get("id"), pending.keys.get("vnet")
    found = [v for v in vnets if site_id and v.get(SITE_ID) == site_id]
    if not found and name:
        found = [v for v in vnets if _eq(v.get("name"), name)]
    if len(found) != 1:
        return False
    vnet, facts = found[0], pending.value
    gateways = vnet.get("gateways")
    if facts.get("state") == "notprovisioned" and not gateways:
        vnet["gateways"] = []
        prov.mark_key(vnet, "gateways", pending.ref)
        return True
    if not gateways:
        return False  # a gateway exists but nothing says whether VPN or ExpressRoute
    for gw in gateways:
        for key in ("sku", "state"):
            if gw.get(key) is None and facts.get(key) is not None:
                gw[key] = facts[key]
                prov.copy_key(gw, facts, key)
    return True


def _unmatched(pending: Pending, imp: AsmImport) -> Obj:
    what = {"validation": "lastValidation", "gateway": "gateway", "vm": "vm"}[pending.kind]
    entry: Obj = {"kind": what, "source": imp.source["id"], "matchOn": dict(pending.keys)}
    entry["value"] = strip_private(pending.value)
    return entry


def link_associations(doc: Obj) -> None:
    """NSGs and route tables named by imported subnets, with those subnets
    (``vnet:<vnet>/subnet:<subnet>``)."""
    for sub in doc.get("subscriptions") or []:
        for vnet in sub.get("virtualNetworks") or []:
            for subnet in vnet.get("subnets") or []:
                where = f"vnet:{vnet.get('name')}/subnet:{subnet.get('name')}"
                for key, list_key, field_name in (
                    ("nsg", "networkSecurityGroups", "associations"),
                    ("routeTable", "routeTables", "subnets"),
                ):
                    name = subnet.get(key)
                    if not name:
                        continue
                    items = sub.setdefault(list_key, [])
                    item = next((i for i in items if _eq(i.get("name"), name)), None)
                    if item is None:
                        item = {"name": name, "source": vnet.get("source")}
                        items.append(item)
                    linked = item.setdefault(field_name, [])
                    if isinstance(linked, list) and where not in linked:
                        linked.append(where)


def strip_private(value: Any) -> Any:
    """``value`` without the importer's internal keys (in place; returned for chaining)."""
    if isinstance(value, dict):
        for key in [k for k in value if k.startswith(PRIVATE)]:
            del value[key]
        for item in value.values():
            strip_private(item)
    elif isinstance(value, list):
        for item in value:
            strip_private(item)
    return value
