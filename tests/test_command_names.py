"""Commands a migration lead can paste: every name filled into a command is a valid name of
that kind of Azure object or a visible placeholder, and every migration cmdlet fits the
finding's migration unit (Move-AzureVirtualNetwork for a VNet and everything in it,
Move-AzureService for a cloud service outside any VNet, Move-AzureStorageAccount for a
storage account). Checked over every finding of every example estate and rule fixture."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import Finding
from csmlint.model.azure.naming import valid
from csmlint.rulepack.loader import load_rules

PARAMETERS = {
    "ServiceName": "cloudService",
    "CloudServiceName": "cloudService",
    "VaultName": "keyVault",
    "ResourceGroupName": "resourceGroup",
    "StorageAccountName": "storageAccount",
}
"""PowerShell parameter -> the kind of Azure name it takes."""
_ARG = re.compile(r"(?<=\s)-(\w+)\s+(\"[^\"]*\"|'[^']*'|[^\s;|)]+)")
_STEP = r" -(Validate|Prepare|Commit|Abort)\b|"
_MIGRATION = {
    "cloudService": re.compile(
        "Move-AzureService" + _STEP + r"azure service deployment \w+-migration"
    ),
    "vnet": re.compile("Move-AzureVirtualNetwork" + _STEP + r"azure network vnet \w+-migration"),
    "storage": re.compile(
        "Move-AzureStorageAccount" + _STEP + r"azure storage account \w+-migration"
    ),
}


def names_in(command: str) -> Iterator[tuple[str, str]]:
    """(kind, value) of every name a command passes where the kind is known."""
    for param, raw in _ARG.findall(command):
        kind = PARAMETERS.get(param)
        if param == "Name" and "-AzLoadBalancer" in command:
            kind = "loadBalancer"
        if kind is not None and not raw.startswith("$"):  # a variable, not a name
            yield kind, raw.strip("\"'")


def problems(f: Finding) -> list[str]:
    out = []
    for command in f.remediation.commands:
        for kind, value in names_in(command):
            if "<" in value or "$" in value or "(" in value:
                continue  # a placeholder or a PowerShell expression
            if not valid(kind, value):
                out.append(f"{f.rule_id}: {kind} name {value!r} cannot exist: {command}")
        unit_kind = (f.unit or "").split(":")[0]
        for kind, pattern in _MIGRATION.items():
            if pattern.search(command) and kind != unit_kind:
                out.append(f"{f.rule_id}: unit {f.unit} gets a {kind} migration: {command}")
    return out


@cache
def _rules():  # type: ignore[no-untyped-def]
    return load_rules()


def _lint(folder: Path) -> list[Finding]:
    result, _ = run(RunOptions(paths=[str(folder)], cwd=str(folder), excerpts=False), _rules())
    return result.active


def _cases() -> list[Path]:
    examples = sorted(p for p in (FIXTURES / "examples").iterdir() if p.is_dir())
    cases = sorted(p for p in (FIXTURES / "rules").glob("CSM*/*") if p.is_dir())
    return [*examples, *cases, FIXTURES / "exports"]  # real exports: odd names, spaces


@pytest.mark.parametrize("folder", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_command_names_real_objects_and_fits_its_unit(folder: Path) -> None:
    found = [p for f in _lint(folder) for p in problems(f)]
    assert not found, "\n".join(found)


def test_the_check_can_fail() -> None:
    bad = Finding(
        rule_id="CSM999",
        rule_name="x",
        severity="error",
        category="blocker",
        migration="cs-es",
        message="",
        location=_lint(FIXTURES / "examples" / "contoso")[0].location,
        remediation=_remediation(
            'Set-AzKeyVaultAccessPolicy -VaultName "KV-Contoso.Web.Cloud" -EnabledForDeployment',
            'Move-AzureService -Commit -ServiceName "contoso-web" -DeploymentName "d1"',
        ),
        unit="vnet:contoso-vnet",
    )
    assert len(problems(bad)) == 2


def _remediation(*commands: str):  # type: ignore[no-untyped-def]
    from csmlint.findings.finding import Remediation

    return Remediation("", tuple(commands))


def test_a_csdef_name_is_never_used_as_the_service_name(tmp_path: Path) -> None:
    """The .csdef's name is the package's: with files only, commands show a placeholder and
    say where to find the hosted service's name."""
    case = FIXTURES / "rules" / "CSM170-service-name-equals-role-name" / "hosted-name-like-role"
    for name in ("ServiceDefinition.csdef", "ServiceConfiguration.Cloud.cscfg"):
        shutil.copy(case / name, tmp_path / name)
    findings = _lint(tmp_path)
    commands = [c for f in findings for c in f.remediation.commands]
    assert commands, "the fixture gives no command at all"
    assert not [c for c in commands if re.search(r"ServiceName\s+\"?Contoso\.Web\.Cloud", c)]
    with_placeholder = [
        f for f in findings if "<cloud-service-name>" in " ".join(f.remediation.commands)
    ]
    assert with_placeholder
    assert all("Get-AzureService" in f.remediation.text for f in with_placeholder)
    # with the topology, the real name is filled in
    shutil.copy(case / "contoso.topology.json", tmp_path)
    commands = [c for f in _lint(tmp_path) for c in f.remediation.commands]
    assert any('-ServiceName "contoso-web"' in c for c in commands)
    assert not any("<cloud-service-name>" in c for c in commands)


def test_a_derived_name_that_breaks_azure_rules_becomes_a_placeholder(tmp_path: Path) -> None:
    """KV-<service> is the vault the migration creates; a 29-character service name would
    make a 32-character vault name, which cannot exist (3-24)."""
    shutil.copytree(FIXTURES / "examples" / "contoso" / "src" / "ContosoWeb", tmp_path / "web")
    (tmp_path / "estate.topology.json").write_text(
        '{"schema": "csmlint.topology/v1", "subscriptions": [{"id": '
        '"0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", "cloudServices": [{"name": '
        '"contoso-web-production-weu-01", "deployments": [{"slot": "production", "name": '
        '"cwp-2024", "kind": "paas", "cscfg": "web/ServiceConfiguration.Cloud.cscfg"}]}]}]}'
    )
    [cert] = [f for f in _lint(tmp_path) if f.rule_name == "certificates-to-key-vault"]
    vaults = [v for c in cert.remediation.commands for k, v in names_in(c) if k == "keyVault"]
    assert vaults and set(vaults) == {"<key-vault-name>"}
    assert "Get-AzKeyVault -ResourceGroupName <cloud-service-name>-migrated" in (
        cert.remediation.text
    )
    groups = [v for c in cert.remediation.commands for k, v in names_in(c) if k == "resourceGroup"]
    assert set(groups) == {"contoso-web-production-weu-01-migrated"}


def test_role_assignments_move_to_the_resource_the_migration_creates(tmp_path: Path) -> None:
    """A classic VM lands in its cloud service's -migrated group (not '<vm>-migrated'); a
    portal VNet 'Group rg vnet' becomes group-rg-vnet; an IaaS cloud service has no
    Microsoft.Compute/cloudServices resource, so its scope is a placeholder."""
    sub = "/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/legacy/providers"
    (tmp_path / "estate.topology.json").write_text(
        '{"schema": "csmlint.topology/v1", "subscriptions": [{"id": '
        '"11111111-2222-4333-8444-555555555555", "rbac": ['
        f'{{"principal": "ops", "role": "Reader", "scope": "{sub}/Microsoft.ClassicCompute/'
        'virtualMachines/sql01"},'
        f'{{"principal": "ops", "role": "Reader", "scope": "{sub}/Microsoft.ClassicCompute/'
        'domainNames/tailspin-sql"},'
        f'{{"principal": "net", "role": "Reader", "scope": "{sub}/Microsoft.ClassicNetwork/'
        'virtualNetworks/Group legacy tailspin-vnet"}],'
        '"virtualNetworks": [{"name": "Group legacy tailspin-vnet", "location": "West Europe"}],'
        '"cloudServices": [{"name": "tailspin-sql", "deployments": [{"slot": "production", '
        '"name": "tailspin-sql", "kind": "iaas", "vnet": "Group legacy tailspin-vnet", '
        '"vms": [{"name": "sql01"}]}]}]}]}'
    )
    scopes = sorted(
        c.split('-Scope "')[-1].split('"')[0]
        for f in _lint(tmp_path)
        if f.rule_name == "rbac-classic-scope"
        for c in f.remediation.commands
        if "New-AzRoleAssignment" in c
    )
    rg = "/subscriptions/$((Get-AzContext).Subscription.Id)/resourceGroups"
    assert scopes == [
        f"{rg}/group-legacy-tailspin-vnet-migrated/providers/Microsoft.Network/virtualNetworks/"
        "group-legacy-tailspin-vnet",
        f"{rg}/tailspin-sql-migrated/providers/Microsoft.Compute/virtualMachines/sql01",
        "<new-resource-id>",
    ]


def test_the_gateway_fix_fits_what_the_vnet_holds() -> None:
    """A VNet with web/worker roles gets the remove-and-recreate fix, never the "nothing has
    to be removed" advice meant for a VNet of virtual machines only."""
    [gateway] = [
        f for f in _lint(FIXTURES / "examples" / "contoso") if f.rule_name == "vpn-gateway-present"
    ]
    assert gateway.severity == "error"
    assert "nothing has to be removed" not in gateway.remediation.text.lower()
    assert any("Remove-AzureVNetGateway" in c for c in gateway.remediation.commands)


def test_a_transient_state_gets_commands_of_its_deployment_kind() -> None:
    """CSM151 on a web/worker-role deployment checks role instances; only a deployment of
    classic VMs gets classic VM commands (Remove-AzureVM and New-AzureVM only for the VM
    whose provisioning timed out)."""
    import json

    case = FIXTURES / "rules" / "CSM151-vm-transient-state" / "topology-states"
    doc = json.loads((case / "estate.topology.json").read_text("utf-8"))
    kinds = {
        cs["name"]: cs["deployments"][0]["kind"] for cs in doc["subscriptions"][0]["cloudServices"]
    }
    found = [f for f in _lint(case) if f.rule_id == "CSM151"]
    assert {f.cloud_service for f in found} == {
        "wingtip-erp",
        "wingtip-ftp",
        "wingtip-web",
        "wingtip-api",
        "wingtip-batch",
    }
    for f in found:
        commands = "\n".join(f.remediation.commands)
        if kinds[f.cloud_service or ""] == "paas":
            assert "AzureVM" not in commands, commands
            assert "Get-AzureRole" in commands and "-InstanceDetails" in commands, commands
        else:
            assert "Get-AzureVM -ServiceName" in commands, commands
        recreates = "Remove-AzureVM" in commands
        assert recreates == (f.cloud_service == "wingtip-ftp"), commands


def test_an_xml_extension_finding_names_only_the_xml_extensions(tmp_path: Path) -> None:
    """When the topology marks which extensions are XML, CSM140 names those, not a JSON
    extension beside them (a migration lead uninstalls what the message names)."""
    import json

    case = tmp_path / "case"
    shutil.copytree(FIXTURES / "rules" / "CSM140-xml-vm-extension" / "topology-extensions", case)
    path = case / "estate.topology.json"
    doc = json.loads(path.read_text("utf-8"))
    vms = doc["subscriptions"][0]["cloudServices"][0]["deployments"][0]["vms"]
    agent = next(vm for vm in vms if vm["name"] == "tfs-agent1")
    agent["extensions"].insert(
        0,
        {
            "publisher": "Microsoft.EnterpriseCloud.Monitoring",
            "name": "MicrosoftMonitoringAgent",
            "version": "1.*",
            "state": "enable",
            "xml": False,
        },
    )
    path.write_text(json.dumps(doc), "utf-8")
    found = [f for f in _lint(case) if f.rule_id == "CSM140" and "tfs-agent1" in f.message]
    assert len(found) == 1
    assert "XML VM extension(s) 'PuppetEnterpriseAgent';" in found[0].message
    assert "MicrosoftMonitoringAgent" not in found[0].message


_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')


@pytest.mark.parametrize("folder", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_command_holds_a_bare_placeholder(folder: Path) -> None:
    """A ``<placeholder>`` outside quotes stops PowerShell before anything runs ("The '<'
    operator is reserved") and is a redirection in a shell: every one is quoted."""
    bare = [
        f"{f.rule_id}: {c}"
        for f in _lint(folder)
        for c in f.remediation.commands
        if "<" in _QUOTED.sub("", c)
    ]
    assert not bare, "\n".join(bare)


_REMOVE = re.compile(r"\bRemove-Azure(\w+)\b")


def _args(command: str) -> dict[str, str]:
    return {param.lower(): raw.strip("\"'") for param, raw in _ARG.findall(command)}


def rereads_after_delete(f: Finding) -> list[str]:
    """A copy box repeats an earlier box's read-only setter so that it runs on its own
    (``command_blocks``); after a box that deletes a resource, repeating a read of that same
    resource reads what is gone (the rule must save what it needs to a file first)."""
    from csmlint.findings.copy_blocks import AFTER_CATEGORIES, labelled_blocks

    out = []
    blocks = labelled_blocks(list(f.remediation.commands), f.category in AFTER_CATEGORIES)
    seen: set[str] = set()
    deleted: list[tuple[str, dict[str, str]]] = []
    for _, block in blocks:
        for c in block:
            if c not in seen:
                continue
            for noun, removed in deleted:
                if not re.search(rf"\bGet-Azure{noun}\b", c):
                    continue
                read = _args(c)
                common = removed.keys() & read.keys()
                if common and all(read[k] == removed[k] for k in common):
                    out.append(f"{f.rule_id}: a box after Remove-Azure{noun} re-reads it: {c}")
        for c in block:
            seen.add(c)
            deleted += [(m.group(1), _args(c)) for m in _REMOVE.finditer(c)]
    return out


@pytest.mark.parametrize("folder", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_copy_box_rereads_what_an_earlier_box_deleted(folder: Path) -> None:
    found = [p for f in _lint(folder) for p in rereads_after_delete(f)]
    assert not found, "\n".join(found)


def test_a_reread_after_a_delete_is_caught() -> None:
    from csmlint.findings.finding import Remediation

    get = '$vm = Get-AzureVM -ServiceName "svc" -Name "vm1"'
    commands = (
        get,
        '$vm | Remove-AzureVM -ServiceName "svc" -Name "vm1"',
        '$vm | Export-AzureVM -Path "vm1.xml"',
    )
    f = _lint(FIXTURES / "examples" / "contoso")[0]
    f.remediation = Remediation("", commands, "", "")
    expected = f"{f.rule_id}: a box after Remove-AzureVM re-reads it: {get}"
    assert rereads_after_delete(f) == [expected]
