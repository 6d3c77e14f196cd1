"""Where reports go: ``--format NAME[=PATH]`` specs and atomic file writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass

from csmlint.errors import UsageError


@dataclass(frozen=True, slots=True)
class OutputSpec:
    format: str
    path: str | None  # None: standard output


def parse_formats(specs: list[str], output: str | None, known: list[str]) -> list[OutputSpec]:
    """``["sarif=out/a.sarif", "text"]`` -> specs. ``--output`` applies to a lone format
    given without a path. At most one report may go to standard output."""
    parsed: list[OutputSpec] = []
    for spec in specs or ["text"]:
        for part in spec.split(","):
            name, sep, path = part.strip().partition("=")
            name = name.strip().lower()
            if name not in known:
                raise UsageError(f"--format: unknown format {name!r} (known: {', '.join(known)})")
            if sep and not path.strip():
                raise UsageError(f"--format {part}: missing path after '='")
            parsed.append(OutputSpec(name, path.strip() or None))
    if output:
        unnamed = [p for p in parsed if p.path is None]
        if len(unnamed) != 1:
            raise UsageError("--output needs exactly one --format without a path")
        parsed = [OutputSpec(p.format, output) if p.path is None else p for p in parsed]
    if sum(1 for p in parsed if p.path is None) > 1:
        raise UsageError(
            "only one report can go to standard output; give the others a path "
            "(--format sarif=out/csmlint.sarif)"
        )
    return parsed


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename: a report is either
    complete or absent, never half-written."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".csmlint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        # mkstemp creates the file 0600; a report is read by later CI steps, maybe as
        # another user, so give it the mode a plain open() would (0666 minus the umask).
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
