"""The published topology schema and how its violations are reported."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from clirun import run_cli
from conftest import FIXTURES, ROOT, shared_path

from csmlint.errors import InputError
from csmlint.loaders.topology.document import load_topology
from csmlint.loaders.topology.schema import schema_document

SCHEMA_FILE = ROOT / "csmlint" / "schemas" / "topology.schema.json"
CONTOSO = FIXTURES / "topology" / "contoso" / "topology" / "contoso.topology.json"
ENUM_DEFS = (
    "slot",
    "deploymentKind",
    "migrationState",
    "gatewayKind",
    "serviceKind",
    "circuitModel",
    "agentStatus",
)


def _objects(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        types = node.get("type")
        if types == "object" or (isinstance(types, list) and "object" in types):
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{where}/{i}")


def _load(doc: dict[str, Any], tmp_path: Path) -> Any:
    path = tmp_path / "t.topology.json"
    data = json.dumps(doc, indent=1).encode()
    path.write_bytes(data)
    return load_topology(data, "t.topology.json", base_dir=str(tmp_path))


def _error(doc: dict[str, Any], tmp_path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        _load(doc, tmp_path)
    return info.value


def _doc(**cloud_service: Any) -> dict[str, Any]:
    cs = {"name": "svc", **cloud_service}
    return {"schema": "csmlint.topology/v1", "subscriptions": [{"cloudServices": [cs]}]}


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == schema_document()


def test_every_object_rejects_unknown_keys_but_keeps_x_keys() -> None:
    schema = schema_document()
    found = 0
    for where, obj in _objects(schema):
        found += 1
        assert obj.get("additionalProperties") is not None, where
        assert "^x-" in obj.get("patternProperties", {}), where
        if "properties" in obj:
            assert obj["additionalProperties"] is False, where
    assert found > 40


@pytest.mark.parametrize("name", ENUM_DEFS)
def test_enumerations_match_in_any_case_with_portable_patterns(name: str) -> None:
    spec = schema_document()["$defs"][name]
    pattern = spec["pattern"]
    # ECMA-262 and Python agree on this subset: no inline flags, no \A/\Z, no lookbehind
    assert not re.search(r"\(\?[a-zA-Z<]|\\[AZz]", pattern), pattern
    validator = jsonschema.Draft202012Validator(spec)
    for value in spec["examples"]:
        for variant in {value, value.lower(), value.upper(), value.title(), value.swapcase()}:
            assert validator.is_valid(variant), variant
        if value:
            assert not validator.is_valid(value + "x")
            assert not validator.is_valid(" " + value)
            assert not validator.is_valid(value[:-1])
    assert validator.is_valid(None) == ("null" in spec["type"])
    assert validator.is_valid("") == ("" in spec["examples"])


def test_cli_prints_the_topology_schema() -> None:
    result = run_cli("schema", "topology", timeout=30)
    result.assert_clean_exit(0)
    assert json.loads(result.stdout) == schema_document()


def test_the_fixture_is_valid() -> None:
    document = json.loads(CONTOSO.read_text("utf-8"))
    jsonschema.Draft202012Validator(schema_document()).validate(document)


def test_the_contract_examples_are_valid() -> None:
    text = shared_path("design", "topology.md").read_text("utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, re.S)
    assert len(blocks) >= 2
    document = json.loads(blocks[0])
    vm = json.loads(blocks[1])
    deployment = document["subscriptions"][0]["cloudServices"][0]["deployments"][0]
    deployment["vms"] = [vm]
    jsonschema.Draft202012Validator(schema_document()).validate(document)


def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    err = _error(_doc(deployments=[{"slot": "production", "vnetName": "v"}]), tmp_path)
    assert err.pointer == "/subscriptions/0/cloudServices/0/deployments/0/vnetName"
    assert "unknown key 'vnetName'" in err.reason
    assert "did you mean 'vnet'?" in err.reason  # before the list, which the report may cut
    assert "vnet" in err.reason  # the known keys are listed
    assert err.line is not None and err.column is not None
    text = json.dumps(_doc(deployments=[{"slot": "production", "vnetName": "v"}]), indent=1)
    line = text.splitlines()[err.line - 1]
    assert line[err.column - 1 :].startswith('"vnetName": "v"')  # its name, not its value


def test_x_keys_are_accepted_everywhere(tmp_path: Path) -> None:
    doc = _doc(
        **{"x-team": "a", "deployments": [{"x-ticket": 1, "vms": [{"name": "v", "x-n": {}}]}]}
    )
    doc["x-top"] = [1]
    doc["subscriptions"][0]["x-cost-center"] = "42"
    doc["subscriptions"][0]["quotas"] = {"x-note": "free text", "westeurope": {"x-a": 1}}
    assert _load(doc, tmp_path).subscriptions[0].cloud_services[0].name == "svc"


def test_enum_violation_lists_the_values(tmp_path: Path) -> None:
    err = _error(_doc(deployments=[{"slot": "prod"}]), tmp_path)
    assert err.pointer == "/subscriptions/0/cloudServices/0/deployments/0/slot"
    assert "'prod' is not one of 'production', 'staging' (any case)" in err.reason


def test_type_violation(tmp_path: Path) -> None:
    err = _error(_doc(deployments=[{"roles": [{"name": "R", "instanceCount": "2"}]}]), tmp_path)
    assert err.pointer == "/subscriptions/0/cloudServices/0/deployments/0/roles/0/instanceCount"
    assert "expected an integer or null, found a string" in err.reason


def test_missing_required_name(tmp_path: Path) -> None:
    doc = _doc()
    del doc["subscriptions"][0]["cloudServices"][0]["name"]
    err = _error(doc, tmp_path)
    assert err.pointer == "/subscriptions/0/cloudServices/0"
    assert "required key 'name' is missing" in err.reason


def test_the_most_specific_violation_is_reported(tmp_path: Path) -> None:
    doc = _doc(deployments=[{"vms": [{"name": "v", "agent": {"status": "sleepy"}}]}])
    doc["subscriptions"][0]["typo"] = 1
    err = _error(doc, tmp_path)
    assert err.pointer == "/subscriptions/0/cloudServices/0/deployments/0/vms/0/agent/status"


def test_violation_line_is_the_offending_value(tmp_path: Path) -> None:
    text = (
        '{\n "schema": "csmlint.topology/v1",\n "subscriptions": [\n  {"cloudServices": [\n'
        '   {"name": "svc",\n    "deployments": [{"regionalScope": "yes"}]}]}]}\n'
    )
    with pytest.raises(InputError) as info:
        load_topology(text.encode(), "t.json", base_dir=str(tmp_path))
    assert (info.value.line, info.value.column) == (6, 39)


def test_nulls_and_empty_strings_where_the_contract_allows_them(tmp_path: Path) -> None:
    doc = _doc(
        location=None,
        affinityGroup="",
        extensions=None,
        deployments=[
            {
                "slot": None,
                "vnet": "",
                "inDefaultVnet": None,
                "migration": {"state": "", "lastValidation": None},
                "vms": [{"name": "v", "availabilitySet": "", "agent": None, "osDisk": None}],
            }
        ],
    )
    assert _load(doc, tmp_path).subscriptions[0].cloud_services[0].name == "svc"
    assert "is not one of" in _error(_doc(deployments=[{"slot": ""}]), tmp_path).reason
    assert "must not be empty" in _error(_doc(name=""), tmp_path).reason


@pytest.mark.parametrize(
    ("doc", "reason", "pointer"),
    [
        ([1, 2], "topology must be an object, not an array", ""),
        ({"subscriptions": []}, "not a topology document (no schema key;", ""),
        ({"schema": "csmlint.topology/v2"}, "schema is 'csmlint.topology/v2'", "/schema"),
    ],
)
def test_wrong_documents(doc: Any, reason: str, pointer: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_topology(json.dumps(doc).encode(), "t.json", base_dir=str(tmp_path))
    assert reason in info.value.reason
    assert info.value.pointer == pointer
    assert info.value.line == 1
