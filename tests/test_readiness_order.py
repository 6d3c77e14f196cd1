"""Readiness tables are sorted the same way in every report: blocked first, then needs
attention, then ready, each by name (issue 11 audit: they were in discovery order)."""

from __future__ import annotations

import json
import re

from conftest import FIXTURES, ROOT

from csmlint import __version__
from csmlint.engine import RunOptions, run
from csmlint.findings.finding import ReportContext
from csmlint.reporting import get_reporter

RANK = {"blocked": 0, "needs-attention": 1, "ready": 2}


def _result():  # type: ignore[no-untyped-def]
    return run(RunOptions(paths=[str(FIXTURES / "examples")], cwd=str(ROOT)))


def test_services_and_units_come_blocked_first_then_by_name() -> None:
    result, _ = _result()
    services = [(RANK[s.readiness], s.name.lower()) for s in result.services]
    units = [(RANK[u.readiness], u.name.lower()) for u in result.units]
    assert services == sorted(services) and len({r for r, _ in services}) == 3
    assert units == sorted(units) and len({r for r, _ in units}) == 3
    for u in result.units:
        assert u.cloud_services == sorted(u.cloud_services, key=str.lower)


def test_the_text_and_json_tables_show_that_order() -> None:
    result, ran = _result()
    ctx = ReportContext(version=__version__)
    text = get_reporter("text")(result, ran, ctx)
    table = text[text.index("Readiness by cloud service:") : text.index("Readiness by migration")]
    shown = re.findall(r"\s(blocked|needs-attention|ready)\s", table)
    assert shown == sorted(shown, key=RANK.__getitem__) and len(shown) == len(result.services)
    doc = json.loads(get_reporter("json")(result, ran, ctx))
    assert [s["name"] for s in doc["cloudServices"]] == [s.name for s in result.services]
    assert [u["id"] for u in doc["units"]] == [u.id for u in result.units]
