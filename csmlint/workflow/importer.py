"""``csmlint import``: ASM exports -> one ``csmlint.topology/v1`` document.

Every export is imported (``loaders.asm``), the exports are merged (cloud services by name,
deployments by slot, VNets by name, subscription lists joined), and the result is merged
into an existing topology document when there is one: what the user wrote wins over
imported facts; objects that an earlier import of the *same* export produced (their
``source``) are refreshed. A deployment whose ``Configuration`` was decoded names the export
as its ``cscfg`` (relative to the output), so that ``csmlint lint`` decodes it again.
Nothing here prints: the CLI shows :attr:`ImportResult.messages`.
"""

from __future__ import annotations

import json
import os
from typing import Any

from csmlint.discovery import SKIPPED_DIRS
from csmlint.errors import CsmlintError, InputError, UsageError
from csmlint.loaders.asm.base import Obj, Provenance
from csmlint.loaders.asm.export import SOURCE_KIND, AsmImport, import_asm, is_importable_root
from csmlint.loaders.asm.merge import merge_imports, merge_into, strip_private
from csmlint.loaders.topology.document import json_locator, validate_topology_document
from csmlint.model.location import SourceRef
from csmlint.parsing.jsonsafe import parse_json, split_pointer
from csmlint.parsing.source import DEFAULT_MAX_BYTES, not_a_file, open_regular, read_capped
from csmlint.parsing.xmlsafe import sniff_root
from csmlint.records import field, record
from csmlint.reporting.output import check_target, write_atomic

_WALKED = (".xml", ".log", ".netcfg")
"""Files a folder walk tries (those with an importable root; files named are always tried)."""


@record
class ImportResult:
    document: Obj
    text: str
    """The document as written (JSON, two-space indent, trailing newline)."""
    messages: list[str] = field(default_factory=list)
    """``file:line:col: reason`` of every part that could not be imported, and notes."""
    failed: bool = False
    """Some export, or part of one, could not be imported."""
    written: bool = True
    """A document was made: ``False`` when no export could be imported at all (then no
    file is written, and nothing goes to standard output)."""

    def summary(self) -> str:
        """One line: what the document now holds, per kind (a silent success told the
        user nothing without opening the JSON)."""
        if not self.written:
            return "nothing imported: no export could be read, so no topology document was written"
        subs = [s for s in self.document.get("subscriptions") or [] if isinstance(s, dict)]
        count = {
            key: sum(len(s.get(key) or []) for s in subs)
            for key in ("cloudServices", "virtualNetworks", "storageAccounts", "reservedIps")
        }
        unnamed = sum(1 for s in subs if not s.get("id"))
        parts = [
            f"{len(subs)} subscription(s)" + (f" ({unnamed} without an id)" if unnamed else ""),
            f"{count['cloudServices']} cloud service(s)",
            f"{count['virtualNetworks']} virtual network(s)",
            f"{count['storageAccounts']} storage account(s)",
            f"{count['reservedIps']} reserved IP(s)",
        ]
        return "imported: " + ", ".join(parts)


def run_import(
    paths: list[str],
    *,
    output: str | None,
    merge: str | None = None,
    cwd: str | None = None,
    max_bytes: int | None = None,
) -> ImportResult:
    """Import ``paths`` (files or folders) and write the document to ``output`` (when
    given). ``merge`` (default: ``output`` when it exists) is the document to merge into."""
    cwd = cwd or os.getcwd()
    max_bytes = max_bytes or DEFAULT_MAX_BYTES
    target = os.path.join(cwd, output) if output else None
    out_dir = os.path.dirname(os.path.abspath(target)) if target else cwd
    if target is not None:  # a planted link at -o is refused before it is read to merge
        check_target(target, cwd=cwd)
    files = _expand(paths, cwd)
    if target is not None:
        real = os.path.normcase(os.path.realpath(target))
        if any(os.path.normcase(os.path.realpath(f)) == real for f in files):
            raise UsageError(
                f"-o {output}: that is an export being imported; write the topology document "
                "to another file (estate.topology.json)"
            )
    if merge is None and target is not None and os.path.isfile(target):
        merge = output
    existing = _read_existing(os.path.join(cwd, merge), out_dir) if merge else None
    result = ImportResult(document={}, text="")
    imports, reused = _import_files(files, existing, cwd, out_dir, max_bytes, result)
    if not imports:  # every export failed: a document would only be the old one rewritten
        result.written = False
        return result
    merged = merge_imports(imports)
    for pending in merged.unmatched:
        ref = pending.ref or SourceRef("?", 1, 1)
        note = _unmatched_note(pending.kind, pending.keys)
        result.messages.append(f"{ref.display()}: note: {note}")
    for key, kept, dropped, at in merged.conflicts:
        where = at.display() if at is not None else "an export"
        result.messages.append(
            f"{where}: note: {key} is {dropped!r} here, but an export read before says "
            f"{kept!r}: the document leaves it unknown; check which is current and set it"
        )
    document = merged.document
    if existing is not None:
        document = _merge_existing(existing, document, frozenset(reused))
    strip_private(document)  # in place: the objects keep their provenance
    _check_schema(document, merged.prov, result)
    result.document = document
    result.text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if target is not None:
        write_atomic(target, result.text, cwd=cwd)
    return result


def _import_files(
    files: list[str],
    existing: Obj | None,
    cwd: str,
    out_dir: str,
    max_bytes: int,
    result: ImportResult,
) -> tuple[list[AsmImport], set[str]]:
    """Each file imported, with a source id (the id an earlier import of the same file got,
    else the next free ``asmN``); the ids reused are refreshed by the merge."""
    sources = [s for s in (existing or {}).get("sources") or [] if isinstance(s, dict)]
    known = {s.get("file"): s.get("id") for s in sources if s.get("kind") == SOURCE_KIND}
    taken = {s.get("id") for s in sources}
    imports: list[AsmImport] = []
    reused: set[str] = set()
    for path in files:
        display, relative = _display(path, cwd), _display(path, out_dir)
        source_id = known.get(relative) or _next_id(taken)
        taken.add(source_id)
        try:
            imp = import_asm(read_capped(path, max_bytes), display, source_id=source_id)
        except InputError as exc:
            result.messages.append(_where(display, exc))
            result.failed = True
            continue
        if relative in known:
            reused.add(source_id)
        imp.source["file"] = relative
        for cfg in imp.configurations:
            cfg.owner["cscfg"] = relative
        if imp.configurations and display.startswith("../"):
            result.messages.append(
                f"{display}: note: its deployments' .cscfg is read from this export, which "
                "lies outside the current folder: csmlint lint reads it only when named "
                f"(csmlint lint . {display}) or when run from a folder that holds it"
            )
        for problem in imp.problems:
            result.messages.append(_where(display, problem))
            result.failed = True
        imports.append(imp)
    return imports, reused


MAX_DROPPED = 100
"""Parts of the exports left out for breaking the schema before the import gives up."""


def _check_schema(document: Obj, prov: Provenance, result: ImportResult) -> None:
    """Never write a document the topology schema rejects. A part of an export the schema
    does not allow (a subnet without a name, a VNet with an empty name) is left out, with
    a message naming the export's line (the provenance of the nearest object), and the
    import reports a failure (exit 1); what cannot be left out stops it (exit 2)."""
    for _ in range(MAX_DROPPED + 1):
        try:
            validate_topology_document(document, lambda p: SourceRef("<import>", None, None, p))
            return
        except InputError as exc:
            pointer = exc.pointer or ""
            ref = _nearest_ref(document, pointer, prov)
            where = ref.display() if ref is not None else "<import>"
            if not _drop_item(document, pointer):
                raise CsmlintError(
                    f"{where}: cannot import: the topology would break its schema: "
                    f"{exc.reason}; fix or remove that part of the export"
                ) from None
            result.messages.append(
                f"{where}: not imported (the topology schema rejects it): {exc.reason}"
            )
            result.failed = True
    raise CsmlintError(f"more than {MAX_DROPPED} parts of the exports break the schema")


def _drop_item(document: Obj, pointer: str) -> bool:
    """Remove the deepest list item on ``pointer`` below a subscription (the subnet, the
    VNet); ``False`` when there is none."""
    items = [
        (parent, token)
        for depth, (parent, token, _) in enumerate(_steps(document, pointer))
        if isinstance(parent, list) and depth > 1
    ]  # never a whole subscription
    if not items:
        return False
    parent, token = items[-1]
    del parent[token]
    return True


def _nearest_ref(document: Obj, pointer: str, prov: Provenance) -> SourceRef | None:
    """The source of the deepest object on ``pointer`` that the importer marked."""
    found = prov.of(document)
    for parent, token, node in _steps(document, pointer):
        if isinstance(parent, dict):
            found = prov.of_key(parent, token) or found
        found = prov.of(node) or found
    return found


def _steps(document: Obj, pointer: str) -> list[tuple[Any, Any, Any]]:
    """(container, key or index, value) along ``pointer`` as far as it leads."""
    out: list[tuple[Any, Any, Any]] = []
    node: Any = document
    for token in split_pointer(pointer):
        if isinstance(node, list) and token.isdecimal() and int(token) < len(node):
            key: Any = int(token)
        elif isinstance(node, dict) and token in node:
            key = token
        else:
            break
        out.append((node, key, node[key]))
        node = node[key]
    return out


def _where(display: str, exc: InputError) -> str:
    return f"{display}:{exc.line or 1}:{exc.column or 1}: {exc.reason}"


def _unmatched_note(kind: str, keys: dict[str, str]) -> str:
    named = ", ".join(f"{k} {v!r}" for k, v in keys.items()) or "nothing"
    what = {
        "validation": "validation messages",
        "gateway": "gateway details",
        "vm": "VM details (Get Role)",
    }[kind]
    return (
        f"{what} name {named}, which no imported export contains; kept under x-unmatched "
        "(move them into the document by hand, or import the matching export too)"
    )


def _next_id(taken: set[Any]) -> str:
    n = 1
    while f"asm{n}" in taken:
        n += 1
    return f"asm{n}"


def _display(path: str, base: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), base)
    return rel.replace(os.sep, "/")


def _expand(paths: list[str], cwd: str) -> list[str]:
    """Files named explicitly, and the importable files found under folders (sorted)."""
    out: list[str] = []
    for raw in paths:
        path = os.path.join(cwd, raw)
        if os.path.isdir(path):
            out.extend(_walk(path))
        elif os.path.isfile(path):
            out.append(path)
        else:
            problem = not_a_file(path)
            raise UsageError(
                f"{raw}: {'no such file or directory' if problem == 'no such file' else problem}"
            )
    seen: set[str] = set()
    unique = []
    for p in out:
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            unique.append(p)
    return unique


def _walk(top: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if name.lower().endswith(_WALKED) and _importable(path):
                found.append(path)
    return found


def _importable(path: str) -> bool:
    if path.lower().endswith(".log"):
        return True
    try:
        with open_regular(path) as fh:
            head = fh.read(8192)
    except OSError:
        return False
    root = sniff_root(head)
    return root is not None and is_importable_root(root[0])


def _read_existing(path: str, out_dir: str) -> Obj:
    """The topology document to merge into, validated, its relative paths re-based on the
    output's folder."""
    display = os.path.relpath(path)
    problem = not_a_file(path)
    if problem is not None:
        raise UsageError(f"--merge {display}: {problem}")
    try:
        doc = parse_json(read_capped(path))
        validate_topology_document(doc.value, json_locator(doc, display))
    except InputError as exc:
        raise UsageError(f"{_where(display, exc)} (the topology to merge into)") from None
    value: Obj = doc.value
    base = os.path.dirname(os.path.abspath(path))
    if base != out_dir:
        _rebase(value, base, out_dir)
    return value


def _rebase(doc: Obj, base: str, out_dir: str) -> None:
    def moved(rel: str) -> str:
        return _display(os.path.join(base, rel.replace("\\", "/")), out_dir)

    for source in doc.get("sources") or []:
        if isinstance(source, dict) and isinstance(source.get("file"), str):
            source["file"] = moved(source["file"])
    for sub in doc.get("subscriptions") or []:
        for cs in sub.get("cloudServices") or []:
            for dep in cs.get("deployments") or []:
                if isinstance(dep.get("cscfg"), str):
                    dep["cscfg"] = moved(dep["cscfg"])


def _merge_existing(existing: Obj, imported: Obj, refresh: frozenset[str]) -> Obj:
    """The user's document wins; objects from re-imported exports are refreshed."""
    kept = [u for u in existing.get("x-unmatched") or [] if u.get("source") not in refresh]
    fresh = imported.pop("x-unmatched", [])
    existing.pop("x-unmatched", None)
    merge_into(existing, imported, refresh=refresh)
    if kept or fresh:
        existing["x-unmatched"] = kept + fresh
    return existing
