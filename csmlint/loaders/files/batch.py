"""Reading, parsing and loading service files (``.csdef``, ``.cscfg``, netcfg), in this
process or in a pool of worker processes for large runs.

Parsing and model building are about 60 % of a large run and independent per file, so above
:data:`POOL_MIN_FILES` files they use both cores: a worker process reads, parses and loads
the tail of the file list and sends the models back (pickled) while this process loads the
head. The caller applies the results strictly in the order of the file list, exactly as a
one-process run does, so the output is the same byte for byte (``tests/test_load_pool.py``).

Pickling and unpickling the models costs about half of what loading them costs, so the pool
only pays for large runs with a free core: 2,000 files load in 1.2 s instead of 1.6 s on an
idle 2-core machine, and in 2.1 s instead of 1.6 s when other work keeps both cores busy.
Below :data:`POOL_MIN_FILES` (an estimate from those figures and the pool's start-up, about
50 ms: see ``docs/performance.md``), with one CPU, or with no idle core, everything runs here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from csmlint.errors import InputError
from csmlint.loaders.files.cscfg import load_cscfg
from csmlint.loaders.files.csdef import load_csdef
from csmlint.loaders.files.netcfg import load_netcfg
from csmlint.parsing.locator import Locator
from csmlint.parsing.source import read_capped
from csmlint.parsing.xmlsafe import XmlDocument, parse_xml
from csmlint.records import record

XML_KINDS = frozenset({"csdef", "cscfg", "netcfg"})
POOL_MIN_FILES = 400
"""Files to load (of the kinds above) from which a run uses the worker pool."""
POOL_ENV = "CSMLINT_POOL_MIN_FILES"
"""Overrides :data:`POOL_MIN_FILES` (``0`` turns the pool off)."""
WORKERS = 2
"""Processes that load: this one and one worker (the machine class has two cores)."""
OWN_SHARE = 0.57
"""Share of the files this process loads itself: the worker also pickles what it loaded
(about a third of the loading time), and this process unpickles it."""
CHUNKS = 16
"""Pieces the worker's share is sent back in (unpickled while this process still loads).
Each piece is held twice while it is unpickled (its pickle and its objects): 16 pieces
instead of 4 take 8 MB off the peak at 5,000 services; more pieces buy nothing more."""


def load_xml(data: bytes, kind: str, display: str) -> tuple[XmlDocument, Any]:
    """The parsed document and the model of one service file."""
    doc = parse_xml(data)
    locate = Locator(doc, display)
    if kind == "csdef":
        return doc, load_csdef(locate)
    if kind == "cscfg":
        return doc, load_cscfg(locate)
    return doc, load_netcfg(locate)


@record
class Loaded:
    """One file loaded by a worker: what the caller applies in file order."""

    model: Any
    data: bytes | None
    """The bytes read, when the caller keeps them (excerpts) or must read comments."""
    error: tuple[str, int | None, int | None, str | None] | None = None

    def unpack(self, keep: Callable[[bytes], None]) -> tuple[bytes, Any]:
        """(bytes, model) of the file, as loading it here would have given them: the bytes
        read go to ``keep`` first (when sent); the file's input error is raised."""
        if self.data is not None:
            keep(self.data)
        if self.error is not None:
            reason, line, column, pointer = self.error
            raise InputError(reason, line=line, column=column, pointer=pointer)
        return self.data or b"", self.model


Job = tuple[str, str, str]
"""(path, display path, kind) of one file."""


def _work(jobs: Sequence[Job], max_bytes: int, keep: bool, markers: tuple[bytes, ...]) -> Any:
    out = []
    for path, display, kind in jobs:
        data = None
        try:
            data = read_capped(path, max_bytes)
            _, model = load_xml(data, kind, display)
        except InputError as exc:
            error = (exc.reason, exc.line, exc.column, exc.pointer)
            out.append(Loaded(None, data if keep else None, error))
            continue
        marker = any(m in data for m in markers)
        out.append(Loaded(model, data if keep or marker else None))
    return out


def pool_threshold(given: int | None = None) -> int:
    """The number of files from which the pool is used (``0``: never)."""
    if given is not None:
        return given
    raw = os.environ.get(POOL_ENV, "").strip()
    return int(raw) if raw.isdigit() else POOL_MIN_FILES


class Candidate(Protocol):
    """What the pool needs of a discovered input (``discovery.InputCandidate``)."""

    @property
    def path(self) -> str: ...
    @property
    def display(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def error(self) -> Exception | None: ...
    @property
    def data(self) -> bytes | None: ...


def poolable(c: Candidate) -> bool:
    """A service file the pool reads itself (not already read or failed by discovery)."""
    return c.kind in XML_KINDS and c.error is None and c.data is None


def prefetch(
    files: Sequence[Candidate],
    max_bytes: int,
    keep: bool,
    markers: tuple[bytes, ...],
    limit: int | None = None,
) -> Iterator[Loaded] | None:
    """The :func:`poolable` files among ``files`` loaded by the worker pool, in order (the
    bytes kept when ``keep``, or when they hold one of ``markers``); ``None`` when the run is
    too small for the pool (``limit``: see :func:`pool_threshold`) or the machine has one
    CPU: the caller loads them itself."""
    jobs = [(c.path, c.display, c.kind) for c in files if poolable(c)]
    chosen = limit is not None or os.environ.get(POOL_ENV, "").strip().isdigit()
    limit = pool_threshold(limit)
    if limit <= 0 or len(jobs) < limit or (os.cpu_count() or 1) < 2:
        return None
    if not chosen and not _idle_core():
        return None
    return _results(jobs, max_bytes, keep, markers)


def _idle_core() -> bool:
    """Whether another core is free: on a machine whose cores other work keeps busy (load
    average above cores - 0.5), a second process only competes with this one (measured:
    N=1,000 4.3 s pooled against 3.6 s alone at load 3.7 on two cores). A threshold given
    explicitly (the parameter or the environment variable) skips this check."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on Windows
        return True
    return load < (os.cpu_count() or 1) - 0.5


def _results(
    jobs: Sequence[Job], max_bytes: int, keep: bool, markers: tuple[bytes, ...]
) -> Iterator[Loaded]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    here = int(len(jobs) * OWN_SHARE)
    rest = jobs[here:]
    size = max(1, -(-len(rest) // CHUNKS))
    with ProcessPoolExecutor(max_workers=WORKERS - 1, mp_context=context) as pool:
        futures = [
            pool.submit(_work, rest[i : i + size], max_bytes, keep, markers)
            for i in range(0, len(rest), size)
        ]
        for job in jobs[:here]:  # this process loads the first share meanwhile
            yield from _work([job], max_bytes, keep, markers)
        for future in futures:
            yield from future.result()
