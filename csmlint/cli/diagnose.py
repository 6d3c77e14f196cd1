"""`csmlint diagnose`: a platform error message, an operation status JSON or a Validate/Prepare
response explained. Exit 0 when every error message is recognised (or a Validate response
holds information only), 1 when one is not, 2 usage."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from csmlint.cli.application import app
from csmlint.errors import InputError, UsageError

MAX_BYTES = 4 * 1024 * 1024


@app.command(
    "diagnose", short_help="Explain a Validate/Prepare/Commit error message and what to do."
)
def diagnose_command(
    message: Annotated[
        str | None,
        typer.Argument(help="The error message, or '-' to read it from standard input."),
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            metavar="FILE",
            help="Read the message, operation status JSON or Validate/Prepare response from FILE.",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("-f", "--format", metavar="FORMAT", help="text or json.")
    ] = "text",
) -> int:
    """Explain a migration error: the error, the migration state it implies, the rule it maps
    to and the remediation with commands (exit 0 recognised, or a Validate response of
    information messages only; 1 not recognised; 2 usage)."""
    from csmlint.migration.diagnose import diagnose
    from csmlint.migration.diagnose.render import render_json, render_text
    from csmlint.parsing.source import not_a_file, read_capped

    if fmt not in ("text", "json"):
        raise UsageError(f"--format: unknown format {fmt!r} (text or json)")
    if file is not None and message is not None:
        raise UsageError("give either a MESSAGE (or '-') or --file, not both")
    if file is not None:
        problem = not_a_file(file)
        if problem is not None:
            raise UsageError(f"--file {file}: {problem}")
        try:
            data = read_capped(file, MAX_BYTES)
        except InputError as exc:
            raise UsageError(f"--file {file}: {exc.reason}") from None
    elif message == "-" or message is None:
        if message is None and sys.stdin.isatty():
            raise UsageError(
                "nothing to diagnose: give a MESSAGE, '-' for standard input, or --file"
            )
        data = sys.stdin.buffer.read(MAX_BYTES + 1)[:MAX_BYTES]
    else:
        data = message.encode("utf-8")
    result = diagnose(data)
    if not result.results and not result.information:
        raise UsageError("nothing to diagnose: the input holds no message")
    typer.echo(render_json(result) if fmt == "json" else render_text(result), nl=False)
    return 0 if result.recognised else 1
