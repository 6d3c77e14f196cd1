"""Severities and categories that follow the migration documents (where a rule once
contradicted them), so that readiness says blocked exactly when the documents say the
scenario is not supported."""

from __future__ import annotations

import pytest

from csmlint.rulepack.loader import load_rules

EXPECTED = {
    # "Migration of cloud service to different Vnet: This is not supported"
    "migrate-to-different-vnet": ("error", "blocker"),
    # portal-created VNets are a supported scenario; the .cscfg change is cscfg-vnet-arm-id's
    "portal-vnet-group-name": ("note", "advisory"),
    # deleting unattached disks and VM images is a check before Move-AzureStorageAccount
    "unattached-disks-and-images": ("warning", "dropped"),
    # locked mid-migration: nothing can change until Commit or Abort
    "migration-locked-state": ("error", "blocker"),
    "migration-provider-not-registered": ("error", "blocker"),
    "arm-quota-insufficient": ("error", "blocker"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_severity_and_category(name: str) -> None:
    [rule] = [r for r in load_rules() if r.name == name]
    assert (rule.severity, rule.category) == EXPECTED[name]


def test_the_extended_support_path_registers_both_providers() -> None:
    [rule] = [r for r in load_rules() if r.name == "migration-provider-not-registered"]
    text = "\n".join(rule.commands)
    assert (
        "Register-AzResourceProvider -ProviderNamespace Microsoft.ClassicInfrastructureMigrate"
        in text
    )
    assert (
        "Register-AzProviderFeature -FeatureName CloudServices -ProviderNamespace Microsoft.Compute"
        in text
    )


def test_quota_text_matches_the_documents() -> None:
    [rule] = [r for r in load_rules() if r.name == "arm-quota-insufficient"]
    words = " ".join([rule.rationale, rule.unknown_message or "", rule.remediation])
    assert "Validate does not check quotas" not in words
    assert "validation" in words and "Prepare" in words
