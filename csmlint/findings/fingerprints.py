"""Fingerprints, and the source root they (and SARIF artifact URIs, ``%SRCROOT%``) are
relative to.

A fingerprint is ``sha256(rule | path from the source root | entity key)``: stable across
runs, across unrelated edits and across the folder csmlint was started from.

GitHub code scanning resolves relative URIs against the repository root and matches alerts
across runs by path, so the root must not depend on where csmlint was started. It is, in
order: ``--source-root``; the top level of the git work tree holding the working directory
(found by looking for ``.git``, a folder in a normal clone and a file in worktrees and
submodules, the way git itself finds it, without running git); else the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import pairwise

from csmlint.errors import UsageError
from csmlint.findings.finding import Finding
from csmlint.model.location import root_relative
from csmlint.sha256 import sha256


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


def assign_fingerprints(
    findings: list[Finding], relative: Callable[[str], str] | None = None
) -> None:
    """``sha256(rule | path | entity key)``: stable when unrelated lines move, and when
    unrelated objects are added to a topology (a JSON pointer holds array indices, so it is
    not part of the basis; the entity key names the entity).

    ``relative`` maps a finding's display path to the path from the source root, so the
    fingerprint does not depend on the folder csmlint was started from.
    """
    counts: dict[bytes, int] = {}  # by the basis's digest: half the memory of the basis
    ordered = all(a.sort_key() <= b.sort_key() for a, b in pairwise(findings))
    for f in findings if ordered else sorted(findings, key=Finding.sort_key):
        path = relative(f.location.path) if relative else f.location.path
        basis = f"{f.rule_id}|{path}|{f.entity_key}|"
        digest = sha256(basis.encode("utf-8", "surrogatepass")).digest()
        n = counts.get(digest, 0)
        counts[digest] = n + 1
        if n:  # the same basis again: its occurrence number makes it unique
            basis += f"|{n}"
            digest = sha256(basis.encode("utf-8", "surrogatepass")).digest()
        f.fingerprint = digest.hex()[:32]


def relative_to_source_root(cwd: str, source_root: str | None) -> Callable[[str], str]:
    """Display path -> path from the source root (unchanged when outside it)."""
    root = source_root or find_source_root(cwd)
    real_cwd = os.path.realpath(cwd)
    known: dict[str, str] = {}

    def relative(display: str) -> str:
        found = known.get(display)
        if found is None:
            found = known[display] = root_relative(display, real_cwd, root) or display
        return found

    return relative
