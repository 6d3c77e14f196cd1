"""Overlaying facts from one source onto an entity that another source declared."""

from __future__ import annotations

from csmlint import records
from csmlint.model.base import Entity
from csmlint.model.facts import UNKNOWN

_SKIP = frozenset({"src", "srcs", "key"})


def overlay(base: Entity, top: Entity, *, skip: frozenset[str] = frozenset()) -> None:
    """Copy every *known* fact of ``top`` onto ``base`` (``top`` wins), with its location.

    Back-references and the names in ``skip`` are left alone. An empty list replaces a
    ``base`` list only when it is a statement: the field is a fact (unknown by default), so
    ``top`` said "none" (a topology's ``"gateways": []``); a plain list field that ``top``
    merely left empty never wipes ``base``. Nor does a stated "none" wipe what ``base``
    found: when a network configuration holds a gateway and the topology says there is
    none, the inputs disagree, and dropping the gateway would hide a blocker on one input's
    word (a verdict is never better than the evidence): the gateway stays.
    """
    for f in records.fields(base):
        name = f.name
        if name in _SKIP or name in skip or f.metadata.get("backref"):
            continue
        if not hasattr(top, name):
            continue
        value = getattr(top, name)
        if value is UNKNOWN:
            continue
        current = getattr(base, name)
        stated = f.default is UNKNOWN
        wipes = not stated or (isinstance(current, list) and bool(current))
        if isinstance(value, list) and not value and current is not UNKNOWN and wipes:
            continue
        setattr(base, name, value)
        ref = top.srcs.get(name)
        if ref is not None:
            base.note_source(name, ref)
