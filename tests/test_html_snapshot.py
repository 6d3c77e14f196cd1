"""The HTML report of the reference estate, as a snapshot (``tests/snapshots.py``).

``pytest --update-snapshots`` rewrites ``fixtures/snapshots/report.html``; review the diff
(open the file in a browser too), then commit it.
"""

from __future__ import annotations

import pytest
from snapshots import assert_snapshot, reference_context, reference_run

from csmlint.reporting.html import render


def test_html_snapshot(request: pytest.FixtureRequest) -> None:
    result, rules = reference_run()
    assert_snapshot(request, "report.html", render(result, rules, reference_context()))


def test_html_is_deterministic() -> None:
    result, rules = reference_run()
    first = render(result, rules, reference_context())
    assert first == render(result, list(reversed(rules)), reference_context())
