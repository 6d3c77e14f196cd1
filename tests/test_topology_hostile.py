"""Hostile JSON (``shared/corpus/hostile/json``, README "json/ (topology)"), as the JSON
entry point sees it and as a linted topology: the file either loads, or becomes ONE
input-error finding (CSM000) with file, line and JSON pointer, exit 1, no traceback, fast.

The corpus files are copied to ``fixtures/topology/hostile/json`` (see PROVENANCE.md);
the large inputs are generated the way ``make_large.py`` writes them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from clirun import TRACEBACK, run_cli
from conftest import FIXTURES, shared_path

from csmlint.errors import InputError
from csmlint.parsing.jsonsafe import parse_json

HOSTILE = FIXTURES / "topology" / "hostile"
NOT_TOPOLOGY = "not a topology document (no schema key"

# file -> (JSON-level reason or None when it loads, topology-level reason, line, pointer)
EXPECTED: dict[str, tuple[str | None, str, int, str]] = {
    "bidi_and_html.json": (None, NOT_TOPOLOGY, 1, ""),
    "duplicate_keys.json": ("duplicate key 'WebRole1'", "duplicate key", 1, "/roles/WebRole1"),
    "empty.json": ("document is empty", "document is empty", 1, ""),
    "escaped_control_chars.json": (None, NOT_TOPOLOGY, 1, ""),
    "huge_float_exponent.json": ("not finite", "not finite", 1, "/instances"),
    "huge_integer.json": ("more than 4300 digits", "more than 4300 digits", 1, "/instances"),
    "invalid_utf8.json": ("invalid UTF-8 at byte 15", "invalid UTF-8", 1, "/roles"),
    "lone_surrogate.json": (None, NOT_TOPOLOGY, 1, ""),
    "nan_infinity.json": ("NaN is not valid JSON", "NaN", 1, "/roles/WebRole1/instances"),
    "raw_control_chars.json": ("raw control character", "raw control character", 1, "/roles"),
    "truncated.json": ("unexpected end of document", "unexpected end", 1, "/roles/WebRole1"),
    "utf16le_bom.json": (None, NOT_TOPOLOGY, 1, ""),
    "utf8_bom.json": (None, NOT_TOPOLOGY, 1, ""),
    "wrong_root_type.json": (None, "topology must be an object, not an array", 1, ""),
}
LOADS = {"lone_surrogate.json": {"roles": {"Web\ufffdRole": {"instances": 1}}}}


def deep_nesting() -> bytes:
    return ("[" * 100_000 + "]" * 100_000).encode()


def long_line() -> bytes:
    return ('{"roles": {"' + "R" * 200_000 + '": {}}}\n').encode()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_json_entry_point(name: str) -> None:
    data = (HOSTILE / "json" / name).read_bytes()
    reason = EXPECTED[name][0]
    start = time.perf_counter()
    if reason is None:
        value = parse_json(data).value
        if name in LOADS:
            assert value == LOADS[name]
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # valid UTF-8 on output
    else:
        with pytest.raises(InputError) as info:
            parse_json(data)
        assert reason in info.value.reason
        assert info.value.line is not None and info.value.column is not None
        assert info.value.pointer == EXPECTED[name][3]
    assert time.perf_counter() - start < 1


def _lint(cwd: Path, names: list[str], *extra: str) -> Any:
    args = ["lint", "--format", "json", *extra]
    for name in names:
        args += ["--topology", name]
    result = run_cli(*args, cwd=cwd, timeout=30)
    result.assert_clean_exit(1)
    assert result.seconds < 10, result.describe()
    assert result.max_rss_mb < 300, result.describe()
    return result


def test_each_file_is_one_input_error_and_the_others_still_load(tmp_path: Path) -> None:
    names = sorted(EXPECTED)
    for name in names:
        shutil.copy(HOSTILE / "json" / name, tmp_path / name)
    shutil.copy(HOSTILE / "topology" / "utf8_bom.topology.json", tmp_path / "ok.topology.json")
    result = _lint(tmp_path, names, ".")
    findings = result.findings()
    assert {f["ruleId"] for f in findings} == {"CSM000"}
    by_file = {f["location"]["file"]: f for f in findings}
    assert sorted(by_file) == names  # exactly one each; ok.topology.json has none
    for name, (_, reason, line, pointer) in EXPECTED.items():
        finding = by_file[name]
        assert reason in finding["message"], (name, finding["message"])
        assert finding["location"]["line"] == line, name
        assert finding["location"]["pointer"] == pointer, name
        assert finding["severity"] == "error"
    assert "ok.topology.json" in result.json()["files"]
    # columns where the hazard is: the second 'WebRole1', NaN, the raw control byte
    assert by_file["duplicate_keys.json"]["location"]["column"] == 42
    assert by_file["nan_infinity.json"]["location"]["column"] == 38
    assert by_file["raw_control_chars.json"]["location"]["column"] == 16


def test_strings_that_load_stay_safe_in_every_output(tmp_path: Path) -> None:
    for f in (HOSTILE / "topology").iterdir():
        shutil.copy(f, tmp_path / f.name)
    result = run_cli("lint", ".", "--format", "json", "--select", "CSM000", cwd=tmp_path)
    result.assert_clean_exit(0)
    report = result.json()
    assert report["findings"] == []  # every file loads
    names = {cs["name"] for cs in report["cloudServices"]}
    assert names == {
        "Web\ufffdRole",
        "Web\x00Role\x1b[31mRED\x07",
        "<script>alert(1)</script>",
        "Größe",
    }
    assert "\x1b" not in result.stdout  # JSON escapes control characters
    text = run_cli("lint", ".", cwd=tmp_path, timeout=30)  # every rule: names in messages
    text.assert_clean_exit(0, 1)
    assert "\x1b" not in text.stdout and "\x07" not in text.stdout
    text.stdout.encode("utf-8")


@pytest.mark.parametrize(
    ("make", "reason", "pointer_prefix"),
    [(deep_nesting, "nesting deeper than 64 levels", "/0/0/0"), (long_line, NOT_TOPOLOGY, "")],
)
def test_generated_large_inputs(
    make: Any, reason: str, pointer_prefix: str, tmp_path: Path
) -> None:
    (tmp_path / "big.json").write_bytes(make())
    result = _lint(tmp_path, ["big.json"])
    (finding,) = result.findings()
    assert finding["ruleId"] == "CSM000"
    assert reason in finding["message"]
    assert finding["location"]["line"] == 1
    assert finding["location"]["pointer"].startswith(pointer_prefix)
    assert len(finding["message"]) < 300
    assert TRACEBACK not in result.stderr


def test_copies_match_the_shared_corpus() -> None:
    corpus = shared_path("corpus", "hostile", "json")
    names = sorted(p.name for p in corpus.iterdir())
    assert names == sorted(EXPECTED), "a corpus file has no expectation here"
    for name in names:
        assert (corpus / name).read_bytes() == (HOSTILE / "json" / name).read_bytes(), name


def test_generation_matches_make_large(tmp_path: Path) -> None:
    """Our generators write what ``make_large.py`` writes. Only its JSON part is run when
    it can be cut out (the whole script writes 40 MB of XML/YAML bombs in about 5 s)."""
    path = shared_path("corpus", "hostile", "make_large.py")
    script = path.read_text("utf-8")
    marker, tail = "    # JSON\n", '\nif __name__ == "__main__":'
    if marker in script and tail in script:
        part = script[script.index(marker) : script.index(tail)]
        body = "\n".join(line[4:] for line in part.splitlines())
        code = f"import os\np = lambda n: os.path.join({str(tmp_path)!r}, n)\n{body}\n"
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    else:
        subprocess.run([sys.executable, str(path), str(tmp_path)], check=True, timeout=120)
    assert (tmp_path / "deep_nesting.json").read_bytes() == deep_nesting()
    assert (tmp_path / "long_line.json").read_bytes() == long_line()


def test_an_xml_file_named_as_a_topology_says_a_topology_is_json(tmp_path: Path) -> None:
    from csmlint.engine import RunOptions, run

    saved = tmp_path / "estate.json"  # an export saved under the wrong name
    saved.write_text('<?xml version="1.0"?>\n<ServiceDefinition name="shop"/>\n', "utf-8")
    result, _ = run(RunOptions(paths=[str(saved)], topology=[str(saved)], cwd=str(tmp_path)))
    [problem] = [f for f in result.findings if f.rule_id == "CSM000"]
    assert "not a topology document: it starts with '<' (XML?)" in problem.message
    assert "without --topology" in problem.message


def test_a_csdef_or_cscfg_named_as_a_topology_is_a_usage_error(tmp_path: Path) -> None:
    """New-user check: ``--topology svc/ServiceDefinition.csdef`` read the file as a topology
    (an input error, exit 1) and dropped its own findings from the folder's lint."""
    from csmlint.engine import RunOptions, run
    from csmlint.errors import UsageError

    for name in ("ServiceDefinition.csdef", "ServiceConfiguration.Cloud.CSCFG"):
        (tmp_path / name).write_text('<?xml version="1.0"?>\n<ServiceDefinition/>\n', "utf-8")
        with pytest.raises(UsageError) as caught:
            run(RunOptions(paths=[str(tmp_path)], topology=[name], cwd=str(tmp_path)))
        ext = "." + name.rpartition(".")[2].lower()
        assert str(caught.value).startswith(f"--topology {name}: a {ext} file is not a topology")
        assert "lint it as a path, without --topology" in str(caught.value)
