"""The text of a Word package as the reader sees it, every character traced to its XML node.

The reader, the redaction writer and the verifier all build a DOCX's text through this
module, so a name is read, replaced and checked as exactly the same characters: a
non-breaking hyphen, a tab or a break inside a name is the same character for all three.
Each piece of text remembers the node (a ``w:t``, a ``w:tab``, an alt-text attribute) it
came from, so a writer can replace the characters at the plan's offsets instead of
searching for values.

What is read, in order: every paragraph of the body (inside content controls, tables and
text boxes too), then after a blank line the headers and footers (a line repeated in
several sections is read once), footnotes, endnotes, and the alt text of pictures.
Part names are compared without regard to case, as the OPC standard says they must be.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from casework.errors import UnreadableDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
XML_SUFFIXES = (".xml", ".rels", ".vml")


def w(name: str) -> str:
    """Return the Clark name of a WordprocessingML element (``{ns}p``)."""
    return f"{{{W}}}{name}"


P, TBL, TR, TC, T = w("p"), w("tbl"), w("tr"), w("tc"), w("t")
TXBX_CONTENT = w("txbxContent")
SECT_PR = w("sectPr")
INLINE_TEXT = {
    w("tab"): "\t",
    w("ptab"): "\t",
    w("br"): "\n",
    w("cr"): "\n",
    w("noBreakHyphen"): "-",
    w("softHyphen"): "",
}
"""Elements that stand for a character of text; a soft hyphen is invisible mid-line."""

_NOT_CONTENT = frozenset(
    {SECT_PR, w("sdtPr"), w("sdtEndPr"), w("del"), w("moveFrom"), w("pPr"), w("rPr"),
     w("tblPr"), w("trPr"), w("tcPr"), w("customXmlPr")}
)
"""Wrappers not descended into when looking for blocks: properties and deleted text."""

_ALT_TEXT = {
    "docPr": ("descr", "title"),
    "cNvPr": ("descr", "title"),
    "shape": ("alt",),
    "imagedata": ("{urn:schemas-microsoft-com:office:office}title",),
}
"""Attributes holding a picture's alternative text, by element local name."""

_HEADER_REFS = (
    ("headerReference", "default"), ("footerReference", "default"),
    ("headerReference", "first"), ("footerReference", "first"),
    ("headerReference", "even"), ("footerReference", "even"),
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(slots=True, eq=False)
class Piece:
    """A run of characters and where it lives: a node's text, an inline node, or an attribute."""

    node: Any
    text: str
    attr: str | None = None

    @property
    def inline(self) -> bool:
        """Whether the piece is a node standing for a character (``w:tab``), not text."""
        return self.attr is None and self.node.tag != T


def paragraph_pieces(paragraph: Any) -> list[Piece]:
    """Return the text pieces of one paragraph, not those of a paragraph nested in it.

    The one definition of a paragraph's text: every ``w:t`` in order, with the characters
    of ``INLINE_TEXT`` elements; deleted text (``w:delText``) and text boxes (their own
    paragraphs) are not part of it.
    """
    pieces: list[Piece] = []
    for node in paragraph.iter(T, *INLINE_TEXT):
        owner = next(node.iterancestors(P), None)
        if owner is not paragraph:
            continue
        text = (node.text or "") if node.tag == T else INLINE_TEXT[node.tag]
        pieces.append(Piece(node, text))
    return pieces


def paragraph_text(paragraph: Any) -> str:
    """Return a paragraph's text as reader, writer and verifier all see it."""
    return "".join(p.text for p in paragraph_pieces(paragraph))


@dataclass(slots=True)
class Line:
    """One line of the document's text with the offset of each piece in it."""

    pieces: list[tuple[int, Piece]] = field(default_factory=list)
    text: str = ""

    def add(self, pieces: Iterable[Piece]) -> None:
        for piece in pieces:
            self.pieces.append((len(self.text), piece))
            self.text += piece.text

    def separate(self, text: str) -> None:
        self.text += text


def _blocks(container: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """Yield the elements of ``tags`` in a container, through content controls and wrappers."""
    for child in container:
        if not isinstance(child.tag, str):
            continue
        if child.tag in tags:
            yield child
        elif child.tag not in _NOT_CONTENT and child.tag not in (P, TBL):
            yield from _blocks(child, tags)


def _textbox_lines(paragraph: Any, out: list[Line]) -> None:
    for box in paragraph.iter(TXBX_CONTENT):
        if next(box.iterancestors(P), None) is paragraph:
            block_lines(box, out)


def block_lines(container: Any, out: list[Line]) -> None:
    """Append one line per paragraph and one per table row (cells joined by tabs), in order."""
    for item in _blocks(container, (P, TBL)):
        if item.tag == P:
            line = Line()
            line.add(paragraph_pieces(item))
            out.append(line)
            _textbox_lines(item, out)
        else:
            _table_lines(item, out)


def _table_lines(table: Any, out: list[Line]) -> None:
    """Append a table row by row; nested tables and text boxes follow their row."""
    for row in _blocks(table, (TR,)):
        line = Line()
        later: list[Line] = []
        for index, cell in enumerate(_blocks(row, (TC,))):
            if index:
                line.separate("\t")
            first = True
            for item in _blocks(cell, (P, TBL)):
                if item.tag == TBL:
                    _table_lines(item, later)
                    continue
                pieces = paragraph_pieces(item)
                if "".join(p.text for p in pieces):
                    if not first:
                        line.separate(" ")
                    line.add(pieces)
                    first = False
                _textbox_lines(item, later)
        out.append(line)
        out.extend(later)


def alt_text_lines(root: Any, out: list[Line]) -> None:
    """Append a line for each picture's alternative text (description and title)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        names = _ALT_TEXT.get(etree.QName(element).localname)
        for name in names or ():
            value = element.get(name)
            if value and value.strip():
                line = Line()
                line.add([Piece(element, value, attr=name)])
                out.append(line)


@dataclass(frozen=True, slots=True)
class Relationship:
    """One relationship of a part: its id, type, resolved target part and whether external."""

    id: str
    type: str
    target: str
    external: bool


class Package:
    """A Word package opened for reading: its parts by case-insensitive name, parsed once."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnreadableDocument(source, f"not a readable Word document ({exc})") from exc
        self.infos = [i for i in infos if not i.is_dir()]
        self._names: dict[str, str] = {}
        for info in self.infos:
            key = info.filename.lower()
            if key in self._names:
                raise UnreadableDocument(
                    source, f"not a readable Word document (two parts named {info.filename!r})"
                )
            self._names[key] = info.filename
        self._trees: dict[str, Any] = {}

    def name(self, part: str) -> str | None:
        """Return the stored name of ``part`` (any case), or None if there is no such part."""
        return self._names.get(part.lstrip("/").lower())

    def read(self, part: str) -> bytes:
        name = self.name(part)
        if name is None:
            raise KeyError(part)
        try:
            return self.zip.read(name)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise UnreadableDocument(self.source, f"the part {name} cannot be unpacked") from exc

    def xml(self, part: str) -> Any:
        """Return the parsed root of an XML part, parsed once and shared (writers edit it)."""
        name = self.name(part)
        if name is None:
            raise KeyError(part)
        if name not in self._trees:
            try:
                root = etree.fromstring(self.read(name), parser=_PARSER)
            except etree.XMLSyntaxError as exc:
                raise UnreadableDocument(self.source, f"bad XML in {name} ({exc})") from exc
            if root.getroottree().docinfo.internalDTD is not None:
                # Office files never declare a DTD; entities in one could hide text from
                # the reader and the redaction while another program shows it.
                raise UnreadableDocument(
                    self.source, f"{name} declares a DTD (entities), which Word files never do"
                )
            self._trees[name] = root
        return self._trees[name]

    def relationships(self, part: str) -> list[Relationship]:
        """Return the relationships of ``part`` ("" for the package's own)."""
        folder, base = posixpath.split(part.lstrip("/"))
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if self.name(rels) is None:
            return []
        found: list[Relationship] = []
        for rel in self.xml(rels):
            if not isinstance(rel.tag, str):
                continue
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = (
                    target.lstrip("/") if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
            found.append(Relationship(rel.get("Id", ""), rel.get("Type", ""), target, external))
        return found

    def main_part(self) -> str:
        """Return the name of the main document part, found through the package relationships."""
        for rel in self.relationships(""):
            if rel.type.endswith("/officeDocument") and not rel.external:
                name = self.name(rel.target)
                if name is not None:
                    return name
        raise UnreadableDocument(self.source, "not a readable Word document (no main part)")


@dataclass(slots=True)
class Layout:
    """A package's text and, for each piece, its absolute offset in that text.

    ``placed`` holds (offset, piece, copy): copy is 0, or a number of its own for each
    repeat of a header line that the text holds once (its pieces share the first's offsets).
    """

    text: str
    placed: list[tuple[int, Piece, int]]
    parts: list[str]


def _related(package: Package, part: str, kind: str) -> list[str]:
    names = []
    for rel in package.relationships(part):
        if not rel.external and rel.type == REL_TYPES + kind:
            name = package.name(rel.target)
            if name is not None:
                names.append(name)
    return names


def _header_parts(package: Package, main: str, root: Any) -> list[str]:
    """Return header and footer parts in section order (as Word shows them), then any others."""
    by_id = {r.id: r.target for r in package.relationships(main) if not r.external}
    ordered: list[str] = []
    for sect in root.iter(SECT_PR):
        for tag, kind in _HEADER_REFS:
            for ref in sect.findall(w(tag)):
                if ref.get(w("type"), "default") != kind:
                    continue
                name = package.name(by_id.get(ref.get(f"{{{R}}}id", ""), ""))
                if name is not None and name not in ordered:
                    ordered.append(name)
    for kind in ("header", "footer"):
        ordered.extend(n for n in _related(package, main, kind) if n not in ordered)
    return ordered


def docx_layout(package: Package) -> Layout:
    """Return the text of a Word package with every piece placed at its offset."""
    main = package.main_part()
    root = package.xml(main)
    body = root.find(w("body"))
    lines: list[Line] = []
    block_lines(body if body is not None else root, lines)
    placed: list[tuple[int, Piece, int]] = []
    cursor = 0
    for index, line in enumerate(lines):
        if index:
            cursor += 1
        placed.extend((cursor + offset, piece, 0) for offset, piece in line.pieces)
        cursor += len(line.text)
    text = "\n".join(line.text for line in lines)

    extra: list[tuple[Line, bool]] = []  # (line, read once even if repeated)
    parts = [main]
    for name in _header_parts(package, main, root):
        found: list[Line] = []
        block_lines(package.xml(name), found)
        extra.extend((line, True) for line in found)
        parts.append(name)
    for kind in ("footnotes", "endnotes"):
        for name in _related(package, main, kind):
            found = []
            block_lines(package.xml(name), found)
            extra.extend((line, False) for line in found)
            parts.append(name)
    for name in parts:
        found = []
        alt_text_lines(package.xml(name), found)
        extra.extend((line, False) for line in found)

    seen: dict[str, int] = {}
    written: list[str] = []
    cursor = len(text) + 2
    copies = 0
    for line, once in extra:
        if not line.text.strip():
            continue
        start = seen.get(line.text) if once else None
        copy = 0
        if start is not None:
            copies += 1
            copy = copies
        else:
            if written:
                cursor += 1
            start = cursor
            if once:
                seen[line.text] = start
            written.append(line.text)
            cursor += len(line.text)
        placed.extend((start + offset, piece, copy) for offset, piece in line.pieces)
    if written:
        text += "\n\n" + "\n".join(written)
    return Layout(text=text, placed=placed, parts=parts)
