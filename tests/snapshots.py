"""Reporter snapshots: one reference estate, one stored output per format.

The reference estate lives in ``fixtures/snapshots/estate/`` (two cloud services, one VNet
with a gateway, an inline and an external suppression, a skipped ``*.Local.cscfg``, a
folder name with a space). :func:`reference_run` lints it once per session, with the estate
as working directory and source root, so paths in every report are estate-relative and the
same on every machine. Reporters render it with :func:`reference_context`.

:func:`assert_snapshot` compares a report with ``fixtures/snapshots/<name>``; run
``pytest --update-snapshots`` to rewrite the stored files after an intended change (new
rules change them: review the diff, then commit it). Any reporter (text, JSON, SARIF, JUnit,
Markdown, HTML) uses the same two functions::

    from snapshots import assert_snapshot, reference_context, reference_run

    def test_html_snapshot(request):
        result, rules = reference_run()
        assert_snapshot(request, "report.html", render(result, rules, reference_context()))
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import FIXTURES

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import ReportContext, RunResult
from csmlint.model.location import SourceRef
from csmlint.records import replace
from csmlint.rulepack.rule import Rule
from csmlint.workflow.suppressions import ExternalSuppression

SNAPSHOTS = FIXTURES / "snapshots"
ESTATE = SNAPSHOTS / "estate"
SNAPSHOT_RULES = (
    "CSM001",  # unused-suppression (stays silent: both suppressions are used)
    "CSM103",  # vpn-gateway-present
    "CSM116",  # deployment-not-in-vnet (a note: default VNet unknown)
    "CSM123",  # rdp-plugin-present
    "CSM124",  # diagnostics-plugin-present
    "CSM127",  # legacy-role-size (one inline-suppressed)
    "CSM128",  # retired-role-size (runs clean)
    "CSM130",  # role-without-subnet (the blocker)
    "CSM173",  # single-instance-role
    "CSM174",  # certificates-to-key-vault (externally suppressed)
)
"""The rules the snapshots run (plus the always-on input-error rule). A fixed list keeps the
snapshots still while other rules are added; extend it when a reporter feature needs it."""
VERSION = "0.0.0"
"""Version written into snapshots, so a release does not rewrite them all."""
EXTERNAL_SUPPRESSION = ExternalSuppression(
    rules=("certificates-to-key-vault",),
    paths=("src/Fabrikam.Shop/*",),
    reason="Key Vault access policies are set by the platform team (CHG-4711)",
    location=SourceRef(".csmlint.yaml", 4, 5),
)


@lru_cache(maxsize=1)
def _run() -> tuple[RunResult, tuple[Rule, ...]]:
    options = RunOptions(
        paths=["."],
        cwd=str(ESTATE),
        select=list(SNAPSHOT_RULES),
        suppress=[EXTERNAL_SUPPRESSION],
    )
    result, rules = run(options)
    return result, tuple(rules)


def reference_run() -> tuple[RunResult, list[Rule]]:
    """The reference estate's result and the rules that ran (computed once per session;
    do not mutate the result)."""
    result, rules = _run()
    return result, list(rules)


def reference_context(**overrides: object) -> ReportContext:
    ctx = ReportContext(version=VERSION, cwd=str(ESTATE), source_root=str(ESTATE))
    return replace(ctx, **overrides)  # type: ignore[arg-type]


def assert_snapshot(request: pytest.FixtureRequest, name: str, actual: str) -> None:
    """Compare ``actual`` with ``fixtures/snapshots/<name>`` (or rewrite it with
    ``--update-snapshots``)."""
    path = SNAPSHOTS / name
    if request.config.getoption("--update-snapshots"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"no snapshot {_rel(path)}; create it with: pytest --update-snapshots")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    fromfile=f"{_rel(path)} (stored)",
                    tofile="rendered now",
                )
            )[:200]
        )
        pytest.fail(
            f"{name} differs from its snapshot. If the change is intended, run "
            f"`pytest --update-snapshots` and commit the new file.\n{diff}",
            pytrace=False,
        )


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(FIXTURES.parent))
    except ValueError:
        return str(path)
