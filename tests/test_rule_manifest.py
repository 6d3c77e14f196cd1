"""The schema-check manifest of the shipped packs is current, and only exact bytes are trusted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import RULES

from csmlint.errors import RulePackError
from csmlint.parsing import yamlschema as schema
from csmlint.parsing.yamlsafe import load_yaml
from csmlint.rulepack import manifest
from csmlint.rulepack.loader import load_rules


def test_every_shipped_file_validates_against_the_schema() -> None:
    for path in sorted(RULES.rglob("*.yaml")):
        data = load_yaml(path.read_bytes(), str(path))
        if path.relative_to(RULES).parts[0] in manifest.NOT_PACKS:
            assert schema.first_violation(data, "diagnose-catalog.schema.json") is None, path
            continue
        kind = "pack" if path.name == "pack.yaml" else "rule"
        schema.validate(data, kind, path=str(path))


def test_manifest_is_current(request: pytest.FixtureRequest) -> None:
    expected = manifest.render(manifest.compute(RULES))
    target = RULES / manifest.MANIFEST
    if request.config.getoption("--update-snapshots"):
        target.write_text(expected, encoding="utf-8")
    assert target.read_text(encoding="utf-8") == expected, (
        "rules/schema-checked.json is stale: run `pytest --update-snapshots "
        "tests/test_rule_manifest.py` after checking the rule files"
    )


def test_an_edited_shipped_file_is_validated_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    trust = manifest.Trust(copy)
    rule = copy / "files" / "CSM127-legacy-role-size.yaml"
    assert trust.checked(rule, rule.read_bytes())
    rule.write_text(rule.read_text(encoding="utf-8").replace("tags: [size]", "tags: [Size!]"))
    assert not trust.checked(rule, rule.read_bytes())
    monkeypatch.setattr("csmlint.rulepack.loader.shipped_root", lambda: str(copy))
    with pytest.raises(
        RulePackError, match=r"CSM127-legacy-role-size\.yaml:\d+: rule CSM127: tags"
    ):
        load_rules()


def test_user_packs_are_always_validated(tmp_path: Path) -> None:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: mine\ntitle: Mine\n")
    src = RULES / "files" / "CSM127-legacy-role-size.yaml"
    text = src.read_text(encoding="utf-8").replace("CSM127", "CSM901")
    text = text.replace("name: legacy-role-size", "name: my-size").replace(
        "tags: [size]", "tags: [X]"
    )
    (pack / "CSM901-my-size.yaml").write_text(text)
    with pytest.raises(RulePackError, match="CSM901"):
        load_rules([pack])
