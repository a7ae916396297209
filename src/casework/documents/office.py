"""Word (DOCX) reader: the body in order, then headers, footers, notes and alt text.

The text is built by ``docx_layout``, the same code the redaction writer and verifier use,
so what is read is exactly what gets redacted and checked.
"""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from casework.documents.base import ReadOptions, extension_of
from casework.documents.docx_layout import Package, docx_layout, paragraph_text
from casework.domain.document import Document, Page
from casework.errors import UnreadableDocument

__all__ = ["DocxReader", "paragraph_text"]

_CORE = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "author": "{http://purl.org/dc/elements/1.1/}creator",
}


def _core_properties(package: Package) -> dict[str, str]:
    """Return the title and author of the core properties, where set."""
    if package.name("docProps/core.xml") is None:
        return {}
    try:
        root = package.xml("docProps/core.xml")
    except UnreadableDocument:
        return {}
    found: dict[str, str] = {}
    for key, tag in _CORE.items():
        element = root.find(tag)
        if element is not None and element.text and element.text.strip():
            found[key] = element.text
    return found


class DocxReader:
    """Read a Word document as lines: the body first, then headers, footers, notes, alt text.

    Each paragraph is a line; each table row is a line with a tab between cells. The rest
    follows the body after a blank line, so body offsets do not move when it changes.
    """

    NAME: ClassVar[str] = "docx"
    EXTENSIONS: ClassVar[frozenset[str]] = frozenset({".docx", ".docm", ".dotx"})

    def bid(self, head: bytes, name: str) -> float:
        zipped = head.startswith(b"PK\x03\x04")
        if extension_of(name) in self.EXTENSIONS:
            return 1.0 if zipped else 0.4
        if zipped and b"word/" in head:
            return 0.8
        return 0.0

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]:
        try:
            package = Package(data, source)
            layout = docx_layout(package)
        except UnreadableDocument:
            raise
        except (KeyError, ValueError, etree.LxmlError) as exc:
            raise UnreadableDocument(source, f"not a readable Word document ({exc})") from exc
        text = layout.text
        return [
            Document(
                source=source,
                format="docx",
                text=text,
                pages=(Page(1, 0, len(text)),),
                data=data,
                metadata=_core_properties(package),
            )
        ]
