"""XML that cannot reach outside, whatever its encoding (issue #10, item 1).

Every payload declares a DOCTYPE or an external entity whose SYSTEM id is a FIFO made by the
test. A parser that opened it would block forever, so every run has a timeout: a hang is a
failure, not a slow test. Before the fix, BOM-less UTF-32 and BOM-less UTF-16 that declares
``encoding="utf-16"`` slipped past the DOCTYPE check and libxml2 opened the FIFO.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import input_errors, run_cli
from conftest import FIXTURES

from csmlint.errors import InputError
from csmlint.parsing.xmlencoding import detect
from csmlint.parsing.xmlsafe import parse_xml

CSCFG_NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"
DOCTYPE = "DOCTYPE/DTD is not allowed"
UNSUPPORTED = "is not supported: save the file as UTF-8 or UTF-16"

# name: (declared encoding, codec, BOM, expected reason)
VARIANTS: dict[str, tuple[str, str, bytes, str]] = {
    "utf8": ("utf-8", "utf-8", b"", DOCTYPE),
    "utf8-bom": ("utf-8", "utf-8", b"\xef\xbb\xbf", DOCTYPE),
    "utf16le-bom": ("utf-16", "utf-16-le", b"\xff\xfe", DOCTYPE),
    "utf16be-bom": ("utf-16", "utf-16-be", b"\xfe\xff", DOCTYPE),
    "utf16le-nobom": ("utf-16", "utf-16-le", b"", DOCTYPE),
    "utf16be-nobom": ("utf-16", "utf-16-be", b"", DOCTYPE),
    "utf16le-nobom-says-utf8": ("utf-8", "utf-16-le", b"", "cannot detect the encoding"),
    "utf32le-nobom": ("utf-32", "utf-32-le", b"", UNSUPPORTED),
    "utf32be-nobom": ("utf-32", "utf-32-be", b"", UNSUPPORTED),
    "utf32le-bom": ("utf-32", "utf-32-le", b"\xff\xfe\x00\x00", UNSUPPORTED),
    "utf32be-bom": ("utf-32", "utf-32-be", b"\x00\x00\xfe\xff", UNSUPPORTED),
    "ebcdic": ("ebcdic-cp-us", "cp037", b"", UNSUPPORTED),
    "latin1": ("iso-8859-1", "latin-1", b"", UNSUPPORTED),
}


def _doc(fifo: Path, declared: str, form: str) -> str:
    if form == "doctype":
        dtd = f'<!DOCTYPE ServiceConfiguration SYSTEM "{fifo}">'
    else:
        dtd = f'<!DOCTYPE ServiceConfiguration [<!ENTITY x SYSTEM "{fifo}">]>'
    return (
        f'<?xml version="1.0" encoding="{declared}"?>\n{dtd}\n'
        f'<ServiceConfiguration serviceName="s" xmlns="{CSCFG_NS}">&amp;</ServiceConfiguration>\n'
    )


def _payload(fifo: Path, name: str, form: str = "doctype") -> bytes:
    declared, codec, bom, _ = VARIANTS[name]
    return bom + _doc(fifo, declared, form).encode(codec)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "blocking.fifo"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("form", ["doctype", "entity"])
def test_no_encoding_reaches_the_fifo(fifo: Path, tmp_path: Path, form: str) -> None:
    tree = tmp_path / "repo"
    tree.mkdir()
    for name in VARIANTS:
        (tree / f"{name}.cscfg").write_bytes(_payload(fifo, name, form))
    result = run_cli("lint", tree, "--format", "json", cwd=tmp_path, timeout=60)
    assert not result.timed_out, "the parser opened the FIFO and blocked"
    result.assert_clean_exit(1)
    reasons = {Path(f["location"]["file"]).stem: f["message"] for f in input_errors(result)}
    assert set(reasons) == set(VARIANTS)
    for name, (*_, expected) in VARIANTS.items():
        assert expected in reasons[name], (name, reasons[name])


def test_the_parser_alone_never_opens_an_external_subset(fifo: Path) -> None:
    """Defence in depth: even without the DOCTYPE check, the parser options and the
    refuse-all resolver keep libxml2 away from the SYSTEM id (run in a child: a hang
    would block pytest)."""
    code = (
        "import sys\n"
        "from lxml import etree\n"
        "from csmlint.parsing.xmlsafe import _make_parser\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "etree.fromstring(data, _make_parser())\n"
        "print('parsed without opening')\n"
    )
    doc = fifo.parent / "doc.xml"
    doc.write_bytes(_payload(fifo, "utf8"))
    child = subprocess.run(
        [sys.executable, "-c", code, str(doc)], capture_output=True, text=True, timeout=30
    )
    assert "parsed without opening" in child.stdout, child.stderr


def test_an_asm_export_embedded_configuration_is_checked_the_same_way(
    fifo: Path, tmp_path: Path
) -> None:
    source = (
        FIXTURES / "exports" / "asm-get-deployment-paas-webworker-rdp-extension.xml"
    ).read_text(encoding="utf-8")
    tree = tmp_path / "repo"
    tree.mkdir()
    for name in ("utf16le-nobom", "utf32le-nobom", "utf8"):
        hostile = base64.b64encode(_payload(fifo, name)).decode("ascii")
        body = re.sub(
            r"<Configuration>[^<]*</Configuration>",
            f"<Configuration>{hostile}</Configuration>",
            source,
        )
        (tree / f"export-{name}.xml").write_text(body, encoding="utf-8")
    result = run_cli("lint", tree, "--format", "json", cwd=tmp_path, timeout=60)
    assert not result.timed_out, "the embedded configuration reached the FIFO"
    result.assert_clean_exit(1)
    messages = sorted(f["message"] for f in input_errors(result))
    assert len(messages) == 3, messages
    assert sum(DOCTYPE in m for m in messages) == 2
    assert sum(UNSUPPORTED in m for m in messages) == 1


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (b"<a/>", "utf-8"),
        (b"\xef\xbb\xbf<a/>", "utf-8"),
        (b'<?xml version="1.0" encoding="utf-16"?><a/>', "utf-8"),
        ('<?xml version="1.0" encoding="utf-16"?><a/>'.encode("utf-16-le"), "utf-16-le"),
        ('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe" + "<a/>".encode("utf-16-le"), "utf-16-le"),
        (b'<?xml version="1.0" encoding="US-ASCII"?><a/>', "utf-8"),
    ],
)
def test_the_encodings_real_files_use_are_read(data: bytes, codec: str) -> None:
    assert detect(data).codec == codec
    assert parse_xml(data).root.tag == "a"


def test_utf16_with_a_broken_surrogate_is_an_input_error_with_its_line() -> None:
    data = (
        b"\xff\xfe" + "<a>\n<b>".encode("utf-16-le") + b"\x00\xd8" + "</b></a>".encode("utf-16-le")
    )
    with pytest.raises(InputError) as caught:
        parse_xml(data)
    assert caught.value.line == 2
    assert "UTF-16-LE" in caught.value.reason
