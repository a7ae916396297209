"""Plain text, Markdown and HTML readers."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import ClassVar

from casework.documents.base import ReadOptions, extension_of
from casework.domain.document import Document, Page
from casework.errors import UnreadableDocument

_FALLBACKS = ("cp1252", "latin-1")
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
"""Byte order marks of the wide encodings, UTF-32 first (its LE mark starts like UTF-16's)."""
MAX_NUL_SHARE = 0.05
"""A text file with more NUL bytes than this share is binary (or BOM-less UTF-16): refused."""


def bom_encoding(data: bytes) -> str | None:
    """Return the UTF-16 or UTF-32 encoding a byte order mark at the start names, or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes, *, encoding: str = "utf-8") -> tuple[str, str | None]:
    """Decode ``data``, trying ``encoding`` first, then cp1252, then latin-1 (which never fails).

    A UTF-16 or UTF-32 byte order mark wins over ``encoding``: such a file decoded as
    cp1252 would read as letters between NULs, and no name in it would ever be found.
    Returns the text and a warning when a fallback was used. Nothing is stripped or
    normalised: a byte order mark stays as U+FEFF and ``\\r\\n`` stays, because
    offsets into a text file are a public contract.
    """
    wide = bom_encoding(data)
    if wide is not None:
        try:
            return data.decode(wide), None
        except UnicodeDecodeError:
            return data.decode(wide, errors="replace"), f"not valid {wide}; bad bytes replaced"
    try:
        return data.decode(encoding), None
    except (ValueError, LookupError):  # bad bytes, or a charset name like "utf-8\0"
        pass
    for fallback in _FALLBACKS:
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        return text, f"not valid {encoding}; decoded as {fallback}"
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _looks_textual(head: bytes) -> bool:
    """Say whether ``head`` looks like text: no NUL bytes and valid UTF-8 (allowing a cut tail)."""
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut by the end of the head
    return True


class TextReader:
    """Read a text or Markdown file: its text is the file decoded as UTF-8, unchanged."""

    NAME: ClassVar[str] = "text"
    EXTENSIONS: ClassVar[frozenset[str]] = frozenset({".txt", ".md", ".markdown", ".text", ".log"})

    def bid(self, head: bytes, name: str) -> float:
        ext = extension_of(name)
        if ext in self.EXTENSIONS:
            # Below a reader that recognises its magic bytes: a PDF saved as .txt is a PDF.
            return 0.9 if b"\x00" not in head or bom_encoding(head) else 0.3
        # A file without an extension (README, a statement saved by hand) is read as text if
        # it looks like text; an unknown extension is not guessed at.
        if not ext and (bom_encoding(head) is not None or _looks_textual(head)):
            return 0.1
        return 0.0

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]:
        if bom_encoding(data) is None and data.count(b"\x00") > MAX_NUL_SHARE * len(data):
            raise UnreadableDocument(
                source, "not text: the file is mostly NUL bytes (binary, or UTF-16 without "
                "a byte order mark); save it as UTF-8 and try again"
            )
        text, warning = decode_text(data)
        fmt = "markdown" if extension_of(source) in {".md", ".markdown"} else "text"
        return [
            Document(
                source=source,
                format=fmt,
                text=text,
                pages=(Page(1, 0, len(text)),),
                data=data,
                warnings=(warning,) if warning else (),
            )
        ]


_DROP = frozenset({"script", "style", "noscript", "template", "head", "svg", "object", "iframe"})
_KEEP_IN_HEAD = frozenset({"title"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul", "title",
        "caption", "tbody", "thead", "tfoot",
    }
)
_CELL = frozenset({"td", "th"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class _VisibleText(HTMLParser):
    """Collect the text a browser would show: scripts and styles dropped, blocks on new lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._stack: list[str] = []
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and not self._hidden:
                self.parts.append("\n")
            return
        self._stack.append(tag)
        if tag in _DROP:
            self._hidden += 1
        elif tag in _KEEP_IN_HEAD and self._hidden:
            self._hidden -= 1
            self._stack[-1] = "title!"  # remember that we lifted the head's hiding
        if tag == "pre":
            self._pre += 1
        self._break(tag)
        if tag in _CELL and not self._hidden:
            self.parts.append("\t")  # cells start with a tab; the line is trimmed later

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            if open_tag == "title!":
                self._hidden += 1
                self._break("title")
            elif open_tag in _DROP:
                self._hidden -= 1
            else:
                self._break(open_tag)
            if open_tag == "pre":
                self._pre -= 1
            if open_tag.rstrip("!") == tag:
                break

    def _break(self, tag: str) -> None:
        if self._hidden:
            return
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.parts.append(data if self._pre else _SPACES.sub(" ", data))


def html_to_text(markup: str) -> str:
    """Return the visible text of an HTML document, one block per line."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    lines = (line.strip(" \t") for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line.strip())
    return re.sub(r" *\t *", "\t", text)


def _html_encoding(data: bytes) -> str:
    """Find the encoding an HTML file declares (BOM, then ``<meta charset>``), else UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    wide = bom_encoding(data)
    if wide is not None:
        return wide
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else "utf-8"


class HtmlReader:
    """Read an HTML page as its visible text (scripts, styles and the head dropped, title kept)."""

    NAME: ClassVar[str] = "html"
    EXTENSIONS: ClassVar[frozenset[str]] = frozenset({".html", ".htm", ".xhtml"})

    def bid(self, head: bytes, name: str) -> float:
        if extension_of(name) in self.EXTENSIONS:
            return 0.9
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return 0.8
        return 0.0

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]:
        markup, warning = decode_text(data, encoding=_html_encoding(data))
        text = html_to_text(markup)
        return [
            Document(
                source=source,
                format="html",
                text=text,
                pages=(Page(1, 0, len(text)),),
                data=data,
                warnings=(warning,) if warning else (),
            )
        ]

