"""Locator: element -> SourceRef, for plain files and for documents embedded in exports."""

from __future__ import annotations

from csmlint.model.location import SourceRef
from csmlint.parsing.xmlsafe import XmlDocument, XmlElement


class Locator:
    """Maps elements of one parsed document to :class:`SourceRef` values.

    For a document embedded in another file (the base64 ``.cscfg`` of an ASM export) every
    location is the outer element's, with the inner line kept as ``embedded_line``.
    """

    def __init__(self, doc: XmlDocument, path: str, outer: SourceRef | None = None):
        self.doc = doc
        self.path = path
        self.outer = outer

    def __call__(self, el: XmlElement) -> SourceRef:
        line, column = self.doc.position(el)
        if self.outer is not None:
            return SourceRef(
                self.outer.path, self.outer.line, self.outer.column, self.outer.pointer, line
            )
        return SourceRef(self.path, line, column)
