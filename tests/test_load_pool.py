"""Loading with the worker pool gives the same reports, byte for byte, as loading in one
process: on a generated estate plus the awkward cases (an unreadable file, a file too large,
suppression comments, a copy of the snapshot estate), in JSON and SARIF, with the pool
forced on by a threshold of one file (``CSMLINT_POOL_MIN_FILES``) and off (``0``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_main

from csmlint.engine import RunOptions, load
from csmlint.loaders.files import batch


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pool") / "estate"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_estate.py"), "estate", str(root), "24"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shutil.copytree(FIXTURES / "snapshots" / "estate", root / "zz-snapshot")
    broken = root / "aa-broken"
    broken.mkdir()
    (broken / "ServiceDefinition.csdef").write_text("<ServiceDefinition name='x'><", "utf-8")
    (broken / "Big.cscfg").write_bytes(b"<ServiceConfiguration>" + b" " * 4096 + b"</x>")
    return root


def _report(where: Path, capsys: pytest.CaptureFixture[str], fmt: str, pool: str) -> bytes:
    out = where.parent / f"report-{pool}.{fmt}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(batch.POOL_ENV, pool)
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        code, _, err = run_main(
            where,
            capsys,
            "lint",
            ".",
            "--format",
            fmt,
            "--output",
            str(out),
            "--fail-on",
            "never",
            "--max-file-size",
            "4000",
        )
    assert code == 0, err
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_pooled_and_one_process_reports_are_identical(
    estate: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    alone = _report(estate, capsys, fmt, "0")
    pooled = _report(estate, capsys, fmt, "1")
    assert pooled == alone
    assert b"CSM000" in alone and b"Big.cscfg" in alone  # the awkward cases are in the report


def _tagged_read(path: str, max_bytes: int) -> bytes:
    """The file's bytes with a trailing comment naming the process that read it."""
    return _READ(path, max_bytes) + f"<!-- pid {os.getpid()} -->".encode()


_READ = batch.read_capped


def test_the_pool_loads_in_this_process_and_one_worker(
    estate: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "read_capped", _tagged_read)  # the forked worker inherits it
    state = load(RunOptions(paths=["."], cwd=str(estate), pool_min_files=1))
    readers = {
        int(data.rsplit(b"pid ", 1)[1].split(b" ")[0])
        for data in state.sources._data.values()
        if b"<!-- pid " in data
    }
    assert len(readers) == 2 and os.getpid() in readers, readers
    good = [p for p in estate.rglob("*.csdef") if p.parent.name != "aa-broken"]
    assert len(state.inputs.definitions) == len(good) > 24


@dataclass
class _File:
    path: str = "x.csdef"
    display: str = "x.csdef"
    kind: str = "csdef"
    error: Exception | None = None
    data: bytes | None = None


def test_small_runs_and_files_read_already_stay_in_this_process() -> None:
    files = [_File(), _File(), _File(data=b"<x/>"), _File(kind="topology")]
    assert batch.prefetch(files, 1000, False, (), 3) is None  # two poolable files
    assert batch.prefetch(files, 1000, False, (), 0) is None  # off
    assert batch.prefetch(files, 1000, False, (), 2) is not None
    assert batch.pool_threshold(None) == batch.POOL_MIN_FILES


@pytest.mark.parametrize(("load", "pooled"), [(0.2, True), (9.0, False)])
def test_the_default_threshold_needs_an_idle_core(
    monkeypatch: pytest.MonkeyPatch, load: float, pooled: bool
) -> None:
    monkeypatch.delenv(batch.POOL_ENV, raising=False)
    monkeypatch.setattr(batch, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(batch.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(batch.os, "getloadavg", lambda: (load, load, load))
    files = [_File(), _File()]
    assert (batch.prefetch(files, 1000, False, (), None) is not None) is pooled
    assert batch.prefetch(files, 1000, False, (), 2) is not None  # an explicit threshold


def test_source_refs_compare_hash_and_pickle_by_value_whatever_their_slots() -> None:
    """XML positions are built with three slots, topology pointers and embedded lines with
    five (issue 13, memory): both read, compare, hash and round-trip through pickle alike."""
    import pickle

    from csmlint.model.location import SourceRef

    plain = SourceRef("a.cscfg", 3, 5)
    same = SourceRef("a.cscfg", 3, 5, None, None)
    pointed = SourceRef("t.json", None, None, "/subscriptions/0")
    embedded = SourceRef("x.xml", 4, 1, embedded_line=9)
    assert plain == same and hash(plain) == hash(same)
    assert (plain.pointer, plain.embedded_line) == (None, None)
    assert (pointed.pointer, embedded.embedded_line) == ("/subscriptions/0", 9)
    assert plain != pointed and plain != embedded
    assert pointed.display() == "t.json#/subscriptions/0" and plain.display() == "a.cscfg:3:5"
    for ref in (plain, pointed, embedded):
        back = pickle.loads(pickle.dumps(ref))
        assert back == ref and type(back) is type(ref) and repr(back) == repr(ref)
    with pytest.raises(AttributeError):
        plain.line = 4  # type: ignore[misc]
    assert repr(plain) == (
        "SourceRef(path='a.cscfg', line=3, column=5, pointer=None, embedded_line=None)"
    )
