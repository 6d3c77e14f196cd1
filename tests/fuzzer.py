"""A mutation fuzzer over csmlint's untrusted-input surface (issue #10, item 7).

    python -m tests.fuzzer --inputs 100000 --seed 1 --jobs 2 --report fuzz-report.json

Seeds are the project's own fixtures (``.cscfg``, ``.csdef``, network configurations,
topology documents, Service Management exports) and ``../shared/corpus/real`` when present.
Each input is one seed file mutated by 1-3 operators chosen by a generator seeded with
``(seed, index)``, so any input can be regenerated from its number: byte flips, truncation,
chunk insertion, duplication and deletion; element and attribute deletion and duplication;
huge values, deep nesting, odd numbers; re-encoding (UTF-16, UTF-32, Latin-1, EBCDIC);
DOCTYPE and entity injection pointing at a canary file; topology wrong-type sweeps; and the
base64 ``Configuration`` of an export mutated in turn.

Every input runs through the in-process engine and all six reporters, in a folder of its
own next to the seed's sibling files. A run fails on an uncaught exception, on an input
that takes longer than the per-input limit (a hang), on a report that does not parse (JSON,
SARIF, JUnit XML), or on a report that contains the canary text a DOCTYPE or entity tried
to pull in. Every 25th input is linted twice and must give the same JSON.

The report (JSON) holds the counts, the peak resident memory of the workers, the time per
input, and each failure with its input number and the bytes that caused it (base64).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = Path(os.environ.get("CSMLINT_SHARED", ROOT.parent / "shared")) / "corpus" / "real"
SEED_DIRS = ("fixtures/rules", "fixtures/examples", "fixtures/services", "fixtures/exports")
SEED_SUFFIXES = {".cscfg", ".csdef", ".xml", ".json", ".netcfg"}
MAX_SEED_BYTES = 256 * 1024
CANARY = "CSMLINT-FUZZ-CANARY-7f3a"
PER_INPUT_SECONDS = 20.0
WEIRD_NUMBERS = ["²", "-1", "1e309", "9" * 5000, "١٢", "", " ", "0x10", "+5", "1_000", "NaN"]
WEIRD_TEXT = [
    "@octocat",
    "::error title=x::pwned",
    "<script>alert(1)</script>",
    "\u202egnp.exe",
    "a\x00b",
    "&amp;&lt;",
    "#1234",
    "x" * 70000,
    "\\\\server\\share",
    "c:relative",
    "\ud800",
]
JSON_PALETTE: list[Any] = [None, True, 0, -1, 2**63, 1.5, "", "x" * 5000, [], {}, [None], {"a": {}}]


@dataclass(slots=True)
class Outcome:
    index: int
    seed_file: str
    mutations: list[str]
    status: str  # ok | input-error | crash | hang | bad-report | leak | nondeterministic
    seconds: float
    detail: str = ""
    data: bytes = b""


@dataclass(slots=True)
class Totals:
    inputs: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    slowest: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)
    peak_rss_mb: float = 0.0


# --- seeds ----------------------------------------------------------------------------


def seeds() -> list[Path]:
    """Every seed file, sorted (the same list on every machine with the same checkout)."""
    found: list[Path] = []
    for folder in [ROOT / d for d in SEED_DIRS] + [SHARED_REAL]:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if (
                path.suffix.lower() in SEED_SUFFIXES
                and path.is_file()
                and not path.is_symlink()
                and path.stat().st_size <= MAX_SEED_BYTES
            ):
                found.append(path)
    return found


# --- mutations ------------------------------------------------------------------------

Mutator = Callable[[random.Random, bytes], bytes]


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


def _set_byte(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    buf = bytearray(data)
    buf[rng.randrange(len(buf))] = rng.choice(b"\x00<>&\"'\xff\xfe\n\r]")
    return bytes(buf)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    chunk = rng.choice(
        [
            os.urandom(rng.randint(1, 64)),
            b"<" * rng.randint(1, 500),
            b"<!-- csmlint-disable CSM130 -->",
            b"]]>",
            b"<![CDATA[x]]>",
            b"&#0;",
            b"&#x110000;",
            b"\xef\xbb\xbf",
        ]
    )
    return data[:at] + chunk + data[at:]


def _dup_range(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 2:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 2000))
    return data[:b] + data[a:b] * rng.randint(1, 20) + data[b:]


def _del_range(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 2:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 500))
    return data[:a] + data[b:]


_ELEMENT = re.compile(rb"<([A-Za-z][\w.:-]*)(?:\s[^<>]*)?(?:/>|>(?:(?!<\1[\s>/]).)*?</\1>)", re.S)
_ATTR = re.compile(rb"""\s([A-Za-z][\w.:-]*)\s*=\s*("[^"]*"|'[^']*')""")
_ATTR_VALUE = re.compile(rb"""(=\s*)("[^"]*"|'[^']*')""")
_TEXT_NODE = re.compile(rb">([^<]{1,200})<")


def _pick(rng: random.Random, pattern: re.Pattern[bytes], data: bytes) -> re.Match[bytes] | None:
    matches = list(pattern.finditer(data[:200_000]))
    return rng.choice(matches) if matches else None


def _del_element(rng: random.Random, data: bytes) -> bytes:
    m = _pick(rng, _ELEMENT, data)
    return data[: m.start()] + data[m.end() :] if m else data


def _dup_element(rng: random.Random, data: bytes) -> bytes:
    m = _pick(rng, _ELEMENT, data)
    if not m:
        return data
    return data[: m.end()] + m.group() * rng.choice([1, 2, 50, 400]) + data[m.end() :]


def _del_attr(rng: random.Random, data: bytes) -> bytes:
    m = _pick(rng, _ATTR, data)
    return data[: m.start()] + data[m.end() :] if m else data


def _dup_attr(rng: random.Random, data: bytes) -> bytes:
    m = _pick(rng, _ATTR, data)
    return data[: m.end()] + m.group() + data[m.end() :] if m else data


def _weird_value(rng: random.Random, data: bytes) -> bytes:
    m = _pick(rng, rng.choice([_ATTR_VALUE, _TEXT_NODE]), data)
    if not m:
        return data
    value = rng.choice(WEIRD_NUMBERS + WEIRD_TEXT)
    raw = value.encode("utf-8", "surrogatepass")
    raw = raw.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b'"', b"&quot;")
    if m.re is _ATTR_VALUE:
        return data[: m.start(2)] + b'"' + raw + b'"' + data[m.end(2) :]
    return data[: m.start(1)] + raw + data[m.end(1) :]


def _deep(rng: random.Random, data: bytes) -> bytes:
    m = _pick(rng, _ELEMENT, data)
    if not m:
        return data
    depth = rng.choice([50, 300, 5000])
    return data[: m.start()] + b"<d>" * depth + m.group() + b"</d>" * depth + data[m.end() :]


def _reencode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    codec, bom, decl = rng.choice(
        [
            ("utf-16-le", b"\xff\xfe", "utf-16"),
            ("utf-16-be", b"\xfe\xff", "utf-16"),
            ("utf-16-le", b"", "utf-16"),
            ("utf-16-be", b"", None),
            ("utf-32-le", b"", "utf-32"),
            ("utf-32-be", b"\x00\x00\xfe\xff", "utf-32"),
            ("latin-1", b"", "iso-8859-1"),
            ("cp037", b"", "ebcdic-cp-us"),
        ]
    )
    if decl is not None:
        text = re.sub(r'encoding="[^"]*"', f'encoding="{decl}"', text, count=1)
    return bom + text.encode(codec, "replace")


def _doctype(rng: random.Random, data: bytes) -> bytes:
    canary = os.environ.get("CSMLINT_FUZZ_CANARY_FILE", "/nonexistent/csmlint-canary")
    dtd = rng.choice(
        [
            f'<!DOCTYPE r SYSTEM "{canary}">',
            f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{canary}">]>',
            '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
            f'<!DOCTYPE r PUBLIC "-//x//y" "{canary}">',
        ]
    ).encode()
    m = re.match(rb"(\xef\xbb\xbf)?\s*(<\?xml[^>]*\?>)?", data)
    at = m.end() if m else 0
    out = data[:at] + b"\n" + dtd + b"\n" + data[at:]
    if b"&x;" not in out and rng.random() < 0.5:
        out = out.replace(b"</", b"&x;</", 1)
    return out


def _json_sweep(rng: random.Random, data: bytes) -> bytes:
    try:
        doc = json.loads(data)
    except ValueError:
        return _flip(rng, data)
    spots = list(_json_spots(doc, ()))
    if not spots:
        return data
    path = rng.choice(spots)
    parent: Any = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    action = rng.random()
    if action < 0.6:
        parent[last] = rng.choice(JSON_PALETTE + WEIRD_TEXT)
    elif action < 0.8 and isinstance(parent, dict):
        del parent[last]
    elif isinstance(parent, list):
        parent.extend([parent[last]] * rng.choice([1, 3, 300]))
    else:
        nested: Any = parent[last]
        for _ in range(rng.choice([50, 2000])):
            nested = [nested]
        parent[last] = nested
    try:
        return json.dumps(doc).encode("utf-8", "surrogatepass")
    except (ValueError, RecursionError):
        return data


def _json_spots(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key)
            yield from _json_spots(value, (*path, key))
    elif isinstance(node, list):
        for n, value in enumerate(node[:50]):
            yield (*path, n)
            yield from _json_spots(value, (*path, n))


_CONFIGURATION = re.compile(rb"<Configuration>([A-Za-z0-9+/=\s]+)</Configuration>")


def _embedded(rng: random.Random, data: bytes) -> bytes:
    m = _CONFIGURATION.search(data)
    if not m:
        return _weird_value(rng, data)
    try:
        inner = base64.b64decode(m.group(1))
    except ValueError:
        return data
    mutated = rng.choice(XML_MUTATORS)(rng, inner)
    return data[: m.start(1)] + base64.b64encode(mutated) + data[m.end(1) :]


BYTE_MUTATORS: list[Mutator] = [_flip, _set_byte, _truncate, _insert, _dup_range, _del_range]
XML_MUTATORS: list[Mutator] = [
    _del_element,
    _dup_element,
    _del_attr,
    _dup_attr,
    _weird_value,
    _weird_value,
    _deep,
    _reencode,
    _doctype,
]


def mutate(rng: random.Random, path: Path, data: bytes) -> tuple[bytes, list[str]]:
    """``data`` with 1-3 mutations suited to the seed's kind, and their names."""
    is_json = path.suffix.lower() == ".json"
    names: list[str] = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if is_json:
            op = rng.choice([_json_sweep, _json_sweep, _json_sweep, *BYTE_MUTATORS])
        elif _CONFIGURATION.search(data) and rng.random() < 0.3:
            op = _embedded
        else:
            op = rng.choice(XML_MUTATORS * 3 + BYTE_MUTATORS)
        data = op(rng, data)
        names.append(op.__name__.lstrip("_"))
    return data, names


# --- running --------------------------------------------------------------------------


class _HangError(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _HangError


_STATE: dict[str, Any] = {}


def _init_worker(canary_file: str) -> None:
    os.environ["CSMLINT_FUZZ_CANARY_FILE"] = canary_file
    from csmlint.rulepack.loader import load_rules

    _STATE["rules"] = load_rules()
    _STATE["seeds"] = seeds()
    # inside the run's temporary folder, so it goes when the run ends (a worker has no exit hook)
    _STATE["work"] = tempfile.mkdtemp(prefix="worker-", dir=os.path.dirname(canary_file))
    signal.signal(signal.SIGALRM, _alarm)


def _lint(folder: str) -> tuple[dict[str, str], str]:
    from csmlint.engine import RunOptions, run
    from csmlint.findings.finding import ReportContext
    from csmlint.findings.fold import fold
    from csmlint.reporting import REPORTERS, get_reporter

    result, ran = run(RunOptions(paths=["."], cwd=folder), rules=_STATE["rules"])
    fold(result)
    ctx = ReportContext(version="fuzz", cwd=folder, source_root=folder)
    texts = {name: get_reporter(name)(result, ran, ctx) for name in sorted(REPORTERS)}
    kinds = "input-error" if any(f.rule_id == "CSM000" for f in result.findings) else "ok"
    return texts, kinds


def _check(texts: dict[str, str]) -> str:
    """Why the reports are wrong, or ``""``."""
    from lxml import etree

    for name, text in texts.items():
        if CANARY in text:
            return f"leak: the canary reached the {name} report"
    json.loads(texts["json"])
    sarif = json.loads(texts["sarif"])
    if sarif.get("version") != "2.1.0":
        return "bad-report: SARIF version"
    etree.fromstring(texts["junit"].encode("utf-8"), etree.XMLParser(resolve_entities=False))
    if re.search(r"^\s*::", texts["text"], re.M):
        return "bad-report: a text line starts with ::"
    return ""


def run_one(index: int, base_seed: int) -> Outcome:
    rng = random.Random(f"{base_seed}:{index}")
    seed_path: Path = rng.choice(_STATE["seeds"])
    data, names = mutate(rng, seed_path, seed_path.read_bytes())
    work = Path(_STATE["work"]) / f"i{index}"
    work.mkdir()
    for sibling in sorted(seed_path.parent.iterdir())[:20]:
        plain = sibling.is_file() and not sibling.is_symlink() and sibling != seed_path
        if plain and sibling.stat().st_size <= MAX_SEED_BYTES:
            shutil.copyfile(sibling, work / sibling.name)
    (work / seed_path.name).write_bytes(data)
    start = time.perf_counter()
    status, detail = "ok", ""
    signal.setitimer(signal.ITIMER_REAL, PER_INPUT_SECONDS)
    try:
        texts, status = _lint(str(work))
        problem = _check(texts)
        if problem:
            status, detail = problem.split(":", 1)[0], problem
        elif index % 25 == 0 and _lint(str(work))[0]["json"] != texts["json"]:
            status, detail = "nondeterministic", "a second run gave other JSON"
    except _HangError:
        status, detail = "hang", f"more than {PER_INPUT_SECONDS:.0f} s"
    except Exception:  # every escape is what the fuzzer looks for
        status, detail = "crash", traceback.format_exc(limit=8)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - start
    bad = status in ("crash", "hang", "bad-report", "leak", "nondeterministic")
    rel = os.path.relpath(seed_path, ROOT)
    return Outcome(index, rel, names, status, seconds, detail, data if bad else b"")


def _batch(args: tuple[int, int, int]) -> tuple[list[Outcome], float]:
    start, stop, base_seed = args
    out = [run_one(i, base_seed) for i in range(start, stop)]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out, rss


def fuzz(inputs: int, seed: int = 1, jobs: int = 1, progress: bool = False) -> Totals:
    """Run ``inputs`` inputs; returns the totals (see the module docstring)."""
    totals = Totals()
    with tempfile.TemporaryDirectory(prefix="csmlint-fuzz-canary-") as tmp:
        canary_file = os.path.join(tmp, "canary.txt")
        Path(canary_file).write_text(CANARY + "\n", encoding="utf-8")
        chunk = 50
        batches = [(s, min(s + chunk, inputs), seed) for s in range(0, inputs, chunk)]
        with ProcessPoolExecutor(
            max_workers=jobs, initializer=_init_worker, initargs=(canary_file,)
        ) as pool:
            for outcomes, rss in pool.map(_batch, batches):
                totals.peak_rss_mb = max(totals.peak_rss_mb, rss)
                for o in outcomes:
                    _count(totals, o)
                if progress:
                    sys.stderr.write(f"\rfuzz: {totals.inputs}/{inputs} {totals.by_status}")
    if progress:
        sys.stderr.write("\n")
    return totals


def _count(totals: Totals, o: Outcome) -> None:
    totals.inputs += 1
    totals.by_status[o.status] = totals.by_status.get(o.status, 0) + 1
    totals.seconds += o.seconds
    totals.slowest = max(totals.slowest, o.seconds)
    if o.data or o.status in ("crash", "hang"):
        totals.failures.append(
            {
                "index": o.index,
                "seed": o.seed_file,
                "mutations": o.mutations,
                "status": o.status,
                "detail": o.detail[-4000:],
                "input": base64.b64encode(o.data[:200_000]).decode("ascii"),
            }
        )


def failed(totals: Totals) -> int:
    return sum(len([f for f in totals.failures if f["status"] == s]) for s in _BAD)


_BAD = ("crash", "hang", "bad-report", "leak", "nondeterministic")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzzer", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--inputs", type=int, default=1000, help="number of inputs [1000]")
    parser.add_argument("--seed", type=int, default=1, help="generator seed [1]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--report", help="write the totals and failures (JSON) here")
    args = parser.parse_args(argv)
    started = time.time()
    totals = fuzz(args.inputs, args.seed, args.jobs, progress=sys.stderr.isatty())
    wall = time.time() - started
    report = {
        "inputs": totals.inputs,
        "seed": args.seed,
        "jobs": args.jobs,
        "seeds": len(seeds()),
        "byStatus": dict(sorted(totals.by_status.items())),
        "wallSeconds": round(wall, 1),
        "meanSecondsPerInput": round(totals.seconds / max(totals.inputs, 1), 4),
        "slowestInputSeconds": round(totals.slowest, 2),
        "peakWorkerRssMb": round(totals.peak_rss_mb, 1),
        "failures": totals.failures,
    }
    text = json.dumps(report, indent=2) + "\n"
    if args.report:
        Path(args.report).write_text(text, encoding="utf-8")
    summary = {k: v for k, v in report.items() if k != "failures"}
    print(json.dumps(summary, indent=2))
    return 1 if failed(totals) else 0


if __name__ == "__main__":
    raise SystemExit(main())
