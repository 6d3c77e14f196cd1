"""Folding: one rule firing thousands of times in one file is listed a bounded number of times.

A 5 MB `.cscfg` with 100,000 roles yields 100,000 findings of one rule; every report format
would carry each of them (143 MB of JSON, a page no browser opens). Past :data:`FOLD_AT`
findings of one rule in one file, the rest are folded: counted, not listed. Verdicts and
counts are computed before folding (:func:`csmlint.findings.summary.summarize` keeps them
on the result), so folding changes what is listed, never what is concluded.
"""

from __future__ import annotations

from csmlint.findings.finding import Folded, RunResult
from csmlint.findings.summary import summarize

FOLD_AT = 200
"""Findings of one rule in one file that are listed; the rest are folded."""


def fold(result: RunResult, limit: int = FOLD_AT) -> None:
    """Fold ``result`` in place (active findings only; suppressed ones are never listed
    past the limit either, and are counted the same way)."""
    summarize(result)
    seen: dict[tuple[str, str, bool], int] = {}
    kept = []
    for f in result.findings:
        key = (f.rule_id, f.location.path, f.suppression is None)
        n = seen[key] = seen.get(key, 0) + 1
        if n <= limit:
            kept.append(f)
    if len(kept) == len(result.findings):
        return
    result.findings = kept
    for (rule_id, path, active), n in seen.items():
        if n > limit:
            result.folded.append(Folded(rule_id, path, n - limit, suppressed=not active))
            what = "suppressed findings" if not active else "findings"
            result.notifications.append(
                f"{n - limit} more {what} of {rule_id} in {path} are not listed (the first "
                f"{limit} are); counts and readiness include them all"
            )
