"""The typer application (the option values the commands share: :mod:`csmlint.cli.session`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from csmlint import __version__
from csmlint.cli.session import Color, FailOn, parse_size
from csmlint.cli.session import split as _split

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


__all__ = ["COMMAND_ORDER", "Color", "FailOn", "_split", "app", "parse_size"]

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
