"""Accountable suppressions: reasons, end dates, mistyped directives, audit mode, and how
suppressed findings look in the JSON and SARIF reports."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from csmlint.cli import main
from csmlint.workflow import clock

NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition"


def _service(*lines: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<ServiceDefinition name="Litware.Billing" xmlns="{NS}">\n'
        + "".join(f"  {line}\n" for line in lines)
        + "</ServiceDefinition>\n"
    )


WORKER = '<WorkerRole name="Billing.Worker" vmsize="Large" />'


def _lint(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    csdef: str,
    *args: str,
    day: str = "2026-03-01",
    config: str | None = None,
) -> tuple[int, Any]:
    (tmp_path / "ServiceDefinition.csdef").write_text(csdef)
    if config is not None:
        (tmp_path / ".csmlint.yaml").write_text(config)
    fixed = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
    monkeypatch.setattr(clock, "now", lambda: fixed)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as info:
        main(["lint", ".", "--select", "CSM001,CSM127", "--fail-on", "warning", *args])
    out, _ = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), json.loads(out) if out.startswith("{") else out


def _rules(report: Any, suppressed: bool = False) -> list[str]:
    return sorted(f["ruleId"] for f in report["findings"] if ("suppression" in f) == suppressed)


@pytest.mark.parametrize("rule", ["CSM127", "legacy-role-size", "LEGACY-ROLE-SIZE"])
def test_a_suppression_with_a_reason_works_by_id_and_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, rule: str
) -> None:
    csdef = _service(f"<!-- csmlint-disable-next-element {rule}: sized on purpose -->", WORKER)
    code, report = _lint(tmp_path, capsys, monkeypatch, csdef, "-f", "json")
    assert code == 0 and _rules(report) == [] and _rules(report, True) == ["CSM127"]
    (f,) = report["findings"]
    assert f["suppression"] == {
        "kind": "inSource",
        "justification": "sized on purpose",
        "origin": "comment",
    }


def test_without_a_reason_it_suppresses_nothing_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    csdef = _service("<!-- csmlint-disable-next-element CSM127 -->", WORKER)
    code, report = _lint(tmp_path, capsys, monkeypatch, csdef, "-f", "json")
    assert code == 1 and _rules(report) == ["CSM001", "CSM127"]
    (problem,) = [f for f in report["findings"] if f["ruleId"] == "CSM001"]
    assert (problem["location"]["line"], problem["location"]["column"]) == (3, 3)  # at "<!--"
    assert "gives no reason, so it suppresses nothing" in problem["message"]


def test_until_works_through_its_day_then_lapses_with_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    csdef = _service(
        "<!-- csmlint-disable-next-element CSM127 until=2026-03-31: April resize -->", WORKER
    )
    code, report = _lint(tmp_path, capsys, monkeypatch, csdef, "-f", "json", day="2026-03-31")
    assert code == 0 and _rules(report, True) == ["CSM127"]
    assert report["findings"][0]["suppression"]["until"] == "2026-03-31"
    code, report = _lint(tmp_path, capsys, monkeypatch, csdef, "-f", "json", day="2026-04-01")
    assert code == 1 and _rules(report) == ["CSM001", "CSM127"]
    lapsed = next(f for f in report["findings"] if f["ruleId"] == "CSM001")
    assert "lapsed on 2026-03-31" in lapsed["message"] and "April resize" in lapsed["message"]


def test_config_suppressions_take_until_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = (
        "suppress:\n"
        "  - rules: [legacy-role-size]\n"
        "    reason: capacity review\n"
        "    until: 2026-02-28\n"
    )
    csdef = _service(WORKER)
    code, report = _lint(
        tmp_path, capsys, monkeypatch, csdef, "-f", "json", day="2026-02-28", config=config
    )
    assert code == 0 and report["findings"][0]["suppression"]["origin"] == "config"
    code, report = _lint(
        tmp_path, capsys, monkeypatch, csdef, "-f", "json", day="2026-03-01", config=config
    )
    assert code == 1 and _rules(report) == ["CSM001", "CSM127"]
    lapsed = next(f for f in report["findings"] if f["ruleId"] == "CSM001")
    assert lapsed["location"] == {
        "file": ".csmlint.yaml",
        "line": 2,
        "column": None,
        "pointer": None,
    }
    assert lapsed["message"].startswith("Configuration suppression of legacy-role-size lapsed")


def test_mistyped_directives_are_findings_with_a_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    csdef = _service(
        "<!-- csmlint-disable-next-line CSM127: x -->",
        WORKER,
        "<!-- csmlint-disable-next-element legacy-role-sise: typo in the name -->",
        '<WebRole name="Web" vmsize="Standard_D2_v2" />',
    )
    code, report = _lint(tmp_path, capsys, monkeypatch, csdef, "-f", "json")
    problems = [f["message"] for f in report["findings"] if f["ruleId"] == "CSM001"]
    assert code == 1 and _rules(report) == ["CSM001", "CSM001", "CSM127"]
    assert any("did you mean 'csmlint-disable-next-element'" in m for m in problems), problems
    assert any("legacy-role-sise: did you mean 'legacy-role-size'?" in m for m in problems), (
        problems
    )


def test_audit_mode_shows_every_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    csdef = _service("<!-- csmlint-disable-file CSM127: lab service -->", WORKER)
    config = "suppress:\n  - rules: [CSM127]\n    reason: everywhere\n"
    code, report = _lint(
        tmp_path, capsys, monkeypatch, csdef, "-f", "json", "--no-suppressions", config=config
    )
    assert code == 1 and _rules(report) == ["CSM127"]  # no 'unused' noise in an audit
    code, report = _lint(tmp_path, capsys, monkeypatch, csdef, "-f", "json", config=config)
    # without the switch the comment suppresses the finding, so the config entry is unused
    assert code == 1 and _rules(report, True) == ["CSM127"] and _rules(report) == ["CSM001"]


def test_sarif_carries_the_suppression_with_its_kind_reason_and_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    csdef = _service(
        "<!-- csmlint-disable-next-element CSM127 until=2026-12-31: approved in ADR-12 -->",
        WORKER,
    )
    code, log = _lint(tmp_path, capsys, monkeypatch, csdef, "-f", "sarif")
    assert code == 0
    (result,) = log["runs"][0]["results"]
    (sup,) = result["suppressions"]
    assert sup["kind"] == "inSource" and sup["justification"] == "approved in ADR-12"
    assert sup["properties"] == {"origin": "comment", "until": "2026-12-31"}
    assert sup["location"]["physicalLocation"]["region"]["startLine"] == 3
