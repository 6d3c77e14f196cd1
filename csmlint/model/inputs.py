"""What the loaders produce for one run, before assembly joins it into an :class:`Estate`."""

from __future__ import annotations

from csmlint.model.cloud import ValidationMessage
from csmlint.model.configuration import ServiceConfiguration
from csmlint.model.definition import ServiceDefinition
from csmlint.model.estate import InputFile
from csmlint.model.network import AddressPrefix, DnsServer, LocalNetworkSite, VirtualNetwork
from csmlint.model.subscription import Subscription
from csmlint.records import field, record


@record
class NetworkConfig:
    """What one netcfg document declares."""

    path: str
    virtual_networks: list[VirtualNetwork] = field(default_factory=list)
    local_sites: list[LocalNetworkSite] = field(default_factory=list)
    prefixes: list[AddressPrefix] = field(default_factory=list)
    dns_servers: list[DnsServer] = field(default_factory=list)


@record
class Inputs:
    """Everything the loaders produced for one run."""

    files: list[InputFile] = field(default_factory=list)
    definitions: list[ServiceDefinition] = field(default_factory=list)
    configurations: list[ServiceConfiguration] = field(default_factory=list)
    networks: list[NetworkConfig] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    unattached_validation: list[ValidationMessage] = field(default_factory=list)
    """Messages of Validate/Prepare responses that attach to no deployment of the run (the
    engine reports each through the platform error catalogue)."""
    target_vnet: str | None = None
