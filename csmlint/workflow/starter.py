"""`csmlint init`: a commented starter configuration, and the pre-commit and CI snippets
that use it."""

from __future__ import annotations

import os

from csmlint import __version__
from csmlint.errors import UsageError
from csmlint.reporting.output import write_atomic

FILE = ".csmlint.yaml"
STARTER = """\
# csmlint configuration: every key is in `csmlint schema config`.
# csmlint finds this file from any folder below it, up to the repository root; paths in it
# are relative to this file. The command line wins over what is set here.

# Exit 1 when a finding is at or above this level: error | blocked | warning | note | never
# (blocked: errors and the warnings that block a migration).
failOn: error

# Rules to skip, by id (CSM127), name (legacy-role-size) or pack (files, topology).
# `csmlint rules` lists them; `csmlint explain <rule>` says why each matters.
ignore: []

# Globs of files not to lint (relative to this file). *.Local.cscfg, *.build.csdef and
# bin/, obj/, csx/ build output are skipped already.
exclude: []

# Live facts no file holds (slots, reserved IPs, extensions): `csmlint import` writes one.
# topology: [ops/estate.topology.json]

# The VNet you plan to migrate into, when it is not the one the .cscfg names.
# targetVnet: vnet-prod

# Your own rule packs (`csmlint check-pack` and `csmlint test-pack` check them).
# rules: [tools/csmlint-rules]

# Findings known today, reported as suppressed: `csmlint baseline create` writes the file,
# `csmlint baseline update` adds new findings, `csmlint baseline prune` drops fixed ones.
# baseline: .csmlint-baseline.json

# Accepted findings: each needs a reason, and may end on a date (YYYY-MM-DD), after which
# its findings are reported again. Inline, in the XML itself:
#   <!-- csmlint-disable-next-element CSM127 until=2027-06-30: resized in the June wave -->
suppress: []
#  - rules: [single-instance-role]
#    paths: ["src/Batch/*.cscfg"]
#    reason: "Batch worker tolerates a restart; approved in ADR-12"
#    until: 2026-12-31
"""

PRE_COMMIT = f"""\
# .pre-commit-config.yaml
repos:
  - repo: https://github.com/<your-org>/csmlint   # where you host csmlint
    rev: v{__version__}
    hooks:
      - id: csmlint          # the staged files (a .cscfg is read with its .csdef)
      # - id: csmlint-repo   # or: the whole repository whenever one of them changes
"""

GITHUB = f"""\
# .github/workflows/csmlint.yml
name: csmlint
on: [pull_request, push]
permissions:
  contents: read
  security-events: write   # upload SARIF to code scanning
jobs:
  csmlint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: <your-org>/csmlint@v{__version__}   # installs csmlint, lints, uploads SARIF
        with:
          paths: .
"""

AZURE = """\
# azure-pipelines.yml (see docs/ci.md for installing csmlint there)
steps:
  - script: >-
      csmlint lint . --format text --format junit=out/junit.xml
      --format sarif=out/CodeAnalysisLogs/csmlint.sarif
    displayName: csmlint
  - task: PublishTestResults@2
    condition: always()
    inputs:
      testResultsFormat: JUnit
      testResultsFiles: out/junit.xml
"""


def write_starter(folder: str) -> str:
    """Write the starter configuration into ``folder``; refuses to replace one."""
    path = os.path.join(folder, FILE)
    if os.path.lexists(path):
        raise UsageError(f"{FILE} already exists here; not overwritten (remove it first)")
    write_atomic(path, STARTER)
    return path


def snippets() -> str:
    return "\n".join(
        (
            "pre-commit:",
            _indent(PRE_COMMIT),
            "GitHub Actions:",
            _indent(GITHUB),
            "Azure Pipelines:",
            _indent(AZURE),
        )
    )


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())
