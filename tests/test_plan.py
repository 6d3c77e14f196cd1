"""`csmlint plan` on example estates (issue 12, item 1).

``fixtures/plan/fabrikam``: fabrikam-vnet has a VPN gateway and a peering and holds
fabrikam-web (production and staging) and fabrikam-api; fabrikam-jobs runs outside any VNet;
fabrikam-ops-vnet holds VM fabops01, whose disk lives in storage account fabrikamopsvhds; the
migration provider is not registered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, run_main

from csmlint.engine import RunOptions, run_with_estate
from csmlint.migration.plan import build_plan
from csmlint.migration.plan.model import Plan, Step, UnitPlan
from csmlint.migration.plan.render import as_dict, to_html, to_markdown

ESTATE = FIXTURES / "plan" / "fabrikam"
TOPOLOGY = ESTATE / "fabrikam.topology.json"
SCHEMA = json.loads(
    resources.files("csmlint.schemas").joinpath("plan.schema.json").read_text("utf-8")
)


def _plan(path: Path, cwd: Path = ROOT) -> Plan:
    from csmlint.rulepack.loader import load_rules

    rules = load_rules()
    result, _, estate = run_with_estate(RunOptions(paths=[str(path)], cwd=str(cwd)), rules)
    return build_plan(result, rules, estate, "test")


@pytest.fixture(scope="module")
def plan() -> Plan:
    return _plan(ESTATE)


def _unit(plan: Plan, uid: str) -> UnitPlan:
    return next(u for u in plan.units if u.id == uid)


# What a step is, for the dependency table: a rule it resolves before the migration, a
# platform step, or any step after Commit.
Matcher = Callable[[Step], bool]


def _fixes(rule_id: str) -> Matcher:
    return lambda s: s.section == "prepare" and any(r.rule_id == rule_id for r in s.resolves)


def _platform(phase: str) -> Matcher:
    return lambda s: s.section == "migrate" and s.phase == phase


def _after(s: Step) -> bool:
    return s.section == "after"


DEPENDENCIES: list[tuple[str, Matcher, str, Matcher]] = [
    ("register the provider", _fixes("CSM166"), "delete the peering", _fixes("CSM108")),
    ("register the provider", _fixes("CSM166"), "remove the gateway", _fixes("CSM103")),
    ("register the provider", _fixes("CSM166"), "delete staging", _fixes("CSM118")),
    ("delete the peering", _fixes("CSM108"), "Validate", _platform("validate")),
    ("remove the gateway", _fixes("CSM103"), "Validate", _platform("validate")),
    ("delete staging", _fixes("CSM118"), "Validate", _platform("validate")),
    ("Validate", _platform("validate"), "Prepare", _platform("prepare")),
    ("Prepare", _platform("prepare"), "check", _platform("check")),
    ("check", _platform("check"), "Commit", _platform("commit")),
    ("check", _platform("check"), "Abort", _platform("abort")),
    ("Commit", _platform("commit"), "after Commit", _after),
]
"""(earlier, matcher, later, matcher): every step matching the first comes before every
step matching the second."""


def _positions(unit: UnitPlan, match: Matcher) -> list[int]:
    return [i for i, s in enumerate(unit.steps) if match(s)]


def test_vnet_unit_steps_follow_the_dependency_table(plan: Plan) -> None:
    unit = _unit(plan, "vnet:fabrikam-vnet")
    for first, is_first, then, is_then in DEPENDENCIES:
        early, late = _positions(unit, is_first), _positions(unit, is_then)
        assert early, f"no step to {first}"
        assert late, f"no step to {then}"
        assert max(early) < min(late), f"{first} must come before {then}"


def test_every_unit_runs_the_platform_steps_in_order(plan: Plan) -> None:
    for unit in plan.units:
        phases = [s.phase for s in unit.steps if s.section == "migrate"]
        assert phases == ["validate", "prepare", "check", "commit", "abort"], unit.id
        sections = [s.section for s in unit.steps]
        assert sections == sorted(sections, key=["prepare", "migrate", "after"].index), unit.id


def test_downtime_is_stated_per_step(plan: Plan) -> None:
    unit = _unit(plan, "vnet:fabrikam-vnet")
    by_rule = {r.rule_id: s for s in unit.steps if s.section == "prepare" for r in s.resolves}
    assert by_rule["CSM108"].downtime == "yes"  # traffic over the peering stops
    assert by_rule["CSM103"].downtime == "yes"  # the site-to-site connection goes
    assert by_rule["CSM166"].downtime == "no"
    assert by_rule["CSM118"].downtime == "no"  # only the staging slot goes


def test_storage_account_runs_after_the_vms_that_use_it(plan: Plan) -> None:
    storage = _unit(plan, "storage:fabrikamopsvhds")
    ops = _unit(plan, "vnet:fabrikam-ops-vnet")
    assert storage.after_units == ["vnet:fabrikam-ops-vnet"]
    assert storage.order > ops.order
    assert storage.steps[0].id == "storage:fabrikamopsvhds/prepare/after-units"
    assert "commit virtual network 'fabrikam-ops-vnet'" in storage.steps[0].detail


def _commands(unit: UnitPlan, match: Matcher) -> list[str]:
    return [c.text for s in unit.steps if match(s) for c in s.commands]


def test_commands_carry_the_real_names(plan: Plan) -> None:
    vnet = _unit(plan, "vnet:fabrikam-vnet")
    assert _commands(vnet, _platform("validate")) == [
        'Move-AzureVirtualNetwork -Validate -VirtualNetworkName "fabrikam-vnet"',
        'azure network vnet validate-migration "fabrikam-vnet"',
    ]
    assert 'Move-AzureVirtualNetwork -Abort -VirtualNetworkName "fabrikam-vnet"' in _commands(
        vnet, _platform("abort")
    )
    staging = _commands(vnet, _fixes("CSM118"))
    assert 'Remove-AzureDeployment -ServiceName "fabrikam-web" -Slot Staging' in staging
    assert not any("fabrikam-api" in c for c in staging)  # the one-slot service is left alone
    peering = _commands(vnet, _fixes("CSM108"))
    assert any(
        c.startswith("Remove-AzVirtualNetworkPeering") and "fabrikam-hub" in c for c in peering
    )
    jobs = _unit(plan, "cloudService:fabrikam-jobs")
    # fabrikam-jobs is in no VNet: its fix may put a new deployment into production (upload
    # to staging, swap), so PowerShell reads the name from the slot; the CLI keeps the name
    # and the Validate step says when to replace it
    assert _commands(jobs, _platform("commit")) == [
        'Move-AzureService -Commit -ServiceName "fabrikam-jobs" -DeploymentName '
        '(Get-AzureDeployment -ServiceName "fabrikam-jobs" -Slot Production).DeploymentName',
        'azure service deployment commit-migration "fabrikam-jobs" "fabrikam-jobs-prod-3"',
    ]
    validate = next(s for s in jobs.steps if s.phase == "validate")
    assert 'replace "fabrikam-jobs-prod-3" with the name Get-AzureDeployment' in validate.detail
    storage = _unit(plan, "storage:fabrikamopsvhds")
    assert _commands(storage, _platform("prepare")) == [
        'Move-AzureStorageAccount -Prepare -StorageAccountName "fabrikamopsvhds"',
        'azure storage account prepare-migration "fabrikamopsvhds"',
    ]


KNOWN_NAMES = {
    "fabrikam-vnet",
    "fabrikam-ops-vnet",
    "fabrikam-web",
    "fabrikam-api",
    "fabrikam-jobs",
    "fabrikam-ops",
    "fabrikam-jobs-prod-3",
    "fabops01",
    "fabrikamopsvhds",
    "fabrikam-hub",  # the ARM VNet of the peering (from its remote id)
    "fabrikam-hq",  # the VPN gateway's local network site
}
DERIVED = re.compile(
    r"-(?:migrated|gw-pip|gw|before-gateway-removal\.netcfg|(?:staging|production|old-production|migrated)\.cscfg"
    r"|(?:autoscale|alerts|vm-alerts|jit-policies|replication)(?:\.json)?)$",
    re.I,
)
NAME_LIKE = re.compile(r"fab[a-z0-9]*(?:-[a-z0-9.]+)*", re.I)


def _known(token: str) -> bool:
    pieces = token.split("-to-")
    return all(DERIVED.sub("", DERIVED.sub("", p)) in KNOWN_NAMES for p in pieces)


def test_no_command_invents_a_name(plan: Plan) -> None:
    """Every name-like word in every command is a name of the estate (or what the migration
    derives from it: ``<name>-migrated``); other examples' names never leak in; what is not
    known is a visible ``<placeholder>``."""
    texts = [c.text for u in plan.units for s in u.steps for c in s.commands]
    assert texts
    for text in texts:
        for token in NAME_LIKE.findall(text):
            assert _known(token), f"{token!r} in {text!r}"
        assert not re.search(r"contoso|northwind|adventure|tailspin", text, re.I), text
        for quoted in re.findall(r'"([^"]*)"', text):
            if "<" in quoted:
                assert re.search(r"<[^<>]+>", quoted), quoted


def test_blocked_units_come_first_with_their_blockers_at_the_top(tmp_path: Path) -> None:
    doc = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    doc["subscriptions"][0]["providers"][0]["registrationState"] = "Registered"
    target = tmp_path / "estate.topology.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    plan = _plan(target, tmp_path)
    states = [u.readiness for u in plan.units]
    assert "blocked" in states and states[-1] != "blocked"
    assert states == sorted(states, key=["blocked", "needs-attention", "ready"].index)
    vnet = _unit(plan, "vnet:fabrikam-vnet")
    assert [b.rule_id for b in vnet.blockers] == ["CSM118", "CSM103", "CSM108"]  # step order
    assert all(b.step for b in vnet.blockers)  # each names the step that resolves it
    text = to_markdown(plan)
    section = text[text.index("virtual network fabrikam-vnet (Blocked)") :]
    assert section.index("**Blockers**") < section.index("### Before the migration")
    assert section.index("### Before the migration") < section.index("### The platform migration")
    assert "Move-AzureVirtualNetwork -Commit" in section  # the plan is shown anyway
    ops = _unit(plan, "vnet:fabrikam-ops-vnet")
    assert ops.readiness != "blocked" and not ops.blockers


def test_subscription_blocker_is_resolved_in_every_unit_of_the_subscription(plan: Plan) -> None:
    for unit in plan.units:
        assert unit.steps[0 if not unit.after_units else 1].phase == "register-providers"
        assert "CSM166" in [b.rule_id for b in unit.blockers]


def test_after_commit_covers_cscfg_key_vault_dropped_settings_and_resource_groups(
    plan: Plan,
) -> None:
    vnet = _unit(plan, "vnet:fabrikam-vnet")
    after = {s.id: s for s in vnet.steps if s.section == "after"}
    assert "vnet:fabrikam-vnet/after/cscfg-vnet-id/fabrikam-web" in after
    assert "vnet:fabrikam-vnet/after/cscfg-vnet-id/fabrikam-api" in after
    dropped = after["vnet:fabrikam-vnet/after/recreate-dropped"]
    assert (
        "/resourceGroups/fabrikam-web-migrated/providers/Microsoft.Compute/cloudServices/fabrikam-web"
        in dropped.detail
    )
    assert {r.rule_id for s in after.values() for r in s.resolves} >= {"CSM101", "CSM102"}
    groups = _commands(vnet, lambda s: s.id.endswith("/after/resource-groups"))
    assert 'Get-AzResourceGroup -Name "fabrikam-vnet-migrated"' in groups
    contoso = _plan(FIXTURES / "examples" / "contoso")
    key_vault = [
        s
        for u in contoso.units
        for s in u.steps
        if s.section == "after" and any(r.rule_id == "CSM174" for r in s.resolves)
    ]
    assert key_vault and any("Set-AzKeyVaultAccessPolicy" in c.text for c in key_vault[0].commands)


def test_check_and_abort_say_what_the_lock_allows(plan: Plan) -> None:
    unit = _unit(plan, "vnet:fabrikam-vnet")
    steps = {s.phase: s for s in unit.steps if s.section == "migrate"}
    assert "Reads keep working" in steps["prepare"].detail
    assert "OperationNotAllowed" in steps["prepare"].detail
    assert "fabrikam-vnet-migrated" in steps["check"].detail
    assert "never once a Commit was tried" in steps["abort"].detail


def test_every_step_cites_public_documents(plan: Plan) -> None:
    for unit in plan.units:
        for step in unit.steps:
            if step.phase == "after-other-units" or step.resolves or step.section != "prepare":
                assert step.references, step.id
            for ref in step.references:
                assert ref.url.startswith("https://learn.microsoft.com/"), ref
                assert not re.search(r"\d{3}_[0-9a-f]{16}|seed", ref.title + ref.url, re.I)


def test_json_validates_and_step_ids_are_stable(plan: Plan, tmp_path: Path) -> None:
    doc = as_dict(plan)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    again = as_dict(_plan(ESTATE))
    assert doc == again
    ids = [s["id"] for u in doc["units"] for s in u["steps"]]
    assert len(ids) == len(set(ids))
    numbers = [s["number"] for u in doc["units"] for s in u["steps"]]
    assert numbers[:3] == ["1.1", "1.2", "1.3"]


def test_schema_command_prints_the_plan_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_main(ROOT, capsys, "schema", "plan")
    assert code == 0 and json.loads(out) == SCHEMA


def test_cli_writes_markdown_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "out" / "plan.json"
    code, out, err = run_main(
        ROOT, capsys, "plan", str(ESTATE), "-f", "markdown", "-f", f"json={out_file}"
    )
    assert code == 0, err
    assert out.startswith("# Migration plan")
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert doc["units"][0]["id"] == "cloudService:fabrikam-jobs"


def test_cli_rejects_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(ROOT, capsys, "plan", str(ESTATE), "-f", "sarif")
    assert code == 2
    assert "unknown format 'sarif'" in err and "Traceback" not in err


HOSTILE = "evil<script>alert(1)</script>|*x*[y](z)"


def _hostile_plan(tmp_path: Path) -> Plan:
    doc = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    sub = doc["subscriptions"][0]
    sub["virtualNetworks"][0]["name"] = HOSTILE
    for cs in sub["cloudServices"]:
        for dep in cs["deployments"]:
            if dep["vnet"] == "fabrikam-vnet":
                dep["vnet"] = HOSTILE
    target = tmp_path / "estate.topology.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    return _plan(target, tmp_path)


def test_markdown_and_html_are_escaped(tmp_path: Path) -> None:
    plan = _hostile_plan(tmp_path)
    assert any(u.name == HOSTILE for u in plan.units)
    markdown = to_markdown(plan)
    assert "<script>" not in markdown
    assert "evil&lt;script&gt;" in markdown
    prose = re.sub(r"<pre><code>.*?</code></pre>", "", markdown, flags=re.S)
    assert "[y](z)" not in prose and "|*x*" not in prose  # no link, emphasis or cell break
    page = to_html(plan)
    assert page.count("<script>") == 1  # csmlint's own, the Copy buttons (CSP-hashed)
    assert "alert(1)</script>" not in page and "alert(1)" not in page.split("<script>")[1]
    assert "evil&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page


def test_html_has_the_look_of_the_lint_report(plan: Plan) -> None:
    from csmlint.reporting.html import inline_hashes

    page = to_html(plan)
    style = inline_hashes()["style"].replace("'", "&#39;")
    assert f"style-src {style};" in page  # the lint report's stylesheet, by its hash
    assert 'class="card s-blocked"' in page
    assert page.index("Blockers") < page.index("Before the migration")
    assert 'href="https://learn.microsoft.com/' in page


def _walk(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _walk(v)]
    if isinstance(value, list):
        return [s for v in value for s in _walk(v)]
    return [value] if isinstance(value, str) else []


def test_user_facing_text_names_no_internal_file(plan: Plan) -> None:
    for text in _walk(as_dict(plan)):
        assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt|rules-catalog", text), text


EXAMPLES = sorted(p.name for p in (FIXTURES / "examples").iterdir() if p.is_dir())


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_estate_gets_a_valid_plan(name: str) -> None:
    plan = _plan(FIXTURES / "examples" / name)
    jsonschema.Draft202012Validator(SCHEMA).validate(as_dict(plan))
    assert plan.units
    for unit in plan.units:
        migrate = [s.phase for s in unit.steps if s.section == "migrate"]
        assert not migrate or migrate[0] == "validate"  # none: nothing to migrate (CSM121)
        for step in unit.steps:
            for command in step.commands:
                assert "{{" not in command.text and "None" not in command.text, command.text
                assert not re.search(r'""\s', command.text.replace('new "" "" ""', "")), command


def test_a_prepared_unit_is_finished_first_by_commit_or_abort() -> None:
    plan = _plan(FIXTURES / "examples" / "lamna")
    unit = _unit(plan, "vnet:lamna-vnet")
    first = unit.steps[0]
    assert first.phase == "finish-open-migration"
    assert [b.step for b in unit.blockers] == [first.number] * len(unit.blockers)
    texts = [c.text for c in first.commands]
    assert 'Move-AzureVirtualNetwork -Commit -VirtualNetworkName "lamna-vnet"' in texts
    assert 'Move-AzureVirtualNetwork -Abort -VirtualNetworkName "lamna-vnet"' in texts
    assert "follow the plan from Validate" in first.detail


@pytest.mark.parametrize(
    "estate",
    [ESTATE, *sorted(p for p in (FIXTURES / "examples").iterdir() if p.is_dir())],
    ids=lambda p: p.name,
)
def test_plan_and_lint_give_every_unit_the_same_verdict(estate: Path) -> None:
    """One verdict source: the plan shows the lint run's unit readiness unchanged."""
    from csmlint.rulepack.loader import load_rules

    rules = load_rules()
    result, _, model = run_with_estate(RunOptions(paths=[str(estate)], cwd=str(ROOT)), rules)
    plan = build_plan(result, rules, model, "test")
    lint = {u.id: u.readiness for u in result.units}
    assert {u.id: u.readiness for u in plan.units} == lint
    for unit in plan.units:  # a unit with a blocker is blocked in both
        assert (lint[unit.id] == "blocked") == bool(unit.blockers), unit.id


def test_storage_account_of_a_subscription_without_the_provider_is_blocked_in_lint() -> None:
    result, _, _ = run_with_estate(RunOptions(paths=[str(ESTATE)], cwd=str(ROOT)))
    [storage] = [u for u in result.units if u.id == "storage:fabrikamopsvhds"]
    assert storage.readiness == "blocked"


@pytest.mark.parametrize(
    "estate",
    [ESTATE, *sorted(p for p in (FIXTURES / "examples").iterdir() if p.is_dir())],
    ids=lambda p: p.name,
)
def test_the_plan_says_unconfirmed_wherever_lint_does(estate: Path) -> None:
    """A verdict never better than the evidence: 'Ready' alone where lint says 'ready
    (unconfirmed: ...)' was an overstatement (audit)."""
    from csmlint.findings.summary import summarize
    from csmlint.rulepack.loader import load_rules

    rules = load_rules()
    result, _, model = run_with_estate(RunOptions(paths=[str(estate)], cwd=str(ROOT)), rules)
    plan = build_plan(result, rules, model, "test")
    notes = {u.id: summarize(result).readiness_note(u) for u in result.units}
    assert {u.id: u.unconfirmed for u in plan.units} == notes
    markdown = to_markdown(plan)
    for u in plan.units:
        if u.unconfirmed:
            assert f"Unconfirmed: {u.unconfirmed}" in markdown.replace("\\", "")
    for unit in as_dict(plan)["units"]:
        assert ("unconfirmed" in unit) == bool(notes[unit["id"]])


def test_an_empty_cloud_service_gets_no_platform_migration() -> None:
    plan = _plan(FIXTURES / "examples" / "wingtip")
    [empty] = [u for u in plan.units if u.name == "wingtip-promo"]
    assert empty.steps and "migrate" not in {s.section for s in empty.steps}
    text = " ".join(c.text for s in empty.steps for c in s.commands)
    assert "Move-AzureService" not in text and "Remove-AzureService" in text


def test_a_definition_without_roles_gets_no_platform_migration(tmp_path: Path) -> None:
    """A .csdef that declares no role (CSM185: a template, not a package) has nothing for
    Validate, Prepare or Commit to move."""
    (tmp_path / "ServiceDefinition.csdef").write_text(
        '<ServiceDefinition name="empty-svc" xmlns="http://schemas.microsoft.com/'
        'ServiceHosting/2008/10/ServiceDefinition" />',
        encoding="utf-8",
    )
    [unit] = _plan(tmp_path, tmp_path).units
    assert any(r.rule_id == "CSM185" for s in unit.steps for r in s.resolves)
    assert "migrate" not in {s.section for s in unit.steps}
    commands = " ".join(c.text for s in unit.steps for c in s.commands)
    assert "-Prepare" not in commands and "-Commit" not in commands


def test_a_files_only_service_is_headed_by_its_placeholder_label() -> None:
    plan = _plan(FIXTURES / "examples" / "contoso")
    markdown = to_markdown(plan)
    lone = [u for u in plan.units if u.kind == "cloudService"]
    for u in lone:
        assert u.shown_name.startswith("<cloud-service-name> (")
    assert "## " in markdown and "cloud service Contoso" not in markdown


def test_a_files_only_plan_starts_by_checking_the_provider_registration() -> None:
    """Only files linted: no subscription, so nothing says the migration provider is
    registered; the plan still begins with that check (audit: it was never mentioned)."""
    plan = _plan(FIXTURES / "examples" / "relecloud")
    for unit in plan.units:
        first = unit.steps[0]
        assert first.phase == "register-providers", (unit.id, first.title)
        assert "cannot tell whether it is registered" in first.detail
        assert any("Register-AzResourceProvider" in c.text for c in first.commands)
    with_subscription = _plan(ESTATE)
    assert not [
        s for u in with_subscription.units for s in u.steps if s.id.endswith("subscription-unknown")
    ]


def test_a_lone_service_of_unknown_vnet_is_not_said_to_be_outside_any(tmp_path: Path) -> None:
    """A .csdef alone (lint: CSM181, VNet unknown): the plan must not claim the deployment is
    outside any VNet; it says so and tells how to check before using the no-VNet commands. A
    .cscfg without VirtualNetworkSite is known to be outside one."""
    source = FIXTURES / "rules" / "CSM172-cs-in-vnet-migrates-with-vnet" / "no-vnet"
    (tmp_path / "ServiceDefinition.csdef").write_bytes(
        (source / "ServiceDefinition.csdef").read_bytes()
    )
    [unit] = _plan(tmp_path, tmp_path).units
    validate = next(s for s in unit.steps if s.phase == "validate")
    assert "(virtual network not known)" in validate.title
    assert "outside any virtual network" not in to_markdown(_plan(tmp_path, tmp_path))
    assert "Get-AzureDeployment" in validate.detail
    assert "Move-AzureVirtualNetwork" in validate.detail
    (tmp_path / "ServiceConfiguration.Cloud.cscfg").write_bytes(
        (source / "ServiceConfiguration.Cloud.cscfg").read_bytes()
    )
    [unit] = _plan(tmp_path, tmp_path).units
    validate = next(s for s in unit.steps if s.phase == "validate")
    assert "(outside any virtual network, into a new one)" in validate.title
    assert "Select-Object VNetName" not in validate.detail


def test_a_pasted_block_never_runs_a_decision_together_with_its_alternative(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Commit and Abort, or a check and the deletion it decides on, are separate blocks in
    the Markdown plan; read-only commands stay together."""
    from csmlint.findings.commands import command_blocks

    assert command_blocks(
        [
            'Get-AzureDeployment -ServiceName "s" -Slot Staging',
            'Get-AzureService -ServiceName "s"',
            'Remove-AzureDeployment -ServiceName "s" -Slot Staging',
            'Move-AzureVirtualNetwork -Commit -VirtualNetworkName "v"',
            'Move-AzureVirtualNetwork -Abort -VirtualNetworkName "v"',
            'azure network vnet validate-migration "v"',
        ]
    ) == [
        ['Get-AzureDeployment -ServiceName "s" -Slot Staging', 'Get-AzureService -ServiceName "s"'],
        ['Remove-AzureDeployment -ServiceName "s" -Slot Staging'],
        ['Move-AzureVirtualNetwork -Commit -VirtualNetworkName "v"'],
        ['Move-AzureVirtualNetwork -Abort -VirtualNetworkName "v"'],
        ['azure network vnet validate-migration "v"'],
    ]
    _, markdown, _ = run_main(ROOT, capsys, "plan", "fixtures/examples", "-f", "markdown")
    assert "-Commit" in markdown and "-Abort" in markdown
    for block in re.findall(r"<pre><code>(.*?)</code></pre>", markdown, re.S):
        assert not ("-Commit" in block and "-Abort" in block), block
        assert not ("Get-Azure" in block and "Remove-Azure" in block), block


def test_text_shows_commands_as_they_are_pasted(tmp_path: Path) -> None:
    """The terminal form: placeholders as ``<...>`` (a Markdown source holds ``&lt;...&gt;``,
    which pasted from a terminal is no placeholder and hits PowerShell's ``&``), no
    control characters from an input, and the same blocks as the Markdown."""
    from csmlint.migration.plan.text import to_text

    plan = _plan(FIXTURES / "examples" / "contoso")
    text = to_text(plan)
    assert "&lt;" not in text and "&gt;" not in text and "<pre>" not in text
    assert '-ServiceName "<cloud-service-name>"' in text
    markdown = to_markdown(plan)
    blocks = re.findall(r"<pre><code>(.*?)</code></pre>", markdown, re.S)
    for block in blocks:
        lines = [
            ln.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            for ln in block.split("\n")
        ]
        assert "\n".join(f"      {ln}" for ln in lines) in text
    hostile = to_text(_hostile_plan(tmp_path))
    assert HOSTILE in hostile  # shown as text: no markup to break in a terminal
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", hostile)


def test_plan_prints_text_on_a_terminal_and_markdown_to_a_pipe(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    _, piped, _ = run_main(ROOT, capsys, "plan", str(ESTATE))
    assert piped.startswith("# Migration plan")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    _, shown, _ = run_main(ROOT, capsys, "plan", str(ESTATE))
    assert shown.startswith("Migration plan (csmlint ") and "<pre>" not in shown


@pytest.mark.parametrize("name", ["contoso", "alpineski", "tailspin", "northwind", "wingtip"])
def test_no_plan_command_holds_a_bare_placeholder(name: str) -> None:
    """The platform steps' own commands too: a ``<placeholder>`` outside quotes stops
    PowerShell before anything runs."""
    quoted = re.compile(r'"[^"]*"|\'[^\']*\'')
    plan = _plan(FIXTURES / "examples" / name)
    bare = [c.text for u in plan.units for s in u.steps for c in s.commands]
    assert bare and not [c for c in bare if "<" in quoted.sub("", c)]


def test_the_after_commit_half_of_a_split_fix_completes_it() -> None:
    """A fix split around the migration resolves its finding once: the step after Commit
    says it completes it, instead of a second "Resolves"."""
    from csmlint.migration.plan.render import resolve_verbs

    plan = _plan(FIXTURES / "examples" / "adventureworks")
    (unit,) = [u for u in plan.units if u.name == "adventureworks-vnet"]
    verbs = resolve_verbs(unit)
    said = [
        (s.section, verbs[s.number][i])
        for s in unit.steps
        for i, r in enumerate(s.resolves)
        if r.rule_id == "CSM126"
    ]
    assert said == [("prepare", "Resolves"), ("after", "Completes")]
    assert "Completes CSM126 at " in to_markdown(plan)


def test_a_vnet_name_arm_cannot_hold_gets_placeholders_not_invented_names() -> None:
    """A VNet named "my network with whitespaces" (a real export): ARM names cannot hold
    spaces, and the migration's renaming is not documented, so the plan's resource-group
    and VNet names are visible placeholders, never "my network with whitespaces-migrated"."""
    from csmlint.model.azure.naming import valid

    plan = _plan(FIXTURES / "exports")
    texts = [c.text for u in plan.units for s in u.steps for c in s.commands]
    groups = re.findall(r'-ResourceGroupName "([^"]*)"', "\n".join(texts))
    assert groups and all(g.startswith("<") or valid("resourceGroup", g) for g in groups)
    (unit,) = [u for u in plan.units if u.name == "my network with whitespaces"]
    review = [c.text for s in unit.steps for c in s.commands if "Get-AzResourceGroup" in c.text]
    assert review == ['Get-AzResourceGroup -Name "<migrated-resource-group>"']


def test_json_and_markdown_say_which_commands_only_look() -> None:
    plan = _plan(FIXTURES / "examples" / "lamna")
    commands = [c for u in as_dict(plan)["units"] for s in u["steps"] for c in s["commands"]]
    by_text = {c["text"]: c["changes"] for c in commands}
    assert by_text['Move-AzureVirtualNetwork -Validate -VirtualNetworkName "lamna-vnet"'] is False
    assert by_text['Move-AzureVirtualNetwork -Commit -VirtualNetworkName "lamna-vnet"'] is True
    markdown = to_markdown(plan)
    assert "<pre><code># [2/2] either: Commit" in markdown
    assert "<pre><code># [2/2] or: Abort" in markdown  # an alternative, not a third block
    assert "<pre><code># check (reads only)\nMove-AzureVirtualNetwork -Validate" in markdown


def _variable_cases() -> list[Path]:
    """The example estate and every triggering fixture of a rule whose commands use a
    PowerShell variable."""
    from csmlint.rulepack.loader import load_rules

    ids = {r.id for r in load_rules() if any("$" in c for c in r.commands)}
    cases = [FIXTURES / "examples"]
    for folder in sorted((FIXTURES / "rules").iterdir()):
        if folder.name.split("-", 1)[0] in ids:
            cases += [d for d in sorted(folder.iterdir()) if d.is_dir() and "clean" not in d.name]
    return cases


@pytest.mark.parametrize("case", _variable_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_html_copy_box_runs_on_its_own_and_says_what_it_does(case: Path) -> None:
    """New-user checks: the HTML plan put each command in its own box ('$pip = ... -Location
    $vnet.Location' without '$vnet = ...') with none of the Markdown plan's labels, and a
    step after Commit used '$vault' that only the step before Validate set."""
    import html as htmllib

    page = htmllib.unescape(to_html(_plan(case)))
    boxes = re.findall(r'<pre class="cmd"><code>(.*?)</code>', page, re.S)
    builtin = {"true", "false", "null", "_", "env", "PSItem"}
    sets = re.compile(r"(?:^|;|\||\()\s*\$(\w+)\s*=(?!=)", re.M)
    loops = re.compile(r"foreach\s*\(\s*\$(\w+)\s+in\b", re.I)  # foreach ($e in ...)
    for box in boxes:
        assert re.match(r"# (\[\d+/\d+\] )?(check|fetch|change|either|or)\b", box), box
        used = set(re.findall(r"\$(\w+)", box)) - builtin
        assert used <= set(sets.findall(box)) | set(loops.findall(box)), box
    if case.name == "examples":
        assert len(boxes) > 50
        assert any("$vnet = Get-AzVirtualNetwork" in b and "$vnet.Location" in b for b in boxes)
