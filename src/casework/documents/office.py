"""Word (DOCX) reader: body paragraphs and tables in order, then headers and footers."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any, ClassVar

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table

from casework.documents.base import ReadOptions, extension_of
from casework.domain.document import Document, Page
from casework.errors import UnreadableDocument

_P = qn("w:p")
_TBL = qn("w:tbl")
_T = qn("w:t")
_TAB = qn("w:tab")
_BR = qn("w:br")
_CR = qn("w:cr")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_PTAB = qn("w:ptab")
_INLINE = {_TAB: "\t", _PTAB: "\t", _BR: "\n", _CR: "\n", _NO_BREAK_HYPHEN: "-"}


def paragraph_text(element: Any) -> str:
    """Return a paragraph's text: every ``w:t`` in order, tabs as ``\t``, breaks as ``\n``.

    Written over lxml rather than python-docx's ``Paragraph.text`` because that runs an
    XPath query per paragraph and per run (most of the reading time of a long statement),
    and it skips tracked insertions, which are visible text that may need redacting.
    Deleted text (``w:delText``) is not read.
    """
    parts: list[str] = []
    for node in element.iter(_T, _TAB, _PTAB, _BR, _CR, _NO_BREAK_HYPHEN):
        if node.tag == _T:
            parts.append(node.text or "")
        else:
            parts.append(_INLINE[node.tag])
    return "".join(parts)


def _blocks(parent: Any, container: Any) -> Iterator[str]:
    """Yield one line per paragraph and one per table row (cells joined by tabs), in order."""
    for child in container.iterchildren(_P, _TBL):
        if child.tag == _P:
            yield paragraph_text(child)
        else:
            yield from _table_lines(Table(child, parent))


def _table_lines(table: Table) -> Iterator[str]:
    """Yield a table row by row; a merged cell is read once, nested tables become lines."""
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        nested: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            lines = list(_blocks(cell, cell._tc))
            cells.append(" ".join(line for line in lines if line))
            for inner in cell.tables:
                nested.extend(_table_lines(inner))
        yield "\t".join(cells)
        yield from nested


def _headers_and_footers(document: DocxDocument) -> list[str]:
    """Return the distinct header and footer lines of every section."""
    lines: list[str] = []
    seen: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header,
                     section.even_page_footer):
            if part.is_linked_to_previous:
                continue
            for line in _blocks(part, part._element):
                if line.strip() and line not in seen:
                    seen.add(line)
                    lines.append(line)
    return lines


class DocxReader:
    """Read a Word document as lines: the body first, then headers and footers.

    Each paragraph is a line; each table row is a line with a tab between cells. Headers and
    footers follow the body after a blank line, so body offsets do not move when they change.
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
            document = docx.Document(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise UnreadableDocument(source, f"not a readable Word document ({exc})") from exc
        except Exception as exc:  # python-docx and lxml raise their own types for a bad package
            raise UnreadableDocument(source, f"not a readable Word document ({exc})") from exc
        lines = list(_blocks(document, document.element.body))
        extra = _headers_and_footers(document)
        text = "\n".join(lines)
        if extra:
            text += "\n\n" + "\n".join(extra)
        props = document.core_properties
        metadata = {
            key: value
            for key, value in (("title", props.title), ("author", props.author))
            if value
        }
        return [
            Document(
                source=source,
                format="docx",
                text=text,
                pages=(Page(1, 0, len(text)),),
                data=data,
                metadata=metadata,
            )
        ]
