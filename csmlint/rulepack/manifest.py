"""The schema-check manifest of the shipped rule packs.

Validating the ~80 shipped rule files against the JSON Schema on every run costs more than
the rest of a small run together (jsonschema's import plus validation), and those files do
not change between runs. The test suite validates every shipped file and records its
SHA-256 (with the schema's) in ``rules/schema-checked.json``; at load, a shipped file whose
bytes still match skips the jsonschema pass. Anything else - an edited shipped file, a
changed schema, every user pack given with ``--rules`` - is validated as always, and every
rule is still compiled and type-checked on every run.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from csmlint.sha256 import sha256

MANIFEST = "schema-checked.json"


def digest(data: bytes) -> str:
    return sha256(data).hexdigest()


def schema_digest() -> str:
    schema = resources.files("csmlint.schemas").joinpath("rulepack.schema.json")
    return digest(schema.read_bytes())


def compute(rules_dir: Path) -> dict[str, object]:
    """The manifest for the packs under ``rules_dir`` as they are now."""
    files = {
        p.relative_to(rules_dir).as_posix(): digest(p.read_bytes())
        for p in sorted(rules_dir.rglob("*"))
        if p.suffix in (".yaml", ".yml") and p.is_file() and not _not_a_pack(p, rules_dir)
    }
    return {"schema": schema_digest(), "files": files}


NOT_PACKS = frozenset({"diagnose"})
"""Folders of ``rules/`` that hold data beside the packs, not rules (the platform error
catalogue has its own schema, ``diagnose-catalog.schema.json``)."""


def _not_a_pack(path: Path, rules_dir: Path) -> bool:
    return path.relative_to(rules_dir).parts[0] in NOT_PACKS


def render(manifest: dict[str, object]) -> str:
    return json.dumps(manifest, indent=1, sort_keys=True) + "\n"


class Trust:
    """Which shipped files were schema-checked with their current bytes."""

    def __init__(self, rules_dir: Path):
        self.root = rules_dir.resolve()
        self.files: dict[str, str] = {}
        try:
            data = json.loads((rules_dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("schema") == schema_digest():
            files = data.get("files")
            if isinstance(files, dict):
                self.files = {str(k): str(v) for k, v in files.items()}

    def checked(self, path: Path, raw: bytes) -> bool:
        if not self.files:
            return False
        try:
            rel = path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return False
        return self.files.get(rel) == digest(raw)
