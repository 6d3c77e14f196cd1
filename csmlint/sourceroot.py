"""The source root: the folder SARIF artifact URIs are relative to (``%SRCROOT%``).

GitHub code scanning resolves relative URIs against the repository root and matches alerts
across runs by path, so the root must not depend on where csmlint was started. It is, in
order: ``--source-root``; the top level of the git work tree holding the working directory
(found by looking for ``.git``, a folder in a normal clone and a file in worktrees and
submodules, the way git itself finds it, without running git); else the working directory.
"""

from __future__ import annotations

import os

from csmlint.errors import UsageError


def find_source_root(cwd: str, override: str | None = None) -> str:
    """Absolute, symlink-resolved source root for a run started in ``cwd``."""
    if override is not None:
        root = os.path.realpath(os.path.join(cwd, override))
        if not os.path.isdir(root):
            raise UsageError(f"--source-root: not a folder: {override!r}")
        return root
    start = os.path.realpath(cwd)
    return git_toplevel(start) or start


def git_toplevel(start: str) -> str | None:
    """The nearest folder at or above ``start`` that holds ``.git``, or ``None``."""
    folder = start
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
