"""``csmlint import``: exit codes, messages, merging with an existing topology."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from asm_support import ACL, EXPORTS, RDP

from csmlint.cli import main
from csmlint.loaders.topology.document import validate_topology_document
from csmlint.model import SourceRef


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def _load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    validate_topology_document(doc, lambda p: SourceRef(str(path), None, None, p))
    return doc


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(EXPORTS, tmp_path / "exports")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_import_every_fixture_export(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["import", "exports", "-o", "out/estate.topology.json"], capsys)
    assert code == 0 and out == ""
    doc = _load(work / "out" / "estate.topology.json")
    assert len(doc["sources"]) == 23
    assert all(
        s["kind"] == "asm-xml" and s["file"].startswith("../exports/") for s in doc["sources"]
    )
    # Facts whose owner is in no export are notes, not failures.
    notes = sorted(
        line for line in err.splitlines() if ": note: " in line and "here, but" not in line
    )
    # two exports that disagree on a fact: the first is kept, and the note says so
    disagree = [line for line in err.splitlines() if " here, but an export read before " in line]
    assert any(
        line.startswith("exports/asm-list-virtual-network-sites.xml:")
        and "MyNetwork: affinityGroup is 'affinity1' here, but an export read before says ''"
        in line
        for line in disagree
    ), err
    # neither value is taken on trust: the fact stays unknown
    (mynetwork,) = [
        v
        for s in doc["subscriptions"]
        for v in s.get("virtualNetworks", [])
        if v["name"].lower() == "mynetwork"
    ]
    assert "affinityGroup" not in mynetwork
    assert [n.split(":")[0] for n in notes] == [
        "exports/asm-get-virtual-network-gateway.xml",
        "exports/asm-validate-deployment-migration-error.xml",
    ]
    assert notes[1].startswith("exports/asm-validate-deployment-migration-error.xml:1:1: note: ")
    subs = {s.get("id", ""): s for s in doc["subscriptions"]}
    names = sorted(cs["name"] for s in subs.values() for cs in s.get("cloudServices", []))
    assert names == ["CS3", "clitestvm8667", "dndintellij", "myasmvm", "myservice", "rdpexttest"]
    [rdp] = [
        cs for s in subs.values() for cs in s.get("cloudServices", []) if cs["name"] == "rdpexttest"
    ]
    assert rdp["deployments"][0]["cscfg"] == f"../exports/{RDP}"
    assert not list((work / "out").glob(".csmlint-*"))  # written atomically
    (summary,) = [line for line in err.splitlines() if line.startswith("imported: ")]
    vnets = sum(len(s.get("virtualNetworks", [])) for s in subs.values())
    assert summary.startswith(f"imported: {len(subs)} subscription(s)")
    assert f", 6 cloud service(s), {vnets} virtual network(s)," in summary
    assert summary.endswith(" -> out/estate.topology.json")


def test_import_to_standard_output(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["import", f"exports/{RDP}"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["sources"] == [{"id": "asm1", "kind": "asm-xml", "file": f"exports/{RDP}"}]


def test_unreadable_exports_fail_but_the_rest_is_written(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "bad.xml").write_text("<Deployment><Name>x</Deployment>\n")
    text = (EXPORTS / RDP).read_text()
    start = text.index("<Configuration>") + len("<Configuration>")
    (work / "partial.xml").write_text(text[:start] + "%%%" + text[text.index("</Configuration>") :])
    code, _, err = _run(
        ["import", "bad.xml", "partial.xml", f"exports/{ACL}", "-o", "t.topology.json"], capsys
    )
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith("bad.xml:1:") and "mismatch" in line.lower() for line in lines)
    column = text.index("<Configuration>") + 1
    assert f"partial.xml:1:{column}: deployment Configuration: not valid base64" in err
    doc = _load(work / "t.topology.json")
    names = sorted(cs["name"] for cs in doc["subscriptions"][0]["cloudServices"])
    assert names == ["dndintellij", "rdpexttest"]  # the partial export still counts
    assert [s["file"] for s in doc["sources"]] == ["partial.xml", f"exports/{ACL}"]


def test_missing_path_is_a_usage_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["import", "nowhere.xml", "-o", "t.json"], capsys)
    assert code == 2 and "nowhere.xml: no such file or directory" in err
    assert not (work / "t.json").exists()


def test_an_export_is_never_the_output(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """New-user check: 'import exp.xml -o exp.xml' was refused with a parse error of the
    export read as 'the topology to merge into'."""
    export = next((work / "exports").glob("*.xml"))
    before = export.read_bytes()
    code, _, err = _run(["import", "exports", "-o", f"exports/{export.name}"], capsys)
    assert code == 2 and "that is an export being imported" in err, err
    assert export.read_bytes() == before


def test_merge_keeps_user_facts_and_rebases_paths(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "topo").mkdir()
    user = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {
                "cloudServices": [
                    {
                        "name": "rdpexttest",
                        "deployments": [
                            {"slot": "production", "cscfg": "../src/Cloud.cscfg", "vnet": "v1"}
                        ],
                    }
                ]
            }
        ],
    }
    (work / "topo" / "user.topology.json").write_text(json.dumps(user))
    args = ["import", f"exports/{RDP}", "--merge", "topo/user.topology.json", "-o", "out.json"]
    code, _, _ = _run(args, capsys)
    assert code == 0
    [dep] = _load(work / "out.json")["subscriptions"][0]["cloudServices"][0]["deployments"]
    assert dep["cscfg"] == "src/Cloud.cscfg"  # the user's .cscfg wins, re-based on out.json
    assert dep["vnet"] == "v1" and dep["status"] == "running"


def test_reimport_refreshes_and_keeps_hand_written_facts(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["import", f"exports/{RDP}", f"exports/{ACL}", "-o", "estate.topology.json"]
    assert _run(args, capsys)[0] == 0
    path = work / "estate.topology.json"
    doc = _load(path)
    cs = next(c for c in doc["subscriptions"][0]["cloudServices"] if c["name"] == "rdpexttest")
    cs["deployments"][0]["inDefaultVnet"] = True  # completed by hand
    cs["deployments"][0]["status"] = "suspended"  # stale
    path.write_text(json.dumps(doc))
    export = work / "exports" / RDP
    export.chmod(0o644)
    export.write_text(export.read_text().replace(">Running<", ">RunningTransitioning<"))
    assert _run(args, capsys)[0] == 0  # -o exists: merged automatically
    again = _load(path)
    assert [s["id"] for s in again["sources"]] == ["asm1", "asm2"]
    cs = next(c for c in again["subscriptions"][0]["cloudServices"] if c["name"] == "rdpexttest")
    [dep] = cs["deployments"]
    assert dep["status"] == "runningtransitioning" and dep["inDefaultVnet"] is True


def test_invalid_topology_to_merge_into_is_a_usage_error(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "t.json").write_text('{"schema": "csmlint.topology/v1", "subscriptions": 3}')
    code, _, err = _run(["import", f"exports/{RDP}", "--merge", "t.json"], capsys)
    assert code == 2 and err.startswith("csmlint: error: t.json:1:")


def test_exports_outside_the_folder_are_named_at_import_and_lint(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "repo").mkdir()
    monkeypatch.chdir(work / "repo")
    code, _, err = _run(["import", f"../exports/{RDP}", "-o", "estate.topology.json"], capsys)
    assert code == 0, err
    assert f"../exports/{RDP}: note: its deployments' .cscfg is read from this export" in err
    code, out, _ = _run(["lint", ".", "-f", "json", "--fail-on", "never"], capsys)
    errors = [f for f in json.loads(out)["findings"] if f["ruleId"] == "CSM000"]
    assert [e["message"] for e in errors] == [
        f"Cannot lint this file: the deployment cscfg '../exports/{RDP}' is outside the "
        "working directory, so not read: name it among the paths to lint"
    ]
    code, out, _ = _run(["lint", ".", f"../exports/{RDP}", "-f", "json"], capsys)
    findings = json.loads(out)["findings"]
    assert not [f for f in findings if f["ruleId"] == "CSM000"]
    embedded = {f["ruleId"] for f in findings if f["location"].get("embeddedLine")}
    assert "CSM173" in embedded  # the export's .cscfg was read and linted


def test_when_no_export_can_be_read_nothing_is_written(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "empty.xml").write_text("")
    code, _, _ = _run(["import", f"exports/{RDP}", "-o", "keep.topology.json"], capsys)
    assert code == 0
    before = (work / "keep.topology.json").read_bytes()
    code, out, err = _run(["import", "empty.xml", "-o", "keep.topology.json"], capsys)
    assert code == 1 and out == ""
    assert "empty.xml" in err and "nothing imported" in err
    assert "(keep.topology.json left as it was)" in err
    assert (work / "keep.topology.json").read_bytes() == before  # not rewritten
    code, out, err = _run(["import", "empty.xml"], capsys)
    assert code == 1 and out == ""  # no empty document to redirect into a file
