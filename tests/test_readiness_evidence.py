"""A verdict is never better than the evidence: ``ready`` only when nothing that could still
block is undecided. A blocking check that cannot tell, a blocking rule left out of the run,
or an input that cannot be read makes it at best ``needs-attention``, unconfirmed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_main

from csmlint.engine import RunOptions, run
from csmlint.findings.summary import summarize

NORTHWIND = FIXTURES / "examples" / "northwind"
CSDEF = """<?xml version="1.0"?>
<ServiceDefinition name="shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
  <WebRole name="Web" vmsize="Standard_D2_v2" />
</ServiceDefinition>
"""


def _verdicts(paths: list[str], cwd: Path, **extra: object) -> dict[str, tuple[str, str]]:
    result, _ = run(RunOptions(paths=paths, cwd=str(cwd), **extra))  # type: ignore[arg-type]
    summary = summarize(result)
    out = {s.name: (s.readiness, summary.readiness_note(s)) for s in result.services}
    out.update({u.id: (u.readiness, summary.readiness_note(u)) for u in result.units})
    return out


def _estate(tmp_path: Path) -> Path:
    copy = tmp_path / "northwind"
    shutil.copytree(NORTHWIND, copy)
    return copy


def test_a_fully_described_service_is_ready(tmp_path: Path) -> None:
    verdicts = _verdicts(["."], _estate(tmp_path))
    assert verdicts["northwind-ops"] == ("ready", "")
    assert verdicts["vnet:northwind-ops-vnet"] == ("ready", "")


def test_a_blocking_rule_left_out_means_no_ready_verdict(tmp_path: Path) -> None:
    verdicts = _verdicts(["."], _estate(tmp_path), ignore=["CSM103"])
    readiness, note = verdicts["northwind-ops"]
    assert readiness == "needs-attention"
    assert "blocking rules not run" in note
    assert verdicts["vnet:northwind-ops-vnet"][0] == "needs-attention"
    assert verdicts["northwind-api"][0] == "blocked"  # nothing unknown makes it better


def test_an_unreadable_input_means_no_ready_verdict(tmp_path: Path) -> None:
    estate = _estate(tmp_path)
    (estate / "topology" / "broken.topology.json").write_text('{"schema": ', "utf-8")
    readiness, note = _verdicts(["."], estate)["northwind-ops"]
    assert (readiness, note) == ("needs-attention", "1 input file(s) could not be read")


def test_a_blocking_check_that_cannot_tell_means_no_ready_verdict(tmp_path: Path) -> None:
    (tmp_path / "ServiceDefinition.csdef").write_text(CSDEF, "utf-8")
    verdicts = _verdicts(["."], tmp_path)
    readiness, note = verdicts["shop"]
    assert readiness == "needs-attention"
    assert "blocking check(s) cannot tell" in note
    assert verdicts["cloudService:shop"][0] == "needs-attention"


def test_unnamed_services_keep_their_own_labels_in_the_unit_table(tmp_path: Path) -> None:
    """Two templates with no service name: each unit row names its own service (a cscfg-only
    one is not labelled with the other's .csdef), and the unit ids are visible, not empty."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "ServiceDefinition.csdef").write_text(CSDEF.replace('"shop"', '""'), "utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "ServiceConfiguration.Cloud.cscfg").write_text(
        '<ServiceConfiguration serviceName="" xmlns="http://schemas.microsoft.com/'
        'ServiceHosting/2008/10/ServiceConfiguration"><Role name="Web"><Instances count="2"/>'
        "</Role></ServiceConfiguration>",
        "utf-8",
    )
    result, _ = run(RunOptions(paths=["."], cwd=str(tmp_path)))
    by_unit = {s.unit: s.label for s in result.services}
    assert sorted(by_unit) == ["cloudService:(unnamed)", "cloudService:(unnamed)#2"]
    for unit in result.units:
        assert unit.service_labels == [by_unit[unit.id]]


def _cli_units(where: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[str, str]]:
    """Unit verdicts of ``csmlint lint . -f json`` in ``where`` (its .csmlint.yaml read)."""
    _, out, _ = run_main(where, capsys, "lint", ".", "-f", "json", "--fail-on", "never")
    return {u["id"]: (u["readiness"], u.get("unconfirmed") or "") for u in json.loads(out)["units"]}


def test_suppressed_blockers_are_accepted_not_fixed_so_the_unit_stays_blocked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """contoso is blocked (a gateway, a CIDR, a role without a subnet...). A suppression for
    a stated reason accepts a blocker (the exit code leaves it out) but does not fix it:
    Validate would still fail, so the verdict stays blocked and says how many of its
    blockers are suppressed, as a baselined blocker does."""
    estate = tmp_path / "contoso"
    shutil.copytree(FIXTURES / "examples" / "contoso", estate)
    assert _cli_units(estate, capsys)["vnet:contoso-vnet"][0] == "blocked"
    (estate / ".csmlint.yaml").write_text(
        "suppress:\n"
        "  - rules: [CSM103, CSM119, CSM130, CSM163, CSM182]\n"
        "    paths: ['**']\n"
        "    reason: removed in change CHG-1\n",
        "utf-8",
    )
    readiness, note = _cli_units(estate, capsys)["vnet:contoso-vnet"]
    assert (readiness, note) == ("blocked", "")
    code, out, _ = run_main(estate, capsys, "lint", ".", "-f", "json")
    assert code == 0  # accepted: nothing at or above --fail-on error is left
    (unit,) = [u for u in json.loads(out)["units"] if u["id"] == "vnet:contoso-vnet"]
    assert unit["suppressedBlockers"] == 3
    code, _, _ = run_main(estate, capsys, "lint", ".", "--fail-on", "blocked")
    assert code == 0
    # the plan has no step for them, but names each one with its reason
    _, out, _ = run_main(estate, capsys, "plan", ".", "-f", "json")
    (unit,) = [u for u in json.loads(out)["units"] if u["id"] == "vnet:contoso-vnet"]
    assert len(unit["suppressed"]) == 3 and not unit["blockers"]
    assert {b["justification"] for b in unit["suppressed"]} == {"removed in change CHG-1"}
    steps = {s["number"]: s for s in unit["steps"]}
    for b in unit["suppressed"]:  # accepted, not fixed: the step that resolves it stays
        assert b["step"] in steps and steps[b["step"]]["section"] == "prepare", b
    _, text, _ = run_main(estate, capsys, "plan", ".", "-f", "text")
    assert "Suppressed blockers (accepted, not fixed" in text
    assert "blocker(s) (+3 suppressed)" in text
    _, markdown, _ = run_main(estate, capsys, "plan", ".", "-f", "markdown")
    assert " | 0 (+3 suppressed) | " in markdown
    assert text.count("(suppressed: removed in change CHG-1; step ") == 3
    _, text, _ = run_main(estate, capsys, "lint", ".")  # the text report names them too
    assert "Suppressed blocking findings (-v lists every one):" in text
    assert re.search(
        r"^  vnet:contoso-vnet +blocked .*\(3 blocking finding\(s\) suppressed: accepted, not "
        r"fixed\)$",
        text,
        re.M,
    ), text
    assert text.count("(suppressed: removed in change CHG-1)") == 3


def test_a_suppressed_unreadable_input_is_still_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = _estate(tmp_path)
    (estate / "topology" / "broken.topology.json").write_text('{"schema": ', "utf-8")
    (estate / ".csmlint.yaml").write_text(
        "suppress:\n  - rules: [CSM000]\n    paths: ['**']\n    reason: known broken\n", "utf-8"
    )
    readiness, note = _cli_units(estate, capsys)["vnet:northwind-ops-vnet"]
    assert (readiness, note) == ("needs-attention", "1 input file(s) could not be read")


def test_leaving_out_a_note_of_the_blocker_category_leaves_verdicts_unconfirmed(
    tmp_path: Path,
) -> None:
    """CSM180/CSM182 are notes that say a blocker could not be decided: ignoring them must
    not turn "cannot tell" into ready."""
    verdicts = _verdicts(["."], _estate(tmp_path), ignore=["CSM180", "CSM182"])
    readiness, note = verdicts["northwind-ops"]
    assert readiness == "needs-attention"
    assert "2 of " in note and "blocking rules not run" in note


def _vnet(name: str, prefix: str) -> dict[str, object]:
    return {
        "name": name,
        "location": "West Europe",
        "addressSpace": [prefix],
        "subnets": [{"name": "web", "prefix": prefix}],
        "gateways": [],
        "peerings": [],
        "services": [],
    }


def test_the_vnet_a_disputing_cscfg_names_is_never_ready(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """While the topology puts the deployment in one VNet and its .cscfg names another
    (CSM184), the deployment may be in either: the VNet the .cscfg names is as far from
    ready as the service (blocked by the dispute), not Ready and first in run order with
    "no cloud service in the inputs migrates with it"."""
    estate = tmp_path / "disagree"
    shutil.copytree(FIXTURES / "rules" / "CSM184-vnet-sources-disagree" / "disagree", estate)
    topology = estate / "estate.topology.json"
    data = json.loads(topology.read_text("utf-8"))
    data["subscriptions"][0]["virtualNetworks"] = [
        _vnet("other-vnet", "10.1.0.0/16"),
        _vnet("shop-vnet", "10.2.0.0/16"),
        _vnet("quiet-vnet", "10.3.0.0/16"),
    ]
    topology.write_text(json.dumps(data), "utf-8")
    verdicts = _verdicts(["."], estate)
    assert verdicts["shop-prod"][0] == "blocked"
    assert verdicts["vnet:other-vnet"][0] == "blocked"
    assert verdicts["vnet:shop-vnet"][0] == "blocked"
    assert verdicts["vnet:quiet-vnet"][0] != "blocked"  # no dispute names it
    code, out, _ = run_main(estate, capsys, "lint", ".", "--format", "json")
    assert code == 0
    units = {u["id"]: u for u in json.loads(out)["units"]}
    assert units["vnet:shop-vnet"]["disputedBy"] == ["shop-prod"]
    assert units["vnet:other-vnet"]["disputedBy"] == []
    code, text, _ = run_main(estate, capsys, "lint", ".")
    assert code == 0
    assert re.search(
        r"^  vnet:shop-vnet +blocked +no cloud service in the inputs migrates with it; "
        r"the \.cscfg of shop-prod names it \(CSM184\)$",
        text,
        re.M,
    ), text
    code, out, _ = run_main(estate, capsys, "plan", ".", "--format", "json")
    assert code == 0
    plan = {u["id"]: u for u in json.loads(out)["units"]}
    own = [b for b in plan["vnet:other-vnet"]["blockers"] if b["ruleId"] == "CSM184"]
    borrowed = [b for b in plan["vnet:shop-vnet"]["blockers"] if b["ruleId"] == "CSM184"]
    assert plan["vnet:shop-vnet"]["readiness"] == "blocked"
    assert len(own) == len(borrowed) == 1 and own[0]["step"] is not None
    assert borrowed[0]["step"] == own[0]["step"]  # resolved by the step in the other unit
    assert borrowed[0]["step"].startswith(f"{plan['vnet:other-vnet']['number']}.")
    (settle,) = [s for s in plan["vnet:other-vnet"]["steps"] if s["number"] == own[0]["step"]]
    assert settle["downtime"] == "no"  # settling it is a look, whatever the fix turns out to be
    # the step that saves the configuration the migration wrote names the real file, and
    # writes beside it, never over it
    texts = [c["text"] for s in plan["vnet:other-vnet"]["steps"] for c in s["commands"]]
    saves = [t for t in texts if "Set-Content" in t]
    assert saves and all('-Path "ServiceConfiguration.Cloud.cscfg.migrated"' in t for t in saves)


def test_ready_says_which_warning_rules_it_leaves_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Leaving out rules that can only warn (what the migration drops) keeps a verdict
    ready, but the reports say what that ready does not cover."""
    estate = tmp_path / "alpineski"
    shutil.copytree(FIXTURES / "examples" / "alpineski", estate)
    code, out, _ = run_main(estate, capsys, "lint", ".", "--format", "json")
    full = json.loads(out)
    assert code == 0 and full["summary"]["warningRulesNotRun"] == []
    assert full["cloudServices"][0]["readiness"] == "needs-attention"  # autoscale dropped
    args = ("lint", ".", "--ignore", "CSM101,CSM102,CSM133")
    code, out, _ = run_main(estate, capsys, *args, "--format", "json")
    narrowed = json.loads(out)
    assert narrowed["cloudServices"][0]["readiness"] == "ready"
    assert narrowed["summary"]["warningRulesNotRun"] == ["CSM101", "CSM102", "CSM133"]
    _, text, _ = run_main(estate, capsys, *args)
    assert (
        "Ready leaves out 3 rules that can warn (--select/--ignore): CSM101, CSM102, CSM133; "
        "a ready verdict says nothing about what they check." in text
    )
    _, markdown, _ = run_main(estate, capsys, *args, "--format", "markdown")
    assert "Ready leaves out 3 rules that can warn" in markdown
    _, text, _ = run_main(estate, capsys, "lint", ".")
    assert "leaves out" not in text


def test_units_are_shown_with_the_name_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unit ids join case-insensitively (``vnet:alpineski-vnet``), but the tables show the
    name as the inputs write it: a lead copies it into a command."""
    estate = tmp_path / "alpineski"
    shutil.copytree(FIXTURES / "examples" / "alpineski", estate)
    for path in [*estate.rglob("*.cscfg"), *estate.rglob("*.json")]:
        path.write_text(path.read_text("utf-8").replace("alpineski-vnet", "AlpineSki-VNet"))
    code, text, _ = run_main(estate, capsys, "lint", ".")
    assert code == 0
    assert re.search(r"^  alpineski-web +\S+ +vnet:AlpineSki-VNet", text, re.M), text
    assert re.search(r"^  vnet:AlpineSki-VNet +\S+ +alpineski-web", text, re.M), text
    _, markdown, _ = run_main(estate, capsys, "lint", ".", "--format", "markdown")
    assert "| vnet:AlpineSki-VNet |" in markdown and "vnet:alpineski-vnet" not in markdown
    _, out, _ = run_main(estate, capsys, "lint", ".", "--format", "json")
    assert [u["id"] for u in json.loads(out)["units"]] == ["vnet:alpineski-vnet"]  # the key


def test_a_service_in_the_vnet_a_disputing_cscfg_names_is_blocked_with_it(tmp_path: Path) -> None:
    """Everything in a VNet migrates together: while a .cscfg puts its service into
    shop-vnet and the topology says otherwise, shop-vnet is blocked, and so is the other
    service in it (it read ready beside its blocked unit)."""
    estate = tmp_path / "disagree"
    shutil.copytree(FIXTURES / "rules" / "CSM184-vnet-sources-disagree" / "disagree", estate)
    topology = estate / "estate.topology.json"
    data = json.loads(topology.read_text("utf-8"))
    sub = data["subscriptions"][0]
    sub["virtualNetworks"] = [_vnet("other-vnet", "10.1.0.0/16"), _vnet("shop-vnet", "10.2.0.0/16")]
    sub["cloudServices"].append(
        {
            "name": "shop-api",
            "location": "West Europe",
            "deployments": [
                {"slot": "production", "name": "shop-api-1", "kind": "paas", "vnet": "shop-vnet"}
            ],
        }
    )
    topology.write_text(json.dumps(data), "utf-8")
    verdicts = _verdicts(["."], estate)
    assert verdicts["vnet:shop-vnet"][0] == "blocked"
    assert verdicts["shop-api"][0] == "blocked"


def _two_services(tmp_path: Path) -> Path:
    for name in ("orders", "billing"):
        folder = tmp_path / "repo" / name
        folder.mkdir(parents=True)
        for f in ("ServiceDefinition.csdef", "ServiceConfiguration.Cloud.cscfg"):
            text = (FIXTURES / "services" / "modern" / f).read_text("utf-8")
            (folder / f).write_text(text.replace("fabrikam-orders", f"fabrikam-{name}"), "utf-8")
    return tmp_path


def test_an_unreadable_service_file_leaves_only_its_own_service_unconfirmed(
    tmp_path: Path,
) -> None:
    root = _two_services(tmp_path)
    (root / "repo" / "orders" / "ServiceDefinition.csdef").write_text("<Service", "utf-8")
    result, _ = run(RunOptions(paths=["repo"], cwd=str(root), excerpts=False))
    by_name = {s.name: s for s in result.services}
    assert by_name["fabrikam-orders"].unread == 1
    assert by_name["fabrikam-billing"].unread == 0
    summary = summarize(result)
    assert "1 input file(s) could not be read" in summary.readiness_note(by_name["fabrikam-orders"])
    assert "could not be read" not in summary.readiness_note(by_name["fabrikam-billing"])
    [unit] = [u for u in result.units if "fabrikam-orders" in u.cloud_services]
    assert unit.unread == 1


def test_an_unreadable_network_configuration_leaves_what_may_be_in_a_vnet_unconfirmed(
    tmp_path: Path,
) -> None:
    """It bears on the VNets and on every service not known to be outside one: a service
    whose `.cscfg` names a VNet, and one with only a `.csdef` (its VNet is unknown), but
    not one whose `.cscfg` names none (classic PaaS joins a VNet only through it)."""
    root = _two_services(tmp_path)
    cscfg = root / "repo" / "orders" / "ServiceConfiguration.Cloud.cscfg"
    cscfg.write_text(
        cscfg.read_text("utf-8").replace(
            "</ServiceConfiguration>",
            '<NetworkConfiguration><VirtualNetworkSite name="shop-vnet" />'
            "</NetworkConfiguration></ServiceConfiguration>",
        ),
        "utf-8",
    )
    alone = root / "repo" / "alone"
    alone.mkdir()
    text = (FIXTURES / "services" / "modern" / "ServiceDefinition.csdef").read_text("utf-8")
    (alone / "ServiceDefinition.csdef").write_text(text.replace("fabrikam-orders", "solo"), "utf-8")
    (root / "repo" / "NetworkConfiguration.netcfg").write_text(
        '<NetworkConfiguration xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/'
        'NetworkConfiguration"><VirtualNetworkConfiguration>',
        "utf-8",
    )
    result, _ = run(RunOptions(paths=["repo"], cwd=str(root), excerpts=False))
    assert any(f.rule_id == "CSM000" for f in result.findings)
    unread = {s.name: s.unread for s in result.services}
    assert unread == {"fabrikam-orders": 1, "solo": 1, "fabrikam-billing": 0}
    by_name = {s.name: s for s in result.services}
    assert by_name["fabrikam-orders"].readiness != "ready"
    assert by_name["solo"].readiness != "ready"
    units = {u.id: u.unread for u in result.units}
    assert units["vnet:shop-vnet"] == 1
    assert units[by_name["fabrikam-billing"].unit] == 0


def test_a_service_file_named_as_a_topology_counts_for_every_verdict(tmp_path: Path) -> None:
    root = _two_services(tmp_path)
    csdef = "repo/orders/estate.json"  # a service file saved under a topology's name
    (root / csdef).write_bytes((root / "repo/orders/ServiceDefinition.csdef").read_bytes())
    result, _ = run(
        RunOptions(paths=["repo/billing"], topology=[csdef], cwd=str(root), excerpts=False)
    )
    assert any(f.rule_id == "CSM000" and f.location.path == csdef for f in result.findings)
    assert [(s.name, s.unread) for s in result.services] == [("fabrikam-billing", 1)]
