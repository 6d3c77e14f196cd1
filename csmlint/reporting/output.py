"""Where reports go: ``--format NAME[=PATH]`` specs and atomic file writes."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from typing import IO

from csmlint.errors import UsageError
from csmlint.model.location import is_within
from csmlint.records import record

_SUFFIX = {"text": "txt", "junit": "xml", "markdown": "md"}


@record(frozen=True)
class OutputSpec:
    format: str
    path: str | None  # None: standard output


def parse_formats(specs: list[str], output: str | None, known: list[str]) -> list[OutputSpec]:
    """``["sarif=out/a.sarif", "text"]`` -> specs. ``--output`` applies to a lone format
    given without a path. At most one report may go to standard output."""
    parsed: list[OutputSpec] = []
    if output is not None and output.startswith("="):
        raise UsageError(f"-o{output}: write -o FILE or --output=FILE (no '=' after -o)")
    if output == "":
        raise UsageError("--output: no file given")
    for spec in specs or ["text"]:
        for part in spec.split(","):
            name, sep, path = part.strip().partition("=")
            name = name.strip().lower()
            if not name and sep:
                raise UsageError(f"-f{part.strip()}: write -f FORMAT or --format=FORMAT")
            if name not in known:
                raise UsageError(f"--format: unknown format {name!r} (known: {', '.join(known)})")
            if sep and not path.strip():
                raise UsageError(f"--format {part}: missing path after '='")
            target = path.strip()
            parsed.append(OutputSpec(name, None if target in ("", "-") else target))
    if output:  # -o -: standard output, as the format alone would
        unnamed = [p for p in parsed if p.path is None]
        if len(unnamed) != 1:
            raise UsageError("--output needs exactly one --format without a path")
        if output != "-":
            parsed = [OutputSpec(p.format, output) if p.path is None else p for p in parsed]
    if sum(1 for p in parsed if p.path is None) > 1:
        second = [p.format for p in parsed if p.path is None][1]
        raise UsageError(
            "only one report can go to standard output; give the others a path "
            f"(--format {second}=out/csmlint.{_SUFFIX.get(second, second)})"
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


_INPUT_SUFFIXES = (".csdef", ".cscfg", ".netcfg")


def refuse_inputs(specs: list[OutputSpec], inputs: Iterable[str], cwd: str) -> None:
    """A report never replaces a file the run read (``-o ServiceDefinition.csdef`` wrote the
    text report over the .csdef) or lands in a folder it reads (a rule pack's), nor replaces
    an existing ``.csdef``/``.cscfg``/``.netcfg`` the run skipped (the default-excluded
    ``*.Local.cscfg``): a usage error naming it. Folders are compared, never walked."""
    targets = [(s, os.path.join(cwd, s.path)) for s in specs if s.path is not None]
    if not targets:
        return
    read = [os.path.normcase(os.path.realpath(os.path.join(cwd, p))) for p in inputs]
    for spec, target in targets:
        real = os.path.normcase(os.path.realpath(target))
        config_file = target.lower().endswith(_INPUT_SUFFIXES) and os.path.exists(target)
        if config_file or any(is_within(real, p) for p in read):
            raise UsageError(
                f"{spec.path}: refusing to write the {spec.format} report over a file csmlint "
                "reads (an input, the configuration, or a .csdef, .cscfg or .netcfg): give "
                "--output or --format another path"
            )


Text = str | Iterable[str]
"""What a report is written from: its text, or its text in pieces made while writing."""


def write_atomic(path: str, text: str, *, cwd: str | None = None, what: str = "") -> None:
    """Write one file all-or-nothing (see :func:`write_all`)."""
    write_all([(path, text)], cwd=cwd, what=what)


def _temp_beside(folder: str) -> tuple[int, str]:
    """A new file ``.csmlint-<random>.tmp`` in ``folder``, created exclusively (mode 0600,
    never through a symbolic link): what ``tempfile.mkstemp`` does, without importing
    ``tempfile`` (with ``shutil``, ``random`` and the compression modules: 3 ms of start-up).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        path = os.path.join(folder, f".csmlint-{os.urandom(6).hex()}.tmp")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue  # a name taken: draw another
    raise FileExistsError(f"no free temporary file name in {folder}")


def write_all(
    outputs: list[tuple[str, Text]], *, cwd: str | None = None, what: str = "report"
) -> None:
    """Write every ``(path, text)`` or none: each text goes to a temporary file beside its
    target first, and only when all are written are they renamed into place. On any
    failure (a full disk, an interrupt) no target is replaced and no temporary file is left.

    A pipe, a device or another non-regular file (``/dev/stdout``, a FIFO read by another
    step) is written through, last, since it cannot be replaced. A path that reaches outside
    the working tree through a symbolic link (a fork can commit ``out/csmlint.sarif ->
    ~/.bashrc``), or ends in a dangling link, is refused before anything is written.
    """
    here = cwd or os.getcwd()
    tree = _working_tree(here)
    plans = [(_target(path, here, tree, what), path, text) for path, text in outputs]
    staged: list[tuple[str, str]] = []
    try:
        for target, shown, text in plans:
            if target is None:
                continue
            folder = os.path.dirname(target)
            try:
                os.makedirs(folder, exist_ok=True)
                fd, tmp = _temp_beside(folder)
            except (FileExistsError, NotADirectoryError):
                blocker = _file_in_the_way(folder)
                if blocker is not None and is_within(blocker, os.path.realpath(here)):
                    blocker = os.path.relpath(blocker, os.path.realpath(here))
                raise _cannot(what, shown, f"{blocker or folder} is a file, not a folder") from None
            except OSError as exc:
                raise _cannot(what, shown, exc) from None
            staged.append((tmp, target))
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                    write_text(fh, text)
                # mkstemp creates the file 0600; a report is read by later CI steps, maybe
                # as another user: give it the mode a plain open() would (0666 - umask).
                os.chmod(tmp, 0o666 & ~_umask())
            except OSError as exc:
                raise _cannot(what, shown, exc) from None
        for tmp, target in staged:
            os.replace(tmp, target)
        staged = []
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    for target, shown, text in plans:
        if target is None:
            try:
                with open(os.path.join(here, shown), "w", encoding="utf-8", newline="\n") as fh:
                    write_text(fh, text)
            except OSError as exc:
                raise _cannot(what, shown, exc) from None


def write_text(fh: IO[str], text: Text) -> None:
    """Write ``text``, piece by piece when it comes in pieces."""
    if isinstance(text, str):
        fh.write(text)
        return
    for piece in text:
        fh.write(piece)


def check_target(path: str, *, cwd: str | None = None, what: str = "") -> None:
    """Refuse ``path`` now, before anything is read or computed, if :func:`write_all`
    would refuse it (a link out of the working tree, a dangling link, a folder)."""
    here = cwd or os.getcwd()
    _target(path, here, _working_tree(here), what)


class WriteError(UsageError):
    """A report, plan or document could not be written (exit 2, one line)."""


def _cannot(what: str, shown: str, why: OSError | str) -> WriteError:
    reason = why if isinstance(why, str) else why.strerror or why
    return WriteError(f"cannot write {what + ' ' if what else ''}{shown}: {reason}")


def _file_in_the_way(folder: str) -> str | None:
    """The outermost part of ``folder`` that exists and is not a folder."""
    parts = []
    part = folder
    while part and part != os.path.dirname(part):
        parts.append(part)
        part = os.path.dirname(part)
    return next((p for p in reversed(parts) if os.path.exists(p) and not os.path.isdir(p)), None)


def _working_tree(cwd: str) -> str:
    from csmlint.findings.fingerprints import git_toplevel

    real = os.path.realpath(cwd)
    return git_toplevel(real) or real


def _target(path: str, cwd: str, tree: str, what: str) -> str | None:
    """The resolved file to replace, ``None`` for one to write through (pipe, device).

    Links are checked only inside the working tree, where a fork's commit can put them;
    a path the user names outside it is theirs to name.
    """
    lexical = os.path.normpath(os.path.join(os.path.realpath(cwd), path))
    try:
        mode: int | None = os.stat(lexical).st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        reason = f"it is a folder; name a file in it ({path.rstrip('/')}/<file-name>)"
        raise _cannot(what, path, reason)
    if mode is not None and not stat.S_ISREG(mode):
        return None
    real = os.path.realpath(lexical)
    if real != lexical and is_within(lexical, tree):  # a symbolic link in the tree
        if not is_within(real, tree):
            raise WriteError(
                f"{path}: a symbolic link to {real}, outside the working tree ({tree}); "
                "not written (name the real path to write there)"
            )
        if mode is None and _dangling(lexical) and not os.path.isdir(os.path.dirname(real)):
            raise WriteError(
                f"{path}: a dangling symbolic link (to {real}); not written, and no folder "
                "is created through it"
            )
    return real


def _dangling(lexical: str) -> bool:
    """Some component of ``lexical`` is a link whose target does not exist."""
    part = lexical
    while part != os.path.dirname(part):
        if os.path.islink(part) and not os.path.exists(part):
            return True
        part = os.path.dirname(part)
    return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
