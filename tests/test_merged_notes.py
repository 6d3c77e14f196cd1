"""A "cannot tell" note folded into another finding on the same element (``onUnknown.
mergeInto``: rdp-plugin-and-extension into rdp-plugin-present) is still an undecided check:
the readiness counts it, and every report that lists findings names it on its host (a
new-user check saw "unconfirmed: 3 blocking check(s) cannot tell" beside two notes)."""

from __future__ import annotations

import json
from pathlib import Path

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import ReportContext
from csmlint.reporting import get_reporter

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "fixtures" / "fix" / "bom-crlf"


def test_a_folded_note_is_counted_and_named_on_its_host() -> None:
    result, ran = run(RunOptions(paths=[str(PLUGIN)], cwd=str(PLUGIN), excerpts=False))
    [host] = [f for f in result.active if f.rule_id == "CSM123"]
    assert host.merged == ("CSM122",)
    assert not [f for f in result.active if f.rule_id == "CSM122"]  # one finding, not two
    [service] = result.services
    listed = [f for f in result.active if f.unknown and f.category == "blocker"]
    assert service.cannot_tell == len(listed) + 1  # the folded note counts too
    ctx = ReportContext(version="test", cwd=str(PLUGIN), source_root=str(PLUGIN))
    for name in ("text", "markdown", "html"):
        report = get_reporter(name)(result, ran, ctx)
        assert "Cannot tell: CSM122 on the same element" in report, name
        assert report.count("Cannot tell: CSM122") == 1, name
    findings = json.loads(get_reporter("json")(result, ran, ctx))["findings"]
    assert [f["mergedRules"] for f in findings if f["ruleId"] == "CSM123"] == [["CSM122"]]


def test_a_finding_without_folded_notes_says_nothing_of_them() -> None:
    result, _ = run(RunOptions(paths=[str(PLUGIN)], cwd=str(PLUGIN), excerpts=False))
    others = [f for f in result.active if f.rule_id != "CSM123"]
    assert others and all(f.merged_note == "" for f in others)
