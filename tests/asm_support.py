"""Helpers shared by the ASM importer tests (not a test module)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import FIXTURES

from csmlint.assembly import assemble
from csmlint.engine import Loaded, RunOptions, load
from csmlint.loaders.asm.export import AsmImport, import_asm
from csmlint.loaders.asm.merge import merge_imports, strip_private
from csmlint.loaders.topology.document import validate_topology_document
from csmlint.model import Estate, SourceRef

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


def load_estate(cwd: Path, paths: list[str]) -> tuple[Estate, Loaded]:
    """What :func:`engine.run` does up to assembly (ASM exports included)."""
    loaded = load(RunOptions(paths=paths, cwd=str(cwd)))
    return assemble(loaded.inputs), loaded
