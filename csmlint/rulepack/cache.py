"""The prepared rule-pack cache: the parsed, validated rule files of one set of packs.

Parsing and checking 84 YAML files costs most of ``load_rules()`` on every start, and the
packs rarely change. After a successful load, the parsed rule items are stored as JSON, each
with its line (the rule's ``file:line``; the lines inside an item name where a load error
is, and an item is cached only when it loaded without one). The next start with the same
packs rebuilds them from that file and compiles again the conditions and templates of the
rule scopes the run evaluates, when it first needs them (compiled closures are never
stored: the cache is data, it is never pickled, marshalled or executed).

* **Key**: SHA-256 over the csmlint version, the Python version and implementation, the
  rule-pack schema, the loader and compiler code, the model the rules are compiled against,
  and every pack file's path (as given) and bytes. Any edit, a new or removed file, another
  csmlint or another Python is a different key: a stale entry is never read, only pruned.
* **Where**: ``$XDG_CACHE_HOME/csmlint`` (an absolute ``XDG_CACHE_HOME``), else
  ``~/.cache/csmlint``. Only the last two levels are created (mode 0700): a missing or
  read-only home means no cache, and no error. ``CSMLINT_NO_CACHE=1`` turns it off.
* **Trust**: the folder and the file must be owned by the current user and writable by
  nobody else (group/other), and neither may be a symbolic link; otherwise they are
  ignored. Where the owner cannot be checked (no ``os.getuid``), there is no cache.
* **Writes** go to a temporary file in the same folder, then ``os.replace``: a reader sees
  the old file or the new one, never half of one. Failures to write are ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import csmlint
from csmlint.parsing.yamlsafe import YDict
from csmlint.sha256 import sha256

DISABLE = "CSMLINT_NO_CACHE"
FORMAT = 2
KEEP = 16
"""Cache files kept (one per set of packs: a user with several projects shares the folder)."""
MAX_BYTES = 16 * 1024 * 1024
_PREFIX = "rules-"
_CODE = (
    "loader.py",
    "conventions.py",
    "cache.py",
    "conditions.py",
    "paths.py",
    "template.py",
    "rule.py",
)
"""Modules whose behaviour the cached data depends on (read as bytes for the key). The
compiler and the model are among them: a rule from the cache is compiled only when a run
first evaluates it (:class:`~csmlint.rulepack.rule.ScopeCodes`), so a hit must mean that
this exact code compiled these exact packs without error."""


def folder() -> Path | None:
    """The cache folder, or ``None`` when caching is off or cannot be trusted here."""
    if os.environ.get(DISABLE, "").strip() not in ("", "0"):
        return None
    if getattr(os, "getuid", None) is None:
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):
            return None
    return Path(base) / "csmlint"


def key(files: Iterable[tuple[str, bytes]]) -> str:
    """The cache key of pack files ``(path as given, bytes)`` in load order."""
    h = sha256()
    here = Path(__file__).resolve().parent
    parts = [
        f"csmlint-rule-cache {FORMAT}",
        f"csmlint {csmlint.__version__}",
        f"python {sys.version} {sys.implementation.cache_tag}",
    ]
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    code = [here / name for name in _CODE] + [here.parent / "parsing" / "yamlsafe.py"]
    model = here.parent / "model"
    code += sorted(model.glob("*.py")) + sorted((model / "azure").glob("*.py"))
    code.append(here.parent / "schemas" / "rulepack.schema.json")
    for path in code:
        try:
            h.update(sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"-")
    for name, data in files:
        encoded = name.encode("utf-8", "surrogateescape")
        h.update(len(encoded).to_bytes(8, "big") + encoded)
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def _trusted(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _trusted_folder(where: Path) -> bool:
    try:
        info = os.lstat(where)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _trusted(info)


def read(where: Path, cache_key: str) -> list[Any] | None:
    """The cached entries for ``cache_key``, or ``None`` (missing, untrusted or damaged)."""
    if not _trusted_folder(where):
        return None
    try:
        fd = os.open(where / f"{_PREFIX}{cache_key}.json", os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with open(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or not _trusted(info) or info.st_size > MAX_BYTES:
            return None
        raw = fh.read(MAX_BYTES + 1)
    try:
        payload = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("key") != cache_key:
        return None
    entries = payload.get("files")
    return entries if isinstance(entries, list) else None


def write(where: Path, cache_key: str, entries: list[Any]) -> None:
    """Store ``entries`` under ``cache_key`` atomically; any failure leaves no cache."""
    try:
        for level in (where.parent, where):
            with contextlib.suppress(FileExistsError):
                level.mkdir(mode=0o700)
        if not _trusted_folder(where):
            return
        import tempfile  # only a start that writes the cache needs it

        text = json.dumps({"key": cache_key, "files": entries}, separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(prefix=".rules-", suffix=".tmp", dir=where)
        try:
            with open(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, where / f"{_PREFIX}{cache_key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(where)
    except (OSError, ValueError):
        return


def _prune(where: Path) -> None:
    files = []
    for path in where.glob(f"{_PREFIX}*.json"):
        try:
            files.append((path.stat().st_mtime, path))
        except OSError:
            continue
    for _, path in sorted(files, reverse=True)[KEEP:]:
        path.unlink(missing_ok=True)


def encode(item: YDict) -> list[Any]:
    """One parsed rule item as JSON: its line, and its values (nested lines are dropped: they
    name the place of a load error, and a cached item loaded without one)."""
    if not isinstance(item, YDict):
        raise TypeError("only parsed rule items (YDict) are cached")
    return [item.line, item]


def decode(value: Any) -> YDict:
    """The rule item of :func:`encode` (its nested mappings plain ``dict`` and ``list``)."""
    line, spec = value
    item = YDict(spec)
    item.line = int(line)
    item.key_lines = {}
    return item
