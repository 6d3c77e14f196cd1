"""`csmlint lint`: run the engine and write the reports."""

from __future__ import annotations

import gc
import os
import sys
from typing import Annotated, Any

import typer

from csmlint import __version__
from csmlint.cli.application import Color, FailOn, _split, app, parse_size
from csmlint.cli.options import (
    Config,
    Debug,
    Ignore,
    MaxFileSize,
    Output,
    Paths,
    Rules,
    Select,
    Topology,
)


@app.command(short_help="Lint files and folders and report migration problems.")
def lint(
    paths: Paths = None,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT[=PATH]",
            help="Report format, repeatable: text, json, sarif, junit, markdown, html; each "
            "with its own PATH (e.g. --format sarif=out/csmlint.sarif). At most one goes to "
            "standard output. Default: text to standard output.",
        ),
    ] = None,
    output: Output = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding is at or above this level [default: error]; blocked: "
            "errors and the warnings that block a migration (the findings behind a Blocked "
            "verdict).",
        ),
    ] = None,
    select: Select = None,
    ignore: Ignore = None,
    rules: Rules = None,
    topology: Topology = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            metavar="GLOB",
            help="Glob of files to lint even if excluded by default (repeatable).",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", metavar="GLOB", help="Glob of files to skip (repeatable)."),
    ] = None,
    no_default_excludes: Annotated[
        bool,
        typer.Option(
            "--no-default-excludes",
            help="Also lint *.Local.cscfg, *.build.csdef and bin/, obj/, csx/ build output.",
        ),
    ] = False,
    max_file_size: MaxFileSize = None,
    target_vnet: Annotated[
        str | None,
        typer.Option(
            "--target-vnet",
            metavar="NAME",
            help="The VNet you plan to migrate into (checks it is supported).",
        ),
    ] = None,
    config: Config = None,
    print_config: Annotated[
        bool,
        typer.Option(
            "--print-config",
            help="Print the effective configuration, and where each value comes from; lint "
            "nothing.",
        ),
    ] = False,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="Report only findings this baseline does not hold (see `csmlint baseline`).",
        ),
    ] = None,
    no_baseline: Annotated[
        bool,
        typer.Option("--no-baseline", help="Ignore the configured baseline: report everything."),
    ] = False,
    no_suppressions: Annotated[
        bool,
        typer.Option(
            "--no-suppressions",
            help="Audit: ignore inline and configured suppressions and the baseline.",
        ),
    ] = False,
    color: Annotated[Color, typer.Option("--color", help="Colour the text report.")] = Color.auto,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Show the whole remediation (its text and every command; by default one "
            "'fix:' line per finding) and the files that were skipped.",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No text report on success (a JSON, SARIF, ... report on stdout still is).",
        ),
    ] = False,
    source_root: Annotated[
        str | None,
        typer.Option(
            "--source-root",
            metavar="FOLDER",
            help="Folder SARIF file URIs are relative to [default: the git top level of the "
            "current folder, else the current folder].",
        ),
    ] = None,
    sarif_category: Annotated[
        str | None,
        typer.Option(
            "--sarif-category",
            metavar="NAME",
            help="SARIF automationDetails category, to keep several uploads for one commit "
            "apart (e.g. cs-es) [default: csmlint].",
        ),
    ] = None,
    debug: Debug = False,
) -> int:
    """Lint files and folders and report migration problems."""
    from csmlint.cli.session import (
        baseline_path,
        linted_and_ran,
        prepare,
        read_baseline,
        warn_skipped,
    )
    from csmlint.engine import run
    from csmlint.findings.finding import ReportContext
    from csmlint.findings.fold import fold
    from csmlint.findings.summary import run_fails
    from csmlint.reporting import REPORTERS, get_stream
    from csmlint.reporting.output import parse_formats, refuse_inputs, write_all, write_text
    from csmlint.workflow import clock

    del debug  # handled in main()
    flags = {
        "select": _split(select),
        "ignore": _split(ignore),
        "failOn": fail_on.value if fail_on else None,
        "include": include or [],
        "exclude": exclude or [],
        "rules": rules or [],
        "topology": topology or [],
        "maxFileSize": parse_size(max_file_size),
        "targetVnet": target_vnet,
        "baseline": baseline,
    }
    prepared = prepare(paths, config, flags, source_root=source_root)
    settings, options, cwd, root = prepared.settings, prepared.options, prepared.cwd, prepared.root
    if print_config:
        from csmlint.workflow.settings import describe

        typer.echo(describe(settings, list(paths or []), cwd), nl=False)
        return 0
    specs = parse_formats(_split(formats), output, sorted(REPORTERS))
    now = clock.now()
    options.default_excludes = not no_default_excludes
    options.progress = _progress() if sys.stderr.isatty() else None
    options.excerpts = any(spec.format == "html" for spec in specs)
    options.suppressions = not no_suppressions
    options.today = now.date()
    known = None
    if not (no_baseline or no_suppressions) and (baseline or settings["baseline"]):
        where = baseline_path(settings, baseline, root, cwd)
        known = read_baseline(where, settings, cwd, from_flag=bool(baseline))
        prepared.read.append(where)
    result, ran = run(options, rules=prepared.rules)
    refuse_inputs(specs, [*result.files, *prepared.read], cwd)
    # The findings live until the process exits (the model is freed when run() returns):
    # keep the cyclic GC from walking them again while the reports are built (for 10,000
    # findings, half of the SARIF time).
    gc.freeze()
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[K")
    if known is not None:
        from csmlint.findings.readiness import count_baselined
        from csmlint.workflow.baseline import apply

        linted, ran_ids = linted_and_ran(result, ran, prepared)
        result.baseline = apply(known, result.findings, linted, ran_ids, now.date())
        count_baselined(result)
        if result.baseline.stale:
            result.notifications.append(
                f"{result.baseline.stale} entr{'ies' if result.baseline.stale != 1 else 'y'} "
                f"of the baseline {known.path} match no finding any more (fixed, or the file "
                "or entity renamed): `csmlint baseline prune` removes them"
            )
    level = settings["failOn"]
    failed = run_fails(result, level)
    fold(result)  # after the verdict and the baseline: folding only shortens the listing
    use_color = color == Color.always or (color == Color.auto and _auto_color())
    rendered = []
    # A report that comes in pieces (JSON) is made while it is written to its staged file;
    # every target is replaced only once all are written: no mix of old and new.
    for spec in specs:
        ctx = ReportContext(
            version=__version__,
            color=use_color and spec.path is None,
            fail_on=level,
            verbose=verbose,
            automation_id=(sarif_category or "csmlint").strip("/") + "/",
            cwd=os.path.realpath(cwd),
            source_root=root,
            generated=now,
        )
        rendered.append((spec, get_stream(spec.format)(result, ran, ctx)))
    write_all([(spec.path, text) for spec, text in rendered if spec.path is not None], cwd=cwd)
    text_on_stdout = False
    for spec, text in rendered:
        if spec.path is None:
            text_on_stdout = text_on_stdout or spec.format == "text"
            if not (quiet and not failed and spec.format == "text"):  # JSON/SARIF asked for
                write_text(sys.stdout, text)
    if result.baseline is not None and not text_on_stdout and not quiet:
        typer.echo(result.baseline.describe(), err=True)
    warn_skipped(result, options.paths, cwd, verbose)
    return 1 if failed else 0


def _auto_color() -> bool:
    """``--color auto``: NO_COLOR (set and not empty) turns colour off, FORCE_COLOR (set and
    not empty) turns it on even when standard output is not a terminal
    (https://no-color.org, https://force-color.org)."""
    if os.environ.get("NO_COLOR", ""):
        return False
    if os.environ.get("FORCE_COLOR", ""):
        return True
    return sys.stdout.isatty()


def _progress() -> Any:
    def show(n: int, total: int) -> None:
        if total >= 200 and (n % 50 == 0 or n == total):
            sys.stderr.write(f"\rcsmlint: {n}/{total} files")
            sys.stderr.flush()

    return show
