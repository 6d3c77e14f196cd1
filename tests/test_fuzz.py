"""The fuzzer stays (issue #10, item 7): a bounded budget of it in CI, plus properties.

``tests/fuzzer.py`` runs mutated inputs through the engine and all six reporters; here it
gets a budget of a few hundred inputs (a fixed seed, so a failure is reproducible with
``python -m tests.fuzzer --inputs N --seed S``). The hypothesis properties drive the
entry points that every input passes through with arbitrary data.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path

import fuzzer
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csmlint.errors import InputError
from csmlint.parsing.jsonsafe import parse_json
from csmlint.parsing.numbers import decimal
from csmlint.parsing.xmlsafe import parse_xml
from csmlint.reporting.escape import md_text
from csmlint.reporting.uris import to_uri

BUDGET = 1000
"""Inputs per CI run (under a minute on two idle cores)."""
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
def test_a_bounded_fuzz_run_finds_nothing(tmp_path: Path) -> None:
    """Run as CI would, in a child process (the workers fork from it: forking the test
    process would make every later child start with its memory)."""
    report = tmp_path / "fuzz.json"
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fuzzer",
            "--inputs",
            str(BUDGET),
            "--seed",
            "20261203",
            "--jobs",
            "2",
            "--report",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    totals = json.loads(report.read_text(encoding="utf-8"))
    assert child.returncode == 0, json.dumps(totals["failures"][:3], indent=1)[:4000]
    assert totals["inputs"] == BUDGET and totals["failures"] == []
    assert totals["byStatus"].get("ok", 0) > 0 and totals["byStatus"].get("input-error", 0) > 0


def test_mutations_are_reproducible_from_their_number() -> None:
    import random

    seeds = fuzzer.seeds()
    assert len(seeds) > 50
    first = [
        fuzzer.mutate(random.Random(f"7:{i}"), s, s.read_bytes()) for i, s in enumerate(seeds[:20])
    ]
    again = [
        fuzzer.mutate(random.Random(f"7:{i}"), s, s.read_bytes()) for i, s in enumerate(seeds[:20])
    ]
    assert first == again
    assert any(data != s.read_bytes() for (data, _), s in zip(first, seeds[:20], strict=True))


_XML_BITS = st.sampled_from(
    [
        b"<",
        b">",
        b"/",
        b"<?xml version='1.0' encoding='utf-16'?>",
        b"<!DOCTYPE r SYSTEM '/dev/stdin'>",
        b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
        b"&x;",
        b"<ServiceConfiguration>",
        b"</ServiceConfiguration>",
        b"<Role name='a'>",
        b'<Instances count="\xc2\xb2"/>',
        b"\x00",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"<![CDATA[",
        b"]]>",
        b"<!--",
        b"-->",
    ]
)


@PROPERTY
@given(st.lists(st.one_of(_XML_BITS, st.binary(max_size=16)), max_size=30).map(b"".join))
def test_parse_xml_only_ever_raises_input_error(data: bytes) -> None:
    try:
        parse_xml(data)
    except InputError as exc:
        assert exc.reason and (exc.line is None or exc.line >= 1)


@PROPERTY
@given(st.text(max_size=200))
def test_parse_json_only_ever_raises_input_error(text: str) -> None:
    with contextlib.suppress(InputError):
        parse_json(text.encode("utf-8", "surrogatepass"))


@PROPERTY
@given(st.text(max_size=40))
def test_decimal_is_a_number_exactly_for_plain_digits(text: str) -> None:
    value = decimal(text)
    plain = re.fullmatch(r"[0-9]{1,18}", text.strip(" \t\r\n"))
    assert (value is not None) == (plain is not None and int(plain.group()) < 2**53)


@PROPERTY
@given(st.text(max_size=80))
def test_markdown_values_never_open_html_or_mention(text: str) -> None:
    out = md_text(text)
    assert "<" not in out and "\n" not in out
    assert not re.search(r"(?<![\w/.&;])@[A-Za-z0-9]", out)


@PROPERTY
@given(st.text(max_size=60).filter(lambda t: t and not t.startswith("/")))
def test_uris_use_only_rfc3986_characters(path: str) -> None:
    assert re.fullmatch(r"[A-Za-z0-9\-._~/%]*", to_uri(path))
