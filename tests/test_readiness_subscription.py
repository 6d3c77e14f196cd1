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
        ("proseware-web", "ready"),
    ]


def test_registered_provider_blocks_nothing() -> None:
    assert all(r == "ready" for _, r in _readiness("topology-registered"))
