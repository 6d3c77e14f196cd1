"""``csmlint plan``: an ordered runbook per migration unit, from a lint run's findings."""

from csmlint.migration.plan.build import build_plan
from csmlint.migration.plan.model import PLAN_SCHEMA, Plan

__all__ = ["FORMATS", "PLAN_SCHEMA", "Plan", "build_plan", "in_format"]

FORMATS = ("markdown", "html", "json", "text")


def in_format(plan: Plan, fmt: str) -> str:
    """The plan in one of :data:`FORMATS` (any other: Markdown). Not named ``render``: that
    is the submodule this imports."""
    from csmlint.migration.plan import render as forms
    from csmlint.migration.plan.text import to_text

    if fmt == "json":
        return forms.to_json(plan)
    if fmt == "html":
        return forms.to_html(plan)
    if fmt == "text":
        return to_text(plan)
    return forms.to_markdown(plan)
