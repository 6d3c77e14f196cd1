"""Snapshot tests: every reporter on the one reference estate (``tests/snapshots.py``).

A failing snapshot shows a diff. New rules change these files: run
``pytest --update-snapshots``, review the diff, commit it.
"""

from __future__ import annotations

import pytest
from snapshots import assert_snapshot, reference_context, reference_run

from csmlint.reporting import get_reporter

SNAPSHOT_FILES = {
    "text": "report.txt",
    "json": "report.json",
    "sarif": "report.sarif",
    "junit": "report.junit.xml",
    "markdown": "report.md",
}


@pytest.mark.parametrize("fmt", sorted(SNAPSHOT_FILES))
def test_reporter_snapshot(request: pytest.FixtureRequest, fmt: str) -> None:
    result, rules = reference_run()
    text = get_reporter(fmt)(result, rules, reference_context())
    assert_snapshot(request, SNAPSHOT_FILES[fmt], text)


@pytest.mark.parametrize("fmt", sorted(SNAPSHOT_FILES))
def test_reporter_output_is_deterministic(fmt: str) -> None:
    result, rules = reference_run()
    render = get_reporter(fmt)
    first = render(result, rules, reference_context())
    again = render(result, list(reversed(rules)), reference_context())
    assert first == again


def test_reference_estate_exercises_every_report_feature() -> None:
    """The estate stays useful as rules come and go: it must keep a blocker, a warning, a
    note, both suppression kinds, a skipped file and a path that needs percent-encoding."""
    result, _ = reference_run()
    active = result.active
    assert any(f.category == "blocker" and f.severity == "error" for f in active)
    assert any(f.severity == "warning" for f in active)
    assert any(f.severity == "note" for f in active)
    kinds = {f.suppression.kind for f in result.suppressed if f.suppression}
    assert kinds == {"inSource", "external"}
    assert result.skipped, "the *.Local.cscfg should be skipped by default"
    assert any(" " in f.location.path for f in result.findings)
    assert {s.readiness for s in result.services} >= {"blocked"}
