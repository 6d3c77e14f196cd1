"""`csmlint baseline create|update|prune`: freeze today's findings, add new ones, drop gone ones."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from csmlint.cli.application import _split, app
from csmlint.errors import UsageError

baseline_app = typer.Typer(
    name="baseline",
    help="Record today's findings in a baseline file, so that `lint --baseline` reports only "
    "new ones.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(baseline_app, name="baseline")

Paths = Annotated[
    list[str] | None,
    typer.Argument(help="Files or folders to lint (default: the current folder)."),
]
BaselineFile = Annotated[
    str | None,
    typer.Option(
        "--baseline",
        metavar="FILE",
        help="The baseline file [default: the configuration's baseline:, else "
        ".csmlint-baseline.json in the repository root].",
    ),
]
Config = Annotated[str | None, typer.Option("--config", help="Configuration file.")]
Select = Annotated[list[str] | None, typer.Option("--select", help="Only these rules.")]
Ignore = Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rules.")]
Rules = Annotated[list[str] | None, typer.Option("--rules", help="Extra rule pack.")]
Topology = Annotated[list[str] | None, typer.Option("--topology", help="Topology document.")]


def _lint(
    paths: list[str] | None,
    config: str | None,
    baseline: str | None,
    extra: dict[str, Any],
) -> tuple[Any, Any, Any, str]:
    """One lint run for a baseline command: (result, rules that ran, prepared, file)."""
    from csmlint.cli.session import baseline_path, prepare
    from csmlint.engine import run
    from csmlint.workflow import clock

    flags = {
        "select": _split(extra["select"]),
        "ignore": _split(extra["ignore"]),
        "rules": extra["rules"] or [],
        "topology": extra["topology"] or [],
        "baseline": baseline,
    }
    prepared = prepare(paths, config, flags)
    prepared.options.excerpts = False
    prepared.options.today = clock.today()
    result, ran = run(prepared.options, rules=prepared.rules)
    where = baseline_path(prepared.settings, baseline, prepared.root, prepared.cwd)
    return result, ran, prepared, where


def _write(path: str, entries: list[Any], cwd: str, what: str) -> None:
    from csmlint.discovery import display_path
    from csmlint.reporting.output import write_atomic
    from csmlint.workflow.baseline import render

    text = render(entries)
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    n = len(entries)
    typer.echo(f"{display_path(path, cwd)}: {what}; {n} entr{'ies' if n != 1 else 'y'}")


@baseline_app.command("create")
def create(
    paths: Paths = None,
    baseline: BaselineFile = None,
    config: Config = None,
    select: Select = None,
    ignore: Ignore = None,
    rules: Rules = None,
    topology: Topology = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing baseline.")] = False,
) -> int:
    """Write a baseline of every current finding (refuses to replace one without --force)."""
    from csmlint.findings.fingerprints import relative_to_source_root
    from csmlint.workflow import baseline as bl
    from csmlint.workflow import clock

    extra = {"select": select, "ignore": ignore, "rules": rules, "topology": topology}
    result, _, prepared, where = _lint(paths, config, baseline, extra)
    if os.path.exists(where) and not force:
        raise UsageError(
            f"{where} already exists: `csmlint baseline update` adds new findings to it, "
            "`--force` starts it over"
        )
    relative = relative_to_source_root(prepared.cwd, prepared.root)
    entries = bl.create(result.findings, relative, clock.today())
    _write(where, entries, prepared.cwd, f"{len(entries)} finding(s) recorded")
    return 0


@baseline_app.command("update")
def update(
    paths: Paths = None,
    baseline: BaselineFile = None,
    config: Config = None,
    select: Select = None,
    ignore: Ignore = None,
    rules: Rules = None,
    topology: Topology = None,
) -> int:
    """Keep every entry and add the findings the baseline does not hold yet."""
    from csmlint.cli.session import read_baseline
    from csmlint.findings.fingerprints import relative_to_source_root
    from csmlint.workflow import baseline as bl
    from csmlint.workflow import clock

    extra = {"select": select, "ignore": ignore, "rules": rules, "topology": topology}
    result, _, prepared, where = _lint(paths, config, baseline, extra)
    known = read_baseline(where, prepared.settings, prepared.cwd, from_flag=bool(baseline))
    relative = relative_to_source_root(prepared.cwd, prepared.root)
    entries, added = bl.update(known, result.findings, relative, clock.today())
    _write(where, entries, prepared.cwd, f"{added} new finding(s) added")
    return 0


@baseline_app.command("prune")
def prune(
    paths: Paths = None,
    baseline: BaselineFile = None,
    config: Config = None,
    select: Select = None,
    ignore: Ignore = None,
    rules: Rules = None,
    topology: Topology = None,
) -> int:
    """Remove the entries that match no finding any more (only for files linted and rules
    that ran: pruning one folder leaves the others' entries alone)."""
    from csmlint.cli.session import linted_and_ran, read_baseline
    from csmlint.workflow import baseline as bl

    extra = {"select": select, "ignore": ignore, "rules": rules, "topology": topology}
    result, ran, prepared, where = _lint(paths, config, baseline, extra)
    known = read_baseline(where, prepared.settings, prepared.cwd, from_flag=bool(baseline))
    linted, ran_ids = linted_and_ran(result, ran, prepared)
    entries, removed = bl.prune(known, result.findings, linted, ran_ids)
    _write(
        where,
        entries,
        prepared.cwd,
        f"{removed} stale entr{'ies' if removed != 1 else 'y'} removed",
    )
    return 0
