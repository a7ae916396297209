"""Document readers: turn PDF, Word, text, HTML, e-mail, Outlook and ZIP files into Documents.

Read a file with ``read_file``, bytes with ``read_bytes``, a set of files and folders with
``iter_documents`` (failures are yielded, never raised). Readers bid for each file; add
your own to a ``ReaderRegistry``.
"""

from __future__ import annotations

from casework.documents.base import (
    ContainerReader,
    Member,
    Reader,
    ReadFailure,
    ReadOptions,
)
from casework.documents.bundle import ZipReader
from casework.documents.mail import EmlReader
from casework.documents.msg import MsgReader
from casework.documents.office import DocxReader
from casework.documents.pdf import (
    PAGE_SEPARATOR,
    OcrEngine,
    OcrWord,
    PdfReader,
    TesseractOcr,
    pdf_span_rects,
)
from casework.documents.registry import (
    ReaderRegistry,
    collect_files,
    default_readers,
    iter_documents,
    iter_entries,
    read_bytes,
    read_file,
)
from casework.documents.text import HtmlReader, TextReader, html_to_text

__all__ = [
    "PAGE_SEPARATOR",
    "ContainerReader",
    "DocxReader",
    "EmlReader",
    "HtmlReader",
    "Member",
    "MsgReader",
    "OcrEngine",
    "OcrWord",
    "PdfReader",
    "ReadFailure",
    "ReadOptions",
    "Reader",
    "ReaderRegistry",
    "TesseractOcr",
    "TextReader",
    "ZipReader",
    "collect_files",
    "default_readers",
    "html_to_text",
    "iter_documents",
    "iter_entries",
    "pdf_span_rects",
    "read_bytes",
    "read_file",
]
