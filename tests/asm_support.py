"""Helpers shared by the ASM importer tests (not a test module)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conftest import FIXTURES

from csmlint import engine
from csmlint.asm_exports import finish_asm
from csmlint.assembly import Inputs, assemble
from csmlint.discovery import discover
from csmlint.engine import LoadContext
from csmlint.loaders.asm import AsmImport, import_asm
from csmlint.loaders.asm_merge import merge_imports, strip_private
from csmlint.loaders.topology import validate_topology_document
from csmlint.model import Estate, SourceRef
from csmlint.suppress import Suppressions

EXPORTS = FIXTURES / "exports"
MIGAZ = EXPORTS / "migaz"
RDP = "asm-get-deployment-paas-webworker-rdp-extension.xml"
RESERVED = "asm-get-deployment-iaas-reserved-ip-bootdiag.xml"
ACL = "asm-get-deployment-iaas-endpoint-acl-agent-unresponsive.xml"


def imported(name: str, folder: Path = EXPORTS) -> AsmImport:
    path = folder / name
    return import_asm(path.read_bytes(), name)


def document(*names: str, folder: Path = EXPORTS) -> dict[str, Any]:
    """The merged, schema-valid document of some exports."""
    imports = [
        import_asm((folder / n).read_bytes(), n, source_id=f"asm{i}")
        for i, n in enumerate(names, start=1)
    ]
    doc: dict[str, Any] = strip_private(merge_imports(imports).document)
    validate_topology_document(doc, lambda p: SourceRef("<test>", None, None, p))
    return doc


def only(items: list[Any], **match: Any) -> Any:
    found = [i for i in items if all(i.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, items)
    return found[0]


def subscription(doc: dict[str, Any]) -> dict[str, Any]:
    assert len(doc["subscriptions"]) == 1
    sub: dict[str, Any] = doc["subscriptions"][0]
    return sub


def cloud_service(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return only(subscription(doc)["cloudServices"], name=name)  # type: ignore[no-any-return]


def load_estate(cwd: Path, paths: list[str]) -> tuple[Estate, LoadContext]:
    """What :func:`engine.run` does up to assembly (ASM exports included)."""
    found = discover([os.path.join(cwd, p) for p in paths], cwd=str(cwd))
    ctx = LoadContext(Inputs(), Suppressions([], []), 5 << 20, str(cwd))
    for candidate in found.files:
        ctx.inputs.files.append(engine._load(candidate, ctx))
    ctx.inputs.files.extend(engine._load_referenced(found.files, ctx))
    finish_asm(ctx, found.files)
    return assemble(ctx.inputs), ctx
