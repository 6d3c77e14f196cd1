"""`csmlint check-pack` and `csmlint test-pack`: a custom rule pack checked and tested the way
the shipped packs are."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from csmlint.cli.application import app
from csmlint.errors import UsageError

if TYPE_CHECKING:
    from csmlint.rulepack.rule import Rule

PackPath = Annotated[str, typer.Argument(help="The rule pack: a folder with pack.yaml, or a file.")]


def _pack_rules(path: str) -> tuple[list[Rule], list[Rule]]:
    """(every rule loaded, the rules the pack defines); a broken pack exits 2 at file:line."""
    from csmlint.rulepack.loader import load_rules

    if not Path(path).exists():
        raise UsageError(f"{path}: no such rule pack file or folder")
    rules = load_rules([path])
    root = Path(path).resolve()
    own = [r for r in rules if Path(r.path).resolve().is_relative_to(root)]
    if not own:
        raise UsageError(f"{path}: no rules (a pack holds one <ID>-<name>.yaml per rule)")
    return rules, own


@app.command("check-pack", short_help="Check a rule pack (schema, conditions, templates).")
def check_pack(path: PackPath) -> int:
    """Check a rule pack: schema, compiled conditions and templates (exit 2 at file:line)."""
    _, own = _pack_rules(path)
    for r in own:
        scopes = ", ".join(r.scopes)
        typer.echo(f"{r.path}:{r.line}: {r.id} {r.name} ({r.severity}, scope {scopes}): ok")
    typer.echo(f"{path}: {len(own)} rule(s) ok")
    return 0


@app.command("test-pack", short_help="Run a rule pack's fixture cases.")
def test_pack(
    path: PackPath,
    fixtures: Annotated[
        str | None,
        typer.Option(
            "--fixtures",
            metavar="FOLDER",
            help="Folder of fixture cases, <ID>-<name>/<case>/ [default: fixtures/ in the pack].",
        ),
    ] = None,
) -> int:
    """Run a pack's fixture cases with the annotation harness the shipped packs use
    (exit 1 naming the case and the annotation that failed)."""
    from csmlint.testing import run_pack

    rules, _ = _pack_rules(path)
    pack = Path(path)
    where = Path(fixtures) if fixtures else (pack if pack.is_dir() else pack.parent) / "fixtures"
    if not where.is_dir():
        raise UsageError(f"{where}: no fixtures folder (see docs/writing-rules.md)")
    outcome = run_pack(pack, where, rules)
    for line in outcome.lines:
        typer.echo(line)
    for line in outcome.failures:
        typer.echo(line)
    verdict = "failed" if outcome.failures else "passed"
    typer.echo(f"{path}: {outcome.cases} case(s), {len(outcome.failures)} failure(s): {verdict}")
    return 1 if outcome.failures else 0
