"""What the lint reports and the plan show of a fix's commands: which run before Validate and
which after Commit (:func:`split_at_migration`, the plan's steps), and the labelled copy boxes
of a finding (:func:`labelled_blocks`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from csmlint.findings.commands import (
    ABORT,
    ARM,
    CLASSIC,
    COMMIT,
    EITHER_COMMIT,
    SHELL_TITLES,
    Shell,
    block_label,
    command_blocks,
    definitions,
    is_context,
    phase_of,
    reads,
    sets,
    shell_of,
)

AFTER_CATEGORIES = frozenset({"dropped", "post-migration"})
"""Findings of these categories are fixed after the migration (the plan's default phase)."""

_MIGRATION_COMMAND = re.compile(
    r"Move-Azure(?:VirtualNetwork|Service|StorageAccount)\b.*-(?:Validate|Prepare|Commit|Abort)\b"
    r"|^azure\s.*\b(?:validate|prepare|commit|abort)-migration\b",
    re.I,
)
_VALIDATE = re.compile(r"\s-Validate\b|\bvalidate-migration\b")
_RECORD_COMMAND = re.compile(
    r"^Get-\w+\b.*\|\s*(?:Set-Content|Out-File|Export-Csv|Export-Clixml)\b", re.I
)
"""A self-contained record: a ``Get-`` pipeline into a file (``$cs.Configuration | Set-Content``
reads what an earlier command fetched, so it goes where that command goes)."""


def split_at_migration(
    commands: Sequence[str], after_migration: bool, *, keep_validate: bool = False
) -> tuple[list[str], list[str]]:
    """(before Validate, after Commit); the migration's own commands are left out (the
    platform steps run them). A classic command (``Set-AzureDeployment``, ``azure ...``)
    needs the classic resource, and a ``Get-`` pipeline into a file (``... | Export-Csv``)
    that reads no migrated resource (``<name>-migrated``) records what the migration drops:
    both come before Validate. An
    Azure Resource Manager command after a migration command (``Get-AzCloudService``), or
    one that names a ``-migrated`` resource group, works on the migrated resources, so it
    comes after Commit, and so do a command that reads a variable such a command set, and
    every other command of a fix that is done after the migration (``after_migration``).
    ``keep_validate``: a Validate command stays (it only reads), for a "cannot tell" finding
    whose check it is."""
    before: list[str] = []
    after: list[str] = []
    contexts: list[str] = []
    later: set[str] = set()  # variables the after-Commit commands set
    seen_migration = False
    for c in commands:
        if is_context(c):
            contexts.append(c)  # the subscription or vault: each part runs in it
        elif _MIGRATION_COMMAND.search(c):
            if keep_validate and _VALIDATE.search(c):
                before.append(c)  # the check a "cannot tell" finding asks for
            else:
                seen_migration = True
        elif CLASSIC.search(c) or (_RECORD_COMMAND.search(c) and "-migrated" not in c):
            before.append(c)
        elif (
            after_migration
            or (seen_migration and ARM.search(c))
            or phase_of(c) == "migrated"  # names a resource group the migration makes
            or not later.isdisjoint(reads(c))  # reads what an after-Commit command kept
        ):
            after.append(c)
            later.update(sets(c))
        else:
            before.append(c)
    if before and after:
        # each part runs on its own: a look that sets a variable the other part uses is in both
        before, after = (
            [*definitions(before, after), *before],
            [*definitions(after, before), *after],
        )
    if before or not after:
        before = [*contexts, *before]
    if after:
        after = [*contexts, *after]
    return before, after


_LONE_COMMIT = "Commit (final; run it where `csmlint plan` puts it)"
_PREPARE_LABEL = "change (Prepare: locks the unit until Commit or Abort)"
"""A finding's fix may name the migration's own commands: the plan says when they run
(after every blocker of the unit is fixed), and the labels say so."""
_PREPARE = re.compile(r"\s-Prepare\b|\bprepare-migration\b")


def labelled_blocks(
    commands: Sequence[str], after_migration: bool = False
) -> list[tuple[str, list[str]]]:
    """A finding's commands as the lint reports show them: :func:`command_blocks`, each
    headed by a comment saying what pasting it does (a check, a change, a deletion, the
    migration's Prepare, Commit or Abort). Not numbered: a finding's commands may hold
    alternatives. In a fix that runs the migration's Commit itself, an Azure Resource Manager
    block after the Commit block says it runs after Commit. A fix that does not is cut as the plan
    cuts it (:func:`split_at_migration`; ``after_migration``: the finding is fixed after the
    migration, :data:`AFTER_CATEGORIES`): the part after Commit says so. Commands of more
    than one shell are cut where the shell changes, and each label names its shell
    (``# Azure classic CLI: check (reads only)``)."""
    if any(COMMIT.search(c) for c in commands):
        parts = [("", list(commands))]  # the fix runs the migration: in its own order
    else:
        before, after = split_at_migration(commands, after_migration)
        first = set(before) | {c for c in commands if _MIGRATION_COMMAND.search(c)}
        parts = [("", [c for c in commands if c in first]), (" (after Commit)", after)]
    out: list[tuple[str, list[str]]] = []
    named = len({shell_of(c) for c in commands}) > 1
    committed = False
    for when, part in parts:
        for shell, run in _runs(part):
            blocks = command_blocks(run)
            for n, block in enumerate(blocks):
                following = blocks[n + 1] if n + 1 < len(blocks) else []
                kind = _kind(block, following, committed) + when
                committed = committed or any(COMMIT.search(c) for c in block)
                out.append((f"# {SHELL_TITLES[shell]}: {kind}" if named else f"# {kind}", block))
    return out


def _kind(block: list[str], following: list[str], committed: bool) -> str:
    """What pasting ``block`` does; ``following``: the next block of its shell;
    ``committed``: a Commit block came before it."""
    text = " ".join(block)
    if COMMIT.search(text):
        return EITHER_COMMIT if ABORT.search(" ".join(following)) else _LONE_COMMIT
    if ABORT.search(text):
        return "or: Abort (instead of Commit)" if committed else "Abort (undoes Prepare)"
    if _PREPARE.search(text):
        return _PREPARE_LABEL
    kind = block_label([block], 1).removeprefix("# ")
    if committed and {"arm", "migrated"} & {phase_of(c) for c in block}:
        kind += " (after Commit)"  # on what the Commit above created
    return kind


def _runs(commands: Sequence[str]) -> list[tuple[Shell, list[str]]]:
    """``commands`` cut where the shell changes, in their order."""
    runs: list[tuple[Shell, list[str]]] = []
    for c in commands:
        shell = shell_of(c)
        if runs and runs[-1][0] == shell:
            runs[-1][1].append(c)
        else:
            runs.append((shell, [c]))
    return runs
