"""`csmlint lint`: run the engine and write the reports."""

from __future__ import annotations

from typing import Annotated

import typer

from csmlint.cli.application import Color, FailOn, app
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
    """Lint files and folders and report migration problems. Exit 0: nothing at or above
    --fail-on; 1: findings at or above it (a file that cannot be read is a finding); 2: the
    run is unusable (usage, configuration, rule pack); 3: internal error."""
    options = dict(locals())  # the parsed options, as run_lint takes them
    del options["debug"]  # handled in main()
    from csmlint.cli.lint_run import run_lint

    return run_lint(**options)
