"""Every JSON report validates against the shipped report schema; readiness is right."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, shared_path

from csmlint import __version__
from csmlint.engine import RunOptions, run
from csmlint.findings.finding import ReportContext
from csmlint.reporting.json_report import render

SCHEMA = json.loads(
    resources.files("csmlint.schemas").joinpath("report.schema.json").read_text("utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _report(cwd: Path, *paths: str) -> dict:  # type: ignore[type-arg]
    result, rules = run(RunOptions(paths=list(paths or ["."]), cwd=str(cwd)))
    report = json.loads(render(result, rules, ReportContext(version=__version__)))
    errors = sorted(VALIDATOR.iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    return report


def test_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_examples_report_validates_and_readiness_is_blocked_or_ready() -> None:
    report = _report(FIXTURES / "examples")
    readiness = {s["name"]: s["readiness"] for s in report["cloudServices"]}
    assert readiness["fourthcoffee-shop"] == "blocked"  # a blocker finding
    assert readiness["tailspin-web"] == "ready"  # a clean service
    blocked = {
        f["cloudService"]
        for f in report["findings"]
        if f["category"] == "blocker"
        and f["severity"] in ("error", "warning")
        and f["cloudService"]
    }
    for name in blocked:
        assert readiness[name] == "blocked", name
    for unit in report["units"]:
        members = [readiness[c] for c in unit["cloudServices"]]
        if "blocked" in members:
            assert unit["readiness"] == "blocked", unit["id"]


@pytest.mark.parametrize("corpus", ["real", "exports", "hostile/xml"])
def test_corpus_reports_validate(corpus: str) -> None:
    _report(shared_path("corpus", *corpus.split("/")))


def test_suppressed_and_embedded_findings_validate() -> None:
    report = _report(FIXTURES / "snapshots" / "estate")
    assert any("suppression" in f for f in report["findings"])


def test_the_streamed_report_is_the_report_in_bounded_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`lint` writes JSON from :func:`stream`: the same text as the one-piece JSON of
    ``json.dumps`` (one finding per line), in pieces of at most ROW_BATCH findings."""
    from csmlint.reporting import json_report

    result, rules = run(RunOptions(paths=["."], cwd=str(FIXTURES / "examples")))
    ctx = ReportContext(version=__version__)
    whole = render(result, rules, ctx)
    monkeypatch.setattr(json_report, "ROW_BATCH", 3)
    pieces = list(json_report.stream(result, rules, ctx))
    assert "".join(pieces) == whole
    assert len(pieces) > len(result.findings) // 3
    assert max(p.count('"ruleId"') for p in pieces) == 3
    doc = json.loads(whole)
    assert [f["fingerprint"] for f in doc["findings"]] == [f.fingerprint for f in result.findings]
    lines = whole.splitlines()
    assert sum(1 for line in lines if line.startswith('    {"ruleId"')) == len(result.findings)
    result.findings = []
    assert json.loads("".join(json_report.stream(result, rules, ctx)))["findings"] == []
