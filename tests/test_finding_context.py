"""Network-file findings attach to the VNet they belong to, so they count for its unit."""

from __future__ import annotations

from conftest import FIXTURES

from csmlint.engine import RunOptions, run


def test_invalid_cidr_in_a_subnet_counts_for_its_vnet_unit() -> None:
    result, _ = run(RunOptions(paths=["."], cwd=str(FIXTURES / "examples" / "contoso")))
    cidr = [f for f in result.findings if f.rule_name == "invalid-cidr"]
    assert cidr, "the contoso estate has a subnet prefix with host bits set"
    assert {(f.virtual_network, f.unit) for f in cidr} == {("contoso-vnet", "vnet:contoso-vnet")}
    unit = next(u for u in result.units if u.id == "vnet:contoso-vnet")
    assert unit.readiness == "blocked"
