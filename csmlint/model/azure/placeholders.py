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
    "<region>": "the region, as Resource Manager names it (westeurope): the classic resource's "
    "Location (Get-AzureService, Get-AzureVNetSite) or Get-AzLocation | Select-Object Location",
    "<resource-group>": "the resource group to use: Get-AzResourceGroup | Select-Object "
    "ResourceGroupName (New-AzResourceGroup makes a new one)",
    "<subscription-id>": "the subscription's ID: (Get-AzContext).Subscription.Id",
    "<subnet-name>": "the subnet's name: (Get-AzVirtualNetwork -Name <arm-vnet-name> "
    "-ResourceGroupName <migrated-resource-group>).Subnets.Name (before the migration: "
    "Get-AzureVNetSite | Select-Object -ExpandProperty Subnets)",
    "<vnet-name>": "the classic virtual network's name: Get-AzureVNetSite | Select-Object Name",
    "<vm-name>": "the classic VM's name: Get-AzureVM -ServiceName <cloud-service-name> | "
    "Select-Object Name",
    "<vm-size>": "a size the region offers: Get-AzVMSize -Location <region>",
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
    "<publisher-name>": "the extension's publisher: Get-AzureServiceExtension -ServiceName "
    "<cloud-service-name> (ProviderNameSpace), or Get-AzureVMExtension for a VM",
    "<extension-name>": "the extension's name (type): Get-AzureServiceExtension -ServiceName "
    "<cloud-service-name> (Extension), or Get-AzureVMExtension for a VM",
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
    return (
        f"Fill in {names} with your own value{'s' if len(shown) > 1 else ''} (what the text "
        "above describes)."
    )
