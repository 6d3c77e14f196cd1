"""A subscription-wide blocker blocks every cloud service of that subscription, and only those."""

from __future__ import annotations

from conftest import FIXTURES

from csmlint.engine import RunOptions, run

CASE = FIXTURES / "rules" / "CSM166-migration-provider-not-registered"


def _readiness(case: str) -> list[tuple[str, str]]:
    result, _ = run(RunOptions(paths=["."], cwd=str(CASE / case)))
    return [(s.name, s.readiness) for s in result.services]


def test_unregistered_provider_blocks_the_services_of_its_subscription_only() -> None:
    # Two subscriptions each hold a 'proseware-web'; only the first lacks the provider.
    assert _readiness("topology-not-registered") == [
        ("proseware-web", "blocked"),
        ("proseware-web", "needs-attention"),  # not blocked; unconfirmed (quota unknown)
    ]


def test_registered_provider_blocks_nothing() -> None:
    assert [r for _, r in _readiness("topology-registered")] == ["needs-attention"]


def test_same_named_services_in_two_folders_keep_their_own_readiness(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Both definitions name 'LitwareSimulation'; only the one with retired sizes is blocked
    # (the other only renames legacy sizes),
    # and each finding stays with the service whose file it came from.
    import shutil

    rule = FIXTURES / "rules" / "CSM128-retired-role-size"
    shutil.copytree(rule / "hpc-sizes", tmp_path / "prod")
    shutil.copytree(rule / "supported-sizes", tmp_path / "test")
    result, _ = run(RunOptions(paths=["."], cwd=str(tmp_path)))
    by_definition = {s.definition: (s.name, s.readiness, s.unit) for s in result.services}
    assert by_definition == {
        "prod/ServiceDefinition.csdef": (
            "LitwareSimulation",
            "blocked",
            "cloudService:litwaresimulation",
        ),
        "test/ServiceDefinition.csdef": (
            "LitwareSimulation",
            "needs-attention",
            "cloudService:litwaresimulation#2",
        ),
    }
    assert [u.id for u in result.units] == [
        "cloudService:litwaresimulation",
        "cloudService:litwaresimulation#2",
    ]
    keys = {f.service_key for f in result.active if f.rule_id == "CSM128"}
    assert keys == {"cloudService:litwaresimulation"}


def test_a_subscription_wide_cannot_tell_is_named_where_it_leaves_a_verdict_unconfirmed() -> None:
    """New-user check: a storage account read "unconfirmed: 1 blocking check(s) cannot tell"
    with no finding of its own saying which (the migration provider's, for the whole
    subscription)."""
    from csmlint.findings.summary import summarize

    path = FIXTURES / "rules" / "CSM141-boot-diagnostics-premium" / "topology-boot-diagnostics"
    result, _ = run(RunOptions(paths=[str(path)]))
    storage = [u for u in result.units if u.kind == "storageAccount"]
    assert storage and all(u.counts == {"error": 0, "warning": 0, "note": 0} for u in storage)
    for unit in storage:
        assert unit.wide_checks == ["CSM166"]
        assert summarize(result).readiness_note(unit) == (
            "1 blocking check(s) cannot tell: CSM166 for the whole subscription"
        )
