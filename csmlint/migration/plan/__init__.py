"""``csmlint plan``: an ordered runbook per migration unit, from a lint run's findings."""

from csmlint.migration.plan.build import build_plan
from csmlint.migration.plan.model import PLAN_SCHEMA, Plan

__all__ = ["PLAN_SCHEMA", "Plan", "build_plan"]
