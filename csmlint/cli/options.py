"""Options several commands take, declared once (``lint``, ``plan``, ``fix``, ``baseline``)."""

from __future__ import annotations

from typing import Annotated

import typer

Paths = Annotated[
    list[str] | None,
    typer.Argument(help="Files or folders to lint (default: the current folder)."),
]
Output = Annotated[
    list[str] | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the (single) report to this file (- for standard output; replaced whole "
        "once the run is done; never a file the run reads).",
    ),
]
Select = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="RULES",
        help="Only these rules (ids, names or pack names; repeatable or comma-separated).",
    ),
]
Ignore = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore",
        metavar="RULES",
        help="Skip these rules (ids, names or pack names; repeatable or comma-separated).",
    ),
]
Rules = Annotated[
    list[str] | None,
    typer.Option("--rules", metavar="PATH", help="Extra rule pack folder or file (repeatable)."),
]
Topology = Annotated[
    list[str] | None,
    typer.Option("--topology", metavar="FILE", help="Estate topology document (repeatable)."),
]
MaxFileSize = Annotated[
    str | None,
    typer.Option(
        "--max-file-size", metavar="SIZE", help="Largest input file to read [default: 5MB]."
    ),
]
Config = Annotated[
    str | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Configuration file [default: the nearest .csmlint.yaml, csmlint.yaml or "
        "pyproject.toml [tool.csmlint] from the linted paths up to the repository root].",
    ),
]
Debug = Annotated[bool, typer.Option("--debug", help="Tracebacks for internal errors.")]
Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="List the files that were skipped, and why.")
]
