"""Architecture rules, checked by walking csmlint's source with ``ast``.

The boundaries come from ``docs``/design ("architecture.md": import boundaries, only the CLI
prints or exits, one module imports lxml) and from the reliability notes (never hand lxml a
filename, never XInclude or XSLT, a hardened parser, lxml >= 6.1, lazy heavy imports).
Each failure message says which module broke which rule and what to do instead.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

PACKAGE = ROOT / "csmlint"
MAX_LINES = 400
MAX_MODULES_PER_FOLDER = 12
BANNED_MODULE_NAMES = ("utils.py", "util.py", "helpers.py", "helper.py")

# layer (module prefix) -> csmlint modules it may import (prefix match on dotted names).
# docs/architecture.md explains each row; every module of csmlint belongs to one layer.
ALLOWED_IMPORTS: dict[str, tuple[str, ...]] = {
    "csmlint.errors": (),
    "csmlint.sha256": (),
    "csmlint.model": ("csmlint.model",),
    "csmlint.parsing": (
        "csmlint.errors",
        "csmlint.sha256",
        "csmlint.model.location",
        "csmlint.parsing",
        "csmlint.schemas",
    ),
    "csmlint.loaders": (
        "csmlint.model",
        "csmlint.errors",
        "csmlint.sha256",
        "csmlint.parsing",
        "csmlint.loaders",
    ),
    "csmlint.assembly": ("csmlint.model", "csmlint.assembly"),
    "csmlint.findings": ("csmlint.model", "csmlint.errors", "csmlint.sha256", "csmlint.findings"),
    "csmlint.rulepack": (
        "csmlint.model",
        "csmlint.findings.finding",
        "csmlint.errors",
        "csmlint.sha256",
        "csmlint.parsing",
        "csmlint.rulepack",
    ),
    "csmlint.discovery": (
        "csmlint.errors",
        "csmlint.sha256",
        "csmlint.parsing",
        "csmlint.discovery",
    ),
    "csmlint.workflow": (
        "csmlint.model",
        "csmlint.errors",
        "csmlint.sha256",
        "csmlint.parsing",
        "csmlint.discovery",
        "csmlint.loaders",
        "csmlint.rulepack",
        "csmlint.findings",
        "csmlint.reporting.output",
        "csmlint.workflow",
    ),
    "csmlint.engine": (
        "csmlint.model",
        "csmlint.errors",
        "csmlint.sha256",
        "csmlint.parsing",
        "csmlint.loaders",
        "csmlint.assembly",
        "csmlint.findings",
        "csmlint.rulepack",
        "csmlint.discovery",
        "csmlint.workflow.suppressions",
        "csmlint.workflow.directives",
        "csmlint.workflow.clock",
    ),
    "csmlint.reporting": (
        "csmlint.findings",
        "csmlint.rulepack.rule",
        "csmlint.model.location",
        "csmlint.errors",
        "csmlint.sha256",
        "csmlint.reporting",
    ),
    "csmlint.migration": (
        "csmlint.model",
        "csmlint.errors",
        "csmlint.sha256",
        "csmlint.parsing",
        "csmlint.loaders",
        "csmlint.assembly",
        "csmlint.findings",
        "csmlint.rulepack",
        "csmlint.discovery",
        "csmlint.engine",
        "csmlint.workflow",
        "csmlint.reporting",
        "csmlint.migration",
    ),
    "csmlint.testing": (
        "csmlint.engine",
        "csmlint.errors",
        "csmlint.sha256",
        "csmlint.findings",
        "csmlint.parsing",
        "csmlint.rulepack",
    ),
    "csmlint.docsgen": ("csmlint.rulepack",),
    "csmlint.records": ("csmlint.records",),
    "csmlint.schemas": (),
    "csmlint.cli": ("csmlint",),
    "csmlint.__main__": ("csmlint.cli",),
}
"""``csmlint`` itself (the package, ``__version__``) is importable from every layer."""

UNDER_EVERY_LAYER = ("csmlint.records",)
"""The record decorator every layer declares its data classes with (as ``dataclasses``)."""

GENERATED = ("csmlint/records/compiled.py",)
"""Written by code and checked current by a test (``tests/test_records.py``), not by hand."""

# third-party package -> the only module(s) allowed to import it
THIRD_PARTY_HOMES: dict[str, tuple[str, ...]] = {
    "lxml": ("csmlint.parsing.xmlsafe",),
    "yaml": ("csmlint.parsing.yamlsafe",),
    "jsonschema": ("csmlint.parsing.yamlschema", "csmlint.loaders.topology.schema"),
    "jinja2": ("csmlint.reporting.html",),
    "markupsafe": ("csmlint.reporting.html",),
    "typer": ("csmlint.cli",),  # the CLI package: commands are thin files there
    "click": ("csmlint.cli",),
}
HEAVY_AT_STARTUP = ("jinja2", "jsonschema", "lxml", "yaml")


@dataclass(frozen=True, slots=True)
class Module:
    name: str  # dotted, e.g. csmlint.parsing.xmlsafe
    path: Path
    tree: ast.Module
    source: str

    @property
    def rel(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


@dataclass(frozen=True, slots=True)
class Import:
    target: str  # dotted module name (best effort for `from pkg import name`)
    line: int
    type_only: bool = False
    """Inside ``if TYPE_CHECKING:``: a type reference, not run."""


@cache
def modules() -> tuple[Module, ...]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        source = path.read_text(encoding="utf-8")
        out.append(Module(".".join(parts), path, ast.parse(source, str(path)), source))
    return tuple(out)


def _is_package(mod: Module) -> bool:
    return mod.path.name == "__init__.py"


def _module_exists(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST, type_only: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, type_only
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield from _import_nodes(ast.Module(body=[stmt], type_ignores=[]), True)
            for stmt in child.orelse:
                yield from _import_nodes(ast.Module(body=[stmt], type_ignores=[]), type_only)
        else:
            yield from _import_nodes(child, type_only)


def imports_of(mod: Module) -> Iterator[Import]:
    """Every import in the module, lazy ones inside functions and type-only ones included."""
    package = mod.name if _is_package(mod) else mod.name.rpartition(".")[0]
    for node, type_only in _import_nodes(mod.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno, type_only)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                target = candidate if _module_exists(candidate) else base
                yield Import(target, node.lineno, type_only)


def _layer(name: str) -> str | None:
    best = None
    for layer in ALLOWED_IMPORTS:
        if (name == layer or name.startswith(layer + ".")) and len(layer) > len(best or ""):
            best = layer
    return best


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return name == "csmlint" or any(
        name == p or name.startswith(p + ".") for p in (*prefixes, *UNDER_EVERY_LAYER)
    )


def test_the_walk_sees_the_package() -> None:
    names = {m.name for m in modules()}
    assert {"csmlint.cli", "csmlint.parsing.xmlsafe", "csmlint.model"} <= names
    edges = {i.target for m in modules() if m.name == "csmlint.engine" for i in imports_of(m)}
    assert "csmlint.parsing.xmlsafe" in edges, "the import walk lost the engine's imports"
    typed = [i for m in modules() if m.name == "csmlint.model.cloud" for i in imports_of(m)]
    assert any(i.type_only and i.target == "csmlint.model.network" for i in typed), (
        "the walk no longer tells type-only imports (if TYPE_CHECKING:) from run-time ones"
    )


def test_every_module_belongs_to_a_layer() -> None:
    orphans = sorted(m.rel for m in modules() if m.name != "csmlint" and _layer(m.name) is None)
    assert not orphans, (
        "every module lives in a package of docs/architecture.md; put these in the package "
        "that owns their concern (or add a layer here and to docs/architecture.md):\n  "
        + "\n  ".join(orphans)
    )


@pytest.mark.parametrize("layer", sorted(ALLOWED_IMPORTS))
def test_layer_import_boundaries(layer: str) -> None:
    allowed = ALLOWED_IMPORTS[layer]
    bad = []
    for mod in modules():
        if _layer(mod.name) != layer:
            continue
        for imp in imports_of(mod):
            if imp.target.split(".")[0] != "csmlint":
                continue
            if not _within(imp.target, allowed):
                bad.append(f"{mod.rel}:{imp.line}: imports {imp.target}")
    assert not bad, (
        f"{layer} may import only {', '.join(allowed) or 'nothing of csmlint'} "
        "(docs/architecture.md). Move the shared code down a layer or pass the value in as "
        "an argument:\n  " + "\n  ".join(bad)
    )


def _graph(*, type_only_inside_package: bool) -> dict[str, set[str]]:
    """Module -> csmlint modules it imports. Type-only imports between two modules of one
    package (the model's back-references) are left out when ``type_only_inside_package``
    says so: they are how mutually referring dataclasses name each other."""
    names = {m.name for m in modules()}
    graph: dict[str, set[str]] = {m.name: set() for m in modules()}
    for mod in modules():
        for imp in imports_of(mod):
            if imp.target not in names or imp.target == mod.name:
                continue
            package = mod.name.rpartition(".")[0]
            same_package = package != "csmlint" and imp.target.rpartition(".")[0] == package
            if imp.type_only and same_package and type_only_inside_package:
                continue
            graph[mod.name].add(imp.target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(found)


def test_no_import_circles() -> None:
    """No two modules import each other, directly or around a loop, at run time or for
    types, except the model's type-only back-references inside one package."""
    found = cycles(_graph(type_only_inside_package=True))
    assert not found, (
        "import circles (break them by moving the shared part down a layer, or pass it in "
        "as an argument):\n  " + "\n  ".join(" <-> ".join(c) for c in found)
    )


def _package_of(name: str) -> str:
    layer = _layer(name) or name
    return layer


def test_no_circles_between_packages() -> None:
    graph: dict[str, set[str]] = {}
    for source, targets in _graph(type_only_inside_package=False).items():
        a = _package_of(source)
        graph.setdefault(a, set())
        for target in targets:
            b = _package_of(target)
            if a != b and b != "csmlint":
                graph[a].add(b)
    found = cycles(graph)
    assert not found, "packages that import each other: " + "; ".join(
        " <-> ".join(c) for c in found
    )


def test_the_cycle_check_can_fail() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", sorted(THIRD_PARTY_HOMES))
def test_third_party_imports_stay_in_their_module(package: str) -> None:
    homes = THIRD_PARTY_HOMES[package]
    bad = [
        f"{mod.rel}:{imp.line}: imports {imp.target}"
        for mod in modules()
        if not any(mod.name == h or mod.name.startswith(h + ".") for h in homes)
        for imp in imports_of(mod)
        if imp.target.split(".")[0] == package
    ]
    assert not bad, (
        f"{package} may only be imported in {', '.join(homes)}; "
        "call that module's functions instead:\n  " + "\n  ".join(bad)
    )


def _output_calls(mod: Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("print", "exit", "quit"):
                yield node.lineno, f"{func.id}()"
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                dotted = f"{func.value.id}.{func.attr}"
                if dotted in ("sys.exit", "os._exit", "typer.echo", "click.echo", "click.secho"):
                    yield node.lineno, f"{dotted}()"
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
            and node.attr in ("stdout", "stderr", "__stdout__", "__stderr__")
        ):
            yield node.lineno, f"sys.{node.attr}"
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "SystemExit":
                yield node.lineno, "raise SystemExit"
        if isinstance(node, ast.ImportFrom) and node.module == "sys":
            for alias in node.names:
                if alias.name in ("exit", "stdout", "stderr"):
                    yield node.lineno, f"from sys import {alias.name}"


def test_only_the_cli_prints_or_exits() -> None:
    bad = [
        f"{mod.rel}:{line}: {what}"
        for mod in modules()
        if mod.name != "csmlint.cli" and not mod.name.startswith("csmlint.cli.")
        for line, what in _output_calls(mod)
    ]
    assert not bad, (
        "only the csmlint/cli/ package may print, exit or touch sys.stdout/sys.stderr; return data "
        "(findings, text, RunResult.notifications) or raise a CsmlintError instead:\n  "
        + "\n  ".join(bad)
    )


def test_the_output_check_can_fail() -> None:
    tree = ast.parse("import sys\nprint('x')\nsys.stderr.write('y')\nraise SystemExit(2)\n")
    fake = Module("csmlint.fake", PACKAGE / "fake.py", tree, "")
    found = sorted(_output_calls(fake))
    assert [what for _, what in found] == ["print()", "sys.stderr", "raise SystemExit"]


def test_no_crowded_folders() -> None:
    crowded = {}
    for folder in sorted({p.parent for p in PACKAGE.rglob("*.py")}):
        count = sum(1 for p in folder.glob("*.py") if p.name != "__init__.py")
        if count > MAX_MODULES_PER_FOLDER:
            crowded[folder.relative_to(ROOT).as_posix()] = count
    assert not crowded, (
        f"folders of more than {MAX_MODULES_PER_FOLDER} modules: {crowded}; split them by "
        "concern into subpackages (docs/architecture.md)"
    )


@pytest.mark.parametrize("mod", modules(), ids=lambda m: m.rel)
def test_module_size(mod: Module) -> None:
    if mod.rel in GENERATED:
        pytest.skip("generated")
    lines = mod.source.count("\n") + 1
    assert lines <= MAX_LINES, (
        f"{mod.rel} has {lines} lines (limit {MAX_LINES}); split it by responsibility "
        "(architecture.md: no module over ~400 lines)"
    )


def test_no_grab_bag_modules() -> None:
    bad = sorted(
        p.relative_to(ROOT).as_posix()
        for p in PACKAGE.rglob("*.py")
        if p.name in BANNED_MODULE_NAMES
    )
    assert not bad, f"name modules after what they do, not utils/helpers: {bad}"


def _dangerous_xml_calls(mod: Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(mod.tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = (
            func.value.id
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else ""
        )
        if name in ("xinclude", "XSLT", "XSLTAccessControl", "iterparse", "XInclude"):
            yield node.lineno, f"{owner + '.' if owner else ''}{name}()"
        if name in ("parse", "ElementTree", "XMLPullParser", "XMLTreeBuilder") and owner == "etree":
            yield node.lineno, f"etree.{name}()"


def test_no_filename_parsing_xinclude_or_xslt() -> None:
    bad = []
    for mod in modules():
        bad += [f"{mod.rel}:{line}: {what}" for line, what in _dangerous_xml_calls(mod)]
        for needle in (".xinclude(", "XSLT(", "etree.parse(", "iterparse("):
            if needle in mod.source:
                line = mod.source[: mod.source.index(needle)].count("\n") + 1
                bad.append(f"{mod.rel}:{line}: contains {needle!r}")
    assert not bad, (
        "never hand lxml a filename (it gunzips and resolves relative SYSTEM ids) and never "
        "run XInclude/XSLT (they read local files even with a hardened parser); read bytes "
        "with parsing.source.read_capped and call parsing.xmlsafe.parse_xml:\n  " + "\n  ".join(bad)
    )


def test_the_xml_call_check_can_fail() -> None:
    tree = ast.parse("from lxml import etree\netree.parse('x')\nt.xinclude()\netree.XSLT(s)\n")
    fake = Module("csmlint.fake", PACKAGE / "fake.py", tree, "")
    found = sorted(_dangerous_xml_calls(fake))
    assert [w for _, w in found] == ["etree.parse()", "t.xinclude()", "etree.XSLT()"]


def test_parser_is_hardened_and_lxml_is_recent() -> None:
    from csmlint.parsing import xmlsafe

    settings = xmlsafe.parser_settings()
    hardened = {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
    }
    wrong = {k: settings.get(k) for k, v in hardened.items() if settings.get(k) is not v}
    assert not wrong, (
        f"the XML parser must be built with {hardened} (reliability.md 1.2); got {wrong}"
    )
    assert tuple(settings["lxml_version"][:2]) >= (6, 1), (
        f"lxml {settings['lxml_version']} is installed; lxml < 6.1 expands external entities in "
        "iterparse (CVE-2026-41066): pin lxml>=6.1"
    )
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"lxml>=6.1' in pyproject, "pyproject.toml must pin lxml>=6.1"


def test_parser_does_not_read_external_entities(tmp_path: Path) -> None:
    """Behaviour, not flags: the parser object itself leaves a file entity unexpanded."""
    from lxml import etree

    from csmlint.parsing import xmlsafe

    canary = tmp_path / "canary.txt"
    canary.write_text("ARCH-TEST-CANARY", encoding="ascii")
    doc = (
        f'<!DOCTYPE r [<!ENTITY e SYSTEM "{canary.as_uri()}">]><r a="1"><s>&e;</s><t/></r>'
    ).encode()
    root = etree.fromstring(doc, xmlsafe._make_parser())
    assert b"ARCH-TEST-CANARY" not in etree.tostring(root)
    too_deep = b"<a>" * 300 + b"</a>" * 300
    with pytest.raises(etree.XMLSyntaxError, match="depth"):
        etree.fromstring(too_deep, xmlsafe._make_parser())


def test_cli_import_is_light() -> None:
    code = (
        "import sys, csmlint.cli; "
        f"print(','.join(m for m in {HEAVY_AT_STARTUP!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == "", (
        f"`import csmlint.cli` imports {out}: import them lazily inside the function that "
        "needs them (start-up budget, performance-baselines.md 'What would make it slow' 2)"
    )


ONLY_FOR_THEIR_INPUTS = (
    "csmlint.loaders.asm.mapping",
    "csmlint.loaders.asm.export",
    "csmlint.loaders.asm.merge",
    "csmlint.loaders.topology.document",
    "csmlint.parsing.jsonsafe",
    "urllib.request",  # xml.sax.saxutils pulls it in, with http.client and email: 25 ms
    "http.client",
    "hashlib",  # loads OpenSSL (6 ms): fingerprints and cache keys use csmlint.sha256
)


def test_lint_of_service_files_skips_the_export_and_topology_loaders() -> None:
    """A pre-commit run over a .csdef/.cscfg pair pays for neither the ASM-export stack nor
    the topology loader; they are imported by the runs that read such inputs."""
    service = FIXTURES / "services" / "legacy-size"
    code = (
        "import sys; from csmlint.engine import RunOptions, run; "
        f"result, _ = run(RunOptions(paths=[{str(service)!r}], excerpts=False)); "
        "assert result.findings; "
        f"print(','.join(m for m in {ONLY_FOR_THEIR_INPUTS!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == "", f"linting service files imported {out}"
