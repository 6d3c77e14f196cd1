"""`csmlint lint` without typer: its options parsed from a table, then the run itself (the
engine, the reports).

A pre-commit hook starts csmlint on every commit, and importing typer and building its click
command took about a fifth of a one-service lint. :data:`LINT_OPTIONS` holds the options as
:mod:`csmlint.cli.lint` declares them; a test checks that the two agree and that both parse
the same command lines to the same values. Anything the table does not cover exactly
(``--help``, an unknown option, ``-vq``, ``--``, a missing or invalid value) gives ``None``
from :func:`lint_options`: typer then parses the command line and words any error.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import Any, Final

from csmlint import __version__
from csmlint.cli.session import Color, FailOn, echo, one_output, parse_size
from csmlint.cli.session import split as _split
from csmlint.errors import UsageError

_FLAG, _VALUE, _MANY = "flag", "value", "many"

LINT_OPTIONS: Final[dict[str, tuple[str, str]]] = {
    "--format": ("formats", _MANY),
    "-f": ("formats", _MANY),
    "--output": ("output", _MANY),
    "-o": ("output", _MANY),
    "--fail-on": ("fail_on", _VALUE),
    "--select": ("select", _MANY),
    "--ignore": ("ignore", _MANY),
    "--rules": ("rules", _MANY),
    "--topology": ("topology", _MANY),
    "--include": ("include", _MANY),
    "--exclude": ("exclude", _MANY),
    "--no-default-excludes": ("no_default_excludes", _FLAG),
    "--max-file-size": ("max_file_size", _VALUE),
    "--target-vnet": ("target_vnet", _VALUE),
    "--config": ("config", _VALUE),
    "--print-config": ("print_config", _FLAG),
    "--baseline": ("baseline", _VALUE),
    "--no-baseline": ("no_baseline", _FLAG),
    "--no-suppressions": ("no_suppressions", _FLAG),
    "--color": ("color", _VALUE),
    "--verbose": ("verbose", _FLAG),
    "-v": ("verbose", _FLAG),
    "--quiet": ("quiet", _FLAG),
    "-q": ("quiet", _FLAG),
    "--source-root": ("source_root", _VALUE),
    "--sarif-category": ("sarif_category", _VALUE),
    "--debug": ("debug", _FLAG),
}
"""Option -> (parameter of :func:`csmlint.cli.lint_run.run_lint`, kind): a flag, one value
(the last one given wins, as in click), or a repeatable value."""

LINT_CHOICES: Final[dict[str, Callable[[str], Any]]] = {"fail_on": FailOn, "color": Color}
"""Parameters whose value is one of a set (an invalid one is left to typer's message)."""

LINT_DEFAULTS: Final[dict[str, Any]] = {
    "paths": None,
    **{param: (False if kind == _FLAG else None) for param, kind in LINT_OPTIONS.values()},
    "color": Color.auto,
}


def lint_options(args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments of :func:`csmlint.cli.lint_run.run_lint` for ``csmlint lint
    ARGS``, or ``None`` when typer has to parse them."""
    values: dict[str, Any] = dict(LINT_DEFAULTS)
    paths: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--" or arg == "-":
            return None
        if not arg.startswith("-"):
            paths.append(arg)
            continue
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        spec = LINT_OPTIONS.get(name)
        if spec is None:
            return None
        param, kind = spec
        if kind == _FLAG:
            if eq:
                return None
            values[param] = True
            continue
        value = attached if eq else next(rest, None)
        if value is None or (not eq and value.startswith("-")):
            return None
        if param in LINT_CHOICES:
            try:
                value = LINT_CHOICES[param](value)
            except ValueError:
                return None
        if kind == _MANY:
            values[param] = [*(values[param] or []), value]
        else:
            values[param] = value
    values["paths"] = paths or None
    del values["debug"]  # handled in main()
    return values


def run_lint(
    *,
    paths: list[str] | None,
    formats: list[str] | None,
    output: list[str] | None,
    fail_on: FailOn | None,
    select: list[str] | None,
    ignore: list[str] | None,
    rules: list[str] | None,
    topology: list[str] | None,
    include: list[str] | None,
    exclude: list[str] | None,
    no_default_excludes: bool,
    max_file_size: str | None,
    target_vnet: str | None,
    config: str | None,
    print_config: bool,
    baseline: str | None,
    no_baseline: bool,
    no_suppressions: bool,
    color: Color,
    verbose: bool,
    quiet: bool,
    source_root: str | None,
    sarif_category: str | None,
) -> int:
    """``csmlint lint`` once its options are parsed (by typer, or by
    the table above): run the engine and write the reports."""
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

    for option, given in (("--select", select), ("--ignore", ignore), ("--format", formats)):
        if given is not None and not _split(given):
            raise UsageError(f"{option}: empty value (leave the option out instead)")
    if baseline is not None and no_baseline:
        raise UsageError("--baseline and --no-baseline contradict each other: give one")
    if verbose and quiet:
        raise UsageError("--verbose and --quiet contradict each other: give one")
    if print_config and (formats or output or verbose or quiet):
        raise UsageError(
            "--print-config prints the effective configuration (as YAML) and writes no "
            "report: leave out --format, --output, --verbose and --quiet"
        )
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

        echo(describe(settings, list(paths or []), cwd), nl=False)
        return 0
    specs = parse_formats(_split(formats), one_output(output), sorted(REPORTERS))
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
        echo(result.baseline.describe(), err=True)
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
