"""CSM106 (ARM quota) remediation fits the migration state (issue 9 audit): before Validate
there is nothing to abort; after a failed Validate or Prepare nothing is locked, so it is
retried; only a prepared deployment can be aborted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import Finding

CASES = FIXTURES / "rules" / "CSM106-arm-quota-insufficient"


def _quota(folder: Path) -> list[Finding]:
    result, _ = run(RunOptions(paths=["."], cwd=str(folder), select=["CSM106"]))
    return [f for f in result.findings if f.rule_id == "CSM106" and not f.unknown]


def _aborts(f: Finding) -> bool:
    text = " ".join(f.remediation.commands)
    return "-Abort" in text or "abort-migration" in text


def test_before_validate_the_fix_never_aborts() -> None:
    found = _quota(CASES / "topology-cores-over-limit")
    assert found
    for f in found:
        assert not _aborts(f), f.remediation.commands
        assert "abort the migration" not in f.remediation.text.lower()


def test_a_failed_validation_is_retried_not_aborted() -> None:
    [f] = _quota(CASES / "validation-message")
    assert not _aborts(f), f.remediation.commands
    assert any("-Validate" in c for c in f.remediation.commands)


def test_only_a_prepared_deployment_gets_the_abort_path(tmp_path: Path) -> None:
    shutil.copytree(CASES / "validation-message", tmp_path / "case")
    path = tmp_path / "case" / "estate.topology.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["subscriptions"][0]["cloudServices"][0]["deployments"][0]["migration"]["state"] = "prepared"
    path.write_text(json.dumps(doc), encoding="utf-8")
    [f] = _quota(tmp_path / "case")
    assert _aborts(f) and any("-Prepare" in c for c in f.remediation.commands)
    assert "prepared" in f.message
