"""Discovery: expand command-line paths into classified input files.

Directories are walked without following symlinks, in sorted order. Files are classified by
extension and, for ``.xml``/``.json``, by a cheap look at the root element or the
``schema`` key. Emulator-only ``*.Local.cscfg`` files and build output (``bin/``, ``obj/``,
``csx/``, ``*.csx/``) are skipped unless an ``--include`` glob brings them back.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from collections.abc import Iterable, Iterator

from csmlint.discovery.candidates import Discovery, InputCandidate
from csmlint.discovery.kinds import EXTENSION_KINDS, MAYBE_INPUT, classify, kind_guess
from csmlint.errors import InputError, UsageError
from csmlint.parsing.source import DEFAULT_MAX_BYTES

DEFAULT_EXCLUDES: tuple[str, ...] = (
    "*.Local.cscfg",
    "*.local.cscfg",
    "*.build.csdef",
    "**/bin/**",
    "**/obj/**",
    "**/csx/**",
    "**/*.csx/**",
)
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)


def display_path(path: str, cwd: str) -> str:
    """Relative to ``cwd`` when inside it, with forward slashes.

    Bytes of a file name that are not valid in the file system encoding (``os.walk`` hands
    them over as lone surrogates) are shown as ``\\xNN``, so every report stays valid UTF-8.
    """
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        rel = absolute
    if rel.startswith(".."):
        rel = absolute
    return _printable(rel.replace(os.sep, "/"))


def _printable(name: str) -> str:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "backslashreplace")
    return name


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def folder_patterns(patterns: Iterable[str]) -> tuple[str, ...]:
    """Patterns as a .gitignore user means them: ``deploy/`` (or ``deploy-*/``) is
    everything in that folder (``deploy/**``), and a name without a slash or an extension
    (``deploy``, ``*-old``) also a folder of that name at any depth; they matched nothing
    before (files are matched, not folders)."""
    out: list[str] = []
    for pattern in patterns:
        out.append(pattern)
        bare = pattern.rstrip("/")
        if not bare or bare.startswith("**") or bare.endswith("*" * 2):
            continue
        if pattern.endswith("/"):
            out.append(f"{bare}/**")
            if "/" not in bare:
                out.append(f"**/{bare}/**")
        elif "/" not in bare and "." not in bare:
            out += [f"{bare}/**", f"**/{bare}/**"]
    return tuple(dict.fromkeys(out))


def matches_pattern(display: str, patterns: Iterable[str]) -> str | None:
    """The first pattern that matches the file name, the display path, or (``**/x``) any
    trailing part of the display path."""
    patterns = tuple(patterns)
    if not patterns:
        return None
    name = display.rsplit("/", 1)[-1]
    probe = "/" + display
    quick = _compiled(patterns)
    if not (quick[0].match(name) or quick[0].match(display) or quick[1].match(probe)):
        return None
    for pattern in patterns:
        if fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(display, pattern):
            return pattern
        if pattern.startswith("**/") and fnmatch.fnmatchcase(probe, "*/" + pattern[3:]):
            return pattern
    return None


@functools.lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One regex for 'name or display path matches any pattern', one for the ``**/`` probe:
    most files match nothing, and then one regex beats a loop of fnmatch calls."""
    anywhere = "|".join(f"(?:{fnmatch.translate(p)})" for p in patterns)
    deep = [f"(?:{fnmatch.translate('*/' + p[3:])})" for p in patterns if p.startswith("**/")]
    return re.compile(anywhere), re.compile("|".join(deep) or "(?!)")


def discover(
    paths: Iterable[str],
    *,
    cwd: str | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    use_default_excludes: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Discovery:
    """Walk ``paths`` and classify every file found.

    A path that does not exist is a usage error. Files named explicitly are always
    considered (excludes apply to files found by walking).
    """
    cwd = cwd or os.getcwd()
    include = folder_patterns(include)
    excludes = folder_patterns(exclude) + (DEFAULT_EXCLUDES if use_default_excludes else ())
    out = Discovery()
    seen: set[str] = set()
    cwd_real = os.path.realpath(cwd)
    for raw in paths:
        if not os.path.lexists(raw):
            raise UsageError(f"{display_path(raw, cwd)}: no such file or directory")
        if os.path.isdir(raw):
            root_real = os.path.realpath(raw)
            root_disp = display_path(raw, cwd)
            if os.path.islink(raw.rstrip("/") or raw) and not _inside(root_real, cwd_real):
                _unreadable(
                    raw,
                    root_disp,
                    "symbolic link to a folder outside the working directory; not walked",
                    out,
                )
                continue
            found_before = len(out.files) + len(out.skipped)
            for file_path, rel, real, entry in _walk(raw, out, root_disp):
                disp = _printable(rel if root_disp == "." else f"{root_disp}/{rel}")
                _consider(
                    file_path,
                    disp,
                    root_real,
                    include,
                    excludes,
                    max_bytes,
                    out,
                    seen,
                    walked=(real, entry),
                )
            if len(out.files) + len(out.skipped) == found_before and not _holds_any(root_real, out):
                out.empty_dirs.append(root_disp)
        else:
            disp = display_path(raw, cwd)
            _consider(raw, disp, cwd_real, (), (), max_bytes, out, seen, explicit=True)
    out.files.sort(key=lambda c: c.display)
    return out


def _holds_any(root_real: str, out: Discovery) -> bool:
    """Some file found so far (by an earlier, overlapping path) lies below ``root_real``."""
    return any(_inside(os.path.realpath(c.path), root_real) for c in out.files)


def _unreadable(path: str, disp: str, reason: str, out: Discovery) -> None:
    """A folder csmlint was asked to read but cannot: an input error, never silence."""
    out.files.append(
        InputCandidate(path, disp, "folder", error=InputError(reason, line=1, column=1))
    )


def _walk(
    top: str, out: Discovery, top_disp: str
) -> Iterator[tuple[str, str, str, os.DirEntry[str]]]:
    """(path, path relative to ``top`` with '/', resolved path, entry) of everything below
    ``top`` that is not a folder, in sorted order. Like ``os.walk(followlinks=False)``: links
    to folders are neither followed nor returned; folders in SKIPPED_DIRS are not entered.
    Since no link is followed, a folder's resolved path is its parent's plus its name:
    ``realpath`` is paid for the top and for links only."""
    stack: list[tuple[str, str, str]] = [(top, "", os.path.realpath(top))]
    while stack:
        folder, rel_folder, real_folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            disp = top_disp if not rel_folder else f"{top_disp}/{rel_folder}".removeprefix("./")
            _unreadable(folder, _printable(disp), f"cannot read folder: {exc.strerror or exc}", out)
            continue
        subfolders = []
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}" if rel_folder else entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.is_symlink() and entry.name not in SKIPPED_DIRS:
                    subfolders.append((entry.path, rel, os.path.join(real_folder, entry.name)))
                continue
            real = (
                os.path.realpath(entry.path)
                if entry.is_symlink()
                else os.path.join(real_folder, entry.name)
            )
            yield entry.path, rel, real, entry
        stack.extend(reversed(subfolders))


def _consider(
    file_path: str,
    disp: str,
    root_real: str | None,
    include: tuple[str, ...],
    excludes: tuple[str, ...],
    max_bytes: int,
    out: Discovery,
    seen: set[str],
    *,
    explicit: bool = False,
    walked: tuple[str, os.DirEntry[str]] | None = None,
) -> None:
    """Classify one path. ``root_real`` is the resolved walk root, or for a file named
    explicitly the resolved working directory: links may not lead out of it. ``walked``
    carries what the walk already knows (resolved path, directory entry)."""
    if walked is None:
        real, entry = os.path.realpath(file_path), None
    else:
        real, entry = walked
    if real in seen:
        return
    looks_like_input = os.path.splitext(file_path)[1].lower() in MAYBE_INPUT
    is_link = entry.is_symlink() if entry is not None else os.path.islink(file_path)
    if not explicit:
        disp = disp
        pattern = None if matches_pattern(disp, include) else matches_pattern(disp, excludes)
        if pattern:
            if os.path.splitext(file_path)[1].lower() in EXTENSION_KINDS:
                out.skipped.append((disp, f"excluded by {pattern}"))
            return
        if is_link and root_real is not None and not _inside(real, root_real):
            if looks_like_input:
                out.skipped.append((disp, "symlink to a file outside the linted tree"))
            return
    try:
        if entry is not None and not is_link and entry.is_file(follow_symlinks=False):
            mode = stat.S_IFREG  # the directory entry says so: no stat() needed
        else:
            mode = os.stat(file_path).st_mode
    except OSError as exc:
        # A dangling link or a link loop (ELOOP): nothing to read.
        if explicit and looks_like_input:
            error = InputError(f"cannot read: {exc.strerror or exc}", line=1, column=1)
            out.files.append(InputCandidate(file_path, disp, kind_guess(file_path), error=error))
        elif looks_like_input:
            out.skipped.append((disp, f"broken symbolic link ({exc.strerror or exc})"))
        return
    seen.add(real)
    if stat.S_ISDIR(mode):
        return
    refusal = None
    if not stat.S_ISREG(mode):
        # FIFOs, sockets and devices: opening a FIFO would block the run forever.
        refusal = "not a regular file (FIFO, socket or device)"
    elif explicit and is_link and root_real is not None and not _inside(real, root_real):
        refusal = "symbolic link to a file outside the working directory; not read"
    if refusal is not None:
        if explicit:
            error = InputError(refusal, line=1, column=1)
            out.files.append(InputCandidate(file_path, disp, kind_guess(file_path), error=error))
        elif looks_like_input:
            out.skipped.append((disp, refusal))
        return
    candidate = classify(file_path, disp, max_bytes)
    if candidate is not None:
        out.files.append(candidate)
    elif explicit:
        out.skipped.append((disp, "not a .csdef, .cscfg, network configuration or topology file"))
