"""Validate-migration responses, wrappers of several responses, and unreadable input."""

from __future__ import annotations

import base64

import pytest
from asm_support import ACL, EXPORTS, RDP, document, only

from csmlint.errors import InputError
from csmlint.loaders.asm.export import import_asm
from csmlint.loaders.asm.merge import merge_imports

VALIDATION = "asm-validate-deployment-migration-error.xml"
NS = ' xmlns="http://schemas.microsoft.com/windowsazure"'


def _body(name: str) -> str:
    """A response body as a wrapper or a log holds it (namespace declarations kept)."""
    return (EXPORTS / name).read_text().strip()


def test_validation_messages_without_their_deployment_are_kept_unmatched() -> None:
    doc = document(VALIDATION)
    [entry] = doc["x-unmatched"]
    assert entry["kind"] == "lastValidation" and entry["matchOn"] == {"deployment": "123"}
    assert entry["value"] == [
        {
            "resourceType": "Deployment",
            "resourceName": "123",
            "category": "Error",
            "message": "The deployment name '123' does not exist.",
        }
    ]


def test_validation_messages_attach_to_the_deployment_they_name() -> None:
    validation = (EXPORTS / VALIDATION).read_text().replace("'123'", "'DnDIntelliJ'")
    validation = validation.replace(">123<", ">DnDIntelliJ<")
    merged = merge_imports(
        [
            import_asm((EXPORTS / ACL).read_bytes(), ACL),
            import_asm(validation.encode(), "validate.xml", source_id="asm2"),
        ]
    )
    dep = merged.document["subscriptions"][0]["cloudServices"][0]["deployments"][0]
    [msg] = dep["migration"]["lastValidation"]
    assert (msg["category"], msg["message"]) == (
        "Error",
        "The deployment name 'DnDIntelliJ' does not exist.",
    )
    ref = merged.prov.pointers(merged.document)[
        "/subscriptions/0/cloudServices/0/deployments/0/migration/lastValidation"
    ]
    assert (ref.path, ref.line, ref.column) == ("validate.xml", 1, 1)


def test_role_migration_state() -> None:
    body = (
        (EXPORTS / ACL)
        .read_text()
        .replace(
            "<RoleSize>ExtraLarge</RoleSize>",
            "<RoleSize>ExtraLarge</RoleSize><MigrationState>Prepared</MigrationState>",
        )
    )
    doc = merge_imports([import_asm(body.encode(), ACL)]).document
    dep = doc["subscriptions"][0]["cloudServices"][0]["deployments"][0]
    assert dep["migration"] == {"state": "prepared"}
    assert dep["vms"][0]["migrationState"] == "prepared"


def test_metadata_extract_wrapper_utf16() -> None:
    """MetadataExtract.ps1: ``<deployments>`` + raw Get Deployment bodies, Out-File UTF-16."""
    xml = f"<deployments>{_body(RDP)}{_body(ACL)}</deployments>\r\n"
    name = "metadata_0e9a2a0f-8d44-4c5c-9a35-7b2e1d0f4a11.xml"
    imp = import_asm(xml.encode("utf-16"), name)
    assert imp.problems == []
    doc = merge_imports([imp]).document
    [sub] = doc["subscriptions"]
    assert sub["id"] == "0e9a2a0f-8d44-4c5c-9a35-7b2e1d0f4a11"  # from the file name
    assert sorted(cs["name"] for cs in sub["cloudServices"]) == ["dndintellij", "rdpexttest"]
    assert [c.service for c in imp.configurations] == ["rdpexttest"]


def test_migaz_log_with_request_urls() -> None:
    sub = "f2175d43-ac02-49b4-9262-47db12ec799b"
    base = f"https://management.core.windows.net/{sub}"
    log = "\r\n".join(
        [
            f"7/31/2016 1:23:59 AM   {base}/services/hostedservices/mysvc"
            "/deploymentslots/Production",
            _body(RDP),
            "",
            f"7/31/2016 1:24:00 AM   {base}/services/networking/virtualnetwork",
            "Cached",
            "",
            f"7/31/2016 1:24:01 AM   {base}/services/networking/CliGtTestVnet3384/gateway",
            (EXPORTS / "asm-get-virtual-network-gateway.xml").read_text().strip(),
            "",
            f"7/31/2016 1:24:02 AM   {base}/services/hostedservices/mysvc/deployments/x/roles/y",
            "<PersistentVMRole><RoleName>broken</PersistentVMRole>",
            "",
        ]
    )
    imp = import_asm(log.encode(), "MigAz-XML-20160731.log")
    [problem] = imp.problems  # the broken response; everything else is imported
    assert problem.line == 11
    doc = merge_imports([imp]).document
    [found] = doc["subscriptions"]
    assert found["id"] == sub
    # The request URL names the cloud service (not the host of the deployment's Url).
    assert [cs["name"] for cs in found["cloudServices"]] == ["mysvc"]
    [entry] = doc["x-unmatched"]
    assert entry["matchOn"]["vnet"] == "CliGtTestVnet3384"
    [cfg] = imp.configurations
    assert cfg.configuration.src is not None and cfg.configuration.src.line == 2


def test_bad_base64_configuration_is_a_problem_at_the_element() -> None:
    text = (EXPORTS / RDP).read_text()
    start = text.index("<Configuration>") + len("<Configuration>")
    broken = text[:start] + "!!not base64!!" + text[text.index("</Configuration>") :]
    imp = import_asm(broken.encode(), RDP)
    [problem] = imp.problems
    assert (problem.line, problem.column) == (1, text.index("<Configuration>") + 1)
    assert "not valid base64" in problem.reason
    assert imp.configurations == []
    # Everything else is still imported.
    assert (
        merge_imports([imp]).document["subscriptions"][0]["cloudServices"][0]["name"]
        == "rdpexttest"
    )


def test_configuration_with_a_doctype_is_refused() -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><ServiceConfiguration/>'
    text = (EXPORTS / RDP).read_text()
    start = text.index("<Configuration>") + len("<Configuration>")
    payload = base64.b64encode(evil).decode()
    hostile = text[:start] + payload + text[text.index("</Configuration>") :]
    [problem] = import_asm(hostile.encode(), RDP).problems
    assert "DOCTYPE" in problem.reason and "decoded .cscfg" in problem.reason


def test_export_with_a_doctype_is_an_input_error() -> None:
    with pytest.raises(InputError, match="DOCTYPE"):
        import_asm(b'<!DOCTYPE Deployment [<!ENTITY x "y">]><Deployment>&x;</Deployment>', "x.xml")


def test_unknown_root_is_an_input_error() -> None:
    with pytest.raises(InputError, match="<Subscription> is not a Service Management response"):
        import_asm(b"<Subscription/>", "sub.xml")


def test_error_response_is_a_problem() -> None:
    xml = f"<Error{NS}><Code>ResourceNotFound</Code><Message>No deployment</Message></Error>"
    [problem] = import_asm(xml.encode(), "err.xml").problems
    assert "ResourceNotFound: No deployment" in problem.reason


def test_deployment_without_url_cannot_name_its_cloud_service() -> None:
    body = _body(ACL).replace("<Url>http://dndintellij.cloudapp.net/</Url>", "")
    imp = import_asm(body.encode(), "nourl.xml")
    assert [p.reason for p in imp.problems] == [
        "cannot tell the cloud service of this deployment (no Url)"
    ]


def test_label_that_is_not_base64_is_kept_as_written() -> None:
    body = _body(ACL).replace("RG5ESW50ZWxsaUo=", "plain label!")
    doc = merge_imports([import_asm(body.encode(), "l.xml")]).document
    assert doc["subscriptions"][0]["cloudServices"][0]["deployments"][0]["label"] == "plain label!"


def test_named_role_extension_refs() -> None:
    ext = (
        "<ExtensionConfiguration><AllRoles/><NamedRoles><Role><RoleName>WorkerRole1</RoleName>"
        "<Extensions><Extension><Id>WorkerRole1-RDP-Production-Ext-0</Id></Extension>"
        "<Extension><Id>Antimalware-1</Id></Extension></Extensions></Role></NamedRoles>"
        "</ExtensionConfiguration>"
    )
    body = _body(RDP)
    start = body.index("<ExtensionConfiguration>")
    end = body.index("</ExtensionConfiguration>") + len("</ExtensionConfiguration>")
    doc = merge_imports([import_asm((body[:start] + ext + body[end:]).encode(), "n.xml")]).document
    cs = doc["subscriptions"][0]["cloudServices"][0]
    assert cs["deployments"][0]["extensionRefs"] == [
        {"id": "WorkerRole1-RDP-Production-Ext-0", "roles": ["WorkerRole1"]},
        {"id": "Antimalware-1", "roles": ["WorkerRole1"]},
    ]
    assert only(cs["extensions"], id="WorkerRole1-RDP-Production-Ext-0")["type"] == "RDP"
    assert only(cs["extensions"], id="Antimalware-1") == {"id": "Antimalware-1"}  # type unknown
