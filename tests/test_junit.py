"""JUnit XML: schema check (fixtures/schemas/junit.xsd), counts, mapping, XML-safe text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from typing import Any

import pytest
from conftest import FIXTURES, shared_path
from lxml import etree
from snapshots import reference_context, reference_run

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import Finding, Remediation, RunResult, Suppression
from csmlint.model.location import SourceRef
from csmlint.reporting import junit

XSD = FIXTURES / "schemas" / "junit.xsd"
HOSTILE = FIXTURES / "hostile" / "html"


@lru_cache(maxsize=1)
def _schema() -> Any:
    return etree.XMLSchema(etree.parse(str(XSD)))


def check_junit(text: str) -> ET.Element:
    """Valid against the XSD, parseable by the stdlib, and the counts add up."""
    doc = etree.fromstring(text.encode("utf-8"))
    schema = _schema()
    assert schema.validate(doc), str(schema.error_log)
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(c.find("failure") is not None for c in cases),
            "errors": sum(c.find("error") is not None for c in cases),
            "skipped": sum(c.find("skipped") is not None for c in cases),
        }
        for key, value in counts.items():
            assert int(suite.get(key, "0")) == value, f"{suite.get('name')}: {key}"
            if key in totals:
                totals[key] += value
    for key, value in totals.items():
        assert int(root.get(key, "0")) == value
    return root


def _suites(root: ET.Element) -> dict[str, ET.Element]:
    return {s.get("name", ""): s for s in root.findall("testsuite")}


def test_reference_estate_junit() -> None:
    result, rules = reference_run()
    root = check_junit(junit.render(result, rules, reference_context()))
    suites = _suites(root)
    assert "cloud service <cloud-service-name> (csdef: fabrikam-shop)" in suites
    assert "cloud service <cloud-service-name> (csdef: fabrikam-reports)" in suites
    assert "virtual network fabrikam-vnet" in suites  # the gateway finding has no service
    shop = suites["cloud service <cloud-service-name> (csdef: fabrikam-shop)"]
    failed = [c for c in shop.findall("testcase") if c.find("failure") is not None]
    blocker = next(c for c in failed if c.get("name", "").startswith("CSM130 "))
    failure = blocker.find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert blocker.get("name", "").endswith(
        " in src/Fabrikam.Shop/ServiceConfiguration.Cloud.cscfg"
    )
    assert blocker.get("file") == "src/Fabrikam.Shop/ServiceConfiguration.Cloud.cscfg"
    assert int(blocker.get("line", "0")) > 0
    assert "Set-AzureDeployment" in (failure.text or "")
    assert blocker.get("classname") == "<cloud-service-name> (csdef: fabrikam-shop)"
    suppressed = [
        c for c in shop.iter("testcase") if "suppressed" in (c.findtext("system-out") or "")
    ]
    assert {c.get("name", "").split()[0] for c in suppressed} == {"CSM127", "CSM174"}
    assert all(c.find("failure") is None for c in suppressed)
    clean = suites[junit.CLEAN_SUITE]
    assert any(c.get("name") == "CSM128 retired-role-size" for c in clean.findall("testcase"))
    assert all(len(c) == 0 for c in clean.findall("testcase"))


def test_notes_are_skipped_unless_they_fail_the_build() -> None:
    result, rules = reference_run()
    default = check_junit(junit.render(result, rules, reference_context()))
    notes = [c for c in default.iter("testcase") if c.find("skipped") is not None]
    assert notes and all(
        (c.find("skipped") is not None and c.find("skipped").get("message", "").startswith("note:"))  # type: ignore[union-attr]
        for c in notes
    )
    strict = check_junit(junit.render(result, rules, reference_context(fail_on="note")))
    assert not [c for c in strict.iter("testcase") if c.find("skipped") is not None]
    assert int(strict.get("failures", "0")) == int(default.get("failures", "0")) + len(notes)


def _finding(message: str, **kw: Any) -> Finding:
    return Finding(
        rule_id="CSM127",
        rule_name="legacy-role-size",
        severity=kw.pop("severity", "warning"),
        category="post-migration",
        migration="cs-es",
        message=message,
        location=SourceRef(kw.pop("path", "a.csdef"), 3, 3),
        remediation=Remediation("fix \x00 it", ("Do-It '\x07'",)),
        **kw,
    )


def test_characters_xml_cannot_hold_are_stripped() -> None:
    nasty = "nul\x00 bel\x07 esc\x1b[31m lone\ud800 fffe\ufffe ok\u00e9 \U0001f600 <&>\"'"
    f = _finding(nasty, cloud_service="svc\x01", suppression=None)
    g = _finding(nasty, suppression=Suppression("inSource", "because\x0b"))
    result = RunResult(findings=[f, g], files=["a.csdef"])
    text = junit.render(result, [], reference_context())
    root = check_junit(text)
    failure = next(root.iter("failure"))
    message = failure.get("message", "")
    assert "\x00" not in text and "\x1b" not in text and "\ufffe" not in text
    assert "\\u0000" in message and "\\u001b" in message  # shown, not silently dropped
    assert "é" in message and "\U0001f600" in message and "<&>\"'" in message


def test_findings_without_a_service_or_vnet_go_to_a_file_suite() -> None:
    f = _finding("broken file", severity="error", path="bad/ServiceConfiguration.cscfg")
    root = check_junit(junit.render(RunResult(findings=[f], files=[]), [], reference_context()))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "file bad/ServiceConfiguration.cscfg"
    case = suite.find("testcase")
    assert case is not None and case.get("classname") == "bad/ServiceConfiguration.cscfg"


def test_hostile_names_stay_text() -> None:
    result, rules = run(
        RunOptions(
            paths=["script_in_setting_name.cscfg"],
            rules=[str(HOSTILE / "echo-pack")],
            cwd=str(HOSTILE),
        )
    )
    text = junit.render(result, rules, reference_context())
    check_junit(text)
    assert "<script" not in text and "<img" not in text
    root = ET.fromstring(text)
    assert any("<img src=x onerror=alert(1)>" in (c.get("classname") or "") for c in root.iter())


@pytest.mark.parametrize("folder", [("real",), ("hostile", "xml"), ("hostile", "html")])
def test_corpus_junit_is_valid(folder: tuple[str, ...]) -> None:
    path = shared_path("corpus", *folder)
    result, rules = run(RunOptions(paths=["."], cwd=str(path)))
    check_junit(junit.render(result, rules, reference_context(cwd=str(path))))


def test_case_names_survive_moved_lines_and_the_location_is_in_attributes(tmp_path: Any) -> None:
    ns = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition"
    roles = '  <WebRole name="Web" vmsize="Large" />\n  <WorkerRole name="Batch" vmsize="A8" />\n'

    def cases(padding: str) -> dict[str, tuple[str, str]]:
        (tmp_path / "ServiceDefinition.csdef").write_text(
            f'<ServiceDefinition name="Litware" xmlns="{ns}">\n'
            f"{padding}{roles}</ServiceDefinition>\n"
        )
        result, ran = run(RunOptions(paths=["."], cwd=str(tmp_path)))
        root = check_junit(junit.render(result, ran, reference_context()))
        return {
            c.get("name", ""): (c.get("file", ""), c.get("line", ""))
            for c in root.iter("testcase")
            if c.get("classname") != "csmlint.rules"
        }

    before = cases("")
    after = cases("  <!-- three -->\n  <!-- new -->\n  <!-- lines -->\n")
    assert set(before) == set(after) and len(before) >= 2
    for name, (file, line) in before.items():
        assert file == "ServiceDefinition.csdef" and ":" not in name.split(" in ")[-1]
        if int(line) > 1:  # the roles moved down; the root element did not
            assert int(after[name][1]) == int(line) + 3
