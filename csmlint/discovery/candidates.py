"""What discovery hands to the engine: classified input files, and what it skipped."""

from __future__ import annotations

import os

from csmlint.errors import InputError
from csmlint.records import field, record


@record
class InputCandidate:
    """One file to load. ``data`` is set when discovery already read the bytes."""

    path: str
    display: str
    kind: str  # csdef | cscfg | netcfg | topology | asm
    data: bytes | None = None
    error: InputError | None = None
    context: bool = False
    """Read only to pair with a file named on the command line: its model parts join the
    estate, findings located in it are not reported (:mod:`csmlint.discovery.partners`)."""


@record
class Discovery:
    files: list[InputCandidate] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(display path, why) of files that were seen but not linted."""
    empty_dirs: list[str] = field(default_factory=list)
    """Folders named on the command line that hold no input at all (display paths)."""

    def empty_folder_warnings(self, topologies: list[str], cwd: str) -> list[str]:
        """A warning for each of :attr:`empty_dirs`, except a folder holding a topology
        document named with ``--topology`` (that file is its input, whatever its name)."""
        named = [os.path.abspath(os.path.join(cwd, t)) for t in topologies]
        out = []
        for folder in self.empty_dirs:
            full = os.path.join(os.path.abspath(os.path.join(cwd, folder)), "")
            if any(t.startswith(full) for t in named):
                continue
            out.append(
                f"{folder}: no .csdef, .cscfg, network configuration, topology document or "
                "Service Management export found there (-v lists what was skipped)"
            )
        return out
