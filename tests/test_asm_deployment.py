"""Get Deployment / Get Cloud Service Properties exports -> topology deployments and VMs."""

from __future__ import annotations

import pytest
from asm_support import ACL, EXPORTS, MIGAZ, RDP, RESERVED, cloud_service, document, only

from csmlint.loaders.asm.deployment import rdp_extension_id
from csmlint.loaders.asm.export import import_asm
from csmlint.loaders.asm.merge import merge_imports
from csmlint.loaders.asm.vm import agent_status, is_xml_extension

RDP_ID = "RDP-0db31ef8-9104-4b48-8be1-0aee221ea3d7"


def _deployment(doc: dict, service: str) -> dict:
    cs = cloud_service(doc, service)
    assert len(cs["deployments"]) == 1
    return cs["deployments"][0]  # type: ignore[no-any-return]


def test_paas_deployment_with_rdp_extension() -> None:
    doc = document(RDP)
    cs = cloud_service(doc, "rdpexttest")  # the host of Url http://rdpexttest.cloudapp.net/
    # Type and provider are inferred from the id: no List Extensions response was given.
    assert cs["extensions"] == [
        {"id": RDP_ID, "provider": "Microsoft.Windows.Azure.Extensions", "type": "RDP"}
    ]
    dep = _deployment(doc, "rdpexttest")
    assert dep["slot"] == "production"  # DeploymentSlot "Production", lower-cased
    assert dep["name"] == "d00006ff7a7674acc8549dbda9ccdb40d"
    assert dep["label"] == "rdpexttest"  # base64 "cmRwZXh0dGVzdA==" decoded
    assert dep["status"] == "running"
    assert dep["kind"] == "paas"  # no Role has RoleType PersistentVMRole
    assert dep["vnet"] == ""  # no VirtualNetworkName: known to be in no VNet
    assert dep["extensionRefs"] == [{"id": RDP_ID, "roles": ["*"]}]
    assert dep["vips"] == [
        {
            "name": "LegacyRDPContractContract",
            "address": "168.62.213.82",
            "reserved": False,  # no IsReserved in a response that has <LoadBalancers/>
            "reservedIpName": "",
            "endpointCount": 2,
        }
    ]
    assert dep["roles"] == [
        {"name": "WCFServiceWebRole1", "size": "Small", "instanceCount": 1},
        {"name": "WorkerRole1", "size": "Small", "instanceCount": 1},
    ]
    assert dep["vms"] == []
    assert "cscfg" not in dep  # only `csmlint import` names the export as the cscfg
    assert dep["source"] == cs["source"] == "asm1"


def test_paas_configuration_is_decoded_with_locations_in_the_export() -> None:
    imp = import_asm((EXPORTS / RDP).read_bytes(), "exports/rdp.xml")
    assert imp.problems == []
    [embedded] = imp.configurations
    assert (embedded.service, embedded.slot) == ("rdpexttest", "production")
    cfg = embedded.configuration
    assert cfg.embedded and cfg.service_name == "LegacyRDP" and cfg.os_family == "2"
    assert [r.name for r in cfg.roles] == ["WCFServiceWebRole1", "WorkerRole1"]
    assert [s.value for s in cfg.roles[0].settings] == ["UseDevelopmentStorage=true"]
    text = (EXPORTS / RDP).read_text()
    column = text.index("<Configuration>") + 1
    assert cfg.src is not None
    assert (cfg.src.path, cfg.src.line, cfg.src.column) == ("exports/rdp.xml", 1, column)
    assert cfg.src.embedded_line == 2  # the decoded .cscfg starts with <?xml ...?> on line 1
    assert cfg.roles[1].src is not None and cfg.roles[1].src.embedded_line == 9


def test_locations_point_at_the_xml_elements() -> None:
    imp = import_asm((EXPORTS / RDP).read_bytes(), RDP)
    merged = merge_imports([imp])
    pointers = merged.prov.pointers(merged.document)
    text = (EXPORTS / RDP).read_text()
    dep = "/subscriptions/0/cloudServices/0/deployments/0"
    for pointer, tag in (
        (f"{dep}/slot", "<DeploymentSlot>"),
        (f"{dep}/vips/0/reserved", "<VirtualIP>"),
        (f"{dep}/extensionRefs/0/id", "<Id>"),
        (f"{dep}/roles/0", "<Role>"),
        ("/subscriptions/0/cloudServices/0/name", "<Url>"),
    ):
        ref = pointers[pointer]
        assert (ref.path, ref.line, ref.column) == (RDP, 1, text.index(tag) + 1), pointer


def test_iaas_deployment_reserved_vip_boot_diagnostics_agent_not_ready() -> None:
    doc = document(RESERVED)
    dep = _deployment(doc, "clitestvm8667")
    assert dep["kind"] == "iaas"
    assert dep["vips"] == [
        {
            "name": "clitestrip8955",
            "address": "104.210.34.1",
            "reserved": True,
            "reservedIpName": "clitestrip8955",
            "endpointCount": 1,
        }
    ]
    assert dep["roles"] == []
    vm = only(dep["vms"], name="ClitestVm8667")
    assert vm["bootDiagnostics"] == {"enabled": True, "storageAccount": "portalvhdszs2347q3q7wy"}
    assert vm["agent"] == {"status": "notready"}  # GuestAgentVersion "Unknown" is dropped
    assert (vm["roleState"], vm["powerState"]) == ("rolestateunknown", "started")
    assert vm["size"] == "Small" and vm["availabilitySet"] == "" and vm["staticIp"] == ""
    assert vm["osDisk"]["mediaLink"].startswith("https://portalvhdszs2347q3q7wy.blob.")
    assert vm["dataDisks"] == [] and vm["subnets"] == []
    second = only(dep["vms"], name="ClitestVm8667-2")
    assert second["powerState"] == "starting" and second["endpoints"] == []
    assert "extensions" not in vm  # no ResourceExtensionReferences element: unknown


def test_iaas_configuration_is_not_linted_as_a_cscfg() -> None:
    # The platform writes one "role" per VM into a VM deployment's Configuration.
    assert import_asm((EXPORTS / RESERVED).read_bytes(), RESERVED).configurations == []


def test_endpoint_acl_rule_and_unresponsive_agent() -> None:
    dep = _deployment(document(ACL), "dndintellij")
    vm = only(dep["vms"], name="DnDIntelliJ")
    endpoint = only(vm["endpoints"], name="tcp-23-23")
    assert endpoint == {
        "name": "tcp-23-23",
        "protocol": "tcp",
        "publicPort": 23,
        "localPort": 23,
        "acl": [{"order": 1, "action": "permit", "remoteSubnet": "23.99.18.228/31"}],
    }
    assert only(vm["endpoints"], name="SSH")["acl"] == []
    # Status NotReady; the message says "VM Agent is unresponsive": the Status is mapped.
    assert vm["agent"]["status"] == "notready"
    assert vm["extensions"] == []
    assert dep["vips"][0]["reserved"] is False


def test_absent_is_reserved_is_unknown_for_an_older_api_version() -> None:
    data = (EXPORTS / ACL).read_bytes().replace(b"<LoadBalancers/>", b"")
    doc = merge_imports([import_asm(data, ACL)]).document
    dep = doc["subscriptions"][0]["cloudServices"][0]["deployments"][0]
    assert "reserved" not in dep["vips"][0] and "reservedIpName" not in dep["vips"][0]
    assert "extensionRefs" not in dep  # no ExtensionConfiguration, version unknown


def test_hosted_service_with_both_slots() -> None:
    body = (EXPORTS / RDP).read_text()
    staging = body.replace(">Production<", ">Staging<").replace(
        "d00006ff7a7674acc8549dbda9ccdb40d", "stagingdeployment"
    )
    strip = ' xmlns="http://schemas.microsoft.com/windowsazure"'
    xml = (
        '<HostedService xmlns="http://schemas.microsoft.com/windowsazure">'
        "<Url>https://management.core.windows.net/12345678-1234-1234-1234-123456789abc/"
        "services/hostedservices/rdpexttest</Url><ServiceName>rdpexttest</ServiceName>"
        "<HostedServiceProperties><Location>West US</Location><Label>cmRwZXh0dGVzdA==</Label>"
        "</HostedServiceProperties><Deployments>"
        + body.replace(strip, "")
        + staging.replace(strip, "")
        + "</Deployments></HostedService>"
    )
    imp = import_asm(xml.encode(), "hs.xml")
    assert imp.problems == []
    assert [(c.slot, c.deployment) for c in imp.configurations] == [
        ("production", "d00006ff7a7674acc8549dbda9ccdb40d"),
        ("staging", "stagingdeployment"),
    ]
    doc = merge_imports([imp]).document
    [sub] = doc["subscriptions"]
    assert sub["id"] == "12345678-1234-1234-1234-123456789abc"
    [cs] = sub["cloudServices"]
    assert (cs["location"], cs["affinityGroup"], cs["label"]) == ("West US", "", "rdpexttest")
    assert [d["slot"] for d in cs["deployments"]] == ["production", "staging"]


def test_migaz_cloud_service_with_agent_ready_and_bginfo() -> None:
    doc = document("VM2-05-CloudService-myasmvm.xml", folder=MIGAZ)
    assert doc["subscriptions"][0]["id"] == "eb6b21dc-c84e-4758-88ad-d2206f4383dc"
    cs = cloud_service(doc, "myasmvm")
    assert (cs["location"], cs["label"]) == ("Southeast Asia", "myasmvm")
    vm = only(cs["deployments"][0]["vms"], name="myasmvm")
    assert vm["agent"] == {"status": "ready", "version": "2.7.1198.778"}
    assert vm["extensions"] == [
        {
            "publisher": "Microsoft.Compute",
            "name": "BGInfo",
            "version": "1.*",
            "state": "enable",
            "xml": True,
            "handlerStatus": "ready",
        }
    ]
    assert [(d["lun"], d["sizeGb"]) for d in vm["dataDisks"]] == [(0, 10), (1, 10)]


def test_migaz_stopped_vm_in_a_vnet() -> None:
    doc = document("VM1-05-CloudService-myservice.xml", folder=MIGAZ)
    dep = cloud_service(doc, "myservice")["deployments"][0]
    assert (dep["status"], dep["vnet"], dep["vips"]) == ("suspended", "Group Group-2 myservice", [])
    vm = only(dep["vms"], name="myservice")
    assert (vm["roleState"], vm["powerState"]) == ("stoppeddeallocated", "stopped")
    assert vm["subnets"] == ["Subnet-1"] and "agent" not in vm
    assert [(e["name"], e.get("xml")) for e in vm["extensions"]] == [
        ("MicrosoftMonitoringAgent", False),
        ("BGInfo", True),
    ]


def test_migaz_two_vms_and_an_unknown_subscription() -> None:
    doc = document("VM3-05-CloudService-CS3.xml", folder=MIGAZ)
    assert "id" not in doc["subscriptions"][0]  # the Url carries "xxxxxxxxxxxx"
    dep = cloud_service(doc, "CS3")["deployments"][0]
    assert dep["name"] == "Dep3" and dep["vnet"] == "POC-Vnet"
    assert sorted(vm["name"] for vm in dep["vms"]) == ["VM2", "VM3"]


def test_get_role_fills_the_same_vm() -> None:
    doc = document(
        "VM1-05-CloudService-myservice.xml",
        "VM1-06-VirtualMachine-myservice-myservice-myservice.xml",
        folder=MIGAZ,
    )
    assert "x-unmatched" not in doc
    vm = only(cloud_service(doc, "myservice")["deployments"][0]["vms"], name="myservice")
    assert len(vm["extensions"]) == 2  # merged by name, not duplicated


@pytest.mark.parametrize(
    ("ext_id", "rdp"),
    [
        (RDP_ID, True),
        ("Default-RDP-Production-Ext-0", True),  # Set-AzureServiceRemoteDesktopExtension
        ("WebRole1-RDP-Staging-Ext-1", True),
        ("Default-Antimalware-Production-Ext-0", False),
        ("PaaSDiagnostics-1234", False),
    ],
)
def test_rdp_extension_ids(ext_id: str, rdp: bool) -> None:
    assert rdp_extension_id(ext_id) is rdp


@pytest.mark.parametrize(
    ("publisher", "name", "version", "xml"),
    [
        ("Microsoft.Compute", "BGInfo", "1.*", True),
        ("Microsoft.Compute", "BGInfo", "2.1", False),
        ("Microsoft.VisualStudio.WindowsAzure.RemoteDebug", "VSRemoteDebugger", "1.*", True),
        ("Microsoft.VisualStudio.WindowsAzure.DevTest", "WebDeployForVSDevTest", "1.*", True),
        ("Contoso", "VS2013Debugger", "1.*", True),
        ("Microsoft.EnterpriseCloud.Monitoring", "MicrosoftMonitoringAgent", "1.*", False),
        ("Contoso", "Agent", "1.0", None),
    ],
)
def test_xml_extensions(publisher: str, name: str, version: str, xml: bool | None) -> None:
    assert is_xml_extension(publisher, name, version) is xml


def test_agent_status_enumeration() -> None:
    assert [agent_status(s) for s in ("Ready", "NotReady", "Unresponsive", "Installing")] == [
        "ready",
        "notready",
        "unresponsive",
        "unknown",
    ]
    assert agent_status(None) is None
