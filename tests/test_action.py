"""`action.yml` (the composite GitHub Action) against the GitHub Actions metadata schema
(fixtures/schemas/github-action.json, from SchemaStore), and what its steps do."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import jsonschema
import yaml
from conftest import FIXTURES, ROOT

SCHEMA = FIXTURES / "schemas" / "github-action.json"
ACTION = ROOT / "action.yml"


def _action() -> Any:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_the_vendored_schema_is_the_copy_provenance_names() -> None:
    digest = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
    assert digest == "3df93d135e274a3d8c1e99fe37f10f7f11c19efc0b3d684a7dc0ac66487a287b"


def test_action_yml_is_valid_against_the_github_actions_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(_action()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    # and the schema does reject a broken action (a step with neither run nor uses)
    broken = _action()
    broken["runs"]["steps"].append({"name": "nothing to do"})
    assert not validator.is_valid(broken)


def test_the_action_installs_from_its_repository_lints_and_uploads_sarif() -> None:
    action = _action()
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install["run"]  # this repository, never a package index
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/"))
    assert upload["uses"].split("@")[0] == "github/codeql-action/upload-sarif"
    assert upload["if"].startswith("always()")
    used = set(re.findall(r"inputs\.([a-z-]+)", ACTION.read_text(encoding="utf-8")))
    assert used == set(action["inputs"])
    for step in steps:  # inputs are passed as environment variables: no script injection
        assert "${{" not in step.get("run", ""), step["name"]
    lint_step = next(s for s in steps if s.get("id") == "lint")
    options = set(re.findall(r"(--[a-z-]+)", lint_step["run"]))
    names = {o for p in _lint_command().params for o in p.opts}
    assert options and options <= names, options - names


def _lint_command() -> Any:
    import typer.main

    from csmlint.cli import app

    return typer.main.get_command(app).commands["lint"]  # type: ignore[attr-defined]
