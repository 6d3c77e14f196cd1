"""What a remediation command does, read from its text: when it can run (on the classic
resources, the migration itself, on the migrated resources), and whether it only looks or
changes something. Reports cut a finding's commands into copy-and-paste blocks with it
(:func:`command_blocks`): pasting one block must never run a check together with the change
it decides on, Commit together with its alternative Abort, or a step before the migration
together with one after it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

Phase = Literal["classic", "migration", "migrated", "arm"]
Shell = Literal["powershell", "classic-cli", "az-cli"]
SHELL_TITLES: dict[Shell, str] = {
    "powershell": "PowerShell",
    "classic-cli": "Azure classic CLI",
    "az-cli": "Azure CLI",
}
"""The shells of remediation commands, in the order reports show them."""

MIGRATION = re.compile(
    r"Move-Azure(?:VirtualNetwork|Service|StorageAccount)\b|^azure\s.*-migration\b", re.I
)
CLASSIC = re.compile(r"\b[A-Z][a-z]+-Azure(?!Rm[A-Z])[A-Z]|^azure\s")  # not AzureRM (ARM)
ARM = re.compile(r"\b[A-Z][a-z]+-Az(?!ure)[A-Z]|^az\s")
_LOCAL = re.compile(r"^\s*(?:\$\w+\s*=\s*)?New-Az\w*(?:Object|Config)\b")
"""``New-AzCloudServiceRemoteDesktopExtensionObject``, ``New-AzVirtualNetworkGatewayIpConfig``:
build an object in the session and call nothing, so they go with their neighbours."""
_PIPED = re.compile(r"\|\s*[A-Z][a-z]+-[A-Z]")


def _local(command: str) -> bool:
    """Only builds an object (``$x = New-Az...Object``), not piped into a cmdlet that uses
    it (``New-AzureVMConfig ... | New-AzureVM`` creates a VM)."""
    return bool(_LOCAL.match(command)) and not _PIPED.search(command)


_VALIDATE = re.compile(r"Move-Azure\w+\s.*-Validate\b|\bvalidate-migration\b", re.I)
_CONTEXT = re.compile(
    r"^\s*(?:Select-AzSubscription|Set-AzContext|Select-AzureSubscription"
    r"|Set-AzRecoveryServicesAsrVaultContext)\b"
)
"""Commands that pick the subscription (or the Recovery Services vault) the next ones run
in: they change nothing in Azure."""
_BUILDERS = re.compile(r"\bNew-Az\w*(?:Object|Config|Context)\b")
"""Cmdlets that build an object in the session (``New-AzStorageContext``) and call nothing:
they do not make the command that uses them a change."""
_SAVES = re.compile(
    r"\b(?:Set-Content|Add-Content|Out-File|Export-Csv|Export-Clixml|Export-AzureVM)\b"
    r"|\s-ExportToFile\b"
    r"|^csmlint\s+import\b|\bNew-Item\s+-ItemType\s+Directory\b"
)
"""What writes a local file and changes nothing in Azure (``... | Set-Content x.json``,
``Get-AzureVNetConfig -ExportToFile``, ``csmlint import -o``, a local folder made for
them): a look that saves a file."""
_WEB_READS = re.compile(r"\bInvoke-(?:WebRequest|RestMethod)\b(?![^|;]*\s-Method\s+(?!Get\b))")
"""A REST call without ``-Method`` (or with ``-Method Get``) reads, like a ``Get-`` cmdlet."""
_CMDLET = re.compile(r"\b([A-Z][a-z]+)-[A-Z][A-Za-z]+")
_LOOKS = frozenset({"Get", "Test", "Find", "Search", "Show", "Measure", "Compare", "Where"})
"""Verbs of cmdlets that only read. ``Select`` is neither: ``Select-Object`` shapes what a
look prints, ``Select-AzSubscription`` picks the context the next command runs in."""
_NEUTRAL = frozenset({"Select", "ConvertTo", "ConvertFrom", "Format", "Out"})
"""``Out-Null`` and ``Out-String`` shape output (``Out-File`` saves: :data:`_SAVES`)."""
_ASSIGNMENT = re.compile(r"^\s*\$\w+\s*=")
_SETS = re.compile(r"(?:^|;)\s*\$(\w+)\s*=(?!=)")
"""Variables a command sets (``$cs = ...``, also after a ``;``)."""
_USES = re.compile(r"\$(\w+)")
_LOOP = re.compile(r"\bforeach\s*\(\s*\$(\w+)\s+in\b", re.IGNORECASE)
_CLI_LOOKS = re.compile(r"^(?:az|azure)\s.*\s(?:show|list|list-usages|validate-migration)\b")
_CONSEQUENTIAL = re.compile(
    r"(?:^|\|\s*)Remove-\w+|\s-(?:Prepare|Commit|Abort)\b|\b(?:prepare|commit|abort)-migration\b"
    r"|\s(?:delete|remove)\b|\bSet-AzureVNetConfig\b|\b(?:New|Move|Set)-AzureDeployment\b"
    r"|\bUpdate-AzureVM\b",
    re.IGNORECASE,
)
"""Commands that lock, delete, overwrite, restart or finish something (Prepare, Commit,
Abort, Remove-*, Set-AzureVNetConfig; a deployment created, swapped or updated; a VM
updated): each stands alone."""


def shell_of(command: str) -> Shell:
    """The shell ``command`` runs in."""
    if command.startswith("azure "):
        return "classic-cli"
    if command.startswith("az "):
        return "az-cli"
    return "powershell"


def is_context(command: str) -> bool:
    """Whether ``command`` picks the subscription or vault the next commands run in."""
    return bool(_CONTEXT.match(command))


def phase_of(command: str) -> Phase | None:
    """When ``command`` can run: ``classic`` (on the classic resources, before the
    migration), ``migration`` (its own Validate/Prepare/Commit/Abort), ``migrated`` (on the
    resources the migration creates: an ARM command naming a ``-migrated`` resource group),
    ``arm`` (another ARM command) or ``None`` (plain PowerShell such as ``Get-Credential``,
    or csmlint itself: it goes with its neighbours)."""
    if _local(command):
        return None
    if MIGRATION.search(command):
        return "migration"
    if CLASSIC.search(command):
        return "classic"
    if ARM.search(command):
        return "migrated" if "-migrated" in command else "arm"
    return None


def changes(command: str) -> bool | None:
    """Whether ``command`` changes something (any cmdlet in it with a verb other than
    Get, Test, Select...; an ``az``/``azure`` command other than show/list): ``False`` for
    a look, ``None`` when it names no cmdlet."""
    if _VALIDATE.search(command):
        return False  # Validate changes nothing: it is the migration's own check
    if command.startswith(("az ", "azure ")):
        return not _CLI_LOOKS.search(command)
    if _local(command) or _CONTEXT.match(command):
        return None
    plain = _WEB_READS.sub("Get-Web", _BUILDERS.sub("", _SAVES.sub("", command)))
    verbs = [v for v in _CMDLET.findall(plain) if v not in _NEUTRAL]
    if not verbs:
        return False if _SAVES.search(command) else None  # Export-AzureVM: saves, reads
    if any(v not in _LOOKS for v in verbs):
        return True
    # ``$cs = Get-AzCloudService ...`` fetches what the next command changes: not a check;
    # ``$vm = Get-AzureVM ...; Get-AzureAclConfig -VM $vm`` ends in a look that prints
    return None if _ASSIGNMENT.match(command.rpartition(";")[2]) else False


def command_blocks(commands: Sequence[str]) -> list[list[str]]:
    """``commands`` in copy-and-paste blocks: a block never spans two phases
    (:func:`phase_of`), a look is never followed by a change in the same block (the check
    decides whether the change applies; a change followed by the look that verifies it
    stays together), and a command that locks, deletes or finishes something stands
    alone. A command that picks the subscription (``Select-AzSubscription``) is repeated
    at the start of every later block, so that a block pasted alone runs where it should."""
    blocks: list[list[str]] = []
    phase: Phase | None = None
    looked = False
    context: str | None = None
    kept: set[str] = set()
    for command in commands:
        if _CONTEXT.match(command):
            context = command  # each later block starts with it: a block pasted alone
        now, change = phase_of(command), changes(command)
        if now == "arm" and phase == "migrated":
            now = phase  # after a command on the migrated resources, ARM works on them too
        # a command using a variable the block sets stays with it: pasted alone, it
        # would use an undefined variable ($rdp = New-...Object, then ... += $rdp); one
        # that stands alone gets the commands that set it repeated (below)
        needs = bool(blocks) and any(v in kept for v in _used(command))
        if (
            not blocks
            or _CONSEQUENTIAL.search(command)
            or _CONSEQUENTIAL.search(blocks[-1][-1])
            or (
                not needs
                and (
                    (now is not None and phase is not None and now != phase)
                    or (now is None and phase == "migration")  # the migration's stay apart
                    or (looked and change)
                )
            )
        ):
            blocks.append([context, command] if context and context != command else [command])
            phase, looked, kept = now, change is False, set()
        else:
            blocks[-1].append(command)
            phase = phase or now
            looked = looked or change is False
        kept.update(_SETS.findall(command))
    for n in range(1, len(blocks)):  # a block pasted alone sets what it uses
        earlier = [c for block in blocks[:n] for c in block]
        needed = [c for c in definitions(blocks[n], earlier) if c not in blocks[n]]
        at = 1 if context is not None and blocks[n][0] == context else 0
        blocks[n][at:at] = needed
    # a setter nothing after it in its block uses, and that a later block repeats, goes
    # (a prompt for credentials the block never uses); a block left with nothing goes too
    out = []
    for n, block in enumerate(blocks):
        kept_here: list[str] = []
        for c in reversed(block):  # from the end: what reads a dropped setter goes first
            if not _repeated(c, blocks[n + 1 :]) or _read_later(c, kept_here):
                kept_here.insert(0, c)
        if any(c != context for c in kept_here):
            out.append(kept_here)
    return out or blocks


def _repeated(command: str, later: list[list[str]]) -> bool:
    return bool(_SETS.search(command)) and any(command in block for block in later)


def _read_later(command: str, rest: list[str]) -> bool:
    names = set(_SETS.findall(command))
    return any(names & set(_used(c)) for c in rest)


def sets(command: str) -> set[str]:
    """The variables ``command`` sets (``$cs = ...``)."""
    return set(_SETS.findall(command))


def reads(command: str) -> set[str]:
    """The variables ``command`` reads."""
    return set(_used(command))


def _used(command: str) -> list[str]:
    """The variables ``command`` reads (``$creds = Get-Credential`` reads none; the variable
    of its own ``foreach ($e in ...)`` loop is not read from elsewhere)."""
    own = set(_LOOP.findall(command))
    return [v for v in _USES.findall(_SETS.sub(" ", command)) if v not in own]


def definitions(commands: Sequence[str], earlier: Sequence[str]) -> list[str]:
    """The commands of ``earlier`` that set a variable ``commands`` use without setting it
    first, and change nothing (``$vm = Get-AzureVM ...``, ``$vault = Get-Az...Vault``), with
    what they need in turn, in their order: put before ``commands`` (a later block, the
    after-Commit part of a fix), they make it run on its own. A variable a change sets is
    not repeated: running it twice would change twice."""
    setters: dict[str, str] = {}
    for c in earlier:
        for name in _SETS.findall(c):
            setters[name] = c
    wanted: set[str] = set()
    todo = list(commands)
    while todo:
        have: set[str] = set()
        found = []
        for c in todo:
            for name in _used(c):
                setter = setters.get(name)
                if setter is None or name in have or setter in wanted:
                    continue
                if changes(setter) is not True:
                    wanted.add(setter)
                    found.append(setter)
            have.update(_SETS.findall(c))
        todo = found
    return list(dict.fromkeys(c for c in earlier if c in wanted))


def block_label(blocks: Sequence[Sequence[str]], n: int) -> str:
    """How a report heads block ``n`` (from 1) of a step's ``blocks``: a comment in
    PowerShell and a shell alike (pasting it runs nothing), that says whether the block only
    looks or deletes something, and, for Commit and Abort, that they are alternatives: the
    Abort block after a Commit block has the Commit's number (``[2/2] either: Commit``,
    ``[2/2] or: Abort``), so that the numbers never read as "run all three" (the plan's
    Abort is the next step's)."""
    block = blocks[n - 1]
    text = " ".join(block)
    if COMMIT.search(text):
        kind = EITHER_COMMIT
    elif ABORT.search(text):
        kind = "or: Abort (instead of Commit)"
    elif _DELETES.search(text):
        kind = "change (deletes)"
    elif is_look(block):
        saves = any(_SAVES.search(c) for c in block)
        kind = "check (reads only; saves a local file)" if saves else "check (reads only)"
    elif _fetches(block):
        kind = "fetch (reads only; a later command uses what it keeps)"
    else:
        kind = "change"
    alternatives = [
        k
        for k in range(1, len(blocks))
        if ABORT.search(" ".join(blocks[k])) and COMMIT.search(" ".join(blocks[k - 1]))
    ]
    total = len(blocks) - len(alternatives)
    number = n - sum(1 for k in alternatives if k < n)
    return f"# [{number}/{total}] {kind}" if total > 1 else f"# {kind}"


COMMIT = re.compile(r"\bMove-Azure\w+\s.*-Commit\b|\bcommit-migration\b")
ABORT = re.compile(r"\bMove-Azure\w+\s.*-Abort\b|\babort-migration\b")


EITHER_COMMIT = "either: Commit (final; run this or the Abort block, not both)"
_DELETES = re.compile(r"(?:^|[|;(]\s*)Remove-\w+|^az\s.*\s(?:delete|remove)\b|^azure\s.*\sdelete\b")
"""A cmdlet or CLI command that deletes something: its block says so."""


def _fetches(block: Sequence[str]) -> bool:
    """Whether ``block`` only keeps what it reads for a later command (``$key =
    Get-AzStorageAccountKey ...``): no command in it changes anything."""
    kinds = [changes(c) for c in block]
    return not any(kinds) and any(
        k is None and _ASSIGNMENT.match(c) and not _local(c) and _CMDLET.search(c)
        for c, k in zip(block, kinds, strict=True)
    )


def is_look(block: Sequence[str]) -> bool:
    """Whether every command of ``block`` only reads (reports label it a check)."""
    kinds = [changes(c) for c in block]
    return any(k is False for k in kinds) and not any(kinds)
