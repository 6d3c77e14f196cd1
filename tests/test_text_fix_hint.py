"""The default text report says how to fix each finding in one line (the first sentence of
the fix, and how many commands there are); ``-v`` shows the whole remediation."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXTURES, ROOT

from csmlint import __version__
from csmlint.engine import RunOptions, run
from csmlint.findings.finding import ReportContext
from csmlint.reporting import text


def _render(verbose: bool) -> tuple[str, list]:  # type: ignore[type-arg]
    result, ran = run(RunOptions(paths=[str(FIXTURES / "examples" / "contoso")], cwd=str(ROOT)))
    ctx = ReportContext(version=__version__, verbose=verbose)
    return text.render(result, ran, ctx), result.active


def test_each_finding_gets_one_fix_line_by_default() -> None:
    out, findings = _render(verbose=False)
    lines = out.splitlines()
    for f in findings:
        [at] = [i for i, line in enumerate(lines) if f" {f.rule_id} " in line and f.message in line]
        hint = lines[at + 1]
        assert hint.startswith("    fix: "), (f.rule_id, hint)
        first = f.remediation.text.split(". ")[0]
        assert hint.startswith(f"    fix: {first[:100]}"), (f.rule_id, hint)
        n = len(f.remediation.commands)
        if n:
            assert hint.endswith(f"(-v: {n} command{'s' if n != 1 else ''})"), hint
        assert len(hint) <= len("    fix: ") + text.HINT_CHARS + len("  (-v: 99 commands)")
        assert not lines[at + 2].startswith("      ")  # compact: no command block


def test_verbose_shows_every_command() -> None:
    out, findings = _render(verbose=True)
    for f in findings:
        for command in f.remediation.commands:
            assert f"\n      {command}\n" in out  # indented, no prompt to break a paste


def test_one_very_long_name_does_not_widen_every_readiness_row(tmp_path: Path) -> None:
    """A hostile corpus file names its service with 400 characters: only its own row is that
    wide; the others stay padded to at most 48 characters."""
    long_name = "x" * 400
    for name in ("shop", "blog", long_name):
        folder = tmp_path / name[:10]
        folder.mkdir()
        (folder / "ServiceDefinition.csdef").write_text(
            f'<ServiceDefinition name="{name}" xmlns="http://schemas.microsoft.com/'
            'ServiceHosting/2008/10/ServiceDefinition"><WebRole name="Web" '
            'vmsize="Standard_D1_v2" /></ServiceDefinition>',
            encoding="utf-8",
        )
    result, ran = run(RunOptions(paths=["."], cwd=str(tmp_path)))
    out = text.render(result, ran, ReportContext(version=__version__))
    rows = out[out.index("Readiness by cloud service:") :].splitlines()[1:4]
    assert sum(long_name in r for r in rows) == 1
    # the readiness column starts after the name padded to at most 48 characters
    verdict = re.compile(r" (ready|needs-attention|blocked) ")
    starts = [verdict.search(r) for r in rows if long_name not in r]
    assert all(m is not None and m.start() <= 2 + 48 + 2 for m in starts), rows
