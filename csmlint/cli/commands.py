"""`csmlint rules`, `explain`, `import` and `schema`."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from csmlint.cli.application import app, parse_size
from csmlint.errors import UsageError


@app.command("rules", short_help="List the rules (id, name, severity, category, path, title).")
def list_rules(
    fmt: Annotated[
        str, typer.Option("-f", "--format", metavar="FORMAT", help="text, json or markdown.")
    ] = "text",
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", metavar="PATH", help="Extra rule pack folder or file."),
    ] = None,
) -> int:
    """List every rule: id, name, severity, category, migration path and title."""
    from csmlint.rulepack.loader import load_rules

    loaded = load_rules(rules or [])
    if fmt == "json":
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity,
                "severities": list(r.severities),
                "category": r.category,
                "migration": r.migration,
                "scope": list(r.scopes),
                "pack": r.pack,
                "title": r.title,
                "helpUri": r.help_uri,
            }
            for r in loaded
        ]
        typer.echo(json.dumps(rows, indent=2))
        return 0
    if fmt == "markdown":
        typer.echo(_markdown_table(loaded), nl=False)
        return 0
    if fmt != "text":
        raise UsageError(f"--format: unknown format {fmt!r} (known: text, json, markdown)")
    width = max(len(r.name) for r in loaded)
    typer.echo(f"{'ID':<7} {'NAME':<{width}} {'SEVERITY':<8} {'CATEGORY':<14} {'PATH':<6} TITLE")
    for r in loaded:
        typer.echo(
            f"{r.id:<7} {r.name:<{width}} {_severity(r):<8} {r.category:<14} "
            f"{r.migration:<6} {r.title}"
        )
    if any(len(r.severities) > 1 for r in loaded):
        typer.echo(f"\n{VARIES}")
    return 0


VARIES = (
    "* reported at another severity where one of its variants applies "
    "(csmlint explain ID says when)"
)


def _severity(rule: Any) -> str:
    severity: str = rule.severity
    return severity + ("*" if len(rule.severities) > 1 else "")


def _markdown_table(rules: list[Any]) -> str:
    from csmlint.reporting.escape import html_code, md_text

    rows = [
        "| id | name | severity | category | migration | title |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        cells = (md_text(r.id), html_code(r.name), _severity(r), r.category, r.migration)
        rows.append("| " + " | ".join(cells) + f" | {md_text(r.title)} |")
    if any(len(r.severities) > 1 for r in rules):
        rows += ["", md_text(VARIES)]
    return "\n".join(rows) + "\n"


@app.command(short_help="Explain one rule: why it matters, how to fix it, sources.")
def explain(
    rule: Annotated[str, typer.Argument(help="Rule id (CSM127) or name (legacy-role-size).")],
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", metavar="PATH", help="Extra rule pack folder or file."),
    ] = None,
) -> int:
    """Explain one rule: why it matters, how to fix it, where it comes from."""
    from csmlint.rulepack.explain import explain_text, find_rule, suggest
    from csmlint.rulepack.loader import load_rules

    loaded = load_rules(rules or [])
    found = find_rule(loaded, rule)
    if found is None:
        raise UsageError(f"no rule {rule!r}{suggest(rule, loaded)} (see `csmlint rules`)")
    typer.echo(explain_text(found))
    return 0


@app.command("import", short_help="Turn Service Management (ASM) exports into a topology document.")
def import_exports(
    exports: Annotated[list[str], typer.Argument(help="ASM REST XML exports or folders.")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the topology document here [default: standard output].",
        ),
    ] = None,
    merge: Annotated[
        str | None,
        typer.Option(
            metavar="FILE",
            help="Topology document to merge the import into (the facts it states win) "
            "[default: the --output file, when it exists].",
        ),
    ] = None,
    max_file_size: Annotated[
        str | None,
        typer.Option(
            "--max-file-size", metavar="SIZE", help="Largest export to read [default: 5MB]."
        ),
    ] = None,
) -> int:
    """Import ASM exports into a topology document (exit 1: some part not imported)."""
    from csmlint.workflow.importer import run_import

    result = run_import(exports, output=output, merge=merge, max_bytes=parse_size(max_file_size))
    for line in result.messages:
        typer.echo(line, err=True)
    where = (
        "" if not output else f" -> {output}" if result.written else f" ({output} left as it was)"
    )
    typer.echo(result.summary() + where, err=True)
    if output is None:
        sys.stdout.write(result.text)
    return 1 if result.failed else 0


@app.command(short_help="Print a JSON Schema (topology, rule pack, report, config).")
def schema(
    name: Annotated[
        str,
        typer.Argument(
            help="topology, report, rulepack, config, plan, diagnose (the output of "
            "diagnose -f json) or diagnose-catalog (rules/diagnose/*.yaml)."
        ),
    ],
) -> int:
    """Print one of csmlint's JSON Schemas (for editors and CI checks)."""
    from importlib import resources

    files = resources.files("csmlint.schemas")
    target = files.joinpath(f"{name}.schema.json")
    if not target.is_file():
        known = sorted(
            p.name.removesuffix(".schema.json")
            for p in files.iterdir()
            if p.name.endswith(".schema.json")
        )
        raise UsageError(f"no schema {name!r} (known: {', '.join(known)})")
    typer.echo(target.read_text(encoding="utf-8"), nl=False)
    return 0
