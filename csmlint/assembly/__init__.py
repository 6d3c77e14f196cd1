"""Assembly: join loaded parts into one Estate and derive the facts rules read."""

from __future__ import annotations

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


__all__ = ["Inputs", "assemble"]
