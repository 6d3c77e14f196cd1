"""Every report of one run says the same numbers: severities, groups (blockers, dropped, ...,
"cannot tell"), readiness per cloud service and per unit, and why a verdict is unconfirmed.

Each format is parsed the way its reader would (JSON and SARIF as JSON, HTML and JUnit as
markup, text and Markdown as text) and compared with the JSON report, for every example
estate and for a run narrowed with ``--ignore``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
from conftest import FIXTURES
from lxml import etree, html

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import ReportContext
from csmlint.reporting import get_reporter, html_cards, markdown
from csmlint.reporting.html import READINESS_CSS
from csmlint.rulepack.loader import load_rules

EXAMPLES = FIXTURES / "examples"
ESTATES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
CASES = [(e, ()) for e in ESTATES] + [
    ("northwind", ("vnet-peering-present", "two-slots-dynamic-ip"))
]


@cache
def _reports(estate: str, ignore: tuple[str, ...]) -> dict[str, str]:
    result, ran = run(
        RunOptions(paths=[str(EXAMPLES / estate)], cwd=str(EXAMPLES), ignore=list(ignore)),
        rules=load_rules(),
    )
    ctx = ReportContext(version="test", cwd=str(EXAMPLES), source_root=str(EXAMPLES))
    names = ("json", "sarif", "text", "markdown", "html", "junit")
    return {name: get_reporter(name)(result, ran, ctx) for name in names}


def _json(estate: str, ignore: tuple[str, ...]) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(_reports(estate, ignore)["json"])
    return report


def test_the_estates_cover_every_verdict() -> None:
    verdicts = {s["readiness"] for e in ESTATES for s in _json(e, ())["cloudServices"]} | {
        u["readiness"] for e in ESTATES for u in _json(e, ())["units"]
    }
    assert verdicts == {"blocked", "needs-attention", "ready"}
    assert any(_json(e, ())["summary"]["groups"]["unknown"] for e in ESTATES)
    assert any(s["unconfirmed"] for e, i in CASES for s in _json(e, i)["cloudServices"]), (
        "no case has an unconfirmed verdict"
    )


@pytest.mark.parametrize(("estate", "ignore"), CASES)
def test_json_counts_add_up(estate: str, ignore: tuple[str, ...]) -> None:
    report = _json(estate, ignore)
    summary = report["summary"]
    active = [f for f in report["findings"] if "suppression" not in f]
    by_sev = {s: sum(1 for f in active if f["severity"] == s) for s in ("error", "warning", "note")}
    assert summary["findings"] == by_sev
    assert sum(summary["groups"].values()) == len(active)
    assert summary["groups"]["unknown"] == sum(1 for f in active if f["unknownFacts"])
    assert summary["readiness"]["cloudServices"] == _tally(report["cloudServices"])
    assert summary["readiness"]["units"] == _tally(report["units"])
    if ignore:
        assert summary["blockingRules"]["notRun"], "ignored blocking rules are not listed"
        assert all(s["unconfirmed"] for s in report["cloudServices"] if s["readiness"] != "blocked")


def _tally(statuses: list[dict[str, Any]]) -> dict[str, int]:
    out = dict.fromkeys(("blocked", "needs-attention", "ready"), 0)
    for s in statuses:
        out[s["readiness"]] += 1
    return out


@pytest.mark.parametrize(("estate", "ignore"), CASES)
def test_sarif_agrees(estate: str, ignore: tuple[str, ...]) -> None:
    report = _json(estate, ignore)
    [sarif_run] = json.loads(_reports(estate, ignore)["sarif"])["runs"]
    props = sarif_run["properties"]
    assert props["findings"] == report["summary"]["findings"]
    assert props["groups"] == report["summary"]["groups"]
    assert props["blockingRules"] == report["summary"]["blockingRules"]
    levels = {"error": 0, "warning": 0, "note": 0}
    for r in sarif_run["results"]:
        if not r.get("suppressions"):
            levels[r["level"]] += 1
    assert levels == report["summary"]["findings"]
    assert [
        (s["cloudService"], s["readiness"], s.get("unconfirmed")) for s in props["readiness"]
    ] == [(s["name"], s["readiness"], s["unconfirmed"]) for s in report["cloudServices"]]
    assert [(u["id"], u["readiness"], u.get("unconfirmed")) for u in props["units"]] == [
        (u["id"], u["readiness"], u["unconfirmed"]) for u in report["units"]
    ]


@pytest.mark.parametrize(("estate", "ignore"), CASES)
def test_text_agrees(estate: str, ignore: tuple[str, ...]) -> None:
    report = _json(estate, ignore)
    text = _reports(estate, ignore)["text"]
    c = report["summary"]["findings"]
    assert (
        f"{report['summary']['files']} file(s), {report['summary']['cloudServices']} cloud "
        f"service(s): {c['error']} error(s), {c['warning']} warning(s), {c['note']} note(s)"
    ) in text
    rows = {}
    for line in text.splitlines():
        m = re.match(
            r"  (<cloud-service-name> \(csdef: \S+\)|\S+)\s+(blocked|needs-attention|ready)\s+"
            r"(.*?)(?:  \(unconfirmed: (.*)\))?$",
            line,
        )
        if m:
            rows[m.group(1)] = (m.group(2), m.group(4))
    for s in report["cloudServices"]:
        assert rows[_label(s)] == (s["readiness"], s["unconfirmed"]), s["name"]
    for u in report["units"]:
        assert rows[u["id"]] == (u["readiness"], u["unconfirmed"]), u["id"]


@pytest.mark.parametrize(("estate", "ignore"), CASES)
def test_markdown_agrees(estate: str, ignore: tuple[str, ...]) -> None:
    report = _json(estate, ignore)
    md = _reports(estate, ignore)["markdown"]
    c, states = report["summary"]["findings"], report["summary"]["readiness"]["cloudServices"]
    assert (
        f"{report['summary']['cloudServices']} cloud service(s): {states['blocked']} blocked, "
        f"{states['needs-attention']} need attention, {states['ready']} ready. "
        f"{c['error']} error(s), {c['warning']} warning(s), {c['note']} note(s)"
    ) in md
    headings = dict(re.findall(r"^### (.*) \((\d+)\)$", md, re.M))
    titles = markdown.CATEGORY_TITLES
    shown = {g: int(headings[t]) for g, t in titles.items() if t in headings}
    assert shown == {g: n for g, n in report["summary"]["groups"].items() if n}
    verdicts = {}
    for row in re.findall(
        r"^\| (&lt;cloud-service-name&gt; \(csdef: \S+\)|\S+) \| ([^|]+) \|", md, re.M
    ):
        verdicts[row[0]] = row[1].replace("**", "").replace("needs attention", "needs-attention")
    for s in report["cloudServices"]:
        label = _label(s).replace("<", "&lt;").replace(">", "&gt;")
        assert verdicts[label] == _shown(s), s["name"]
    for u in report["units"]:
        assert verdicts[u["id"]] == _shown(u), u["id"]


def _label(service: dict[str, Any]) -> str:
    """How the tables name a cloud service: its deployed name, else the placeholder with the
    .csdef's name (the examples' files-only services all have a .csdef)."""
    return service["deployedName"] or f"<cloud-service-name> (csdef: {service['name']})"


def _shown(status: dict[str, Any]) -> str:
    note = status["unconfirmed"]
    return f"{status['readiness']} (unconfirmed: {note})" if note else status["readiness"]


@pytest.mark.parametrize(("estate", "ignore"), CASES)
def test_html_agrees(estate: str, ignore: tuple[str, ...]) -> None:
    report = _json(estate, ignore)
    page = html.fromstring(_reports(estate, ignore)["html"])
    tally: dict[str, str] = {}
    for row in page.xpath("//table[@class='tally']//tr[th[@scope='row']]"):
        cells = [c.text_content().strip() for c in row]
        tally[cells[0]] = cells[1:]
    for sev, n in report["summary"]["findings"].items():
        assert tally[sev] == [str(n)]
    for group, n in report["summary"]["groups"].items():
        assert tally[html_cards.CATEGORY_TITLES[group]] == [str(n)]
    units, services = (
        report["summary"]["readiness"]["units"],
        report["summary"]["readiness"]["cloudServices"],
    )
    order = ("blocked", "needs-attention", "ready")
    assert tally["Migration units"] == [str(units[r]) for r in order] + [str(len(report["units"]))]
    assert tally["Cloud services"] == [str(services[r]) for r in order] + [
        str(len(report["cloudServices"]))
    ]
    # each unit's row in "start here" and its card show the unit's own counts and verdict
    by_name = {u["name"]: u for u in report["units"]}
    for row in page.xpath("//table[@class='units']/tbody/tr"):
        name = row.xpath("./td[1]/a[1]")[0].text_content().strip()
        unit = by_name.get(name)
        if unit is None or (len(unit["cloudServices"]) == 1 and unit["kind"] == "cloudService"):
            continue  # a lone cloud service's card is the service's
        counts = [c.text_content().strip() for c in row.xpath("./td[position() > 3]")]
        assert counts == [str(unit["findings"][s]) for s in ("error", "warning", "note")], name
        anchor = row.xpath("./td[1]/a[1]/@href")[0][1:]
        [card] = page.xpath(f"//section[@id='{anchor}']")
        # a unit's card header sits in the <summary> of its fold (details.unit)
        head = "(./header | ./details[@class='unit']/summary/header)"
        header = card.xpath(f"{head}/span[@class='counts']")[0].text_content()
        f = unit["findings"]
        assert header == f"{f['error']} error(s), {f['warning']} warning(s), {f['note']} note(s)"
        assert f"s-{READINESS_CSS[unit['readiness']]}" in card.get("class").split()
        note = card.xpath(f"{head}/span[@class='unc']")
        assert [n.text_content() for n in note] == (
            [f"unconfirmed: {unit['unconfirmed']}"] if unit["unconfirmed"] else []
        )


@pytest.mark.parametrize(("estate", "ignore"), CASES)
def test_junit_agrees(estate: str, ignore: tuple[str, ...]) -> None:
    report = _json(estate, ignore)
    root = etree.fromstring(_reports(estate, ignore)["junit"].encode())
    c = report["summary"]["findings"]
    assert int(root.get("failures")) == c["error"] + c["warning"]
    assert sum(int(s.get("skipped")) for s in root.iter("testsuite")) == c["note"]
