"""What discovery hands to the engine: classified input files, and what it skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

from csmlint.errors import InputError


@dataclass(slots=True)
class InputCandidate:
    """One file to load. ``data`` is set when discovery already read the bytes."""

    path: str
    display: str
    kind: str  # csdef | cscfg | netcfg | topology | asm
    data: bytes | None = None
    error: InputError | None = None


@dataclass(slots=True)
class Discovery:
    files: list[InputCandidate] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(display path, why) of files that were seen but not linted."""
