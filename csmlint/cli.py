"""The command line. The only module that prints or exits.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it (unreadable
input files are findings); 2 the run is unusable (usage, configuration, rule pack);
3 internal error (one line; the traceback only with ``--debug``).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from enum import Enum
from typing import Annotated, Any

import typer

from csmlint import __version__
from csmlint.errors import CsmlintError, UsageError

app = typer.Typer(
    name="csmlint",
    help="Find Azure Cloud Services (classic) and classic IaaS migration blockers before you "
    "migrate: lint .csdef, .cscfg, network configuration and estate topology files.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for raw in values or [] for v in raw.split(",") if v.strip()]


def _size(text: str | None) -> int | None:
    if text is None:
        return None
    t = text.strip().upper().removesuffix("B")
    mult = {"K": 1024, "M": 1024**2, "G": 1024**3}.get(t[-1:], 1)
    number = t[:-1] if t[-1:] in "KMG" else t
    try:
        return int(float(number) * mult)
    except ValueError:
        raise UsageError(f"--max-file-size: not a size: {text!r} (e.g. 5MB)") from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csmlint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """csmlint: pre-migration linter for Cloud Services (classic) and classic IaaS."""


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
            help="Also lint *.Local.cscfg and bin/, obj/, csx/ build output.",
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
    from csmlint.config import load_config
    from csmlint.engine import RunOptions, run
    from csmlint.findings import ReportContext
    from csmlint.output import parse_formats, write_atomic
    from csmlint.reporting import REPORTERS, get_reporter
    from csmlint.sourceroot import find_source_root

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
        max_file_size=_size(max_file_size) or cfg.max_file_size or 5 * 1024 * 1024,
        target_vnet=target_vnet or cfg.target_vnet,
        topology=[*cfg.topology, *(topology or [])],
        suppress=cfg.suppress,
        cwd=cwd,
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
    if verbose:
        for disp, why in result.skipped:
            typer.echo(f"skipped {disp}: {why}", err=True)
    return 1 if failed else 0


def _progress() -> Any:
    def show(n: int, total: int) -> None:
        if total >= 200 and (n % 50 == 0 or n == total):
            sys.stderr.write(f"\rcsmlint: {n}/{total} files")
            sys.stderr.flush()

    return show


@app.command("rules")
def list_rules(
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    rules: Annotated[list[str] | None, typer.Option("--rules", help="Extra rule pack.")] = None,
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
    if fmt != "text":
        raise UsageError("--format must be text or json")
    width = max(len(r.name) for r in loaded)
    typer.echo(f"{'ID':<7} {'NAME':<{width}} {'SEVERITY':<8} {'CATEGORY':<14} {'PATH':<6} TITLE")
    for r in loaded:
        typer.echo(
            f"{r.id:<7} {r.name:<{width}} {r.severity:<8} {r.category:<14} "
            f"{r.migration:<6} {r.title}"
        )
    return 0


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="Rule id (CSM127) or name (legacy-role-size).")],
    rules: Annotated[list[str] | None, typer.Option("--rules", help="Extra rule pack.")] = None,
) -> int:
    """Explain one rule: why it matters, how to fix it, where it comes from."""
    from csmlint.rulepack.explain import explain_text, find_rule
    from csmlint.rulepack.loader import load_rules

    found = find_rule(load_rules(rules or []), rule)
    if found is None:
        raise UsageError(f"no rule {rule!r} (see `csmlint rules`)")
    typer.echo(explain_text(found))
    return 0


@app.command("import")
def import_exports(
    exports: Annotated[list[str], typer.Argument(help="ASM REST XML exports or folders.")],
    output: Annotated[str | None, typer.Option("--output", "-o", help="File [stdout].")] = None,
    merge: Annotated[
        str | None, typer.Option(help="Topology to merge into; its facts win [--output].")
    ] = None,
    max_file_size: Annotated[
        str | None, typer.Option("--max-file-size", help="Largest export to read [5MB].")
    ] = None,
) -> int:
    """Import ASM exports into a topology document (exit 1: some part not imported)."""
    from csmlint.importer import run_import

    result = run_import(exports, output=output, merge=merge, max_bytes=_size(max_file_size))
    for line in result.messages:
        typer.echo(line, err=True)
    if output is None:
        sys.stdout.write(result.text)
    return 1 if result.failed else 0


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="topology, report, rulepack or config.")],
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


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps every outcome to an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"csmlint {__version__}\n")
        sys.exit(0)
    debug = "--debug" in args
    try:
        code = app(args=args, prog_name="csmlint", standalone_mode=False)
    except CsmlintError as exc:
        sys.stderr.write(f"csmlint: error: {_visible(str(exc))}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("csmlint: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as exc:
        if _is_click_exception(exc):
            _show_click(exc)
        if debug:
            traceback.print_exc()
        sys.stderr.write(
            f"csmlint: internal error: {type(exc).__name__}: {_visible(str(exc))}"
            + ("" if debug else " (run with --debug for the traceback)")
            + "\n"
        )
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)


def _visible(message: str) -> str:
    """One line with control, ANSI and bidi characters escaped: messages quote rule packs and
    input files, which may come from a fork."""
    from csmlint.reporting.text import clean

    return clean(message)


def _is_click_exception(exc: BaseException) -> bool:
    return any(c.__name__ in ("ClickException", "Abort", "Exit") for c in type(exc).__mro__)


def _show_click(exc: Any) -> None:
    name = type(exc).__name__
    if name == "Exit":
        sys.exit(getattr(exc, "exit_code", 0))
    if name == "Abort":
        sys.stderr.write("csmlint: aborted\n")
        sys.exit(130)
    show = getattr(exc, "show", None)
    if callable(show):
        show()
    sys.exit(getattr(exc, "exit_code", 2) or 2)
