"""Finding the configuration of a run, as ruff does: from each linted path upward to the
repository root, the nearest folder with ``.csmlint.yaml``, ``.csmlint.yml``,
``csmlint.yaml`` or a ``pyproject.toml`` with a ``[tool.csmlint]`` table (in that order
within one folder) holds the configuration.

The repository root is the git top level holding the path; outside a repository, the
working directory when the path is inside it, else the path's own folder. A file found this
way must resolve inside that root: a symbolic link out of the repository (a fork can commit
one) is refused, as are files the configuration names outside it.

The globs of a configuration (``include``, ``exclude``, ``suppress[].paths``) are relative to
the folder of the file that holds them; :func:`rebase_globs` turns them into globs over the
paths csmlint shows, which are relative to the working directory.
"""

from __future__ import annotations

import os
import re

from csmlint.discovery import display_path
from csmlint.errors import ConfigError, UsageError
from csmlint.findings.fingerprints import git_toplevel
from csmlint.model.location import is_within
from csmlint.parsing.source import open_regular
from csmlint.records import record

YAML_NAMES = (".csmlint.yaml", ".csmlint.yml", "csmlint.yaml")
PYPROJECT = "pyproject.toml"
DEFAULT_NAMES = (*YAML_NAMES, PYPROJECT)


@record(frozen=True)
class Found:
    path: str
    """Absolute path of the configuration file."""
    boundary: str
    """Resolved repository root nothing it names may leave."""


def boundary_of(path: str, cwd: str) -> str:
    """The resolved repository root for ``path`` (see the module docstring)."""
    real = os.path.realpath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
    top = git_toplevel(real)
    if top is not None:
        return top
    real_cwd = os.path.realpath(cwd)
    return real_cwd if is_within(real, real_cwd) else real


def nearest(path: str, cwd: str) -> Found | None:
    """The configuration that applies to ``path`` (a file or folder), or ``None``."""
    start = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    folder = os.path.realpath(start)
    root = boundary_of(path, cwd)
    while True:
        for name in DEFAULT_NAMES:
            candidate = os.path.join(folder, name)
            if not os.path.isfile(candidate):
                continue
            if name == PYPROJECT and not _has_tool_table(candidate):
                continue
            if not is_within(os.path.realpath(candidate), root):
                raise ConfigError(
                    "a symbolic link to a file outside the repository; not read (name a "
                    "configuration with --config to use one from elsewhere)",
                    path=display_path(candidate, cwd),
                )
            return Found(candidate, root)
        if folder == root:
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


_TOOL_HEADER = rb'^[ \t]*\[?\[?[ \t]*(?:tool|"tool")[ \t]*\.[ \t]*(?:csmlint|"csmlint")[ \t]*[\].=]'
"""What a ``[tool.csmlint]`` (or ``[tool.csmlint.x]``, ``[[tool.csmlint.x]]``) header or a
top-level dotted key (``tool.csmlint.failOn = ...``) looks like: a quick scan before the
file is parsed."""


def _has_tool_table(path: str) -> bool:
    """Whether the ``pyproject.toml`` has a ``[tool.csmlint]`` table: the words in a comment
    or a string are none. A file that looks like it has one but is not TOML counts (its
    loading then names the line that is wrong)."""
    try:
        with open_regular(path) as fh:
            data = fh.read(512 * 1024)
    except OSError:
        return False
    if re.search(_TOOL_HEADER, data, re.M) is None:  # compiled here: most runs have none
        return False
    from csmlint.parsing.tomlsafe import has_tool_table

    return has_tool_table(data, "csmlint")


def find_config(paths: list[str], cwd: str) -> Found | None:
    """The one configuration for the linted ``paths``; paths under different configurations
    are a usage error (one run, one configuration)."""
    found: dict[str | None, str] = {}
    results: dict[str | None, Found | None] = {}
    for p in paths:
        hit = nearest(p, cwd) if os.path.exists(p) else None
        key = os.path.realpath(hit.path) if hit else None
        found.setdefault(key, display_path(p, cwd))
        results.setdefault(key, hit)
    if len(found) > 1:
        parts = [
            f"{shown} -> {display_path(k, cwd) if k else 'no configuration'}"
            for k, shown in found.items()
        ]
        raise UsageError(
            "the paths fall under different configurations ("
            + "; ".join(parts)
            + "): lint them in separate runs, or name one with --config"
        )
    return next(iter(results.values()), None)


def rebase_globs(patterns: list[str], folder: str | None, cwd: str) -> list[str]:
    """Globs relative to ``folder`` as globs over display paths (relative to ``cwd`` inside
    it, absolute outside). Name-only globs (``*.Local.cscfg``) and ``**/`` globs match at
    any depth and stay as they are."""
    if folder is None or os.path.realpath(folder) == os.path.realpath(cwd):
        return list(patterns)
    real_folder, real_cwd = os.path.realpath(folder), os.path.realpath(cwd)
    out: list[str] = []
    for pattern in patterns:
        if "/" not in pattern or pattern.startswith("**/"):
            out.append(pattern)
            continue
        out.append(os.path.join(os.path.abspath(folder), pattern).replace(os.sep, "/"))
        if is_within(real_folder, real_cwd):  # the configuration is below the working dir
            prefix = os.path.relpath(real_folder, real_cwd).replace(os.sep, "/")
            out.append(f"{prefix}/{pattern}")
        elif is_within(real_cwd, real_folder):  # the usual case: run from a subfolder
            below = os.path.relpath(real_cwd, real_folder).replace(os.sep, "/") + "/"
            if pattern.startswith(below):
                out.append(pattern[len(below) :])
    return out
