"""Which bytes csmlint reads as XML: UTF-8 and UTF-16 (with or without a BOM), nothing else.

libxml2 detects encodings on its own (UTF-32, UCS-4, EBCDIC, any ``encoding=`` it knows):
every one it reads that csmlint does not would be a document whose DOCTYPE csmlint never
saw. So the encoding is decided here, before parsing, and the parser is only ever given
UTF-8 bytes with the encoding forced: what csmlint checked is what libxml2 reads.
"""

from __future__ import annotations

import re

from csmlint.errors import InputError
from csmlint.records import record

_ENCODING_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_UTF8_NAMES = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_UTF16_NAMES = frozenset({"utf-16", "utf16", "unicode", "ucs-2", "utf-16le", "utf-16be"})
_SAVE_AS = "save the file as UTF-8 or UTF-16"


@record(frozen=True)
class Encoding:
    """How a document's bytes are decoded: the codec and the length of its BOM."""

    codec: str
    bom: int

    @property
    def is_utf8(self) -> bool:
        return self.codec == "utf-8"


def _declared(data: bytes) -> str | None:
    m = _ENCODING_DECL.match(data[:200])
    return m.group(1).decode("ascii").lower() if m else None


def detect(data: bytes) -> Encoding:
    """The encoding of ``data``, or :class:`InputError` for one csmlint does not read."""
    head = data[:4]
    if head in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        raise InputError(f"UTF-32 is not supported: {_SAVE_AS}", line=1, column=1)
    if head == b"\x4c\x6f\xa7\x94":  # "<?xm" in EBCDIC
        raise InputError(f"EBCDIC is not supported: {_SAVE_AS}", line=1, column=1)
    if data.startswith(b"\xef\xbb\xbf"):
        return Encoding("utf-8", 3)
    if data.startswith(b"\xff\xfe"):
        return Encoding("utf-16-le", 2)
    if data.startswith(b"\xfe\xff"):
        return Encoding("utf-16-be", 2)
    if len(head) == 4 and (head[:3] == b"\x00\x00\x00" or head[1:] == b"\x00\x00\x00"):
        raise InputError(f"UTF-32 is not supported: {_SAVE_AS}", line=1, column=1)
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        return _bomless_utf16(data, "utf-16-be" if head[0] == 0 else "utf-16-le")
    declared = _declared(data)
    if declared is None or declared in _UTF8_NAMES:
        return Encoding("utf-8", 0)
    if declared in _UTF16_NAMES:
        # Visual Studio writes encoding="utf-16" into files it saves as UTF-8.
        return Encoding("utf-8", 0)
    raise InputError(f"encoding {declared!r} is not supported: {_SAVE_AS}", line=1, column=1)


def _bomless_utf16(data: bytes, codec: str) -> Encoding:
    """UTF-16 without a BOM is read only when its declaration says so (XML 1.0, F.1)."""
    declared = _declared(data[:400].decode(codec, errors="replace").encode("utf-8", "replace"))
    if declared in _UTF16_NAMES:
        return Encoding(codec, 0)
    raise InputError(
        "cannot detect the encoding: UTF-16 without a byte-order mark must declare "
        f'encoding="utf-16"; {_SAVE_AS} with a byte-order mark',
        line=1,
        column=1,
    )


def lenient_text(data: bytes) -> str:
    """The text of ``data`` for positions and sniffing; never raises (bad bytes replaced)."""
    try:
        enc = detect(data)
    except InputError:
        return data.decode("utf-8", errors="replace")
    return data[enc.bom :].decode(enc.codec, errors="replace")


def utf8_payload(data: bytes, enc: Encoding) -> bytes:
    """The bytes handed to libxml2: ``data`` as UTF-8 without a BOM.

    UTF-8 input is passed through (libxml2 reports its own invalid bytes); UTF-16 is
    decoded strictly, so a broken surrogate or a lone byte is an input error here.
    """
    body = data[enc.bom :]
    if enc.is_utf8:
        return body
    try:
        return body.decode(enc.codec).encode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = body[: exc.start].decode(enc.codec, errors="replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        raise InputError(
            f"not valid {enc.codec.upper()}: {exc.reason}", line=line, column=column
        ) from None
