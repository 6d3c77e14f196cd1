"""Hostile XML inputs (``shared/corpus/hostile/xml``, copied to ``fixtures/hostile/xml``).

Each payload is linted by a real CLI process (``python -m csmlint lint FILE``) with a 1 GiB
address-space limit. A linted file that cannot be used becomes exactly ONE input-error
finding (CSM000) at the right line (and column), and the run exits 1; the files that are
harmless parse fine. Nothing read through an entity, XInclude or XSLT ever shows up in any
output (stdout, stderr, every report format that exists when the test runs), and a loopback
canary HTTP server receives no connection at all.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from clirun import CliResult, run_cli
from conftest import FIXTURES, shared_path

from csmlint.reporting import REPORTERS

XML_DIR = FIXTURES / "hostile" / "xml"
HELPERS = {"local_evil.dtd", "secret_sibling.txt", "evil.xsl", "PROVENANCE.md"}
PAYLOADS = sorted(p.name for p in XML_DIR.iterdir() if p.name not in HELPERS)
SIBLING_CANARY = "SIBLING-SECRET-CANARY"
CORPUS_PORT = 8765
WALL_LIMIT = 5.0  # corpus README: "finishes < 5 s"
RSS_LIMIT_MB = 300  # corpus README: "< 300 MB RSS"


@dataclass(frozen=True, slots=True)
class Expect:
    line: int
    column: int | None  # None: libxml2's column is not part of the contract
    reason: str  # substring of the finding's message


DOCTYPE = "DOCTYPE/DTD is not allowed"
EMPTY = "document is empty"


def _raw(name: str) -> bytes:
    return (XML_DIR / name).read_bytes()


def _first_bad_utf8(line: bytes) -> int:
    for end in range(len(line) + 1):
        try:
            line[:end].decode("utf-8")
        except UnicodeDecodeError:
            return end  # 1-based column of the first byte that is not UTF-8
    raise AssertionError("no invalid UTF-8 on that line")


# Every DOCTYPE payload is rejected where its DOCTYPE starts (line 2), before libxml2 sees
# it. The README lists xxe_local_file_in_attribute.xml as "parse error with line 5": that is
# what a parser that accepted the DOCTYPE would report; csmlint stops earlier, on line 2.
EXPECTED: dict[str, Expect | None] = {
    "billion_laughs.xml": Expect(2, 1, DOCTYPE),
    "small_internal_entity.xml": Expect(2, 1, DOCTYPE),
    "quadratic_blowup.xml": Expect(2, 1, DOCTYPE),
    "xxe_local_file.xml": Expect(2, 1, DOCTYPE),
    "xxe_local_file_in_attribute.xml": Expect(2, 1, DOCTYPE),
    "xxe_relative_path.xml": Expect(2, 1, DOCTYPE),
    "xxe_remote_http.xml": Expect(2, 1, DOCTYPE),
    "xxe_parameter_entity_local.xml": Expect(2, 1, DOCTYPE),
    "xxe_parameter_entity_remote.xml": Expect(2, 1, DOCTYPE),
    "dtd_retrieval_local.xml": Expect(2, 1, DOCTYPE),
    "dtd_retrieval_remote.xml": Expect(2, 1, DOCTYPE),
    "empty.cscfg": Expect(1, 1, EMPTY),
    "whitespace_only.cscfg": Expect(1, 1, EMPTY),
    "bom_only.cscfg": Expect(1, 1, EMPTY),
    "truncated.cscfg": Expect(
        2, len(_raw("truncated.cscfg").split(b"\n")[1]) + 1, "expected"
    ),  # at the end of the cut-off line
    "nul_bytes.cscfg": Expect(2, 1, "Start tag expected"),
    "control_chars_in_attr.cscfg": Expect(
        1, _raw("control_chars_in_attr.cscfg").index(b"&#1;") + len(b"&#1;") + 1, "xmlChar value 1"
    ),
    "not_xml_binary.cscfg": Expect(1, 1, "cannot detect the encoding"),
    "two_roots.cscfg": Expect(1, _raw("two_roots.cscfg").index(b"<b/>") + 1, "Extra content"),
    "utf16_no_bom_no_decl.cscfg": Expect(1, 1, "cannot detect the encoding"),
    "declared_utf8_actually_latin1.cscfg": Expect(
        2,
        _first_bad_utf8(_raw("declared_utf8_actually_latin1.cscfg").split(b"\n")[1]),
        "Invalid bytes in character encoding",
    ),
    # parsed fine: no input error
    "utf8_bom.cscfg": None,
    "utf16le_bom.cscfg": None,
    "xinclude_local.xml": None,
    "xslt_stylesheet_pi.xml": None,
}


def test_every_payload_has_an_expectation() -> None:
    assert sorted(EXPECTED) == PAYLOADS, "a payload was added or removed: update EXPECTED"


def test_copies_match_the_shared_corpus() -> None:
    shared = shared_path("corpus", "hostile")
    for mine in sorted(XML_DIR.iterdir()):
        if mine.name == "PROVENANCE.md":
            continue
        assert mine.read_bytes() == (shared / "xml" / mine.name).read_bytes(), mine.name
    names = {p.name for p in (shared / "xml").iterdir()}
    assert names == {p.name for p in XML_DIR.iterdir()} - {"PROVENANCE.md"}
    script = FIXTURES / "hostile" / "make_large.py"
    assert script.read_bytes() == (shared / "make_large.py").read_bytes()


# --- canary server ------------------------------------------------------------------


class _Canary(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int) -> None:
        self.connections: list[str] = []
        super().__init__(("127.0.0.1", port), _CanaryHandler)


class _CanaryHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server = self.server
        assert isinstance(server, _Canary)
        self.request.settimeout(2)
        try:
            first = self.request.recv(200).split(b"\r\n", 1)[0]
        except OSError:
            first = b""
        server.connections.append(first.decode("latin-1"))
        self.request.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")


def _serve(port: int) -> Iterator[_Canary]:
    server = _Canary(port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _self_check(server: _Canary) -> None:
    """The canary does count connections (so zero means zero)."""
    host, port = server.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=2) as s:
        s.sendall(b"GET /self-check HTTP/1.0\r\n\r\n")
        s.recv(100)
    assert server.connections == ["GET /self-check HTTP/1.0"]
    server.connections.clear()


@pytest.fixture(scope="module")
def ephemeral_canary() -> Iterator[_Canary]:
    yield from _serve(0)


# --- running payloads -----------------------------------------------------------------


def _report_args(out: Path) -> list[str]:
    """JSON to stdout plus every other report format that exists right now, to files."""
    args = ["--format", "json"]
    for name in sorted(REPORTERS):
        if name != "json":
            args += ["--format", f"{name}={out / ('report.' + name)}"]
    return args


def _everything_written(result: CliResult, out: Path) -> str:
    parts = [result.stdout, result.stderr]
    parts += [p.read_text("utf-8", "backslashreplace") for p in sorted(out.glob("report.*"))]
    return "\n".join(parts)


def _lint(names: list[str], folder: Path, out: Path) -> CliResult:
    out.mkdir(parents=True, exist_ok=True)
    return run_cli("lint", *names, *_report_args(out), cwd=folder, timeout=60)


def _check_expectations(names: list[str], result: CliResult) -> None:
    """Per payload: one CSM000 at the expected place, or (parsed fine) none."""
    result.assert_clean_exit(1)
    assert result.seconds < WALL_LIMIT, result.describe()
    assert result.max_rss_mb < RSS_LIMIT_MB, result.describe()
    report = result.json()
    assert sorted(report["files"]) == sorted(names), "a payload was not linted (or skipped)"
    by_file: dict[str, list[dict[str, object]]] = {n: [] for n in names}
    for f in report["findings"]:
        by_file[f["location"]["file"]].append(f)
    problems = []
    for name in names:
        expect, found = EXPECTED[name], by_file[name]
        errors = [f for f in found if f["ruleId"] == "CSM000"]
        if expect is None:
            if errors:
                problems.append(f"{name}: should parse, got {errors}")
            continue
        if len(found) != 1 or len(errors) != 1:
            got = [(f["ruleId"], f["location"], str(f["message"])[:80]) for f in found]
            problems.append(f"{name}: want exactly one CSM000 and nothing else, got {got}")
            continue
        loc, message = errors[0]["location"], str(errors[0]["message"])
        assert isinstance(loc, dict)
        where = (loc["line"], loc["column"] if expect.column is not None else None)
        if where != (expect.line, expect.column) or expect.reason not in message:
            problems.append(
                f"{name}: want {expect.line}:{expect.column} '{expect.reason}', "
                f"got {loc['line']}:{loc['column']} {message!r}"
            )
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def rewritten(tmp_path_factory: pytest.TempPathFactory, ephemeral_canary: _Canary) -> Path:
    """Copies of the payloads pointing at the ephemeral canary and a private canary file."""
    folder = tmp_path_factory.mktemp("hostile-xml")
    canary_file = folder.parent / f"{folder.name}-hostname-canary.txt"
    canary_file.write_text(f"HOSTNAME-CANARY-{secrets.token_hex(8)}\n", encoding="ascii")
    port = ephemeral_canary.server_address[1]
    for src in XML_DIR.iterdir():
        data = src.read_bytes()
        data = data.replace(b"127.0.0.1:8765", f"127.0.0.1:{port}".encode())
        data = data.replace(b"file:///etc/hostname", canary_file.as_uri().encode())
        (folder / src.name).write_bytes(data)
    return folder


def test_every_payload_in_one_run(
    rewritten: Path, ephemeral_canary: _Canary, tmp_path: Path
) -> None:
    """All payloads in one run, every report format: per-file outcome, canaries, network."""
    _self_check(ephemeral_canary)
    result = _lint(PAYLOADS, rewritten, tmp_path / "out")
    written = _everything_written(result, tmp_path / "out")
    hostname_canary = (rewritten.parent / f"{rewritten.name}-hostname-canary.txt").read_text()
    assert SIBLING_CANARY not in written, "a relative SYSTEM entity was read"
    assert hostname_canary.strip() not in written, "a file:// entity or XInclude was read"
    assert ephemeral_canary.connections == [], "csmlint made a network request"
    _check_expectations(PAYLOADS, result)


@pytest.mark.parametrize(
    ("name", "code"),
    [("xxe_local_file.xml", 1), ("truncated.cscfg", 1), ("utf16le_bom.cscfg", 0)],
)
def test_one_payload_alone(name: str, code: int, rewritten: Path, tmp_path: Path) -> None:
    """Alone on the command line: the exit code is the input-error contract (1), or 0."""
    result = _lint([name], rewritten, tmp_path / "out")
    if code == 0:
        result.assert_clean_exit(0)
        assert result.findings("CSM000") == []
        assert result.json()["files"] == [name]
    else:
        _check_expectations([name], result)


def _real_hostname() -> str | None:
    try:
        name = Path("/etc/hostname").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name or None


def test_corpus_payloads_unmodified_with_the_canary_on_8765(tmp_path: Path) -> None:
    """The payloads as shipped (port 8765, /etc/hostname), run from their own folder."""
    served = _serve(CORPUS_PORT)
    try:
        server = next(served)
    except OSError as exc:
        pytest.skip(f"127.0.0.1:{CORPUS_PORT} is taken ({exc}); the ephemeral-port test covers it")
    try:
        _self_check(server)
        result = _lint(PAYLOADS, XML_DIR, tmp_path / "out")
        written = _everything_written(result, tmp_path / "out")
        assert SIBLING_CANARY not in written
        hostname = _real_hostname()
        # a short host name ("vm") also occurs inside ordinary words: check distinctive ones
        if hostname and len(hostname) >= 6:
            pattern = re.compile(rf"(?<![\w.-]){re.escape(hostname)}(?![\w.-])")
            assert not pattern.search(written), "/etc/hostname content leaked"
        assert server.connections == [], f"requests reached the canary: {server.connections}"
        _check_expectations(PAYLOADS, result)
    finally:
        served.close()


def test_bom_variants_report_like_their_utf8_twin(tmp_path: Path) -> None:
    """UTF-8+BOM and UTF-16LE+BOM give the same findings as plain UTF-8 (XML-09)."""
    text = _raw("utf8_bom.cscfg").decode("utf-8-sig")
    csdef = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<ServiceDefinition name="svc" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/'
        '10/ServiceDefinition">\n  <WebRole name="WebRole1" vmsize="Small">\n'
        '    <ConfigurationSettings><Setting name="Gr\u00f6\u00dfe" /></ConfigurationSettings>\n'
        "  </WebRole>\n</ServiceDefinition>\n"
    )
    variants = {
        "plain": text.encode("utf-8"),
        "utf8bom": _raw("utf8_bom.cscfg"),
        "utf16bom": _raw("utf16le_bom.cscfg"),
    }
    seen = {}
    for label, data in variants.items():
        folder = tmp_path / label
        folder.mkdir()
        (folder / "ServiceConfiguration.Cloud.cscfg").write_bytes(data)
        (folder / "ServiceDefinition.csdef").write_text(csdef, encoding="utf-8")
        result = run_cli("lint", ".", "--format", "json", cwd=folder)
        result.assert_clean_exit(0, 1)
        seen[label] = [
            (f["ruleId"], f["location"]["file"], f["location"]["line"], f["message"])
            for f in result.findings()
        ]
    assert seen["plain"], "the twin produced no finding: the comparison would prove nothing"
    assert seen["utf8bom"] == seen["plain"]
    assert seen["utf16bom"] == seen["plain"]


# --- large generated inputs -----------------------------------------------------------

LARGE_WALL_LIMIT = 5.0
LARGE_CPU_LIMIT = 2.0  # corpus README: "< 1 s"; CPU time, so a busy CI box does not flake
LARGE_RSS_LIMIT_MB = 100  # corpus README: "< 100 MB RSS"

LARGE: dict[str, tuple[int, str]] = {
    "huge_text_node.xml": (1, "file larger than the limit"),
    "huge_attribute.xml": (1, "file larger than the limit"),
    "many_elements_10mb.cscfg": (1, "file larger than the limit"),
    "gzip_bomb_disguised.cscfg": (1, "not a text XML file (gzip data)"),
    "gzip_bomb_elements.cscfg": (1, "not a text XML file (gzip data)"),
    "deep_nesting.cscfg": (2, "Excessive depth in document: 256"),
}


@pytest.fixture(scope="module")
def large(large_hostile_inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hard links to the generated files (the cache is shared), plus deep_nesting.cscfg:
    deep_nesting.xml has root <a>, not a csmlint input; under a .cscfg name it reaches
    libxml2's depth limit."""
    folder = tmp_path_factory.mktemp("large")
    for src in large_hostile_inputs.iterdir():
        os.link(src, folder / src.name)
    os.link(large_hostile_inputs / "deep_nesting.xml", folder / "deep_nesting.cscfg")
    return folder


def _check_large(result: CliResult) -> None:
    assert result.seconds < LARGE_WALL_LIMIT, result.describe()
    assert result.cpu_seconds < LARGE_CPU_LIMIT, result.describe()
    assert result.max_rss_mb < LARGE_RSS_LIMIT_MB, result.describe()


def test_large_inputs(large: Path) -> None:
    """One input error each, without decompressing or parsing the bombs (one run)."""
    names = sorted(LARGE)
    result = run_cli("lint", *names, "--format", "json", cwd=large, timeout=60)
    result.assert_clean_exit(1)
    _check_large(result)
    findings = result.findings()
    assert sorted(f["location"]["file"] for f in findings) == names, result.describe()
    for f in findings:
        line, reason = LARGE[f["location"]["file"]]
        assert f["ruleId"] == "CSM000"
        assert f["location"]["line"] == line, f
        assert reason in f["message"], f["message"]


def test_each_large_input_alone_is_cheap(large: Path) -> None:
    """The bounds per file, for the two that would hurt most if they were decompressed."""
    for name in ("gzip_bomb_elements.cscfg", "many_elements_10mb.cscfg"):
        result = run_cli("lint", name, "--format", "json", cwd=large, timeout=60)
        result.assert_clean_exit(1)
        _check_large(result)
        assert [f["ruleId"] for f in result.findings()] == ["CSM000"]


def test_libxml2_limits_hold_when_the_size_cap_is_raised(large: Path) -> None:
    names = ["huge_attribute.xml", "huge_text_node.xml"]
    result = run_cli(
        "lint", *names, "--format", "json", "--max-file-size", "20MB", cwd=large, timeout=60
    )
    result.assert_clean_exit(1)
    assert result.max_rss_mb < RSS_LIMIT_MB, result.describe()
    findings = result.findings()
    assert [f["location"]["file"] for f in findings] == names
    for f in findings:
        assert f["ruleId"] == "CSM000"
        assert f["location"]["line"] == 2
        assert "Resource limit exceeded" in f["message"], f["message"]


def test_large_non_inputs_are_not_parsed(large: Path) -> None:
    """Not a csmlint input by name or root element: skipped without being decompressed."""
    names = ["deep_nesting.xml", "gzip_bomb.cscfg.gz"]
    result = run_cli("lint", *names, "--format", "json", "-v", cwd=large, timeout=60)
    result.assert_clean_exit(0)
    _check_large(result)
    assert result.json()["files"] == []
    for name in names:
        assert f"skipped {name}: not a .csdef, .cscfg" in result.stderr


def test_size_cap_is_checked_before_reading(large: Path, tmp_path: Path) -> None:
    """A directory of oversize inputs costs no more memory than one of them."""
    folder = tmp_path / "big"
    folder.mkdir()
    for i in range(5):
        os.link(large / "many_elements_10mb.cscfg", folder / f"copy{i}.cscfg")
    result = run_cli("lint", "big", "--format", "json", cwd=tmp_path, timeout=60)
    result.assert_clean_exit(1)
    _check_large(result)
    assert len(result.findings("CSM000")) == 5
