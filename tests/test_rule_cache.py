"""The prepared rule-pack cache: used when the packs are unchanged, never across an edit, a
csmlint or Python version; ignored when another user could have written it; no cache (and
no error) without a writable home; off with CSMLINT_NO_CACHE=1.

A hit is told apart from a miss by editing the cached entry (the cache is plain JSON): the
edited title shows only when the cache was read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import csmlint
from csmlint.errors import RulePackError
from csmlint.rulepack import cache
from csmlint.rulepack.loader import load_rules

RULE = """\
id: CSM951
name: team-cache-probe
title: {title}
severity: warning
category: advisory
migration: cs-es
scope: roleDefinition
when: {{field: vmsize, in: [ExtraSmall]}}
message: "Role {{{{ name }}}} is extra small"
rationale: Team policy.
remediation:
  text: Resize the role.
references:
  - title: Team policy
    url: https://example.org/policy
"""
CACHED = "Title from the cache"
CSDEF = """<?xml version="1.0"?>
<ServiceDefinition name="probe" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
  <WebRole name="Web" vmsize="ExtraSmall" />
</ServiceDefinition>
"""


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "xdg"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "csmlint"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    _write(folder, "Original title")
    return folder


def _write(folder: Path, title: str) -> None:
    (folder / "CSM951-team-cache-probe.yaml").write_text(RULE.format(title=title), "utf-8")


def _title(pack: Path) -> str:
    return next(r.title for r in load_rules([str(pack)]) if r.id == "CSM951")


def _files(where: Path) -> list[Path]:
    return sorted(where.glob("rules-*.json")) if where.is_dir() else []


def _tamper(where: Path) -> Path:
    """Give CSM951 another title in every cache file (as the user could)."""
    for path in _files(where):
        payload = json.loads(path.read_text("utf-8"))
        for entry in payload["files"]:
            for _line, item in entry["items"]:
                if "CSM951" in entry["path"]:
                    item["title"] = CACHED
        path.write_text(json.dumps(payload), "utf-8")
        path.chmod(0o600)
    return _files(where)[0]


def test_second_load_reads_the_cache(xdg: Path, pack: Path) -> None:
    assert _title(pack) == "Original title"
    [stored] = _files(xdg)
    assert stored.stat().st_mode & 0o777 == 0o600
    assert xdg.stat().st_mode & 0o777 == 0o700
    assert not list(xdg.glob(".rules-*")), "a temporary file was left behind"
    _tamper(xdg)
    assert _title(pack) == CACHED


def test_cached_rules_equal_freshly_loaded_ones(
    xdg: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_rules([str(pack)])
    assert _files(xdg)
    cached = load_rules([str(pack)])
    monkeypatch.setenv(cache.DISABLE, "1")
    fresh = load_rules([str(pack)])
    assert len(cached) == len(fresh) == len(first) > 80
    for a, b in zip(cached, fresh, strict=True):
        same = ("id", "title", "path", "line", "pack", "data", "variants", "references", "when")
        assert [getattr(a, f) for f in same] == [getattr(b, f) for f in same]
        assert a.code.keys() == b.code.keys()


def test_rules_from_the_cache_compile_only_the_scopes_a_run_evaluates(
    xdg: Path, pack: Path, tmp_path: Path
) -> None:
    from csmlint.engine import RunOptions, run

    fresh = {r.id: r for r in load_rules([str(pack)])}
    assert all(len(r.code._done) == len(r.scopes) for r in fresh.values())  # type: ignore[attr-defined]
    cached = {r.id: r for r in load_rules([str(pack)])}
    assert not any(r.code._done for r in cached.values())  # type: ignore[attr-defined]
    service = tmp_path / "svc"
    service.mkdir()
    (service / "ServiceDefinition.csdef").write_text(CSDEF, "utf-8")
    result, _ = run(RunOptions(paths=[str(service)], rules=[str(pack)]), list(cached.values()))
    assert [f.rule_id for f in result.findings if f.rule_id == "CSM951"] == ["CSM951"]
    compiled = {r.id for r in cached.values() if r.code._done}  # type: ignore[attr-defined]
    assert "CSM951" in compiled
    vm_only = [r.id for r in cached.values() if r.scopes == ("vm",)]
    assert vm_only and not compiled & set(vm_only)  # no VM in this run: never compiled
    probe = cached["CSM951"].code["roleDefinition"]
    assert fresh["CSM951"].code["roleDefinition"].message.source == probe.message.source
    # a cached rule's texts compile when first rendered: the message that fired is compiled,
    # and renders as the freshly loaded rule's does; its unused remediation texts are not
    assert probe.message._parts is not None
    assert probe.message.parts == fresh["CSM951"].code["roleDefinition"].message.parts
    scoped = [c for r in cached.values() if r.code._done for c in r.code._done.values()]  # type: ignore[attr-defined]
    assert any(c.unknown_message is not None and c.unknown_message._parts is None for c in scoped)


def test_the_key_covers_the_compiler_and_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hit means this exact code compiled the packs: the lazy compile cannot fail later."""
    here = Path(cache.__file__).resolve().parent
    covered = [here / name for name in cache._CODE]
    assert {p.name for p in covered} >= {"conditions.py", "paths.py", "template.py"}
    before = cache.key([("a", b"x")])
    real = cache._bytes
    estate = (here.parent / "model" / "estate.py").resolve()

    def edited(path: str) -> bytes:
        data = real(path)
        return data + b"# edited" if Path(path).resolve() == estate else data

    monkeypatch.setattr(cache, "_bytes", edited)
    assert cache.key([("a", b"x")]) != before


def test_an_edited_pack_is_loaded_again(xdg: Path, pack: Path) -> None:
    _title(pack)
    _tamper(xdg)
    _write(pack, "Edited title")
    assert _title(pack) == "Edited title"
    assert len(_files(xdg)) == 2  # the old entry stays until pruned; it is never read
    (pack / "CSM952-extra.yaml").write_text("", "utf-8")  # a new file: another key
    with pytest.raises(RulePackError):
        load_rules([str(pack)])


def test_another_csmlint_version_does_not_read_it(
    xdg: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _title(pack)
    _tamper(xdg)
    monkeypatch.setattr(csmlint, "__version__", csmlint.__version__ + ".post1")
    assert _title(pack) == "Original title"


def test_another_python_does_not_read_it(
    xdg: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _title(pack)
    _tamper(xdg)
    monkeypatch.setattr(cache.sys, "version", "3.99.0 (other build)")
    assert _title(pack) == "Original title"


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_cache_others_can_write_is_ignored(xdg: Path, pack: Path, what: str) -> None:
    _title(pack)
    stored = _tamper(xdg)
    (stored if what == "file" else xdg).chmod(0o666 if what == "file" else 0o777)
    assert _title(pack) == "Original title"
    if what == "folder":
        assert stored.read_text("utf-8").count(CACHED), "an untrusted folder is not written"


def test_a_cache_of_another_user_is_ignored(xdg: Path, pack: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    _title(pack)
    stored = _tamper(xdg)
    os.chown(stored, 4321, 4321)
    assert _title(pack) == "Original title"


def test_a_linked_cache_folder_is_ignored(xdg: Path, pack: Path, tmp_path: Path) -> None:
    _title(pack)
    _tamper(xdg)
    xdg.rename(tmp_path / "elsewhere")
    xdg.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert _title(pack) == "Original title"


def test_a_damaged_cache_file_is_replaced(xdg: Path, pack: Path) -> None:
    _title(pack)
    [stored] = _files(xdg)
    stored.write_text('{"key": "', "utf-8")
    assert _title(pack) == "Original title"
    assert json.loads(stored.read_text("utf-8"))["files"]


@pytest.mark.parametrize("home", ["read-only", "a file", "missing"])
def test_no_writable_home_means_no_cache_and_no_error(
    tmp_path: Path, pack: Path, monkeypatch: pytest.MonkeyPatch, home: str
) -> None:
    where = tmp_path / "home"
    if home == "read-only":
        where.mkdir()
        where.chmod(0o555)
        if os.access(where, os.W_OK):
            pytest.skip("this user can write a read-only folder (root)")
    elif home == "a file":
        where.write_text("", "utf-8")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(where))
    assert _title(pack) == "Original title"
    assert _title(pack) == "Original title"
    assert not (where / ".cache").exists() if where.is_dir() else True


def test_csmlint_no_cache_turns_it_off(
    xdg: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.DISABLE, "1")
    _title(pack)
    assert not xdg.exists()


def test_a_broken_pack_is_not_cached(xdg: Path, pack: Path) -> None:
    (pack / "CSM951-team-cache-probe.yaml").write_text("id: [", "utf-8")
    for _ in range(2):
        with pytest.raises(RulePackError):
            load_rules([str(pack)])
    assert not _files(xdg)


def test_old_entries_are_pruned(xdg: Path, pack: Path) -> None:
    for n in range(cache.KEEP + 3):
        _write(pack, f"Title {n}")
        assert _title(pack) == f"Title {n}"
        for path in _files(xdg):  # date the new entry in the past, in order
            if path.stat().st_mtime > 1e9:
                os.utime(path, (1e6 + n, 1e6 + n))
    assert len(_files(xdg)) == cache.KEEP
    assert min(p.stat().st_mtime for p in _files(xdg)) == 1e6 + 3


def test_only_parsed_rule_items_are_stored() -> None:
    with pytest.raises(TypeError):
        cache.encode({"a": 1})  # type: ignore[arg-type]


def _keys(where: Path) -> list[Path]:
    return sorted(where.glob("keys-*")) if where.is_dir() else []


def test_files_changed_in_the_last_seconds_are_not_remembered(xdg: Path, pack: Path) -> None:
    # the probe was just written: a coarse file system could hide a second edit in its time
    assert _title(pack) == "Original title"
    assert _files(xdg) and not _keys(xdg)


def test_unchanged_files_are_not_read_again(
    xdg: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", -(10**12))  # every file counts as settled
    assert _title(pack) == "Original title"
    assert len(_keys(xdg)) == 1
    read: list[str] = []
    real = cache._bytes

    def counting(path: str) -> bytes:
        read.append(os.path.basename(path))
        return real(path)

    monkeypatch.setattr(cache, "_bytes", counting)
    assert _title(pack) == "Original title"
    assert read == [], "the remembered key was not used"
    (pack / "CSM951-team-cache-probe.yaml").touch()  # a new time: read and hashed again
    assert _title(pack) == "Original title"
    assert "CSM951-team-cache-probe.yaml" in read


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(
    xdg: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", -(10**12))
    assert _title(pack) == "Original title"
    probe = pack / "CSM951-team-cache-probe.yaml"
    before = probe.stat()
    _write(pack, "Replaced title")  # as many bytes as the original
    os.utime(probe, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert probe.stat().st_size == before.st_size and probe.stat().st_mtime_ns == before.st_mtime_ns
    assert _title(pack) == "Replaced title"
    assert len(_keys(xdg)) == 2


def test_a_damaged_or_untrusted_remembered_key_is_ignored(
    xdg: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", -(10**12))
    assert _title(pack) == "Original title"
    [remembered] = _keys(xdg)
    identity = remembered.name.removeprefix("keys-")
    good = remembered.read_text("ascii")
    assert cache._remembered(xdg, identity) == good
    for damaged in ("0" * 63 + "z", "not a key", good + "0"):
        remembered.write_text(damaged, "ascii")
        assert cache._remembered(xdg, identity) is None, damaged
    remembered.write_text(good, "ascii")
    remembered.chmod(0o620)  # another user could have written it
    assert cache._remembered(xdg, identity) is None
    assert _title(pack) == "Original title"
