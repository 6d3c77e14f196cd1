"""csmlint.records: records behave as the dataclasses they replace, and the compiled
methods are current (``--update-snapshots`` regenerates them)."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys

import pytest
from conftest import ROOT

from csmlint import records
from csmlint.records import FrozenInstanceError, field, record
from csmlint.records.source import all_records, compiled_source

COMPILED = ROOT / "csmlint" / "records" / "compiled.py"


def test_the_compiled_methods_are_current(request: pytest.FixtureRequest) -> None:
    wanted = compiled_source(all_records())
    if request.config.getoption("--update-snapshots"):
        COMPILED.write_text(wanted, encoding="utf-8")
    assert COMPILED.read_text(encoding="utf-8") == wanted, (
        "a record's declaration changed: regenerate csmlint/records/compiled.py with "
        "`pytest tests/test_records.py --update-snapshots`"
    )


def test_a_run_builds_no_record_from_source() -> None:
    # a fresh interpreter: every record csmlint imports for a lint comes from compiled.py
    code = (
        "import csmlint.engine, csmlint.cli, csmlint.reporting.html, csmlint.records as r;"
        "print(len(r.STALE)); print(r.fields(csmlint.engine.Loaded)[0].name)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert out == ["0", "load"]


def test_a_real_record_uses_the_compiled_methods(request: pytest.FixtureRequest) -> None:
    from csmlint.model.cloud import Vip

    if request.config.getoption("--update-snapshots") and "csmlint.model.cloud.Vip" in (
        records.STALE
    ):
        pytest.skip("compiled.py was regenerated in this run: the next run checks it")

    assert Vip.__init__.__code__.co_filename == str(COMPILED)
    assert Vip.__init__.__qualname__ == "Vip.__init__"


# The same declarations, as dataclasses and as records: what each makes must agree.
def _pair(declare):  # type: ignore[no-untyped-def]
    as_dataclass = declare(dataclasses.dataclass, dataclasses.field)
    as_record = declare(record, field)
    return as_dataclass, as_record


def _plain(deco, fld):  # type: ignore[no-untyped-def]
    @(deco(slots=True) if deco is dataclasses.dataclass else deco)
    class Point:
        x: int
        y: int = 2
        tags: list[str] = fld(default_factory=list)
        note: str = fld(default="", repr=False, compare=False)

    return Point


def _frozen(deco, fld):  # type: ignore[no-untyped-def]
    kw = {"slots": True} if deco is dataclasses.dataclass else {}

    @deco(frozen=True, **kw)
    class Key:
        kind: str
        name: str = "n"
        extra: int = fld(default=0, hash=False)

    return Key


def test_init_repr_eq_and_hash_agree_with_dataclasses() -> None:
    dpoint, rpoint = _pair(_plain)
    for args, kwargs in [((1,), {}), ((1, 5), {"tags": ["a"], "note": "x"})]:
        d, r = dpoint(*args, **kwargs), rpoint(*args, **kwargs)
        assert repr(r).replace("test_records._plain.<locals>.", "") == repr(d).replace(
            "test_records._plain.<locals>.", ""
        )
        assert r == rpoint(*args, **kwargs)
        assert (r.x, r.y, r.tags, r.note) == (d.x, d.y, d.tags, d.note)
    assert rpoint(1) != rpoint(2)
    assert rpoint(1, note="a") == rpoint(1, note="b"), "compare=False fields are not compared"
    assert rpoint(1).tags is not rpoint(1).tags, "a default factory runs per instance"
    assert rpoint(1).__eq__(dpoint(1)) is NotImplemented
    assert rpoint.__hash__ is None and dpoint.__hash__ is None, "mutable and compared: no hash"
    assert rpoint.__match_args__ == dpoint.__match_args__
    assert not hasattr(rpoint(1), "__dict__"), "a record is slotted"
    with pytest.raises(TypeError):
        rpoint()

    dkey, rkey = _pair(_frozen)
    assert hash(rkey("a", "b", 1)) == hash(rkey("a", "b", 2)) == hash(dkey("a", "b", 9))
    assert rkey("a") == rkey("a") and {rkey("a"), rkey("a")} == {rkey("a")}
    with pytest.raises(FrozenInstanceError):
        rkey("a").name = "b"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del rkey("a").name  # type: ignore[misc]


def test_keyword_only_init_false_post_init_and_inheritance() -> None:
    @record(eq=False, kw_only=True, repr=False)
    class Base:
        src: str | None = None
        key: str = ""

    @record(eq=False, kw_only=True, repr=False)
    class Child(Base):
        name: str
        seen: list[str] = field(default_factory=list, init=False)
        shown: str = field(init=False)
        state: int = field(default=7, init=False)

        def __post_init__(self) -> None:
            self.shown = self.name.upper()

    child = Child(name="web", key="k")
    assert [f.name for f in records.fields(Child)] == [
        "src", "key", "name", "seen", "shown", "state",
    ]  # fmt: skip
    assert (child.src, child.key, child.name, child.seen, child.shown, child.state) == (
        None, "k", "web", [], "WEB", 7,
    )  # fmt: skip
    with pytest.raises(TypeError):
        Child("web")  # type: ignore[misc]  # keyword-only
    with pytest.raises(TypeError):
        Child(name="web", state=1)  # type: ignore[call-arg]  # init=False
    assert Child(name="a") != Child(name="a"), "eq=False compares identity"
    assert "__repr__" not in Child.__dict__


def test_pickling_replace_and_fields() -> None:
    _, rkey = _pair(_frozen)
    globals()["Key"] = rkey  # pickle finds classes by module and qualified name
    rkey.__qualname__ = "Key"
    try:
        k = rkey("a", "b", 3)
        assert pickle.loads(pickle.dumps(k)) == k
    finally:
        del globals()["Key"]
    changed = records.replace(k, name="c")
    assert (changed.kind, changed.name, changed.extra) == ("a", "c", 3)
    meta = record(type("M", (), {"__annotations__": {"v": "int"}, "v": field(default=1,
                  metadata={"topology": "x.y"})}))  # fmt: skip
    (only,) = records.fields(meta)
    assert (only.name, only.type, only.default, dict(only.metadata)) == ("v", "int", 1, {
        "topology": "x.y"})  # fmt: skip
    with pytest.raises(TypeError, match="not a record"):
        records.fields(object())


def test_a_mutable_default_is_refused_as_dataclasses_refuse_it() -> None:
    with pytest.raises(ValueError, match="mutable default"):

        @record
        class Bad:
            items: list[str] = []


def test_a_record_not_in_the_compiled_module_is_built_from_source() -> None:
    before = len(records.STALE)
    _, rpoint = _pair(_plain)
    assert len(records.STALE) == before + 1
    assert records.STALE[-1].endswith("_plain.<locals>.Point")
    assert rpoint.__init__.__code__.co_filename != str(COMPILED)
