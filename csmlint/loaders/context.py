"""What a loader may touch during a run: the shared inputs and the run's limits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csmlint.model.inputs import Inputs
from csmlint.model.location import SourceRef
from csmlint.records import field, record

if TYPE_CHECKING:
    from csmlint.loaders.asm.export import AsmImport


@record
class LoadContext:
    """The parts loaded so far and what later steps of loading need to know."""

    inputs: Inputs
    max_bytes: int
    cwd: str
    cscfg_refs: dict[str, SourceRef] = field(default_factory=dict)
    """`.cscfg` files topology deployments name (absolute path -> where named)."""
    asm_imports: list[tuple[str, AsmImport]] = field(default_factory=list)
    """ASM exports read so far (real path, import); mapped once all files are read."""
