"""`csmlint diagnose`: the platform error catalogue (rules/diagnose/) against real-looking
messages, status JSON and Validate responses; every rule-pack message pattern covered."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from csmlint.errors import RulePackError
from csmlint.migration.diagnose import diagnose, load_catalog
from csmlint.migration.diagnose.render import as_dict, render_text
from csmlint.parsing.yamlsafe import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog()

# Seed 000 ("Azure Cloud Services update fails during a migration"), as shown there.
CLASSIC_TEXT = """The Change Deployment Configuration operation failed for the
            domain '<classic cloud service name>' in the deployment slot 'production' with
            the name '<classic cloud service name>- x/xx/2022 xx:xx:xxPM': 'Deployment xx
                in HostedService <classic cloud service name> is in the process of
                being migrated and hence cannot be changed.'."""
EXTENDED_TEXT = """The operation cannot be performed on cloud service
            '<classic cloud service name>' because a migration is in progress.
            Commit the migration to start managing the cloud service."""
CLASSIC_STATUS = (
    '"statusMessage": "{\n    \\"error\\":{\n        \\"code\\":\\"ChangeDeploymentConfiguration'
    'OperationFailed\\",\n        \\"message\\":\\"' + CLASSIC_TEXT + '\\"\n    }\n}",\n'
)
EXTENDED_STATUS = (
    '"statusMessage": "{\n    \\"error\\":{\n        \\"code\\":\\"OperationNotAllowed\\",\n'
    '        \\"message\\":\\"' + EXTENDED_TEXT + '\\"\n    }\n}"\n'
)


def _status_json(code: str, message: str) -> bytes:
    inner = json.dumps({"error": {"code": code, "message": message}})
    return json.dumps({"status": "Failed", "statusMessage": inner}).encode()


def _only(data: bytes) -> dict[str, Any]:
    result = diagnose(data, CATALOG)
    assert len(result.results) == 1, result.results
    return as_dict(result.results[0], CATALOG)


def _assert_locked(d: dict[str, Any], code: str) -> None:
    assert d["recognised"], d
    assert d["errorCode"] == code
    assert d["state"]["name"] == "prepared"
    assert "locked" in d["state"]["summary"]
    names = [o["name"] for o in d["options"]]
    assert names == ["Abort", "Commit"]
    for option in d["options"]:
        assert option["does"] and option["costs"]
        assert any(f"-{option['name']}" in c for c in option["commands"]), option
    assert "cannot be undone" in d["options"][1]["costs"]
    assert d["rules"] == ["CSM178"]


@pytest.mark.parametrize(
    "data, code",
    [
        (CLASSIC_TEXT.encode(), "ChangeDeploymentConfigurationOperationFailed"),
        (EXTENDED_TEXT.encode(), "OperationNotAllowed"),
        (CLASSIC_STATUS.encode(), "ChangeDeploymentConfigurationOperationFailed"),
        (EXTENDED_STATUS.encode(), "OperationNotAllowed"),
        (
            _status_json("ChangeDeploymentConfigurationOperationFailed", CLASSIC_TEXT),
            "ChangeDeploymentConfigurationOperationFailed",
        ),
        (_status_json("OperationNotAllowed", EXTENDED_TEXT), "OperationNotAllowed"),
    ],
    ids=["classic-text", "es-text", "classic-pasted", "es-pasted", "classic-json", "es-json"],
)
def test_seed_000_lock_messages_mean_prepared_and_locked(data: bytes, code: str) -> None:
    d = _only(data)
    _assert_locked(d, code)
    # The seed's own placeholder stays visible; the missing deployment name of the extended
    # support message becomes a visible placeholder too.
    commands = [c for o in d["options"] for c in o["commands"]]
    assert all('"<classic cloud service name>"' in c for c in commands)
    if code == "OperationNotAllowed":
        assert all('"<deployment-name>"' in c for c in commands)
    else:  # "Deployment xx" is the deployment's id; the cmdlets take the name given before
        name = "<classic cloud service name>- x/xx/2022 xx:xx:xxPM"
        assert all(f'-DeploymentName "{name}"' in c or f'"{name}"' in c for c in commands)


def test_lock_message_fills_the_real_names_into_abort_and_commit() -> None:
    msg = (
        "The Change Deployment Configuration operation failed for the domain 'contoso-web' in "
        "the deployment slot 'production' with the name 'contoso-web- 3/1/2023 1:02:03PM': "
        "'Deployment 7c1e0f in HostedService contoso-web is in the process of being migrated "
        "and hence cannot be changed.'."
    )
    d = _only(msg.encode())
    commands = [c for o in d["options"] for c in o["commands"]]
    name = "contoso-web- 3/1/2023 1:02:03PM"  # not the id 7c1e0f: cmdlets take the name
    assert f'Move-AzureService -Abort -ServiceName "contoso-web" -DeploymentName "{name}"' in (
        commands
    )
    assert f'Move-AzureService -Commit -ServiceName "contoso-web" -DeploymentName "{name}"' in (
        commands
    )


def test_curly_quotes_pasted_from_mail_or_chat_are_recognised() -> None:
    msg = (
        "VM erp-sql1 in HostedService erp-svc contains Extension BGInfo which isn\u2019t supported"
        " in Azure Resource Manager. It\u2019s recommended to uninstall it from the VM."
    )
    d = _only(msg.encode())
    assert (d["id"], d["names"]) == (
        "unsupported-extension",
        {"extension": "BGInfo", "service": "erp-svc", "vm": "erp-sql1"},
    )


@pytest.mark.parametrize(
    ("message", "names"),
    [
        (
            "HostedService \u201cshop-prod\u201d has not been prepared for migration.",
            {"service": "shop-prod"},
        ),
        ('Virtual Network "shop-vnet" has not been prepared for Migration.', {"vnet": "shop-vnet"}),
        ("VirtualNetwork shop-vnet has not been prepared for migration.", {"vnet": "shop-vnet"}),
        (
            "StorageAccount 'shopstore' has not been prepared for migration.",
            {"account": "shopstore"},
        ),
        (  # the classic portal named VNets "Group <resource group> <name>"
            "Virtual Network 'Group rg contoso-vnet' is in the process of being migrated and "
            "hence cannot be changed.",
            {"vnet": "Group rg contoso-vnet"},
        ),
    ],
)
def test_quoted_names_and_one_word_kinds_are_read(message: str, names: dict[str, str]) -> None:
    d = _only(message.encode())
    assert d["names"] == names
    commands = " ".join(c for o in d["options"] for c in o["commands"])
    assert '"' + next(iter(names.values())) + '"' in commands and "unsafe" not in commands


def test_a_quoted_name_with_spaces_is_read_whole() -> None:
    d = _only(
        b'Deployment web-prod in HostedService contoso-web belongs to Virtual Network "Group rg '
        b'contoso-vnet". Migrate Virtual Network "Group rg contoso-vnet" to migrate this '
        b"HostedService contoso-web."
    )
    assert d["names"] == {
        "deployment": "web-prod",
        "service": "contoso-web",
        "vnet": "Group rg contoso-vnet",
    }


def test_several_errors_pasted_together_are_each_diagnosed() -> None:
    paas = "Migration isn't supported for Deployment prod-vms in HostedService app because it's"
    paste = (
        f"{paas} a PaaS deployment (Web/Worker).\r\n"
        "VM web01 in HostedService app contains Extension BGInfo which isn't supported in "
        "Azure Resource Manager.\r\n"
    )
    result = diagnose(paste.encode(), CATALOG)
    assert [r.error.id if r.error else None for r in result.results] == [
        "paas-in-iaas-service",
        "unsupported-extension",
    ]
    wrapped = diagnose(f"{paas}\n a PaaS deployment (Web/Worker).".encode(), CATALOG)
    assert [r.error.id if r.error else None for r in wrapped.results] == ["paas-in-iaas-service"]


def test_an_unquoted_portal_vnet_name_with_spaces_is_read_whole() -> None:
    d = _only(
        b"Deployment prod-2024 in HostedService websvc belongs to Virtual Network Group my-rg "
        b"my vnet. Migrate Virtual Network Group my-rg my vnet to migrate this HostedService "
        b"websvc."
    )
    assert d["names"]["vnet"] == "Group my-rg my vnet"


def test_an_error_after_a_recognised_one_is_not_swallowed() -> None:
    paste = (
        "Deployment prod2024 in HostedService websvc belongs to Virtual Network myvnet. "
        "Migrate Virtual Network myvnet to migrate this HostedService websvc.\n"
        "Quota exceeded for resource type cores in region westeurope: current 98, limit 100.\n"
    )
    result = diagnose(paste.encode(), CATALOG)
    assert [r.error.id if r.error else None for r in result.results] == [
        "cs-in-vnet-migrates-with-vnet",
        None,
    ]
    # the second sentence of a message wrapped at its full stop stays with it
    wrapped = diagnose(EXTENDED_TEXT.encode(), CATALOG)
    assert len(wrapped.results) == 1 and wrapped.results[0].error is not None


def test_unrecognised_errors_pasted_one_per_line_stay_apart() -> None:
    paste = (
        "The server encountered an internal error. Please retry the request.\n"
        "Another unknown failure happened in region westus.\n"
    )
    result = diagnose(paste.encode(), CATALOG)
    assert [(r.error, r.message.text) for r in result.results] == [
        (None, "The server encountered an internal error. Please retry the request."),
        (None, "Another unknown failure happened in region westus."),
    ]
    # a message the portal wrapped mid-sentence is still one message
    wrapped = diagnose(
        b"The server encountered an internal\nerror. Please retry the request.", CATALOG
    )
    assert len(wrapped.results) == 1


def test_not_prepared_commands_fit_the_unit_that_was_not_prepared() -> None:
    """A VNet or storage account gets its own Validate/Prepare; a cloud service gets both
    forms (outside a VNet, or with its VNet), with the deployment name of the message."""
    vnet = _only(
        b"Commit failed because Virtual Network hub-vnet has not been prepared for Migration."
    )
    assert [c for o in vnet["options"] for c in o["commands"]] == [
        'Move-AzureVirtualNetwork -Validate -VirtualNetworkName "hub-vnet"',
        'Move-AzureVirtualNetwork -Prepare -VirtualNetworkName "hub-vnet"',
    ]
    store = _only(b"Storage Account vhds01 has not been prepared for Migration.")
    assert all("Move-AzureStorageAccount" in c for o in store["options"] for c in o["commands"])
    service = _only(
        b"Deployment prod-2021 in HostedService shop-web has not been prepared for Migration."
    )
    assert service["names"] == {"deployment": "prod-2021", "service": "shop-web"}
    commands = [c for o in service["options"] for c in o["commands"]]
    assert any('-ServiceName "shop-web" -DeploymentName "prod-2021"' in c for c in commands)
    assert any(c.startswith("Move-AzureVirtualNetwork -Validate") for c in commands)


def test_the_data_disk_fix_attaches_the_disk_again() -> None:
    known = next(k for k in CATALOG.errors if k.id == "data-disk-size-mismatch")
    commands = _only(known.example.encode())["commands"]
    detach = next(i for i, c in enumerate(commands) if "Remove-AzureDataDisk" in c)
    attach = next(i for i, c in enumerate(commands) if "Add-AzureDataDisk -Import" in c)
    assert detach < attach and '-DiskName "sql01-data0"' in commands[attach]


def test_extended_support_messages_cite_the_extended_support_errors_page() -> None:
    cs_es = _only(
        b"Deployment contoso-jobs-prod in cloud service contoso-jobs must be within a virtual "
        b"network to be migrated."
    )
    assert cs_es["reference"]["url"].endswith(
        "/cloud-services-extended-support/in-place-migration-common-errors"
    )
    iaas = _only(
        b"VM web01 in HostedService app contains Extension BGInfo which isn't supported in "
        b"Azure Resource Manager."
    )
    assert "migration-classic-resource-manager-errors" in iaas["reference"]["url"]


@pytest.mark.parametrize("known", CATALOG.errors, ids=lambda k: k.id)
def test_every_catalogue_error_is_recognised_from_its_full_message(known: Any) -> None:
    d = _only(known.example.encode())
    assert d["id"] == known.id
    assert d["names"] == dict(sorted(known.names.items()))
    for command in d["commands"] + [c for o in d["options"] for c in o["commands"]]:
        assert "{" not in command.replace("{ $_", "").replace("{ ", ""), command
        for value in known.names.values():
            key = next(k for k, v in known.names.items() if v == value)
            template = " ".join(
                [
                    *known.commands,
                    *(c for o in CATALOG.states[known.state].options for c in o.commands),
                ]
            )
            if "{" + key + "}" in template:
                assert value in " ".join(
                    d["commands"] + [c for o in d["options"] for c in o["commands"]]
                )


def _message_patterns(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        if node.get("field") == "message" and isinstance(node.get("match"), str):
            out.append(" ".join(node["match"].split()))
        for value in node.values():
            _message_patterns(value, out)
    elif isinstance(node, list):
        for item in node:
            _message_patterns(item, out)


def _rule_message_patterns() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "rules").glob("*/CSM*.yaml")):
        spec = load_yaml(path.read_bytes(), str(path))
        patterns: list[str] = []
        _message_patterns(spec.get("when"), patterns)
        for variant in spec.get("variants") or []:
            _message_patterns(variant.get("when"), patterns)
        found += [(spec["id"], p) for p in dict.fromkeys(patterns)]
    return found


RULE_PATTERNS = _rule_message_patterns()


def test_the_rule_packs_have_message_patterns() -> None:
    assert len({rule for rule, _ in RULE_PATTERNS}) >= 15


@pytest.mark.parametrize("rule_id, pattern", RULE_PATTERNS, ids=lambda v: str(v)[:40])
def test_every_rule_pack_message_pattern_is_in_the_catalogue(rule_id: str, pattern: str) -> None:
    """Some catalogue error maps to the rule, and its realistic example is a message the
    rule's own pattern matches: diagnose and lint agree on it."""
    regex = re.compile(pattern)
    covering = [k for k in CATALOG.errors if rule_id in k.rules and regex.search(k.example)]
    assert covering, f"{rule_id}: no catalogue error whose example matches {pattern!r}"
    for known in covering:
        assert _only(known.example.encode())["rules"] == list(known.rules)


@pytest.mark.parametrize(
    "message",
    [
        "The storage account named contosodisks is already taken.",
        "StorageAccountAlreadyTaken: The storage account named contosodiag is already taken.",
        "ConflictError: The DNS name contoso-web.cloudapp.net is already taken. Try another.",
        "The hosted service name is invalid.",
    ],
)
def test_unrelated_azure_errors_are_not_recognised(message: str) -> None:
    result = diagnose(message.encode(), CATALOG)
    assert not result.recognised
    d = as_dict(result.results[0], CATALOG)
    assert d["recognised"] is False
    assert len(d["closest"]) == 3
    text = render_text(result)
    assert "not recognised" in text and "closest known errors" in text


def test_validate_response_xml_reports_each_message() -> None:
    xml = (
        '<ValidationMessages xmlns="http://schemas.microsoft.com/windowsazure">'
        "<ValidationMessage><ResourceType>Deployment</ResourceType><ResourceName>prod-vms"
        "</ResourceName><Category>Error</Category><Message>Migration isn't supported for "
        "Deployment prod-vms in HostedService contoso-app because it has multiple "
        "Availability Sets.</Message></ValidationMessage>"
        "<ValidationMessage><ResourceType>Deployment</ResourceType><ResourceName>prod-vms"
        "</ResourceName><Category>Error</Category><VirtualMachineName>web01</VirtualMachineName>"
        "<Message>VM web01 in HostedService contoso-app contains Extension VMSnapshot, which "
        "is currently not supported for Migration.</Message></ValidationMessage>"
        "<ValidationMessage><ResourceType>Deployment</ResourceType><ResourceName>123"
        "</ResourceName><Category>Error</Category><Message>The deployment name '123' does not "
        "exist.</Message></ValidationMessage></ValidationMessages>"
    ).encode("utf-16")
    result = diagnose(xml, CATALOG)
    ids = [r.error.id if r.error else None for r in result.results]
    assert ids == ["multiple-availability-sets", "snapshot-extension", None]
    assert result.results[1].names["vm"] == "web01"
    assert not result.recognised


def test_a_broken_catalogue_is_a_rule_pack_error_at_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "diagnose"
    folder.mkdir()
    (folder / "bad.yaml").write_text(
        "version: 1\nstates: {s: {summary: x}}\nerrors:\n  - id: x\n    title: t\n"
        "    match: '(unclosed'\n    state: s\n    rules: [CSM178]\n    remediation: r\n"
        "    example: e\n    names: {}\n"
    )
    with pytest.raises(RulePackError) as caught:
        load_catalog(tmp_path)
    assert caught.value.line == 6 and "bad.yaml" in str(caught.value.path)
    (folder / "bad.yaml").write_text("version: 1\nerrors:\n  - id: x\n    titel: t\n")
    with pytest.raises(RulePackError) as caught:
        load_catalog(tmp_path)
    assert caught.value.line is not None and caught.value.line >= 3


def _cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "csmlint", "diagnose", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    ok = _cli(" ".join(EXTENDED_TEXT.split()))
    assert ok.returncode == 0, ok.stderr
    out = ok.stdout.decode()
    assert "migration state: prepared" in out and "rule: CSM178" in out
    assert "Move-AzureService -Abort" in out and "Move-AzureService -Commit" in out

    unknown = _cli("-f", "json", "-", stdin=b"The DNS name contoso.cloudapp.net is already taken.")
    assert unknown.returncode == 1
    doc = json.loads(unknown.stdout)
    assert doc["schema"] == "csmlint.diagnose/v1" and doc["recognised"] is False

    status = tmp_path / "status.json"
    status.write_bytes(CLASSIC_STATUS.encode())
    from_file = _cli("--file", str(status), "-f", "json")
    assert from_file.returncode == 0
    assert json.loads(from_file.stdout)["messages"][0]["state"]["name"] == "prepared"

    usage = _cli("-f", "yaml", "x")
    assert usage.returncode == 2 and b"Traceback" not in usage.stderr
    missing = _cli("--file", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and b"nope.json" in missing.stderr
    empty = _cli("-", stdin=b"  \n")
    assert empty.returncode == 2


def test_no_catalogue_command_holds_a_bare_placeholder() -> None:
    quoted = re.compile(r'"[^"]*"|\'[^\']*\'')
    bare = [c for e in CATALOG.errors for c in e.commands if "<" in quoted.sub("", c)]
    assert not bare, bare


def test_a_validate_warning_is_not_a_refusal_and_its_check_is_pasted_apart() -> None:
    from csmlint.migration.diagnose.render import render_text

    message = (
        b"Deployment prod-vms in HostedService contoso-app contains a VM sql01 with Data Disk "
        b"sql01-data0 whose physical blob size 136367309312 bytes doesn't match the VM Data Disk "
        b"logical size 136367308800 bytes. Migration will proceed without specifying a size for "
        b"the data disk for the Azure Resource Manager VM."
    )
    d = _only(message)
    assert d["state"]["name"] == "validated-with-warning"
    text = render_text(diagnose(message, CATALOG))
    assert "# [1/4] check (reads only)\n      Get-AzureVM" in text
    assert (
        '# [2/4] change (deletes)\n      Get-AzureVM -ServiceName "contoso-app" -Name "sql01" '
        "| Remove" in text
    )


def test_an_abort_in_progress_is_never_answered_with_commit() -> None:
    d = _only(
        b"Migration of Deployment 'dep1' in HostedService 'svc1' is in the process of being "
        b"aborted and cannot be changed until it completes successfully."
    )
    assert d["id"] == "being-aborted" and d["state"]["name"] == "aborting"
    commands = " ".join(c for o in d["options"] for c in o["commands"])
    assert "-Abort" in commands and "-Commit" not in commands


def test_an_extension_message_with_its_version_is_recognised() -> None:
    d = _only(
        b"VM web1 in HostedService svc contains Extension BGInfo version 1.1 which is not "
        b"supported in Azure Resource Manager."
    )
    assert (d["id"], d["names"]["extension"]) == ("unsupported-extension", "BGInfo")


def test_a_vnet_name_the_platform_does_not_know_is_not_pasted_back() -> None:
    d = _only(b"The virtual network Group Contoso-RG contoso-vnet doesn't exist.")
    assert (d["id"], d["rules"]) == ("vnet-not-found", ["CSM132"])
    assert d["commands"][0] == "Get-AzureVNetSite | Select-Object Name"
    # the name in the message is the one that failed: the commands keep the placeholder
    assert all("contoso-vnet" not in c for c in d["commands"])
    assert 'Move-AzureVirtualNetwork -Validate -VirtualNetworkName "<vnet-name>"' in d["commands"]
    assert "migration-classic-resource-manager-errors" in d["reference"]["url"]


@pytest.mark.parametrize(
    "message",
    [
        "The virtual network name cannot be null or empty.",
        "The Subnet Name cannot be null or empty.",
        "Default VNet destination option not implemented.",
    ],
)
def test_a_request_without_a_destination_vnet_is_not_a_missing_vnet(message: str) -> None:
    d = _only(message.encode())
    assert d["id"] == "destination-vnet-not-given"
    assert any("-CreateNewVirtualNetwork" in c for c in d["commands"])
    assert any('-SubnetName "<subnet-name>"' in c for c in d["commands"])


def test_a_missing_fabric_cluster_cites_the_planning_page_and_keeps_the_vm_warning() -> None:
    d = _only(b"Prepare failed: fabric cluster does not exist")
    assert (d["id"], d["rules"]) == ("fabric-cluster-missing", ["CSM155"])
    assert d["reference"]["url"].endswith("migration-classic-resource-manager-plan")
    assert d["commands"] == ['Stop-AzureVM -ServiceName "<cloud-service-name>" -Name "<vm-name>"']
    assert "VIP is lost" in d["remediation"]


@pytest.mark.parametrize(
    ("code", "entry", "rule"),
    [
        ("XrpPaaSMigrationCscfgCsdefValidationMismatch", "cscfg-csdef-mismatch", "CSM169"),
        ("NetworkingInternalOperationError", "networking-internal-error", "CSM170"),
    ],
)
def test_extended_support_error_codes_point_at_their_file_rules(
    code: str, entry: str, rule: str
) -> None:
    d = _only(code.encode())
    assert (d["id"], d["rules"]) == (entry, [rule])
    assert "cloud-services-extended-support" in d["reference"]["url"]
