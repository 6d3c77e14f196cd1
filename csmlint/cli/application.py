"""The typer application and the option helpers the commands share."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from csmlint import __version__
from csmlint.errors import UsageError

COMMAND_ORDER = (
    "lint",
    "plan",
    "diagnose",
    "fix",
    "explain",
    "rules",
    "baseline",
    "init",
    "import",
    "schema",
    "check-pack",
    "test-pack",
)
"""How ``csmlint --help`` lists the commands: the daily one first, then the migration
workflow, the rules, the set-up, and the tools for rule-pack authors."""


_RANK = {name: n for n, name in enumerate(COMMAND_ORDER)}


class _Ordered(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:  # typer's own (vendored) click
        names = super().list_commands(ctx)
        return sorted(names, key=lambda name: (_RANK.get(name, len(_RANK)), name))


app = typer.Typer(
    name="csmlint",
    cls=_Ordered,
    help="Find Azure Cloud Services (classic) and classic IaaS migration blockers before you "
    "migrate: lint .csdef, .cscfg, network configuration and estate topology files.",
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for raw in values or [] for v in raw.split(",") if v.strip()]


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
