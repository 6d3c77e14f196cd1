"""`csmlint baseline create|update|prune`: freeze today's findings, add new ones, drop gone ones."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from csmlint.cli.application import _split, app
from csmlint.cli.options import Config, Ignore, Paths, Rules, Select, Topology
from csmlint.errors import UsageError
from csmlint.records import record

baseline_app = typer.Typer(
    name="baseline",
    help="Record today's findings in a baseline file, so that `lint --baseline` reports only "
    "new ones.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(
    baseline_app,
    name="baseline",
    short_help="Record today's findings so lint --baseline reports only new ones.",
)

BaselineFile = Annotated[
    str | None,
    typer.Option(
        "--baseline",
        metavar="FILE",
        help="The baseline file [default: the configuration's baseline:, else "
        ".csmlint-baseline.json in the repository root].",
    ),
]


@record
class _Run:
    """One lint run for a baseline command, and the baseline file it is about."""

    result: Any
    ran: list[Any]
    prepared: Any
    where: str
    named: bool
    """The file was named with --baseline."""

    def known(self) -> Any:
        from csmlint.cli.session import read_baseline

        p = self.prepared
        return read_baseline(self.where, p.settings, p.cwd, from_flag=self.named)

    def relative(self) -> Any:
        from csmlint.findings.fingerprints import relative_to_source_root

        return relative_to_source_root(self.prepared.cwd, self.prepared.root)


def _lint(
    paths: list[str] | None,
    config: str | None,
    baseline: str | None,
    extra: dict[str, Any],
) -> _Run:
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
    return _Run(result, ran, prepared, where, bool(baseline))


def _write(path: str, entries: list[Any], cwd: str, what: str) -> None:
    from csmlint.discovery import display_path
    from csmlint.reporting.output import write_atomic
    from csmlint.workflow.baseline import render

    text = render(entries)
    write_atomic(path, text, cwd=cwd)
    n = len(entries)
    typer.echo(f"{display_path(path, cwd)}: {what}; {n} entr{'ies' if n != 1 else 'y'}")


@baseline_app.command("create", short_help="Write a baseline of every current finding.")
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
    from csmlint.workflow import baseline as bl
    from csmlint.workflow import clock

    extra = {"select": select, "ignore": ignore, "rules": rules, "topology": topology}
    lint = _lint(paths, config, baseline, extra)
    from csmlint.discovery import display_path
    from csmlint.parsing.source import not_a_file

    shown = display_path(lint.where, lint.prepared.cwd)
    problem = not_a_file(lint.where)
    if problem not in (None, "no such file"):
        raise UsageError(f"--baseline {shown}: {problem}")
    if problem is None and not force:
        raise UsageError(
            f"{shown} already exists: `csmlint baseline update` adds new findings to it, "
            "`--force` starts it over"
        )
    entries = bl.create(lint.result.findings, lint.relative(), clock.today())
    _write(lint.where, entries, lint.prepared.cwd, f"{len(entries)} finding(s) recorded")
    if lint.prepared.settings["baseline"] and not baseline:
        typer.echo("the configuration names it: every lint run (and the pre-commit hook) uses it")
    else:
        typer.echo(
            f"use it with `csmlint lint --baseline {shown}`, or set `baseline: {shown}` in "
            ".csmlint.yaml so every run (and the pre-commit hook) uses it"
        )
    return 0


@baseline_app.command("update", short_help="Add the findings the baseline does not hold yet.")
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
    from csmlint.workflow import baseline as bl
    from csmlint.workflow import clock

    extra = {"select": select, "ignore": ignore, "rules": rules, "topology": topology}
    lint = _lint(paths, config, baseline, extra)
    entries, added = bl.update(lint.known(), lint.result.findings, lint.relative(), clock.today())
    _write(lint.where, entries, lint.prepared.cwd, f"{added} new finding(s) added")
    return 0


@baseline_app.command("prune", short_help="Remove the entries that match no finding any more.")
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
    from csmlint.cli.session import linted_and_ran
    from csmlint.workflow import baseline as bl

    extra = {"select": select, "ignore": ignore, "rules": rules, "topology": topology}
    lint = _lint(paths, config, baseline, extra)
    linted, ran_ids = linted_and_ran(lint.result, lint.ran, lint.prepared)
    entries, removed = bl.prune(lint.known(), lint.result.findings, linted, ran_ids)
    gone = f"{removed} stale entr{'ies' if removed != 1 else 'y'} removed"
    _write(lint.where, entries, lint.prepared.cwd, gone)
    return 0
