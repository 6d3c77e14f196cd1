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
  The key is remembered (``keys-<identity>``) for the files' identities (path, size,
  modification and change times, inode): a start whose files all keep theirs skips reading
  and hashing them (:func:`key_of`).
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
from time import time_ns
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


def folder() -> str | None:
    """The cache folder, or ``None`` when caching is off or cannot be trusted here."""
    if os.environ.get(DISABLE, "").strip() not in ("", "0"):
        return None
    if getattr(os, "getuid", None) is None:
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):  # no HOME and no password entry
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "csmlint")


def key_of(where: str, listing: list[tuple[str, str | None]]) -> str | None:
    """The cache key of the pack files ``listing`` names in load order (``(name, None)`` is a
    marker, no file), or ``None`` when one cannot be read.

    Reading and hashing every pack file and csmlint's own code was a fifth of a cached
    one-service start's rule loading. So the key is remembered for the files' identities
    (path, size, modification and change times, inode, device), and used while every file
    still has the one it had: an edit changes the change time even when it keeps the size
    and restores the modification time. Files changed in the last seconds are not
    remembered (a file system with coarse times could hide a second edit in them)."""
    try:
        identity, newest = _identity(listing)
    except OSError:
        identity, newest = None, 0
    if identity is not None and (found := _remembered(where, identity)) is not None:
        return found
    files = []
    try:
        for name, path in listing:
            files.append((name, _bytes(path) if path is not None else b""))
    except OSError:
        return None
    content = key(files)
    if identity is not None and newest < time_ns() - SETTLED_NS:
        _write_atomic(where, f"{_KEYS}{identity}", content)
    return content


SETTLED_NS = 2_000_000_000
"""How old every file's times must be before their identity stands for their content."""
_KEYS = "keys-"


def _header() -> list[str]:
    return [
        f"csmlint-rule-cache {FORMAT}",
        f"csmlint {csmlint.__version__}",
        f"python {sys.version} {sys.implementation.cache_tag}",
    ]


def _code() -> list[str]:
    here = os.path.dirname(os.path.realpath(__file__))
    package = os.path.dirname(here)
    code = [os.path.join(here, name) for name in _CODE]
    code.append(os.path.join(package, "parsing", "yamlsafe.py"))
    for model in (os.path.join(package, "model"), os.path.join(package, "model", "azure")):
        names = sorted(n for n in os.listdir(model) if n.endswith(".py") and n[0] != ".")
        code += [os.path.join(model, n) for n in names]
    code.append(os.path.join(package, "schemas", "rulepack.schema.json"))
    return code


def _bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _identity(listing: list[tuple[str, str | None]]) -> tuple[str, int]:
    """A digest of what :func:`key` reads, by the files' identities, and their newest time."""
    h = sha256()
    newest = 0
    for part in _header():
        h.update(part.encode("utf-8") + b"\0")
    named: list[tuple[str, str | None]] = [(p, p) for p in _code()] + listing
    for name, path in named:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        if path is not None:
            info = os.stat(path)
            newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
            fields = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
            h.update(repr(fields).encode("ascii") + b"\0")
    return h.hexdigest(), newest


def _remembered(where: str, identity: str) -> str | None:
    raw = _read_trusted(where, f"{_KEYS}{identity}", 64)
    text = raw.decode("ascii", "replace") if raw is not None else ""
    return text if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else None


def key(files: Iterable[tuple[str, bytes]]) -> str:
    """The cache key of pack files ``(path as given, bytes)`` in load order."""
    h = sha256()
    for part in _header():
        h.update(part.encode("utf-8") + b"\0")
    for path in _code():
        try:
            h.update(sha256(_bytes(path)).digest())
        except OSError:
            h.update(b"-")
    for name, data in files:
        encoded = name.encode("utf-8", "surrogateescape")
        h.update(len(encoded).to_bytes(8, "big") + encoded)
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def _trusted(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _trusted_folder(where: str) -> bool:
    try:
        info = os.lstat(where)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _trusted(info)


def read(where: str, cache_key: str) -> list[Any] | None:
    """The cached entries for ``cache_key``, or ``None`` (missing, untrusted or damaged)."""
    raw = _read_trusted(where, f"{_PREFIX}{cache_key}.json", MAX_BYTES)
    if raw is None:
        return None
    try:
        payload = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("key") != cache_key:
        return None
    entries = payload.get("files")
    return entries if isinstance(entries, list) else None


def _read_trusted(where: str, name: str, limit: int) -> bytes | None:
    if not _trusted_folder(where):
        return None
    try:
        fd = os.open(os.path.join(where, name), os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with open(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or not _trusted(info) or info.st_size > limit:
            return None
        return fh.read(limit + 1)


def write(where: str, cache_key: str, entries: list[Any]) -> None:
    """Store ``entries`` under ``cache_key`` atomically; any failure leaves no cache."""
    try:
        text = json.dumps({"key": cache_key, "files": entries}, separators=(",", ":"))
    except ValueError:
        return
    _write_atomic(where, f"{_PREFIX}{cache_key}.json", text)


def _write_atomic(where: str, name: str, text: str) -> None:
    try:
        for level in (os.path.dirname(where), where):
            with contextlib.suppress(FileExistsError):
                os.mkdir(level, 0o700)
        if not _trusted_folder(where):
            return
        import tempfile  # only a start that writes the cache needs it

        fd, tmp = tempfile.mkstemp(prefix=".rules-", suffix=".tmp", dir=where)
        try:
            with open(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, os.path.join(where, name))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(where)
    except (OSError, ValueError):
        return


def _prune(where: str) -> None:
    names = os.listdir(where)
    for kind in (
        [n for n in names if n.startswith(_PREFIX) and n.endswith(".json")],
        [n for n in names if n.startswith(_KEYS)],
    ):
        files = []
        for name in kind:
            path = os.path.join(where, name)
            try:
                files.append((os.stat(path).st_mtime, path))
            except OSError:
                continue
        for _, path in sorted(files, reverse=True)[KEEP:]:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


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
