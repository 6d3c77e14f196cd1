"""Every real Service Management response in ``../shared`` imports without a problem."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import SHARED, shared_path

from csmlint.loaders.asm.export import import_asm
from csmlint.loaders.asm.merge import merge_imports, strip_private
from csmlint.loaders.topology.document import validate_topology_document
from csmlint.model import SourceRef


def _corpus() -> list[str]:
    """Export samples, and the ``other`` rows of the real corpus that are XML."""
    names = [f"exports/{p.name}" for p in sorted((SHARED / "corpus" / "exports").glob("*.xml"))]
    tsv = SHARED / "corpus" / "real" / "PROVENANCE.tsv"
    if tsv.is_file():
        with tsv.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["kind"].split(";")[0] == "other" and row["local_path"].endswith(".xml"):
                    names.append(f"real/{row['local_path']}")
    return names or ["exports/(missing)"]


@pytest.mark.parametrize("name", _corpus())
def test_real_response_imports_without_problems(name: str) -> None:
    path: Path = shared_path("corpus", *name.split("/"))
    imp = import_asm(path.read_bytes(), name)
    assert imp.problems == []
    document = strip_private(merge_imports([imp]).document)
    validate_topology_document(document, lambda p: SourceRef(name, None, None, p))
    facts = [key for sub in document["subscriptions"] for key in sub]
    assert facts or imp.pending, "the response gave no fact at all"
