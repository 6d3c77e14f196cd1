"""Reports stay proportional to their input (issue #10, item 3).

Before: 200 cloud services sharing one name gave a 58 MB HTML page (400 gave 226 MB: every
same-named service card repeated every finding of the name), and a 5 MB `.cscfg` with 100,000
roles listed 100,000 findings of one rule in every format (143 MB of JSON).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import run_cli

from csmlint.findings.finding import Finding, Remediation, RunResult
from csmlint.findings.fold import FOLD_AT, fold
from csmlint.findings.summary import summarize
from csmlint.model.location import SourceRef

CSCFG_NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"


def _same_named(path: Path, n: int) -> Path:
    services = [
        {
            "name": "dup",
            "location": "West Europe",
            "deployments": [
                {
                    "slot": "production",
                    "name": f"d{i}",
                    "status": "running",
                    "kind": "paas",
                    "roles": [{"name": "Web", "size": "Small", "instanceCount": 1}],
                }
            ],
        }
        for i in range(n)
    ]
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {"id": "71e3b5d0-2c48-4f9a-8e16-b0d4c2a9f573", "cloudServices": services}
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_html_grows_linearly_with_same_named_services(tmp_path: Path) -> None:
    sizes = {}
    for n in (50, 100):
        topo = _same_named(tmp_path / f"s{n}.topology.json", n)
        result = run_cli("lint", topo.name, "--format", f"html=o{n}.html", cwd=tmp_path)
        result.assert_clean_exit(0, 1)
        page = (tmp_path / f"o{n}.html").read_text(encoding="utf-8")
        sizes[n] = len(page)
        assert f"{n} cloud services in the inputs share this name" in page
    assert sizes[100] < 2.3 * sizes[50], sizes  # quadratic was about 4x


def _role_cscfg(path: Path, roles: int) -> Path:
    body = "".join(f'  <Role name="r{i}"><Instances count="1"/></Role>\n' for i in range(roles))
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n'
        f'<ServiceConfiguration serviceName="big" xmlns="{CSCFG_NS}">\n{body}'
        "</ServiceConfiguration>\n",
        encoding="utf-8",
    )
    return path


def test_repeated_findings_of_one_rule_in_one_file_are_folded_and_counted(tmp_path: Path) -> None:
    _role_cscfg(tmp_path / "big.cscfg", FOLD_AT + 57)
    result = run_cli("lint", "big.cscfg", "--format", "json", cwd=tmp_path)
    result.assert_clean_exit(0, 1)
    report = result.json()
    listed = [f for f in report["findings"] if f["ruleId"] == "CSM173"]
    assert len(listed) == FOLD_AT
    assert report["folded"] == [
        {"ruleId": "CSM173", "file": "big.cscfg", "count": 57, "suppressed": False}
    ]
    assert report["summary"]["findings"]["warning"] == FOLD_AT + 57  # counts include all
    assert any("57 more findings of CSM173 in big.cscfg" in n for n in report["notifications"])


def test_fewer_findings_than_the_limit_are_not_folded(tmp_path: Path) -> None:
    _role_cscfg(tmp_path / "small.cscfg", 3)
    result = run_cli("lint", "small.cscfg", "--format", "json", cwd=tmp_path)
    result.assert_clean_exit(0, 1)
    assert "folded" not in result.json()
    assert len(result.findings("CSM173")) == 3


def _finding(n: int, path: str, rule: str = "CSM173") -> Finding:
    return Finding(
        rule_id=rule,
        rule_name="single-instance-role",
        severity="warning",
        category="advisory",
        migration="cs-es",
        message=f"finding {n}",
        location=SourceRef(path, n + 1, 1),
        remediation=Remediation("fix", ()),
        entity_key=f"Role[@name='r{n}']",
    )


def test_fold_keeps_the_first_findings_per_rule_and_file_and_the_summary() -> None:
    findings = [_finding(n, "a.cscfg") for n in range(5)] + [
        _finding(n, "b.cscfg") for n in range(2)
    ]
    result = RunResult(findings=findings, files=["a.cscfg", "b.cscfg"])
    fold(result, limit=2)
    assert [(f.location.path, f.message) for f in result.findings] == [
        ("a.cscfg", "finding 0"),
        ("a.cscfg", "finding 1"),
        ("b.cscfg", "finding 0"),
        ("b.cscfg", "finding 1"),
    ]
    assert [(f.rule_id, f.path, f.count) for f in result.folded] == [("CSM173", "a.cscfg", 3)]
    assert summarize(result).severities["warning"] == 7


@pytest.mark.slow
def test_a_5mb_cscfg_stays_bounded_in_all_six_formats(tmp_path: Path) -> None:
    """The default size cap is 5 MB: the worst case below it must stay under 500 MB."""
    cscfg = tmp_path / "big.cscfg"
    roles = (5 * 1024 * 1024 - 400) // len('  <Role name="r99999"><Instances count="1"/></Role>\n')
    _role_cscfg(cscfg, roles)
    assert cscfg.stat().st_size < 5 * 1024 * 1024
    formats = "text=o.txt,json=o.json,sarif=o.sarif,html=o.html,junit=o.xml,markdown=o.md"
    result = run_cli("lint", "big.cscfg", "--format", formats, cwd=tmp_path, timeout=120)
    result.assert_clean_exit(0, 1)
    assert result.max_rss_mb < 500, result.describe()
    total = sum((tmp_path / n).stat().st_size for n in ("o.txt", "o.json", "o.sarif", "o.html"))
    assert total < 5 * 1024 * 1024  # the listing is folded, not 100,000 findings long
