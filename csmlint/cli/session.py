"""What `lint`, `plan`, `fix` and `baseline` share: option values, configuration + command
line -> one engine run, the baseline applied to its result, and the warnings and skipped files
a run reports. Imports no typer: a plain `csmlint lint` starts without it
(:mod:`csmlint.cli.lint_run`)."""

from __future__ import annotations

import os
import re
import sys
from enum import Enum
from typing import Any

from csmlint.errors import ConfigError, UsageError
from csmlint.records import field, record


class FailOn(str, Enum):
    error = "error"
    blocked = "blocked"
    warning = "warning"
    note = "note"
    never = "never"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def split(values: list[str] | None) -> list[str]:
    return [v.strip() for raw in values or [] for v in raw.split(",") if v.strip()]


def one_output(
    given: list[str] | None, example: str = "--format json=out/a.json --format sarif=out/a.sarif"
) -> str | None:
    """``--output``, given at most once: the last one silently winning wrote one report where
    the user asked for two. ``example``: two formats of the command, each with its file."""
    if given and len(given) > 1:
        shown = " ".join(f"-o {v}" for v in given)
        raise UsageError(
            f"--output given {len(given)} times ({shown}): it names the file of the one "
            f"--format without a path; give each report its own ({example})"
        )
    return given[-1] if given else None


MIN_FILE_SIZE = 1024
MAX_FILE_SIZE = 1024**3


def parse_size(text: str | None) -> int | None:
    """``--max-file-size``: bytes, or a number with K, M or G (``5MB``), 1 KB to 1 GB."""
    if text is None:
        return None
    t = text.strip().upper().removesuffix("B")
    mult = {"K": 1024, "M": 1024**2, "G": 1024**3}.get(t[-1:], 1) if t else 1
    number = t[:-1] if t and t[-1] in "KMG" else t
    try:
        size = int(float(number) * mult)
    except (ValueError, OverflowError):
        raise UsageError(f"--max-file-size: not a size: {text!r} (e.g. 5MB)") from None
    if not MIN_FILE_SIZE <= size <= MAX_FILE_SIZE:
        raise UsageError(f"--max-file-size: {text!r} is outside 1KB..1GB")
    return size


_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")
"""The escape sequences click removes from output that is not a terminal."""


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """``text`` (and a newline) on standard output, or error with ``err``; colour codes are
    removed when the stream is not a terminal, as click does."""
    stream = sys.stderr if err else sys.stdout
    if not stream.isatty():
        text = _ANSI.sub("", text)
    stream.write(text + ("\n" if nl else ""))
    stream.flush()


@record
class Prepared:
    settings: Any  # workflow.settings.Settings
    options: Any  # engine.RunOptions
    rules: list[Any]  # every rule loaded (shipped packs and extra ones)
    cwd: str
    root: str
    """The source root (repository root) fingerprints and baseline files are relative to."""
    read: list[str] = field(default_factory=list)
    """What is read besides the inputs (the configuration file and those it extends, the
    extra rule packs' files or folders, the baseline): no report may be written there."""


def prepare(
    paths: list[str] | None,
    config: str | None,
    flags: dict[str, Any],
    *,
    source_root: str | None = None,
) -> Prepared:
    """Load the configuration for ``paths`` (or ``--config``), put the command line's
    ``flags`` on top, load the rules and check the rule names the configuration uses."""
    from csmlint.engine import RunOptions
    from csmlint.findings.fingerprints import find_source_root
    from csmlint.rulepack.loader import load_rules
    from csmlint.workflow.config import load_config
    from csmlint.workflow.settings import resolve

    cwd = os.getcwd()
    targets = list(paths or ["."])
    root = find_source_root(cwd, source_root)
    cfg = load_config(config, cwd, paths=targets)
    settings = resolve(cfg, flags, cwd)
    rules = load_rules(settings["rules"])
    check_rule_names(settings, rules)
    options = RunOptions(
        paths=targets,
        rules=settings["rules"],
        select=settings["select"],
        ignore=settings["ignore"],
        include=settings["include"],
        exclude=settings["exclude"],
        max_file_size=settings["maxFileSize"],
        target_vnet=settings["targetVnet"],
        topology=settings["topology"],
        suppress=settings["suppress"],
        cwd=cwd,
        source_root=root,
    )
    packs = [str(entry) for entry in settings["rules"] or []]
    return Prepared(settings, options, rules, cwd, root, [*cfg.chain, *packs])


def check_rule_names(settings: Any, rules: list[Any]) -> None:
    """Every ``select``/``ignore`` entry names a rule, rule name or pack; a mistake in the
    configuration is reported at its file and line, one on the command line by its flag,
    both with a did-you-mean."""
    known = {k.lower() for r in rules for k in (r.id, r.name, r.pack)}
    cfg = settings.config
    for key in ("select", "ignore"):
        origin = cfg.origins.get(key)
        from_config = set(getattr(cfg, key)) if origin is not None else set()
        for value in settings[key]:
            if value.lower() in known:
                continue
            from csmlint.rulepack.explain import suggest  # only for a mistake (start-up)

            hint = suggest(value, rules)
            message = f"unknown rule, rule name or pack {value!r}{hint} (see `csmlint rules`)"
            if value in from_config:
                line = cfg.item_lines.get((key, value)) or origin.line
                raise ConfigError(f"{key}: {message}", path=origin.path, line=line)
            raise UsageError(f"--{key}: {message}")


def baseline_path(settings: Any, flag: str | None, root: str, cwd: str) -> str:
    """``--baseline``, else the configuration's ``baseline:``, else the default file in the
    repository root."""
    from csmlint.workflow.baseline import DEFAULT_FILE

    if flag:
        return os.path.join(cwd, flag)
    if settings["baseline"]:
        return str(settings["baseline"])
    return os.path.join(root, DEFAULT_FILE)


def read_baseline(path: str, settings: Any, cwd: str, *, from_flag: bool) -> Any:
    from csmlint.discovery import display_path
    from csmlint.parsing.source import not_a_file
    from csmlint.workflow.baseline import read

    shown = display_path(path, cwd)
    problem = not_a_file(path)
    if problem is not None:
        hint = " (make one with `csmlint baseline create`)" if problem == "no such file" else ""
        message = f"{shown}: {problem}{hint}"
        origin = settings.config.origins.get("baseline")
        if not from_flag and origin is not None:
            raise ConfigError(f"baseline {message}", path=origin.path, line=origin.line)
        raise UsageError(f"--baseline {message}")
    return read(path, shown)


def linted_and_ran(result: Any, ran: list[Any], prepared: Prepared) -> tuple[set[str], set[str]]:
    """(files linted, as paths from the repository root; ids of the rules that ran)."""
    from csmlint.findings.fingerprints import relative_to_source_root

    relative = relative_to_source_root(prepared.cwd, prepared.root)
    return {relative(p) for p in result.files if p not in result.unlisted}, {r.id for r in ran}


def warn_skipped(result: Any, paths: list[str], cwd: str, verbose: bool) -> None:
    """The run's warnings, and the files it skipped: each one with ``verbose``, else only
    those the user named (a file named on the command line is never skipped in silence)."""
    from csmlint.discovery import display_path

    given = [os.path.join(cwd, p) for p in paths]
    named = {display_path(p, cwd) for p in given if os.path.isfile(p)}
    for warning in result.warnings:
        echo(f"csmlint: warning: {warning}", err=True)
    for disp, why in result.skipped:
        if verbose:
            echo(f"skipped {disp}: {why}", err=True)
        elif disp in named:  # a file the user named is never skipped in silence
            echo(f"csmlint: warning: {disp}: not linted: {why}", err=True)
