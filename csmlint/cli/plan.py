"""`csmlint plan`: an ordered migration runbook per migration unit."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from csmlint import __version__
from csmlint.cli.application import _split, app, parse_size
from csmlint.cli.options import (
    Config,
    Debug,
    MaxFileSize,
    Output,
    Paths,
    Rules,
    Topology,
    Verbose,
)


@app.command(short_help="Print an ordered migration runbook per migration unit.")
def plan(
    paths: Paths = None,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT[=PATH]",
            help="text (a terminal), markdown (for a change ticket), html or json; each "
            "with its own PATH (--format html=out/plan.html). At most one goes to standard "
            "output. Default: text when standard output is a terminal, else markdown.",
        ),
    ] = None,
    output: Output = None,
    topology: Topology = None,
    rules: Rules = None,
    config: Config = None,
    max_file_size: MaxFileSize = None,
    verbose: Verbose = False,
    debug: Debug = False,
) -> int:
    """Print an ordered runbook per migration unit: blockers first, preparation steps, the
    platform migration (Validate, Prepare, check, Commit or Abort), and what follows Commit.
    Exit 0; 1 when an input could not be read (the plan is written without it, and stderr
    names it); 2 usage."""
    from csmlint.cli.session import one_output, prepare, warn_skipped
    from csmlint.engine import run_with_estate
    from csmlint.migration.plan import FORMATS, build_plan, in_format
    from csmlint.reporting.escape import visible
    from csmlint.reporting.output import parse_formats, refuse_inputs, write_all

    del debug  # handled in main()
    flags = {
        "rules": rules or [],
        "topology": topology or [],
        "maxFileSize": parse_size(max_file_size),
    }
    prepared = prepare(paths, config, flags)
    file = one_output(output, "--format markdown=out/plan.md --format html=out/plan.html")
    default = "text" if sys.stdout.isatty() and file is None else "markdown"
    specs = parse_formats(_split(formats) or [default], file, list(FORMATS))
    prepared.options.excerpts = False
    result, _ran, estate = run_with_estate(prepared.options, rules=prepared.rules)
    refuse_inputs(specs, [*result.files, *prepared.read], prepared.cwd)
    built = build_plan(result, prepared.rules, estate, __version__)
    rendered = [(spec, in_format(built, spec.format)) for spec in specs]
    write_all([(spec.path, text) for spec, text in rendered if spec.path is not None], what="plan")
    for spec, text in rendered:
        if spec.path is None:
            sys.stdout.write(text)
    warn_skipped(result, prepared.options.paths, prepared.cwd, verbose)
    unreadable = [f for f in result.findings if f.rule_id == "CSM000"]
    for f in unreadable:
        sys.stderr.write(
            f"csmlint: {visible(f.location.display())}: {visible(f.message)} "
            "(the plan leaves this input out)\n"
        )
    return 1 if unreadable else 0
