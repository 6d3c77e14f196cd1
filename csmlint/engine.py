"""One run: discovery -> load -> assemble -> evaluate -> suppress -> readiness."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from datetime import date

from csmlint.assembly import Inputs, assemble, duplicate_services, unpaired_configurations
from csmlint.discovery import Discovery, InputCandidate, discover, display_path
from csmlint.discovery.partners import add_partners
from csmlint.errors import InputError, UsageError
from csmlint.findings import readiness
from csmlint.findings.excerpts import SourceCache
from csmlint.findings.finding import Finding, RunResult
from csmlint.findings.fingerprints import assign_fingerprints, relative_to_source_root
from csmlint.findings.listing import listing
from csmlint.loaders.context import LoadContext
from csmlint.loaders.files.batch import Loaded as PoolLoaded
from csmlint.loaders.files.batch import load_xml, poolable, prefetch
from csmlint.model.estate import Estate, InputFile
from csmlint.model.location import SourceRef
from csmlint.parsing.source import DEFAULT_MAX_BYTES, not_a_file, read_capped
from csmlint.parsing.xmlsafe import parse_xml
from csmlint.records import field, record
from csmlint.rulepack.evaluate import evaluate, merge_notes
from csmlint.rulepack.loader import load_rules
from csmlint.rulepack.rule import Rule
from csmlint.rulepack.selection import blocking_ids, select_rules
from csmlint.rulepack.selection import coverage as rule_coverage
from csmlint.workflow import clock
from csmlint.workflow.directives import MARKER, parse_comments
from csmlint.workflow.suppressions import (
    ExternalSuppression,
    Suppressions,
    apply,
    problem_findings,
)

UNUSED_SUPPRESSION = "CSM001"


@record
class RunOptions:
    paths: list[str]
    rules: list[str] = field(default_factory=list)
    """Extra rule pack folders/files (the shipped packs always load)."""
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    default_excludes: bool = True
    max_file_size: int = DEFAULT_MAX_BYTES
    target_vnet: str | None = None
    topology: list[str] = field(default_factory=list)
    suppress: list[ExternalSuppression] = field(default_factory=list)
    cwd: str | None = None
    source_root: str | None = None
    """Folder fingerprints are computed from (default: the git top level of ``cwd``)."""
    progress: Callable[[int, int], None] | None = None
    excerpts: bool = True
    """Attach source excerpts to findings (only the HTML report shows them)."""
    suppressions: bool = True
    """Honour inline and configured suppressions (``False``: audit mode, everything shows;
    broken or lapsed directives are still reported, unused ones cannot be judged)."""
    today: date | None = None
    """The day suppression end dates are judged against (default: the clock's today)."""
    pool_min_files: int | None = None  # service files from which loading uses worker processes


@record
class Loaded:
    """Every input of a run read: what the loaders produced, and what the engine keeps."""

    load: LoadContext
    suppressions: Suppressions
    sources: SourceCache
    """Bytes read, kept for the findings' source excerpts."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(display path, why) of the files discovery or loading left out."""
    context: set[str] = field(default_factory=set)
    """Display paths of partner files read only for context: no finding in them is shown."""
    only_named: set[str] | None = None
    """When every path of the run is a file: their display paths (findings elsewhere are
    not listed)."""
    notifications: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def inputs(self) -> Inputs:
        return self.load.inputs


Loader = Callable[[bytes, InputCandidate, Loaded], None]
MARKERS = (MARKER, MARKER.decode().encode("utf-16-le"))


def _load_xml(data: bytes, c: InputCandidate, run: Loaded, model: object = None) -> None:
    """Load one service file (``model``: already loaded by the pool, from ``data``)."""
    doc, model = load_xml(data, c.kind, c.display) if model is None else (None, model)
    inputs = run.load.inputs
    kinds = {"csdef": inputs.definitions, "cscfg": inputs.configurations}
    kinds.get(c.kind, inputs.networks).append(model)  # type: ignore[attr-defined]
    if any(m in data for m in MARKERS):
        doc = doc or parse_xml(data)
        found, problems = parse_comments(doc, c.display)
        run.suppressions.inline.extend(found)
        run.suppressions.problems.extend(problems)


def _load_topology(data: bytes, c: InputCandidate, run: Loaded) -> None:
    from csmlint.loaders.topology.document import load_topology  # only topology runs need it

    ctx = run.load
    part = load_topology(data, c.display, base_dir=os.path.dirname(os.path.abspath(c.path)))
    for sub in part.subscriptions:
        for cs in sub.cloud_services:
            for dep in cs.deployments:
                if dep.cscfg_hint:  # the display path, as `.cscfg` configurations carry it
                    dep.cscfg_hint = display_path(dep.cscfg_hint, ctx.cwd)
    ctx.inputs.subscriptions.extend(part.subscriptions)
    ctx.inputs.unattached_validation.extend(part.unattached_validation)
    for path in part.cscfg_paths:
        ctx.cscfg_refs.setdefault(path, part.cscfg_sources[path])


def _load_asm(data: bytes, c: InputCandidate, run: Loaded) -> None:
    from csmlint.loaders.asm.mapping import load_asm  # only runs with ASM exports need it

    load_asm(data, c.path, c.display, run.load)


LOADERS: dict[str, Loader] = {
    "csdef": _load_xml,
    "cscfg": _load_xml,
    "netcfg": _load_xml,
    "topology": _load_topology,
    "asm": _load_asm,
}
"""Input kind -> loader. Kinds without a loader are reported as skipped."""


def run(options: RunOptions, rules: list[Rule] | None = None) -> tuple[RunResult, list[Rule]]:
    """Lint ``options.paths``; returns the result and the rules that ran."""
    result, active, estate = run_with_estate(options, rules)
    estate.release()  # freed now, not held by its cycles until the process exits
    return result, active


def run_with_estate(
    options: RunOptions, rules: list[Rule] | None = None
) -> tuple[RunResult, list[Rule], Estate]:
    """:func:`run`, also returning the assembled estate (``csmlint plan`` needs its names,
    units and who uses which storage account)."""
    # No cyclic GC while a run builds its model: one large graph that lives until the
    # report is written and makes little cyclic garbage, so the collector would only walk
    # live objects again and again (about 20 % of a 10,000-file run), for the same peak
    # memory. Reference counting still frees the rest; collection resumes on return.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(options, rules)
    finally:
        if was_enabled:
            gc.enable()


def _run(options: RunOptions, rules: list[Rule] | None) -> tuple[RunResult, list[Rule], Estate]:
    cwd = options.cwd or os.getcwd()
    all_rules = rules if rules is not None else load_rules(options.rules)
    active = select_rules(all_rules, options.select, options.ignore)
    state = load(options)
    ctx = state.load
    estate = assemble(ctx.inputs)
    state.notifications.extend(unpaired_configurations(estate))
    state.warnings.extend(duplicate_services(estate))
    findings = evaluate(active, estate)
    if ctx.inputs.unattached_validation or any(d.last_validation for d in estate.deployments):
        from csmlint.rulepack.platform.validation import validation_findings  # Validate replies

        loose = ctx.inputs.unattached_validation
        findings.extend(validation_findings(loose, estate, active, prefer=state.only_named))
    today = options.today or clock.today()
    if options.suppressions:
        apply(findings, state.suppressions, today)
    else:
        apply([], state.suppressions, today)  # still marks the lapsed ones
    if any(r.id == UNUSED_SUPPRESSION for r in active):
        unused = _rule(all_rules, UNUSED_SUPPRESSION)
        findings.extend(
            problem_findings(
                state.suppressions,
                unused,
                all_rules,
                active,
                judge_unused=options.suppressions,
            )
        )
    findings.sort(key=Finding.sort_key)  # first: the fingerprints' own sort is then linear
    assign_fingerprints(findings, relative_to_source_root(cwd, options.source_root))
    state.sources.attach(findings)
    blocking = blocking_ids(all_rules)
    coverage = rule_coverage(all_rules, active)
    folded = merge_notes(findings, active)  # shown in their host finding
    gone = {id(f) for f in folded}
    findings = [f for f in findings if id(f) not in gone]
    # context files' findings count toward readiness; a suppressed "cannot read" still is
    unread = readiness.unread_inputs(findings, estate)
    services, units = readiness.compute(
        findings, estate, frozenset(blocking), folded, bool(coverage.not_run), unread
    )
    files = [f.path for f in ctx.inputs.files]
    named = state.only_named  # files named alone (a pre-commit hook): only theirs are listed
    listed = listing(findings, estate, state.context, named, files)
    if listed.elsewhere:
        state.notifications.append(
            f"{listed.elsewhere} finding(s) located outside the files named (topology "
            "documents, configuration, files they reference) are not counted above, but "
            "count toward readiness (the text report names those that block)"
        )
    findings, hidden = listed.shown, listed.hidden_blockers
    result = RunResult(
        findings=findings,
        files=files,
        unlisted={p for p in files if p in state.context or (named is not None and p not in named)},
        services=services,
        units=units,
        skipped=state.skipped,
        notifications=list(state.notifications),
        warnings=list(state.warnings),
        coverage=coverage,
        hidden_blockers=hidden,
    )
    return result, active, estate


def load(options: RunOptions) -> Loaded:
    """Discover and read every input of ``options`` (no rules, no assembly)."""
    cwd = options.cwd or os.getcwd()
    found = discover(
        [os.path.join(cwd, p) for p in options.paths],
        cwd=cwd,
        include=options.include,
        exclude=options.exclude,
        use_default_excludes=options.default_excludes,
        max_bytes=options.max_file_size,
    )
    _add_topologies(found, options.topology, cwd)
    given = [os.path.join(cwd, raw) for raw in options.paths]
    named = [p for p in given if os.path.isfile(p)]
    if named:
        add_partners(found, named, cwd, options.max_file_size)
    state = Loaded(
        LoadContext(Inputs(target_vnet=options.target_vnet), options.max_file_size, cwd),
        Suppressions([], list(options.suppress), []),
        SourceCache() if options.excerpts else SourceCache(budget=0),
        skipped=list(found.skipped),
    )
    if named and len(named) == len(given):
        state.only_named = {display_path(p, cwd) for p in named}
    state.warnings.extend(found.empty_folder_warnings(options.topology, cwd))
    for c in found.files:
        if c.context:
            state.context.add(c.display)
            state.notifications.append(
                f"{c.display} was read to pair it with the file(s) named: its own findings "
                "count toward readiness but are not listed (name it too to lint it)"
            )
    ctx = state.load
    total = len(found.files)
    pooled = prefetch(found.files, ctx.max_bytes, options.excerpts, MARKERS, options.pool_min_files)
    for n, candidate in enumerate(found.files, start=1):
        if candidate.kind not in LOADERS and candidate.error is None:
            state.skipped.append(
                (candidate.display, f"{candidate.kind} input is not supported yet")
            )
            continue
        done = next(pooled) if pooled is not None and poolable(candidate) else None
        ctx.inputs.files.append(_load(candidate, state, done))
        if options.progress is not None:
            options.progress(n, total)
    ctx.inputs.files.extend(_load_referenced(found.files, state))
    if ctx.asm_imports:
        from csmlint.loaders.asm.mapping import finish_asm

        topologies = [
            (c.path, c.data) for c in found.files if c.kind == "topology" and c.error is None
        ]
        finish_asm(ctx, topologies)
    return state


def _load(candidate: InputCandidate, run: Loaded, done: PoolLoaded | None = None) -> InputFile:
    entry = InputFile(
        path=candidate.display,
        kind=candidate.kind,
        key="inputFile",
        src=SourceRef(candidate.display, 1, 1),
    )
    try:
        if candidate.error is not None:
            raise candidate.error
        if done is not None:  # read and loaded by the pool
            data, model = done.unpack(lambda b: run.sources.keep(candidate.display, b))
            _load_xml(data, candidate, run, model)
            return entry
        data = (
            candidate.data
            if candidate.data is not None
            else read_capped(candidate.path, run.load.max_bytes)
        )
        run.sources.keep(candidate.display, data)
        LOADERS[candidate.kind](data, candidate, run)
    except InputError as exc:
        entry.error = exc.reason
        ref = SourceRef(candidate.display, exc.line or 1, exc.column or 1, exc.pointer)
        entry.src = ref
        entry.note_source("error", ref)
    return entry


def _add_topologies(found: Discovery, paths: list[str], cwd: str) -> None:
    """``--topology FILE``: always read as a topology, even without the schema marker."""
    known = {os.path.realpath(c.path): c for c in found.files} if paths else {}
    for raw in paths:
        path = os.path.join(cwd, raw)
        if (problem := not_a_file(path)) is not None:
            raise UsageError(f"--topology {raw}: {problem}")
        if (ext := os.path.splitext(raw)[1].lower()) in (".csdef", ".cscfg"):
            why = "is not a topology document (JSON); lint it as a path, without --topology"
            raise UsageError(f"--topology {raw}: a {ext} file {why}")
        same = known.get(os.path.realpath(path))
        if same is not None:
            same.kind = "topology"
            continue
        display = display_path(path, cwd)
        found.files.append(InputCandidate(path, display, "topology"))
        known[os.path.realpath(path)] = found.files[-1]
        found.skipped = [s for s in found.skipped if s[0] != display]
    found.files.sort(key=lambda c: c.display)


def _load_referenced(loaded: list[InputCandidate], run: Loaded) -> list[InputFile]:
    """The `.cscfg` files topology deployments name that the linted paths did not include.

    Never read outside the working directory (a topology must not make csmlint read
    arbitrary files); a named file that is missing, outside, or not a `.cscfg` (nor an ASM
    export) is an input error located at the deployment's ``cscfg`` in the topology.
    """
    ctx, refs = run.load, run.load.cscfg_refs
    seen = {os.path.normcase(os.path.realpath(c.path)) for c in loaded} if refs else set()
    root = os.path.normcase(os.path.realpath(ctx.cwd)).rstrip(os.sep) + os.sep
    out: list[InputFile] = []
    for path, named_at in refs.items():
        real = os.path.normcase(os.path.realpath(path))
        if real in seen:
            continue
        seen.add(real)
        display = _relative(path, ctx.cwd)
        problem = None
        kind = "cscfg"
        if not real.startswith(root):
            problem = (
                f"the deployment cscfg {display!r} is outside the working directory, so "
                "not read: name it among the paths to lint"
            )
        elif not os.path.isfile(path):
            problem = f"the deployment cscfg {display!r} does not exist"
        elif not path.lower().endswith(".cscfg"):
            from csmlint.loaders.asm.mapping import is_export

            kind = "asm" if is_export(path, ctx.max_bytes) else kind
            if kind != "asm":
                problem = f"the deployment cscfg {display!r} is not a .cscfg file"
        if problem is None:
            out.append(_load(InputCandidate(path, display, kind), run))
            continue
        entry = InputFile(path=display, kind="cscfg", key="inputFile", src=named_at)
        entry.error = problem
        entry.note_source("error", named_at)
        out.append(entry)
    return out


def _relative(path: str, cwd: str) -> str:
    """``path`` for display: relative to ``cwd`` (``../x`` when outside), never absolute."""
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        return display_path(path, cwd)
    return rel.replace(os.sep, "/") if rel.startswith("..") else display_path(path, cwd)


def _rule(rules: list[Rule], rule_id: str) -> Rule:
    return next(r for r in rules if r.id == rule_id)
