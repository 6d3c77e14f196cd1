""" "Cannot tell" notes are grouped per rule in the reports people read (text, Markdown,
HTML), listed one by one with -v, and kept one per finding in JSON and SARIF."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import ReportContext
from csmlint.reporting import get_reporter
from csmlint.rulepack.loader import load_rules

SERVICE = FIXTURES / "services" / "legacy-size"
NAMES = ("alpha-web", "bravo-web", "charlie-web")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], str]:
    root = tmp_path_factory.mktemp("three")
    for name in NAMES:
        folder = root / name
        shutil.copytree(SERVICE, folder)
        for f in folder.iterdir():
            text = f.read_text(encoding="utf-8")
            f.write_text(text.replace('"fabrikam-reports"', f'"{name}"'), encoding="utf-8")
    result, ran = run(RunOptions(paths=[str(root)], cwd=str(root)), load_rules())
    out = {}
    for verbose in (False, True):
        ctx = ReportContext(version="t", verbose=verbose, cwd=str(root), source_root=str(root))
        for fmt in ("text", "markdown", "json", "sarif", "html"):
            out[(fmt, verbose)] = get_reporter(fmt)(result, ran, ctx)
    return out


def _slot_notes(report: str) -> list[str]:
    return [ln for ln in report.splitlines() if "CSM118" in ln]


def test_the_three_services_are_told_apart(reports: dict[tuple[str, bool], str]) -> None:
    services = {s["name"] for s in json.loads(reports[("json", False)])["cloudServices"]}
    assert len(services) == 3, services


def test_text_groups_by_default_and_lists_each_with_verbose(
    reports: dict[tuple[str, bool], str],
) -> None:
    [line] = _slot_notes(reports[("text", False)])
    assert "3 notes" in line and "settled by cloudServices[].deployments[].slot" in line
    assert len(_slot_notes(reports[("text", True)])) == 3


def test_markdown_groups_too(reports: dict[tuple[str, bool], str]) -> None:
    [line] = _slot_notes(reports[("markdown", False)])
    assert line.startswith("- **note** CSM118 two-slots-dynamic-ip: 3 notes, for ")
    assert len(_slot_notes(reports[("markdown", True)])) == 3


def test_html_has_one_row_per_rule_and_every_note_in_the_cards(
    reports: dict[tuple[str, bool], str],
) -> None:
    page = reports[("html", False)]
    start = page.index('id="cannot-tell"')
    table = page[start : page.index("</table>", start)]
    assert table.count("CSM118 two-slots-dynamic-ip") == 1
    assert page.count("<details data-cat=unknown>") >= 3


def test_json_and_sarif_keep_one_result_per_service(reports: dict[tuple[str, bool], str]) -> None:
    findings = json.loads(reports[("json", False)])["findings"]
    slots = [f for f in findings if f["ruleId"] == "CSM118"]
    assert len(slots) == 3
    assert all(f["settledBy"] == ["cloudServices[].deployments[].slot"] for f in slots)
    [sarif_run] = json.loads(reports[("sarif", False)])["runs"]
    assert sum(1 for r in sarif_run["results"] if r["ruleId"] == "CSM118") == 3
