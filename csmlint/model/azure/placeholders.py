"""Where the real value of a placeholder in a remediation command is.

The names csmlint can fill in (a cloud service's, a deployment's) have their own line in
:data:`~csmlint.model.azure.naming.PLACEHOLDERS`. These are the values a command needs
that no input holds: each gets one line after the fix text saying where to find it, unless
the rule's own text already names it. A placeholder in neither table is still listed (one
line naming every such value): a pasted command never keeps one unnoticed.
"""

from __future__ import annotations

from typing import Final

GLOSSARY: Final[dict[str, str]] = {
    "<region>": "the region's name as Get-AzureLocation lists it (for example West Europe: "
    "the classic resource's Location; Resource Manager cmdlets take it too)",
    "<resource-group>": "the resource group to use: Get-AzResourceGroup | Select-Object "
    "ResourceGroupName (New-AzResourceGroup makes a new one)",
    "<subscription-id>": "the subscription's ID: (Get-AzContext).Subscription.Id",
    "<subnet-name>": "the subnet's name: Get-AzureVNetSite -VNetName <vnet-name> | "
    "Select-Object -ExpandProperty Subnets (the migration keeps subnet names)",
    "<vnet-name>": "the classic virtual network's name: Get-AzureVNetSite | Select-Object Name",
    "<vm-name>": "the classic VM's name: Get-AzureVM -ServiceName <cloud-service-name> | "
    "Select-Object Name",
    "<vm-size>": "a size classic VMs can use: Get-AzureRoleSize | Where-Object "
    "SupportedByVirtualMachines | Select-Object InstanceSize",
    "<os-disk-name>": "the VM's OS disk: Get-AzureVM -ServiceName <cloud-service-name> -Name "
    "<vm-name> | Get-AzureOSDisk | Select-Object DiskName",
    "<lun>": "the data disk's LUN: Get-AzureVM -ServiceName <cloud-service-name> -Name "
    "<vm-name> | Get-AzureDataDisk | Select-Object Lun, DiskName",
    "<disk-name>": "the disk's name: Get-AzureDisk | Select-Object DiskName, AttachedTo, MediaLink",
    "<data-disk-name>": "the data disk's name: Get-AzureVM -ServiceName <cloud-service-name> "
    "-Name <vm-name> | Get-AzureDataDisk | Select-Object Lun, DiskName",
    "<storage-account-name>": "the storage account's name: Get-AzureStorageAccount | "
    "Select-Object StorageAccountName",
    "<container-name>": "the blob container: the path segment after the host in the disk's "
    "MediaLink (Get-AzureDisk | Select-Object DiskName, MediaLink)",
    "<cscfg-path>": "the path of the cloud service's .cscfg (the one this finding names, when "
    "it names one)",
    "<cspkg-path>": "the service package (.cspkg) your build made for this deployment: a local "
    "path",
    "<cspkg-path-or-url>": "the service package (.cspkg) your build made for this deployment: "
    "a local path or a blob URL with a SAS token",
    "<current-cspkg-path-or-url>": "the service package (.cspkg) the deployment runs now: a "
    "local path or a blob URL with a SAS token",
    "<repackaged-cspkg-path>": "the .cspkg built again after the change the text describes "
    "(Visual Studio's Package, or CSPack)",
    "<cleaned-cscfg-path>": "the .cscfg after the edit the text describes",
    "<updated-cscfg-path>": "the .cscfg after the edit the text describes",
    "<local-site-name>": "the local network site's name: Get-AzureVNetConfig (LocalNetworkSite "
    "name), or the netcfg this finding names",
    "<shared-key>": "the connection's IPsec pre-shared key, the one the on-premises device "
    "has: Get-AzureVNetGatewayKey -VNetName <vnet-name> -LocalNetworkSiteName <local-site-name>",
    "<circuit-name>": "the ExpressRoute circuit's name: Get-AzureDedicatedCircuit | "
    "Select-Object CircuitName, ServiceKey",
    "<service-key>": "the ExpressRoute circuit's service key: Get-AzureDedicatedCircuit | "
    "Select-Object CircuitName, ServiceKey",
    "<publisher-name>": "the VM extension's publisher: Get-AzureVM -ServiceName "
    "<cloud-service-name> -Name <vm-name> | Get-AzureVMExtension | Select-Object "
    "ExtensionName, Publisher, Version",
    "<extension-name>": "the VM extension's name: Get-AzureVM -ServiceName "
    "<cloud-service-name> -Name <vm-name> | Get-AzureVMExtension | Select-Object "
    "ExtensionName, Publisher, Version",
    "<recovery-services-vault-name>": "the Recovery Services vault: Get-AzRecoveryServicesVault "
    "| Select-Object Name, ResourceGroupName",
    "<reserved-ip-name>": "the reserved IP's name: Get-AzureReservedIP | Select-Object "
    "ReservedIPName, Address, InUse",
    "<exports-folder>": "a folder of your choice for the saved responses",
    "<port>": "the port the endpoint serves (its .csdef InputEndpoint port)",
    "<gateway-name>": "the gateway's name in Resource Manager: Get-AzVirtualNetworkGateway "
    "-ResourceGroupName <migrated-resource-group> | Select-Object Name",
    "<nsg-name>": "a name for the network security group (an existing one: "
    "Get-AzNetworkSecurityGroup | Select-Object Name, ResourceGroupName)",
}
"""Placeholder -> where its real value is."""


def other_values(shown: list[str]) -> str:
    """The line naming the placeholders no table explains."""
    names = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
    pronoun = "them" if len(shown) > 1 else "it"
    return f"Fill in {names}: csmlint cannot tell {pronoun} from the inputs."
