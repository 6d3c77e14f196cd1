"""Reporters: small modules behind one signature, imported only when asked for.

``render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str``
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from csmlint.findings.finding import ReportContext, RunResult
from csmlint.rulepack.rule import Rule

Render = Callable[[RunResult, Sequence[Rule], ReportContext], str]

REPORTERS: dict[str, str] = {
    "text": "csmlint.reporting.text",
    "json": "csmlint.reporting.json_report",
    "html": "csmlint.reporting.html",
    "sarif": "csmlint.reporting.sarif",
    "junit": "csmlint.reporting.junit",
    "markdown": "csmlint.reporting.markdown",
}
"""Format name -> module holding ``render``."""


def get_reporter(name: str) -> Render:
    module = importlib.import_module(REPORTERS[name])
    render: Render = module.render
    return render
