"""`csmlint plan`: an ordered migration runbook per migration unit."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from csmlint import __version__
from csmlint.cli.application import _split, app, parse_size


@app.command()
def plan(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders of the estate (default: the current folder)."),
    ] = None,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT[=PATH]",
            help="markdown (for a change ticket), html or json; each with its own PATH "
            "(--format html=out/plan.html). At most one goes to standard output. "
            "Default: markdown to standard output.",
        ),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write the (single) plan to this file.")
    ] = None,
    topology: Annotated[
        list[str] | None, typer.Option("--topology", help="Estate topology document (repeatable).")
    ] = None,
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", help="Extra rule pack folder or file (repeatable)."),
    ] = None,
    config: Annotated[
        str | None, typer.Option("--config", help="Configuration file [default: the nearest].")
    ] = None,
    max_file_size: Annotated[
        str | None,
        typer.Option("--max-file-size", help="Largest input file to read [default: 5MB]."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Tracebacks for internal errors.")] = False,
) -> int:
    """Print an ordered runbook per migration unit: blockers first, preparation steps, the
    platform migration (Validate, Prepare, check, Commit or Abort), and what follows Commit."""
    from csmlint.cli.session import prepare
    from csmlint.engine import run_with_estate
    from csmlint.migration.plan import build_plan
    from csmlint.migration.plan.render import FORMATS, render
    from csmlint.reporting.output import parse_formats, write_all

    del debug  # handled in main()
    flags = {
        "rules": rules or [],
        "topology": topology or [],
        "maxFileSize": parse_size(max_file_size),
    }
    prepared = prepare(paths, config, flags)
    specs = parse_formats(_split(formats) or ["markdown"], output, list(FORMATS))
    prepared.options.excerpts = False
    result, _ran, estate = run_with_estate(prepared.options, rules=prepared.rules)
    built = build_plan(result, prepared.rules, estate, __version__)
    rendered = [(spec, render(built, spec.format)) for spec in specs]
    write_all([(spec.path, text) for spec, text in rendered if spec.path is not None], what="plan")
    for spec, text in rendered:
        if spec.path is None:
            sys.stdout.write(text)
    for warning in result.warnings:
        typer.echo(f"csmlint: warning: {warning}", err=True)
    return 0
