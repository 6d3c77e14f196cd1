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


__all__ = ["Inputs", "assemble", "unpaired_configurations"]
