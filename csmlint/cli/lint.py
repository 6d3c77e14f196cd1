"""`csmlint lint`: run the engine and write the reports."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from csmlint import __version__
from csmlint.cli.application import Color, FailOn, _split, app, parse_size
from csmlint.errors import CsmlintError


@app.command()
def lint(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders to lint (default: the current folder)."),
    ] = None,
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
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write the (single) report to this file.")
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on", help="Exit 1 when a finding is at or above this severity [default: error]."
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only these rules (ids, names or pack names; repeatable)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Skip these rules (ids, names or pack names; repeatable)."),
    ] = None,
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", help="Extra rule pack folder or file (repeatable)."),
    ] = None,
    topology: Annotated[
        list[str] | None, typer.Option("--topology", help="Estate topology document (repeatable).")
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option("--include", help="Glob of files to lint even if excluded by default."),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Glob of files to skip (repeatable).")
    ] = None,
    no_default_excludes: Annotated[
        bool,
        typer.Option(
            "--no-default-excludes",
            help="Also lint *.Local.cscfg, *.build.csdef and bin/, obj/, csx/ build output.",
        ),
    ] = False,
    max_file_size: Annotated[
        str | None,
        typer.Option("--max-file-size", help="Largest input file to read [default: 5MB]."),
    ] = None,
    target_vnet: Annotated[
        str | None,
        typer.Option(
            "--target-vnet", help="The VNet you plan to migrate into (checks it is supported)."
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option(
            "--config", help="Configuration file [default: ./.csmlint.yaml when present]."
        ),
    ] = None,
    color: Annotated[Color, typer.Option("--color", help="Colour the text report.")] = Color.auto,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show remediation commands and skipped files.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No report on success.")] = False,
    source_root: Annotated[
        str | None,
        typer.Option(
            "--source-root",
            help="Folder SARIF file URIs are relative to [default: the git top level of the "
            "current folder, else the current folder].",
        ),
    ] = None,
    sarif_category: Annotated[
        str | None,
        typer.Option(
            "--sarif-category",
            help="SARIF automationDetails category, to keep several uploads for one commit "
            "apart (e.g. cs-es) [default: csmlint].",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Tracebacks for internal errors.")] = False,
) -> int:
    """Lint files and folders and report migration problems."""
    from csmlint.discovery import display_path
    from csmlint.engine import RunOptions, run
    from csmlint.findings.finding import ReportContext
    from csmlint.findings.fingerprints import find_source_root
    from csmlint.reporting import REPORTERS, get_reporter
    from csmlint.reporting.output import parse_formats, write_atomic
    from csmlint.workflow.config import load_config

    del debug  # handled in main()
    cwd = os.getcwd()
    root = find_source_root(cwd, source_root)
    cfg = load_config(config, cwd)
    specs = parse_formats(_split(formats), output, sorted(REPORTERS))
    options = RunOptions(
        paths=list(paths or ["."]),
        rules=[*cfg.rules, *(rules or [])],
        select=_split(select) or cfg.select,
        ignore=[*cfg.ignore, *_split(ignore)],
        include=[*cfg.include, *(include or [])],
        exclude=[*cfg.exclude, *(exclude or [])],
        default_excludes=not no_default_excludes,
        max_file_size=parse_size(max_file_size) or cfg.max_file_size or 5 * 1024 * 1024,
        target_vnet=target_vnet or cfg.target_vnet,
        topology=[*cfg.topology, *(topology or [])],
        suppress=cfg.suppress,
        cwd=cwd,
        source_root=root,
        progress=_progress() if sys.stderr.isatty() else None,
        excerpts=any(spec.format == "html" for spec in specs),
    )
    result, ran = run(options)
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[K")
    level = (fail_on.value if fail_on else None) or cfg.fail_on or "error"
    failed = any(f.at_or_above(level) for f in result.active)
    use_color = color == Color.always or (
        color == Color.auto and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    rendered = []
    for spec in specs:  # render every report before writing any: no mix of old and new
        ctx = ReportContext(
            version=__version__,
            color=use_color and spec.path is None,
            fail_on=level,
            verbose=verbose,
            automation_id=(sarif_category or "csmlint").strip("/") + "/",
            cwd=os.path.realpath(cwd),
            source_root=root,
        )
        rendered.append((spec, get_reporter(spec.format)(result, ran, ctx)))
    for spec, text in rendered:
        if spec.path is None:
            if not (quiet and not failed):
                sys.stdout.write(text)
            continue
        try:
            write_atomic(spec.path, text)
        except OSError as exc:
            raise CsmlintError(f"cannot write report {spec.path}: {exc.strerror or exc}") from exc
    given = [os.path.join(cwd, p) for p in options.paths]
    named = {display_path(p, cwd) for p in given if os.path.isfile(p)}
    for warning in result.warnings:
        typer.echo(f"csmlint: warning: {warning}", err=True)
    for disp, why in result.skipped:
        if verbose:
            typer.echo(f"skipped {disp}: {why}", err=True)
        elif disp in named:  # a file the user named is never skipped in silence
            typer.echo(f"csmlint: warning: {disp}: not linted: {why}", err=True)
    return 1 if failed else 0


def _progress() -> Any:
    def show(n: int, total: int) -> None:
        if total >= 200 and (n % 50 == 0 or n == total):
            sys.stderr.write(f"\rcsmlint: {n}/{total} files")
            sys.stderr.flush()

    return show
