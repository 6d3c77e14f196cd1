"""`csmlint lint` of a Validate/Prepare response: every message is reported through the
platform error catalogue (rules/diagnose/), at the line of its ``Message`` element."""

from __future__ import annotations

import shutil
from pathlib import Path

from asm_support import EXPORTS, RDP
from conftest import FIXTURES

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import Finding
from csmlint.workflow.importer import run_import

VALIDATION = "asm-validate-deployment-migration-error.xml"
NS = 'xmlns="http://schemas.microsoft.com/windowsazure"'


def _response(*messages: tuple[str, str, str, str]) -> str:
    items = "".join(
        f"\n  <ValidationMessage>\n    <ResourceType>{kind}</ResourceType>\n"
        f"    <ResourceName>{name}</ResourceName>\n    <Category>{category}</Category>\n"
        f"    <Message>{text}</Message>\n  </ValidationMessage>"
        for kind, name, category, text in messages
    )
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<ValidationMessages {NS}>'
    return f"{head}{items}\n</ValidationMessages>\n"


def _lint(tmp: Path, *, ignore: list[str] | None = None) -> list[Finding]:
    result, _ = run(RunOptions(paths=["."], cwd=str(tmp), ignore=ignore or []))
    return result.findings


def test_the_recorded_validate_response_is_reported_not_silent(tmp_path: Path) -> None:
    shutil.copy(EXPORTS / VALIDATION, tmp_path / VALIDATION)
    [f] = _lint(tmp_path)
    assert (f.rule_id, f.severity, f.category) == ("CSM002", "error", "blocker")
    assert f.location.path == VALIDATION and f.location.line == 1
    raw = (EXPORTS / VALIDATION).read_text()
    assert f.location.column == raw.index("<Message>") + 1
    assert "Deployment '123'" in f.message
    assert "The deployment name '123' does not exist." in f.message


def test_known_messages_are_findings_of_the_rule_the_catalogue_maps_them_to(
    tmp_path: Path,
) -> None:
    (tmp_path / "validate.xml").write_text(
        _response(
            (
                "Deployment",
                "prod-web",
                "Error",
                "Migration of Deployment prod-web in HostedService contoso-web isn't supported "
                "because it is in region westindia. Allowed regions: eastus, westeurope.",
            ),
            (
                "HostedService",
                "contoso-web",
                "Error",
                "The current quota for Cores in Azure Resource Manager is insufficient to "
                "complete migration. Current quota is 20, additional 8 needed.",
            ),
            ("Deployment", "prod-web", "Warning", "Something csmlint has never seen."),
        )
    )
    found = _lint(tmp_path)
    by_rule = {f.rule_id: f for f in found}
    assert sorted(by_rule) == ["CSM002", "CSM106", "CSM167"]
    assert by_rule["CSM167"].location.line == 7 and by_rule["CSM167"].severity == "error"
    assert "region" in by_rule["CSM167"].message.lower()
    assert by_rule["CSM106"].location.line == 13
    assert by_rule["CSM106"].remediation.commands == ('Get-AzVMUsage -Location "<region>"',)
    unknown = by_rule["CSM002"]
    assert (unknown.location.line, unknown.severity) == (19, "warning")
    assert unknown.category != "blocker"


def test_ignored_rules_stay_silent(tmp_path: Path) -> None:
    shutil.copy(EXPORTS / VALIDATION, tmp_path / VALIDATION)
    assert _lint(tmp_path, ignore=["unrecognised-validation-message"]) == []


def test_messages_about_a_linted_deployment_go_to_its_rules_not_to_csm002(tmp_path: Path) -> None:
    """One Validate response is about one deployment: the one about the linted deployment
    reaches that deployment's rules, the one about another deployment is reported alone."""
    shutil.copy(EXPORTS / RDP, tmp_path / RDP)
    (tmp_path / "validate-linted.xml").write_text(
        _response(
            (
                "Deployment",
                "d00006ff7a7674acc8549dbda9ccdb40d",
                "Error",
                "Migration of Deployment d00006ff7a7674acc8549dbda9ccdb40d in HostedService "
                "rdpexttest isn't supported because it is in region westindia.",
            ),
        )
    )
    (tmp_path / "validate-other.xml").write_text(
        _response(("Deployment", "other-deployment", "Error", "Something csmlint never saw."))
    )
    found = _lint(tmp_path)
    assert [f.rule_id for f in found if f.location.path == "validate-other.xml"] == ["CSM002"]
    linted = [f for f in found if f.rule_id == "CSM167"]
    assert len(linted) == 1 and linted[0].cloud_service == "rdpexttest"
    assert sum(f.rule_id == "CSM002" for f in found) == 1


def test_a_deployments_own_unknown_message_is_reported_and_blocks_it() -> None:
    case = FIXTURES / "rules" / "CSM002-unrecognised-validation-message" / "topology-messages"
    result, _ = run(RunOptions(paths=["."], cwd=str(case)))
    unknown = [f for f in result.findings if f.rule_id == "CSM002"]
    assert [f.location.pointer for f in unknown] == [
        "/subscriptions/0/cloudServices/0/deployments/0/migration/lastValidation/0"
    ]
    assert unknown[0].cloud_service == "relecloud-jobs" and unknown[0].severity == "error"
    assert [f.rule_id for f in result.findings].count("CSM167") == 1  # the known one, once
    [service] = result.services
    assert service.readiness == "blocked"


def test_information_messages_report_nothing(tmp_path: Path) -> None:
    (tmp_path / "validate.xml").write_text(
        _response(("Deployment", "web-prod", "Information", "Deployment web-prod is ready."))
    )
    assert _lint(tmp_path) == []


def test_an_imported_response_is_reported_from_the_topology_once(tmp_path: Path) -> None:
    """`csmlint import` keeps a response about no imported deployment under x-unmatched:
    linting that document reports its messages; linting it next to the export (whose facts
    the document already holds) reports each message once."""
    shutil.copy(EXPORTS / VALIDATION, tmp_path / VALIDATION)
    run_import([VALIDATION], output="estate.topology.json", cwd=str(tmp_path))
    result, _ = run(RunOptions(paths=["estate.topology.json"], cwd=str(tmp_path)))
    [f] = result.findings
    assert (f.rule_id, f.location.path) == ("CSM002", "estate.topology.json")
    assert f.location.pointer == "/x-unmatched/0/value/0/message"
    both = _lint(tmp_path)
    assert [g.rule_id for g in both] == ["CSM002"]
