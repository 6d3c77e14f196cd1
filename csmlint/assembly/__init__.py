"""Assembly: join loaded parts into one Estate and derive the facts rules read."""

from __future__ import annotations

import posixpath

from csmlint.assembly.build import build
from csmlint.assembly.derive import derive
from csmlint.assembly.names import name_everything
from csmlint.assembly.units import assign_units
from csmlint.model.estate import Estate
from csmlint.model.inputs import Inputs


def assemble(inputs: Inputs) -> Estate:
    estate = build(inputs)
    derive(estate)
    assign_units(estate)
    name_everything(estate)
    return estate


def unpaired_configurations(estate: Estate) -> list[str]:
    """One sentence per ``.cscfg`` that became a deployment known only from the files of a
    cloud service whose topology lists its deployments: csmlint could not tell which listed
    deployment it configures (none names it in ``cscfg``, and not exactly one waited for
    it), so its facts are checked as a further deployment's and may repeat findings."""
    out = []
    for cs in estate.cloud_services:
        if not (cs.in_topology and cs.deployments_listed):
            continue
        listed = [d for d in cs.deployments if d.live]
        for dep in cs.deployments:
            cfg = dep.configuration
            if dep.live or cfg is None or not listed:
                continue
            names = ", ".join(
                str(d.slot) if isinstance(d.slot, str) else str(d.name or "?") for d in listed
            )
            topology = cs.src.path if cs.src is not None else ""
            relative = posixpath.relpath(cfg.path, posixpath.dirname(topology) or ".")
            out.append(
                f"{cfg.path}: not paired with a deployment of cloud service {cs.shown_name}: "
                f"the topology lists {len(listed)} ({names}) and none names this file; it is "
                "checked as a further deployment known only from the files, so findings may "
                f'repeat: on the deployment it configures, set "cscfg": "{relative}" (relative '
                f"to {topology or 'the topology document'})"
            )
    return out


def duplicate_services(estate: Estate) -> list[str]:
    """One warning per cloud service that more than one topology document describes in one
    subscription: a hosted service's name is unique, but csmlint cannot tell which
    description is current, so it checks (and plans) each as a service of its own."""
    first: dict[tuple[str, str], str] = {}
    out = []
    for cs in estate.cloud_services:
        if not cs.in_topology or cs.src is None:
            continue
        sub = cs.subscription
        key = (str(getattr(sub, "id", None) or ""), cs.name.lower())
        where = cs.src.path
        seen = first.setdefault(key, where)
        if seen != where:
            out.append(
                f"{where}: cloud service {cs.shown_name} is described in {seen} too: its "
                "findings and plan steps appear once for each description; keep it in one "
                "topology document"
            )
    if len(out) > MAX_DUPLICATE_WARNINGS:
        rest = len(out) - MAX_DUPLICATE_WARNINGS
        out[MAX_DUPLICATE_WARNINGS:] = [
            f"... and {rest} more cloud service(s) that more than one topology document describes"
        ]
    return out


MAX_DUPLICATE_WARNINGS = 3
"""Warnings named one by one (a folder of test estates repeats services many times)."""


__all__ = ["Inputs", "assemble", "duplicate_services", "unpaired_configurations"]
