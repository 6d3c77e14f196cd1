"""`csmlint init`: a starter configuration, and the snippets that wire csmlint into
pre-commit and CI."""

from __future__ import annotations

import os

import typer

from csmlint.cli.application import app


@app.command(short_help="Write a commented starter .csmlint.yaml here.")
def init() -> int:
    """Write a commented starter .csmlint.yaml here (never over an existing one) and print
    the pre-commit and CI snippets that run csmlint."""
    from csmlint.discovery import display_path
    from csmlint.workflow.starter import snippets, write_starter

    cwd = os.getcwd()
    path = write_starter(cwd)
    typer.echo(f"wrote {display_path(path, cwd)}: review it, then run `csmlint lint`.\n")
    typer.echo(snippets(), nl=False)
    return 0
