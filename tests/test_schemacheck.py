"""The quick schema check says "valid" exactly when jsonschema does, on every topology
fixture and on thousands of mutated copies (wrong types, missing and extra keys, odd
values), and refuses to compile a schema keyword it does not implement."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES

from csmlint.loaders.topology.schema import schema_document
from csmlint.parsing.schemacheck import SchemaError, compile_schema

ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    2.0,
    1e300,
    "",
    "x",
    "Production",
    "10.0.0.0/8",
    "x-user",
    [],
    [1],
    ["a", "b"],
    {},
    {"name": "n"},
    {"x-note": 1},
]


@cache
def _checks() -> tuple[Any, Any]:
    schema = schema_document()
    return compile_schema(schema), jsonschema.Draft202012Validator(schema)


def _load(path: Path) -> Any:
    return json.loads(path.read_bytes().decode("utf-8"))


def _documents() -> list[Path]:
    """Topology documents of the fixtures that are plain UTF-8 JSON (the encodings are the
    JSON entry point's business, tested elsewhere)."""
    out = []
    for path in sorted(set(FIXTURES.rglob("*.json"))):
        try:
            doc = _load(path)
        except (UnicodeDecodeError, ValueError):
            continue
        if isinstance(doc, dict) and doc.get("schema") == "csmlint.topology/v1":
            out.append(path)
    return out


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


def _mutants(doc: Any, rng: random.Random, n: int) -> Iterator[Any]:
    paths = [p for p in _paths(doc) if p]
    for _ in range(n):
        mutant = copy.deepcopy(doc)
        path = rng.choice(paths)
        parent = mutant
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = rng.randrange(4)
        if action == 0:
            parent[last] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif action == 1 and isinstance(parent, dict):
            del parent[last]
        elif action == 2 and isinstance(parent, dict):
            parent[rng.choice(["extra", "x-extra", "Name", "slot"])] = rng.choice(ODD_VALUES)
        elif isinstance(parent[last], list):
            parent[last].append(copy.deepcopy(rng.choice(ODD_VALUES)))
        else:
            parent[last] = [parent[last]]
        yield mutant


def test_there_are_topology_fixtures() -> None:
    assert len(_documents()) >= 20


@pytest.mark.parametrize("path", _documents(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_same_verdict_as_jsonschema(path: Path) -> None:
    quick, full = _checks()
    doc = _load(path)
    assert quick(doc) == full.is_valid(doc)
    rng = random.Random(path.name)
    disagree = []
    for mutant in _mutants(doc, rng, 60):
        if quick(mutant) != full.is_valid(mutant):
            disagree.append(json.dumps(mutant)[:300])
    assert not disagree, disagree[:3]


def test_mutations_do_break_documents() -> None:
    """Control: the mutations reach invalid documents, so agreeing is not trivial."""
    quick, _ = _checks()
    doc = _load(_documents()[0])
    verdicts = {quick(m) for m in _mutants(doc, random.Random(1), 200)}
    assert verdicts == {True, False}


def test_an_unimplemented_keyword_is_refused() -> None:
    with pytest.raises(SchemaError, match="dependentRequired"):
        compile_schema({"type": "object", "dependentRequired": {"a": ["b"]}})
    with pytest.raises(SchemaError, match="local"):
        compile_schema({"$ref": "https://example.invalid/other.json"})


@pytest.mark.parametrize("name", ["config", "report", "rulepack"])
def test_every_shipped_schema_compiles(name: str) -> None:
    from importlib import resources

    text = resources.files("csmlint.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    compile_schema(json.loads(text))
