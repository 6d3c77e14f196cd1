"""`csmlint fix`: rewrite .cscfg/.csdef files for the findings that have a fix. With --diff,
nothing is written: the unified diff is printed and the exit code is 1 when something would
change (0 when nothing would)."""

from __future__ import annotations

from typing import Annotated

import typer

from csmlint.cli.application import app
from csmlint.cli.options import Config, Topology, Verbose


@app.command("fix", short_help="Rewrite .cscfg/.csdef files for findings with a safe fix.")
def fix_command(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to lint and fix.")],
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff; change nothing on disk.")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="RULES",
            help="Only these rules' fixes (ids, names or pack names, as lint takes them; "
            "repeatable or comma-separated). CSM123 (remove the RDP plugin), CSM133/CSM134 "
            "(the VNet ARM ID and reserved IP names, for the .cscfg deployed after the "
            "commit) and CSM173 (a second role instance) run only when named.",
        ),
    ] = None,
    subscription: Annotated[
        str | None,
        typer.Option(
            "--subscription",
            metavar="GUID",
            help="Subscription id the VNet ARM IDs are built with (CSM133) [default: the "
            "cloud service's subscription in the topology].",
        ),
    ] = None,
    resource_group: Annotated[
        str | None,
        typer.Option(
            "--resource-group",
            metavar="NAME",
            help="Resource group of the migrated VNet [default: <vnet-name>-migrated].",
        ),
    ] = None,
    topology: Topology = None,
    config: Config = None,
    verbose: Verbose = False,
) -> int:
    """Apply the deterministic fixes at the attribute's span, keeping encoding, BOM and line
    endings: legacy vmsize by default; with --select, also the RDP plugin removal and the
    after-commit rewrites (VNet ARM ID, the names of reserved IPs the migration renames).
    With --diff nothing is written: exit 1 when something would change, 0 when nothing
    would. An input that cannot be read, or a chosen fix that cannot be made (CSM133 without
    a subscription), makes the exit code 1; a usage or configuration mistake exits 2."""
    import os

    from csmlint.cli.session import prepare, warn_skipped
    from csmlint.migration.fix import check_names, plan_fixes

    check_names(subscription, resource_group)  # before the configuration and rules are read
    selected = [s for item in select or [] for s in item.split(",") if s.strip()]
    # the lint run of the configuration: what lint ignores, excludes or suppresses is not fixed
    prepared = prepare(paths, config, {"topology": topology or []})
    plan = plan_fixes(
        paths,
        select=selected,
        subscription=subscription,
        resource_group=resource_group,
        options=prepared.options,
        rules=prepared.rules,
    )
    if plan.result is not None:
        warn_skipped(plan.result, paths, os.getcwd(), verbose)
    for note in plan.notes:
        typer.echo(f"csmlint: {note}", err=True)
    for problem in plan.unreadable:  # a finding about an input (exit 1), not a usage error
        typer.echo(problem, err=True)
    for f in plan.files:
        if diff:
            typer.echo(f.diff(), nl=False)
        for edit in f.edits:
            verb = "would fix" if diff else "fixed"
            typer.echo(f"{f.shown}:{edit.line}: {verb} {edit.rule_id}: {edit.what}", err=diff)
    if not (plan.files or plan.unfixed or plan.unreadable):
        typer.echo(
            "csmlint: nothing to fix (no reported finding has a fix this run makes; ignored "
            "and suppressed ones are left alone)",
            err=True,
        )
    if diff:
        return 1 if plan.changes or plan.unreadable or plan.unfixed else 0
    plan.apply()
    if plan.files:
        count = sum(len(f.edits) for f in plan.files)
        typer.echo(f"{count} change(s) in {len(plan.files)} file(s)")
    return 1 if plan.unreadable or plan.unfixed else 0
