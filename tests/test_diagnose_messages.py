"""`csmlint diagnose` on the Validate messages the rules quote, bare error codes, Validate
responses of information only, and its JSON output schema (issue 12, items 4-6).

The messages are worded as in "Common errors and known issues when migrating to Cloud
Services (extended support)",
https://learn.microsoft.com/azure/cloud-services-extended-support/in-place-migration-common-errors
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import run_main

from csmlint.engine import RunOptions, run
from csmlint.migration.diagnose import diagnose, load_catalog
from csmlint.migration.diagnose.render import render_json, render_text

CATALOG = load_catalog()
OUTPUT_SCHEMA = json.loads(
    resources.files("csmlint.schemas").joinpath("diagnose.schema.json").read_text("utf-8")
)

QUOTED = [
    # (message, catalogue entry, rule, names from the message)
    (
        "Deployment shop-prod in HostedService fabrikam-shop belongs to Virtual Network "
        "fabrikam-vnet. Migrate Virtual Network fabrikam-vnet to migrate this HostedService "
        "fabrikam-shop.",
        "cs-in-vnet-migrates-with-vnet",
        "CSM172",
        {"deployment": "shop-prod", "service": "fabrikam-shop", "vnet": "fabrikam-vnet"},
    ),
    (
        "Deployment jobs-2019 in cloud service fabrikam-jobs must be within a virtual network "
        "to be migrated.",
        "deployment-not-in-vnet",
        "CSM116",
        {"deployment": "jobs-2019", "service": "fabrikam-jobs"},
    ),
    (
        "Migration is not supported for Deployment jobs-2019 in HostedService fabrikam-jobs "
        "because it uses following features not yet supported for migration: Non-vnet "
        "deployment.",
        "deployment-not-in-vnet",
        "CSM116",
        {"deployment": "jobs-2019", "service": "fabrikam-jobs"},
    ),
    (
        "The Deployment shop-prod in cloud service fabrikam-shop cannot be migrated because "
        "there are no subnets associated with the role(s) Storefront, Checkout. Associate all "
        "roles with a subnet, then retry the migration of the cloud service.",
        "roles-without-subnet",
        "CSM130",
        {"deployment": "shop-prod", "service": "fabrikam-shop", "role": "Storefront, Checkout"},
    ),
    (
        "The deployment shop-prod in hosted service fabrikam-shop has reserved IP(s) "
        "fabrikam-shop-vip but no endpoint on the reserved IP. To resolve this issue, add at "
        "least one endpoint to the reserved IP.",
        "reserved-ip-without-endpoint",
        "CSM136",
        {"deployment": "shop-prod", "service": "fabrikam-shop", "ip": "fabrikam-shop-vip"},
    ),
    (
        "The deployment shop-prod in hosted service fabrikam-shop has reserved IP(s) but no "
        "reserved IP name. To resolve this issue, update reserved IP name or contact the "
        "Microsoft Azure service desk.",
        "reserved-ip-without-name",
        "CSM135",
        {"deployment": "shop-prod", "service": "fabrikam-shop"},
    ),
    (
        "Deployment shop-prod in HostedService fabrikam-shop is in intermediate state: "
        "Deploying. Migration not allowed.",
        "deployment-in-transition",
        "CSM151",
        {"deployment": "shop-prod", "service": "fabrikam-shop"},
    ),
    (
        "One or more VMs in Deployment shop-prod in HostedService fabrikam-shop is undergoing "
        "an update operation. It can't be migrated until the previous operation completes "
        "successfully. Retry after sometime.",
        "deployment-in-transition",
        "CSM151",
        {"deployment": "shop-prod", "service": "fabrikam-shop"},
    ),
    (
        "The subnet with ID '/subscriptions/3f2b8c1d-6e4a-4b9f-8d2c-7a1e5f9c0b42/resourceGroups/"
        "net/providers/Microsoft.ClassicNetwork/virtualNetworks/fabrikam-vnet/subnets/web' is "
        "in a different location than deployment 'shop-prod' in hosted service "
        "'fabrikam-shop'. The location for the subnet is 'westus' and the location for the "
        "hosted service is 'eastus'. Specify a subnet in the same location as the deployment.",
        "subnet-location-mismatch",
        "CSM171",
        {"deployment": "shop-prod", "service": "fabrikam-shop"},
    ),
]


def _json(data: bytes) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(render_json(diagnose(data, CATALOG)))
    jsonschema.validate(doc, OUTPUT_SCHEMA)
    return doc


@pytest.mark.parametrize(("message", "entry", "rule", "names"), QUOTED, ids=[q[1] for q in QUOTED])
def test_the_documented_validate_messages_are_recognised(
    message: str, entry: str, rule: str, names: dict[str, str]
) -> None:
    [d] = _json(message.encode())["messages"]
    assert d["id"] == entry and rule in d["rules"]
    assert d["names"] == names
    # what the message names is filled in: no placeholder of those names is left
    for command in d["commands"] + [c for o in d["options"] for c in o["commands"]]:
        for key in names:
            assert CATALOG.placeholders[key] not in command, command


def test_a_deployment_in_intermediate_state_is_not_taken_for_a_vm_state() -> None:
    message = (
        "Deployment shop-prod in HostedService fabrikam-shop is in intermediate state: "
        "Deploying. Migration not allowed."
    )
    [d] = _json(message.encode())["messages"]
    assert d["id"] == "deployment-in-transition"
    assert "vm" not in d["names"]
    assert not any("Get-AzureVM" in c for c in d["commands"])
    assert d["commands"] == [
        'Get-AzureDeployment -ServiceName "fabrikam-shop" -Slot Production | '
        "Select-Object DeploymentName, Status"
    ]
    # a VM's own state still is one
    vm = (
        "Migration isn't allowed for HostedService fabrikam-ops because it has VM ops01 in "
        "State: RoleStateUnknown. Migration is allowed only when the VM is in one of the "
        "following states - Running, Stopped, Stopped Deallocated."
    )
    [v] = _json(vm.encode())["messages"]
    assert (v["id"], v["names"]["vm"]) == ("vm-in-transient-state", "ops01")


@pytest.mark.parametrize(
    ("code", "entry"),
    [
        ("ChangeDeploymentConfigurationOperationFailed", "classic-deployment-locked"),
        ("OperationNotAllowed", "extended-support-locked"),
        ("  'operationnotallowed'\n", "extended-support-locked"),
    ],
)
def test_a_known_error_code_alone_is_recognised_without_names(code: str, entry: str) -> None:
    doc = _json(code.encode())
    [d] = doc["messages"]
    assert doc["recognised"] is True
    assert (d["id"], d["fromCodeOnly"], d["names"]) == (entry, True, {})
    assert d["state"]["name"] == "prepared"
    text = render_text(diagnose(code.encode(), CATALOG))
    assert "from the error code alone" in text
    assert '"<cloud-service-name>"' in text  # the commands keep visible placeholders


def test_an_unknown_code_alone_is_not_recognised() -> None:
    doc = _json(b"StorageAccountAlreadyTaken")
    assert doc["recognised"] is False and "fromCodeOnly" not in doc["messages"][0]


def _response(*messages: tuple[str, str]) -> bytes:
    items = "".join(
        f"<ValidationMessage><ResourceType>Deployment</ResourceType><ResourceName>shop-prod"
        f"</ResourceName><Category>{category}</Category><Message>{text}</Message>"
        "</ValidationMessage>"
        for category, text in messages
    )
    return (
        '<ValidationMessages xmlns="http://schemas.microsoft.com/windowsazure">'
        f"{items}</ValidationMessages>"
    ).encode()


READY = "Deployment shop-prod in HostedService fabrikam-shop is ready for migration."


def test_a_validate_response_of_information_only_passed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _response(("Information", READY), ("Information", READY.replace("shop", "cart")))
    doc = _json(data)
    assert doc["validationPassed"] is True and doc["recognised"] is True
    assert doc["messages"] == [] and len(doc["information"]) == 2
    target = tmp_path / "validate.xml"
    target.write_bytes(data)
    code, out, _ = run_main(tmp_path, capsys, "diagnose", "--file", str(target))
    assert code == 0
    assert out.startswith("validation passed: the response holds 2 information message(s)")


def test_information_beside_an_error_is_counted_and_the_error_decides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _response(("Information", READY), ("Error", QUOTED[0][0]))
    doc = _json(data)
    assert doc["validationPassed"] is False and doc["recognised"] is True
    assert [m["id"] for m in doc["messages"]] == ["cs-in-vnet-migrates-with-vnet"]
    unknown = _response(("Information", READY), ("Error", "Something csmlint has never seen."))
    target = tmp_path / "validate.xml"
    target.write_bytes(unknown)
    code, out, _ = run_main(tmp_path, capsys, "diagnose", "--file", str(target))
    assert code == 1
    assert "information: 1 message(s) with nothing to fix" in out


def test_schema_diagnose_prints_the_output_schema_and_the_catalogue_has_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_main(tmp_path, capsys, "schema", "diagnose")
    assert code == 0
    printed = json.loads(out)
    assert printed == OUTPUT_SCHEMA
    assert printed["properties"]["schema"] == {"const": "csmlint.diagnose/v1"}
    code, out, _ = run_main(tmp_path, capsys, "schema", "diagnose-catalog")
    assert code == 0
    catalogue = json.loads(out)
    assert "errors" in catalogue["properties"]


def test_every_kind_of_output_validates_against_the_schema() -> None:
    inputs = [message.encode() for message, *_ in QUOTED] + [
        b"The storage account named contosodisks is already taken.",
        b"OperationNotAllowed",
        _response(("Information", READY)),
        _response(("Information", READY), ("Warning", "Something csmlint has never seen.")),
    ]
    for data in inputs:
        _json(data)  # validates
    with pytest.raises(jsonschema.ValidationError):
        doc = _json(b"OperationNotAllowed")
        del doc["messages"][0]["state"]
        jsonschema.validate(doc, OUTPUT_SCHEMA)


def test_lint_of_a_validate_response_reports_the_quoted_messages_by_their_rules(
    tmp_path: Path,
) -> None:
    """The "belongs to Virtual Network" message was CSM002 (unrecognised) before."""
    (tmp_path / "validate.xml").write_bytes(
        _response(*(("Error", message) for message, *_ in QUOTED[:5]))
    )
    result, _ = run(RunOptions(paths=["."], cwd=str(tmp_path)))
    rules = sorted(f.rule_id for f in result.findings)
    assert "CSM002" not in rules
    assert rules == ["CSM116", "CSM116", "CSM130", "CSM136", "CSM172"]
