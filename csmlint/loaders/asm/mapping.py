"""ASM (Service Management REST XML) exports in a lint run.

Each export is imported when it is read (:func:`load_asm`, the engine's ``asm`` loader).
Once every file is read (:func:`finish_asm`) the exports are merged into one topology
document, exactly as ``csmlint import`` would write it, and mapped to the model; each
deployment gets the ``.cscfg`` decoded from its ``Configuration``, so the `.cscfg` rules
run on it with locations in the export. Exports that a linted topology document was built
from (its ``sources``, or a deployment ``cscfg`` naming the export) add no facts of their
own, so linting ``estate.topology.json`` next to its exports does not count them twice;
they still give the deployments that name them their ``.cscfg``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from csmlint.errors import InputError
from csmlint.loaders.asm.base import EmbeddedConfig, PointerLocator
from csmlint.loaders.asm.export import SOURCE_KIND, import_asm, is_importable_root
from csmlint.loaders.asm.merge import merge_imports, strip_private
from csmlint.loaders.topology.document import load_topology_document
from csmlint.model.cloud import Deployment
from csmlint.model.location import SourceRef
from csmlint.model.subscription import Subscription
from csmlint.parsing.jsonsafe import parse_json
from csmlint.parsing.source import read_capped
from csmlint.parsing.xmlsafe import sniff_root

if TYPE_CHECKING:
    from csmlint.loaders.context import LoadContext


def load_asm(data: bytes, path: str, display: str, ctx: LoadContext) -> None:
    """Import one export; its first unreadable part becomes the file's input error (the
    parts that could be read still count)."""
    imp = import_asm(data, display, source_id=f"asm{len(ctx.asm_imports) + 1}")
    ctx.asm_imports.append((_key(path), imp))
    if imp.problems:
        raise imp.problems[0]


def is_export(path: str, max_bytes: int) -> bool:
    """A file a topology deployment names as its ``cscfg`` is an ASM export, not a
    ``.cscfg`` (``csmlint import`` points deployments at the export they came from)."""
    if path.lower().endswith(".log"):
        return os.path.isfile(path)
    try:
        root = sniff_root(read_capped(path, max_bytes)[:8192])
    except InputError:
        return False
    return root is not None and is_importable_root(root[0]) and root[0] != "NetworkConfiguration"


def finish_asm(ctx: LoadContext, topologies: Iterable[tuple[str, bytes | None]]) -> None:
    """Map the exports read in this run (see the module docstring). ``topologies`` are the
    readable topology documents being linted (path, bytes when already read)."""
    if not ctx.asm_imports:
        return
    consumed = {_key(p) for p in ctx.cscfg_refs} | _topology_sources(topologies, ctx.max_bytes)
    own = [imp for path, imp in ctx.asm_imports if path not in consumed]
    if own:
        merged = merge_imports(own)
        document = strip_private(merged.document)
        fallback = SourceRef(str(own[0].source["file"]), 1, 1)
        locate = PointerLocator(merged.prov.pointers(document), fallback)
        part = load_topology_document(document, locate, base_dir=ctx.cwd)
        ctx.inputs.subscriptions.extend(part.subscriptions)
        ctx.inputs.unattached_validation.extend(part.unattached_validation)
        for cfg in merged.configurations:
            dep = _find(part.subscriptions, cfg)
            if dep is not None:
                _attach(ctx, dep, cfg)
    by_display = {str(imp.source["file"]): imp for _, imp in ctx.asm_imports}
    for sub in ctx.inputs.subscriptions:
        for cs in sub.cloud_services:
            for dep in cs.deployments:
                imp = by_display.get(dep.cscfg_hint or "")
                if dep.configuration is None and imp is not None:
                    found = _configuration_for(imp.configurations, cs.name, dep)
                    if found is not None:
                        _attach(ctx, dep, found)


def _key(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _topology_sources(topologies: Iterable[tuple[str, bytes | None]], max_bytes: int) -> set[str]:
    """Exports named by the ``sources`` of the topology documents being linted."""
    found: set[str] = set()
    for path, data in topologies:
        try:
            document = parse_json(data if data is not None else read_capped(path, max_bytes)).value
        except InputError:
            continue
        sources = document.get("sources") if isinstance(document, dict) else None
        base = os.path.dirname(os.path.abspath(path))
        for source in sources if isinstance(sources, list) else ():
            if isinstance(source, dict) and source.get("kind") == SOURCE_KIND:
                file = source.get("file")
                if isinstance(file, str) and file:
                    found.add(_key(os.path.join(base, file.replace("\\", "/"))))
    return found


def _find(subs: list[Subscription], cfg: EmbeddedConfig) -> Deployment | None:
    for sub in subs:
        for cs in sub.cloud_services:
            for dep in cs.deployments:
                if _matches(cfg, cs.name, dep):
                    return dep
    return None


def _configuration_for(
    configs: list[EmbeddedConfig], service: str, dep: Deployment
) -> EmbeddedConfig | None:
    """The decoded ``.cscfg`` of the deployment (same cloud service, then slot or name)."""
    return next((cfg for cfg in configs if _matches(cfg, service, dep)), None)


def _matches(cfg: EmbeddedConfig, service: str, dep: Deployment) -> bool:
    if cfg.service.lower() != service.lower():
        return False
    if cfg.slot and isinstance(dep.slot, str):
        return cfg.slot == dep.slot.lower()
    return bool(cfg.deployment) and isinstance(dep.name, str) and cfg.deployment == dep.name


def _attach(ctx: LoadContext, dep: Deployment, cfg: EmbeddedConfig) -> None:
    """``dep`` runs ``cfg``. Its path names the export and the deployment, so that
    assembly joins it to this deployment (and pairs it with its `.csdef`) and no other."""
    configuration = cfg.configuration
    if configuration.deployment is not None:
        return
    configuration.path = f"{configuration.path}#{cfg.service}:{cfg.slot or cfg.deployment}"
    configuration.deployment = dep
    dep.configuration = configuration
    dep.cscfg_hint = configuration.path
    ctx.inputs.configurations.append(configuration)
