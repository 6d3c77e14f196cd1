"""Where reports go: ``--format NAME[=PATH]`` specs and atomic file writes."""

from __future__ import annotations

import contextlib
import os
import stat
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
            target = path.strip()
            parsed.append(OutputSpec(name, None if target in ("", "-") else target))
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
    seen: dict[str, str] = {}
    for p in parsed:
        if p.path is None:
            continue
        key = os.path.normcase(os.path.realpath(p.path))
        if key in seen:
            raise UsageError(
                f"--format {seen[key]} and --format {p.format} would both write {p.path!r}"
            )
        seen[key] = p.format
    return parsed


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename: a report is either
    complete or absent, never half-written. A symbolic link keeps pointing where it did
    (its target is replaced); a pipe, a device or another non-regular file (``/dev/stdout``,
    a FIFO read by another step) is written through, since it cannot be replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        return
    path = os.path.realpath(path)
    folder = os.path.dirname(path)
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
