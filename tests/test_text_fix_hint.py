"""The default text report says how to fix each finding in one line (the first sentence of
the fix, and how many commands there are); ``-v`` shows the whole remediation."""

from __future__ import annotations

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
        assert not lines[at + 2].startswith("      $ ")  # compact: no command block


def test_verbose_shows_every_command() -> None:
    out, findings = _render(verbose=True)
    for f in findings:
        for command in f.remediation.commands:
            assert f"      $ {command}" in out
