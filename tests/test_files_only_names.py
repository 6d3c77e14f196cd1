"""Files-only estates (issue 9 audit): the deployed (Azure) name of a cloud service is
unknown without a topology or an export, so no report may call it by its `.csdef` name as if
that were the deployed one. Every report format and the plan show
``<cloud-service-name> (csdef: X)`` (in prose quoted like a name,
``'<cloud-service-name>' (csdef: X)``), as the commands show ``<cloud-service-name>``; with a
topology the deployed name shows plainly."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, ROOT

from csmlint import __version__
from csmlint.engine import RunOptions, run_with_estate
from csmlint.findings.finding import ReportContext
from csmlint.migration.plan import build_plan
from csmlint.migration.plan.render import to_html, to_json, to_markdown
from csmlint.reporting import get_reporter
from csmlint.rulepack.loader import load_rules

FILES_ONLY = {"contoso": "contoso-web", "relecloud": "relecloud-api"}
LABEL = "<cloud-service-name> (csdef: {})"
PROSE = "'<cloud-service-name>' (csdef: {})"


def _reports(estate: str) -> dict[str, str]:
    rules = load_rules()
    result, ran, model = run_with_estate(
        RunOptions(paths=[str(FIXTURES / "examples" / estate)], cwd=str(ROOT)), rules
    )
    ctx = ReportContext(version=__version__, verbose=True)
    out = {fmt: get_reporter(fmt)(result, ran, ctx) for fmt in ("text", "json", "markdown")}
    out |= {fmt: get_reporter(fmt)(result, ran, ctx) for fmt in ("sarif", "junit")}
    plan = build_plan(result, rules, model, __version__)
    out["plan-markdown"], out["plan-html"] = to_markdown(plan), to_html(plan)
    return out


@pytest.mark.parametrize("estate", sorted(FILES_ONLY))
def test_no_report_calls_a_files_only_service_by_its_csdef_name(estate: str) -> None:
    name = FILES_ONLY[estate]
    for fmt, text in _reports(estate).items():
        plain = text.replace("&lt;", "<").replace("&gt;", ">").replace("\\u003c", "<")
        plain = plain.replace("\\u003e", ">").replace("&#x27;", "'").replace("&#39;", "'")
        plain = plain.replace(f"='{name}'", "")  # SARIF logical locations: the attribute value
        assert f"'{name}'" not in plain, fmt  # "Cloud service 'contoso-web' ..."
        assert f"cloud service {name}" not in plain.lower(), fmt
        assert PROSE.format(name) in plain, fmt


@pytest.mark.parametrize("estate", sorted(FILES_ONLY))
def test_tables_and_json_say_the_deployed_name_is_unknown(estate: str) -> None:
    name = FILES_ONLY[estate]
    reports = _reports(estate)
    rows = [line for line in reports["text"].splitlines() if line.startswith("  ")]
    assert any(line.strip().startswith(LABEL.format(name)) for line in rows)
    [service] = json.loads(reports["json"])["cloudServices"]
    assert service["name"] == name and service["deployedName"] is None
    assert f"| &lt;cloud-service-name&gt; (csdef: {name}) |" in reports["markdown"]


def test_a_topology_gives_the_deployed_name_plainly() -> None:
    reports = _reports("fourthcoffee")
    services = json.loads(reports["json"])["cloudServices"]
    assert services and all(s["deployedName"] == s["name"] for s in services)
    assert "(csdef:" not in reports["text"] and "(csdef:" not in reports["markdown"]
    assert "'fourthcoffee-shop'" in reports["text"]


def test_grouped_notes_name_services_as_the_tables_do() -> None:
    result, ran, _ = run_with_estate(
        RunOptions(paths=[str(FIXTURES / "snapshots" / "estate")], cwd=str(ROOT))
    )
    ctx = ReportContext(version=__version__)
    for fmt in ("text", "markdown"):
        out = get_reporter(fmt)(result, ran, ctx).replace("&lt;", "<").replace("&gt;", ">")
        [line] = [line for line in out.splitlines() if "CSM118 two-slots-dynamic-ip" in line]
        assert LABEL.format("fabrikam-reports") in line and LABEL.format("fabrikam-shop") in line


def test_plan_json_says_which_deployed_names_are_known() -> None:
    rules = load_rules()
    paths = [str(FIXTURES / "examples" / e) for e in ("contoso", "fourthcoffee")]
    result, _, model = run_with_estate(RunOptions(paths=paths, cwd=str(ROOT)), rules)
    doc = json.loads(to_json(build_plan(result, rules, model, __version__)))
    names = {
        name: deployed
        for unit in doc["units"]
        for name, deployed in zip(unit["cloudServices"], unit["deployedNames"], strict=True)
    }
    assert names == {"contoso-web": None, "fourthcoffee-shop": "fourthcoffee-shop"}
