"""Reporters: small modules behind one signature, imported only when asked for.

``render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str``; a reporter
whose output can be large may also have ``stream(...) -> Iterator[str]``, the same text in
pieces (:func:`get_stream` falls back to ``render``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence

from csmlint.findings.finding import ReportContext, RunResult
from csmlint.rulepack.rule import Rule

Render = Callable[[RunResult, Sequence[Rule], ReportContext], str]
Stream = Callable[[RunResult, Sequence[Rule], ReportContext], Iterable[str]]

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


def get_stream(name: str) -> Stream:
    """The format's ``stream`` (pieces written as they are made), else its ``render``."""
    module = importlib.import_module(REPORTERS[name])
    stream: Stream | None = getattr(module, "stream", None)
    if stream is not None:
        return stream
    render: Render = module.render
    return lambda result, rules, ctx: (render(result, rules, ctx),)
