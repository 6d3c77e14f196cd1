"""What `lint`, `plan`, `fix` and `baseline` share: configuration + command line -> one engine
run, the baseline applied to its result, and the warnings and skipped files a run reports."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import typer

from csmlint.errors import ConfigError, UsageError


@dataclass(slots=True)
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
    from csmlint.rulepack.explain import suggest

    known = {k.lower() for r in rules for k in (r.id, r.name, r.pack)}
    cfg = settings.config
    for key in ("select", "ignore"):
        origin = cfg.origins.get(key)
        from_config = set(getattr(cfg, key)) if origin is not None else set()
        for value in settings[key]:
            if value.lower() in known:
                continue
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
        typer.echo(f"csmlint: warning: {warning}", err=True)
    for disp, why in result.skipped:
        if verbose:
            typer.echo(f"skipped {disp}: {why}", err=True)
        elif disp in named:  # a file the user named is never skipped in silence
            typer.echo(f"csmlint: warning: {disp}: not linted: {why}", err=True)
