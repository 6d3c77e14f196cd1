"""SARIF output: schema validity, what GitHub code scanning needs, URIs, limits, escaping."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, shared_path
from snapshots import ESTATE, reference_context, reference_run

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import Finding, Remediation, ReportContext, RunResult
from csmlint.model.location import SourceRef, root_relative
from csmlint.reporting import sarif
from csmlint.reporting.uris import to_uri

SCHEMA = FIXTURES / "schemas" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
HOSTILE = FIXTURES / "hostile" / "html"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _no_constants(name: str) -> None:
    raise ValueError(f"non-finite number {name} in SARIF")


def check_sarif(text: str) -> dict[str, Any]:
    """Parse strictly, validate against the OASIS schema and against what GitHub requires."""
    log: dict[str, Any] = json.loads(text, parse_constant=_no_constants)
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    assert text.isascii()
    assert log["$schema"] and log["version"] == "2.1.0"
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids)), "rules must be unique and sorted"
    for r in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            assert r[key]["text"].strip(), f"{r['id']}: empty {key}"
        assert len(r["properties"]["tags"]) <= 20
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(run_["results"]) <= 25_000
    for res in run_["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"].strip()
        for loc in res.get("locations", []):
            phys = loc.get("physicalLocation")
            # GitHub rejects the whole upload when one result has no artifact location.
            assert phys and phys["artifactLocation"]["uri"], res
            uri = phys["artifactLocation"]["uri"]
            if uri.startswith("file:///"):  # a file outside the source root
                assert "uriBaseId" not in phys["artifactLocation"]
                assert res["properties"]["locationNote"]
            else:
                assert phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
                assert "\\" not in uri and not uri.startswith("/") and ":" not in uri
                assert ".." not in uri.split("/") and uri == uri.strip()
        assert res["partialFingerprints"]["csmlint/v1"]
    return log


def _render(result: RunResult, rules: list[Any], **ctx: Any) -> dict[str, Any]:
    return check_sarif(sarif.render(result, rules, reference_context(**ctx)))


def test_schema_copy_is_the_official_one() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_reference_estate_sarif() -> None:
    result, rules = reference_run()
    log = _render(result, rules)
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "csmlint"
    assert {r["id"] for r in driver["rules"]} == {r.id for r in rules}
    assert run_["automationDetails"]["id"] == "csmlint/"
    assert "%SRCROOT%" in run_["originalUriBaseIds"]
    assert run_["invocations"][0]["executionSuccessful"] is True
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]
    }
    assert "src/Fabrikam%20Reports/ServiceDefinition.csdef" in uris
    suppressed = {
        r["ruleId"]: r["suppressions"][0] for r in run_["results"] if r.get("suppressions")
    }
    assert suppressed["CSM127"]["kind"] == "inSource"
    assert "ADR-12" in suppressed["CSM127"]["justification"]
    assert suppressed["CSM174"]["kind"] == "external"
    first = run_["results"][0]
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]


def test_rule_help_has_remediation_commands_and_no_template_syntax() -> None:
    result, rules = reference_run()
    log = _render(result, rules)
    by_id = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    rule = by_id["CSM127"]
    assert rule["shortDescription"]["text"] == next(r.title for r in rules if r.id == "CSM127")
    assert "Get-AzComputeResourceSku" in rule["help"]["text"]
    assert "<pre><code>" in rule["help"]["markdown"]
    assert "{{" not in rule["help"]["text"] and "{{" not in rule["help"]["markdown"]
    assert rule["helpUri"].startswith("https://")
    props = rule["properties"]
    assert props["category"] == "post-migration" and props["migration"] == "cs-es"
    assert props["precision"] == "high"


def test_every_corpus_file_gives_valid_sarif() -> None:
    real = shared_path("corpus", "real")
    result, rules = run(RunOptions(paths=["."], cwd=str(real)))
    assert result.findings, "the real corpus should produce findings"
    log = _render(result, rules, cwd=str(real), source_root=str(real))
    assert len(log["runs"][0]["results"]) == len(result.findings)


@pytest.mark.parametrize("folder", ["xml", "html", "json", "yaml"])
def test_hostile_corpus_gives_valid_sarif(folder: str) -> None:
    hostile = shared_path("corpus", "hostile", folder)
    result, rules = run(RunOptions(paths=["."], cwd=str(hostile)))
    _render(result, rules, cwd=str(hostile), source_root=str(hostile))


def test_hostile_names_stay_inert_text() -> None:
    result, rules = run(
        RunOptions(
            paths=["script_in_setting_name.cscfg"],
            rules=[str(HOSTILE / "echo-pack")],
            cwd=str(HOSTILE),
        )
    )
    text = sarif.render(result, rules, reference_context(cwd=str(HOSTILE), source_root=None))
    log = check_sarif(text)
    for raw in ("<script", "<img", "<svg", "</script"):
        assert raw not in text
    messages = " ".join(r["message"]["text"] for r in log["runs"][0]["results"])
    assert "<script>alert(document.domain)</script>" in messages  # data kept, as JSON text
    assert "\u202e" not in messages and "\\u202e" in messages  # bidi override made visible
    echo = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "CSM990")
    assert "<script" not in echo["help"]["markdown"]
    assert "helpUri" not in echo or '"' not in echo["helpUri"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("roles/Web Role#1/x.cscfg", "roles/Web%20Role%231/x.cscfg"),
        ("src\\Web Role\\a.cscfg", "src%5CWeb%20Role%5Ca.cscfg"),  # POSIX: one name
        ("100%/a b.cscfg", "100%25/a%20b.cscfg"),
        ("C:x/a.cscfg", "C%3Ax/a.cscfg"),
        ("c:/a.cscfg", "c%3A/a.cscfg"),
        ("d/ü€.cscfg", "d/%C3%BC%E2%82%AC.cscfg"),
        ("d/bad\\xffname.cscfg", "d/bad%FFname.cscfg"),  # a byte that is not UTF-8
        ("cr\rname.cscfg", "cr%0Dname.cscfg"),
        ("./a/../b.csdef", "b.csdef"),
    ],
)
def test_uris_are_relative_encoded_references_of_posix_paths(path: str, expected: str) -> None:
    rel = root_relative(path, "/repo", "/repo", windows=False)
    assert rel is not None
    assert to_uri(rel) == expected


def test_windows_paths_keep_their_separators_and_drives() -> None:
    assert root_relative("src\\Web Role\\a.cscfg", "C:/repo", "C:/repo", windows=True) == (
        "src/Web Role/a.cscfg"
    )


@pytest.mark.parametrize(
    ("path", "cwd", "root", "expected"),
    [
        ("a/b.cscfg", "/repo/sub", "/repo", "sub/a/b.cscfg"),
        ("/repo/x/y.csdef", "/elsewhere", "/repo", "x/y.csdef"),
        ("../b.cscfg", "/repo/sub", "/repo", "b.cscfg"),
        ("../../b.cscfg", "/repo/sub", "/repo", None),
        ("/etc/hostname", "/repo", "/repo", None),
        ("D:/other/a.cscfg", "C:/repo", "C:/repo", None),
        ("a.cscfg", "C:/repo/sub", "c:/repo", "sub/a.cscfg"),
        ("/abs/a.cscfg", None, None, None),
        ("a.cscfg", None, None, "a.cscfg"),
    ],
)
def test_root_relative_on_windows(
    path: str, cwd: str | None, root: str | None, expected: str | None
) -> None:
    assert root_relative(path, cwd, root, windows=True) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a\\b.cscfg", "a\\b.cscfg"),
        ("c:x.cscfg", "c:x.cscfg"),
        ("sub/../c:/x.cscfg", "c:/x.cscfg"),
    ],
)
def test_root_relative_on_posix_keeps_backslashes_and_colons(path: str, expected: str) -> None:
    assert root_relative(path, "/repo", "/repo", windows=False) == expected


def _finding(n: int, severity: str = "warning", path: str = "a.cscfg", **kw: Any) -> Finding:
    return Finding(
        rule_id=kw.pop("rule_id", "CSM127"),
        rule_name="legacy-role-size",
        severity=severity,  # type: ignore[arg-type]
        category=kw.pop("category", "post-migration"),
        migration="cs-es",
        message=f"finding {n}",
        location=SourceRef(path, n + 1, 3),
        remediation=Remediation("fix it", ("Do-Thing",)),
        entity_key=f"Role[@name='r{n}']",
        fingerprint=f"{n:032x}",
        **kw,
    )


def test_files_outside_the_root_get_absolute_file_uris_and_say_so() -> None:
    inside = _finding(1, path="src/a.cscfg")
    outside = _finding(2, path="/elsewhere/Web Role/b.cscfg")
    beside = _finding(4, path="../shared/c.cscfg")
    result = RunResult(findings=[inside, outside, beside], files=[])
    log = _render(result, [], cwd="/repo/deploy", source_root="/repo/deploy")
    (run_,) = log["runs"]
    by_msg = {r["message"]["text"]: r for r in run_["results"]}
    uris = {
        m: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for m, r in by_msg.items()
    }
    assert uris == {
        "finding 1": "src/a.cscfg",
        "finding 2": "file:///elsewhere/Web%20Role/b.cscfg",
        "finding 4": "file:///repo/shared/c.cscfg",
    }
    assert "outside the source root" in by_msg["finding 2"]["properties"]["locationNote"]
    assert "locationNote" not in by_msg["finding 1"]["properties"]
    notes = [n["message"]["text"] for n in run_["invocations"][0]["toolExecutionNotifications"]]
    assert any("2 file(s)" in n and n.endswith(": c.cscfg, b.cscfg") for n in notes)


def test_the_outside_files_notification_names_ten_at_most() -> None:
    findings = [_finding(i, path=f"/elsewhere/f{i:02}.cscfg") for i in range(25)]
    log = _render(RunResult(findings=findings, files=[]), [], cwd="/repo", source_root="/repo")
    notes = [
        n["message"]["text"] for n in log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    ]
    (note,) = [n for n in notes if "outside the source root" in n]
    assert note.endswith(
        "f00.cscfg, f01.cscfg, f02.cscfg, f03.cscfg, f04.cscfg, f05.cscfg, "
        "f06.cscfg, f07.cscfg, f08.cscfg, f09.cscfg and 15 more"
    )


def test_results_are_capped_most_severe_first_with_a_notification() -> None:
    findings = [_finding(i, "note") for i in range(20)]
    findings += [_finding(100 + i, "error", category="blocker") for i in range(5)]
    findings += [_finding(200 + i, "warning") for i in range(5)]
    findings[0].suppression = None
    result = RunResult(findings=sorted(findings, key=Finding.sort_key), files=[])
    log = _render(result, [], max_results=8)
    (run_,) = log["runs"]
    levels = [r["level"] for r in run_["results"]]
    assert len(levels) == 8
    assert levels.count("error") == 5 and levels.count("warning") == 3
    assert run_["properties"]["resultsOmitted"] == 22
    assert run_["properties"]["resultsTotal"] == 30
    (note,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and "leaves out 22" in note["message"]["text"]


def test_thirty_thousand_findings_stay_under_githubs_limit() -> None:
    findings = [_finding(i, "note" if i % 3 else "error") for i in range(30_000)]
    result = RunResult(findings=findings, files=[])
    log = json.loads(sarif.render(result, [], ReportContext(version="0")))
    (run_,) = log["runs"]
    assert len(run_["results"]) == 25_000
    assert sum(r["level"] == "error" for r in run_["results"]) == 10_000


def test_a_result_never_points_at_a_missing_rule() -> None:
    result = RunResult(findings=[_finding(1, rule_id="CSM999")], files=[])
    log = _render(result, [])
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "CSM999"


def test_automation_id_and_category() -> None:
    assert sarif.automation_id("csmlint/") == "csmlint/"
    assert sarif.automation_id("cs-es") == "cs-es/"
    assert sarif.automation_id("csmlint/cs-es/run-1") == "csmlint/cs-es/run-1"
    assert sarif.automation_id("  ") == "csmlint/"


def test_non_finite_and_surrogates_never_reach_the_output() -> None:
    f = _finding(1)
    f.message = "lone \ud800 surrogate and ESC \x1b[31m"
    log = _render(RunResult(findings=[f], files=[]), [])
    text = log["runs"][0]["results"][0]["message"]["text"]
    assert "\ud800" not in text and "\ufffd" in text and "\x1b" not in text


def test_estate_is_where_the_snapshots_say() -> None:
    assert (ESTATE / "network" / "NetworkConfig.netcfg").is_file()


def _fingerprints(folder: Path) -> dict[tuple[str, str], tuple[str, int]]:
    result, rules = run(RunOptions(paths=["."], cwd=str(folder)))
    log = check_sarif(sarif.render(result, rules, ReportContext(version="0", cwd=str(folder))))
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for r in log["runs"][0]["results"]:
        loc = r["locations"][0]
        key = (r["ruleId"], loc["logicalLocations"][0]["fullyQualifiedName"])
        assert key not in out
        line = loc["physicalLocation"]["region"]["startLine"]
        out[key] = (r["partialFingerprints"]["csmlint/v1"], line)
    return out


def _copy_estate(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "estate"
    shutil.copytree(ESTATE, target)
    return target


def test_fingerprints_survive_inserted_lines_and_follow_the_entity(tmp_path: Path) -> None:
    estate = _copy_estate(tmp_path)
    before = _fingerprints(estate)
    assert before
    for path in sorted(estate.rglob("*.cs*")) + sorted(estate.rglob("*.netcfg")):
        text = path.read_text(encoding="utf-8")
        head, sep, rest = text.partition("?>\n")
        padding = "\n\n<!-- reviewed in the migration workshop -->\n\n<!-- owner: platform -->\n"
        path.write_text(head + sep + padding + rest, encoding="utf-8")
    after = _fingerprints(estate)
    assert after.keys() == before.keys()
    for key, (fingerprint, line) in before.items():
        assert after[key][0] == fingerprint, f"{key} changed fingerprint after blank lines"
        assert after[key][1] == line + 5, f"{key} should have moved down 5 lines"

    # rename the role a finding is about: that finding's fingerprint changes, others do not
    cscfg = estate / "src" / "Fabrikam.Shop" / "ServiceConfiguration.Cloud.cscfg"
    csdef = estate / "src" / "Fabrikam.Shop" / "ServiceDefinition.csdef"
    for path in (cscfg, csdef):
        path.write_text(
            path.read_text(encoding="utf-8").replace("OrderWorker", "FulfilmentWorker"),
            encoding="utf-8",
        )
    renamed = _fingerprints(estate)
    moved = {k for k in before if "OrderWorker" in k[1]}
    assert moved, "the estate should have a finding on the OrderWorker role"
    for key in moved:
        new_key = (key[0], key[1].replace("OrderWorker", "FulfilmentWorker"))
        assert renamed[new_key][0] != before[key][0]
    for key in before.keys() - moved:
        if key in renamed:
            assert renamed[key][0] == before[key][0], f"{key} changed without being touched"
