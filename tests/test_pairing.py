"""Pairing of `.cscfg` files with their `.csdef`: name first, then folder and roles."""

from __future__ import annotations

from csmlint.assembly.pairing import pair_configurations
from csmlint.model.configuration import Role, ServiceConfiguration
from csmlint.model.definition import RoleDefinition, ServiceDefinition


def _definition(path: str, name: str, *roles: str) -> ServiceDefinition:
    d = ServiceDefinition(path=path, name=name)
    d.roles = [RoleDefinition(name=r, role_type="worker") for r in roles]
    return d


def _configuration(path: str, name: str, *roles: str) -> ServiceConfiguration:
    c = ServiceConfiguration(path=path, service_name=name)
    c.roles = [Role(name=r) for r in roles]
    return c


def test_same_name_in_one_folder_prefers_the_definition_with_the_roles() -> None:
    short = _definition("repo/A.csdef", "Orleans", "WebRole", "Silo")
    right = _definition("repo/Sample__Orleans.csdef", "Orleans", "WebRole", "OrleansSilos")
    cfg = _configuration("repo/Sample__Orleans.cscfg", "Orleans", "webrole", "orleanssilos")
    assert pair_configurations([short, right], [cfg])[id(cfg)] is right


def test_same_folder_still_wins_over_roles_elsewhere() -> None:
    here = _definition("repo/cloud/ServiceDefinition.csdef", "Shop", "Web")
    there = _definition("other/ServiceDefinition.csdef", "Shop", "Web", "Worker")
    cfg = _configuration("repo/cloud/ServiceConfiguration.Cloud.cscfg", "Shop", "Web", "Worker")
    assert pair_configurations([here, there], [cfg])[id(cfg)] is here


def test_empty_service_name_pairs_with_no_definition_by_name() -> None:
    nameless = _definition("a/ServiceDefinition.csdef", "")
    cfg = _configuration("b/javademo.cscfg", "", "tomcat")
    assert id(cfg) not in pair_configurations([nameless], [cfg])


def test_name_mismatch_pairs_with_the_folder_definition_that_shares_a_role() -> None:
    d = _definition("svc/ServiceDefinition.csdef", "ContosoShop", "Storefront")
    cfg = _configuration("svc/ServiceConfiguration.Cloud.cscfg", "ContosoShopV2", "Storefront")
    assert pair_configurations([d], [cfg])[id(cfg)] is d


def test_unrelated_files_in_one_folder_stay_apart() -> None:
    d = _definition("repo/ServiceDefinition.csdef", "WingzOnAzure", "wingzonazure")
    cfg = _configuration("repo/ServiceConfiguration.cscfg", "WindowsAzureCompanion", "AdminWebSite")
    assert id(cfg) not in pair_configurations([d], [cfg])


def test_same_name_same_folder_same_roles_pairs_by_the_start_of_the_file_name() -> None:
    """New-user check: two copies of one project flattened into a folder paired both .cscfg
    files with the first .csdef."""
    live = _definition("repo/WindowsAzure1__ServiceDefinition.csdef", "WindowsAzure1", "Web")
    backup = _definition(
        "repo/Backup__WindowsAzure1__ServiceDefinition.csdef", "WindowsAzure1", "Web"
    )
    cfg_live = _configuration(
        "repo/WindowsAzure1__ServiceConfiguration.Cloud.cscfg", "WindowsAzure1", "Web"
    )
    cfg_backup = _configuration(
        "repo/Backup__WindowsAzure1__ServiceConfiguration.Cloud.cscfg", "WindowsAzure1", "Web"
    )
    for order in ([live, backup], [backup, live]):
        pairs = pair_configurations(order, [cfg_live, cfg_backup])
        assert pairs[id(cfg_live)] is live and pairs[id(cfg_backup)] is backup
