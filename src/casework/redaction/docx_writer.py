"""Write a redacted DOCX: placeholders at the plan's offsets, personal metadata and comments gone.

Works on the package itself (every XML part of the ZIP, through lxml, which keeps the
namespace prefixes Word's ``mc:Ignorable`` relies on). The text is laid out by
``docx_layout``, the reader's own code, so each planned span maps to the nodes that hold
its characters (a name split over several runs, a non-breaking hyphen, a table cell): the
placeholder goes into the node where the span begins and the rest of the span is removed.
Replacing by offset means a removed mention is removed even when a kept one reads the same.

Text the layout does not cover (field codes, settings, bound custom XML) is replaced by
value as a safety net, and the verifier reads every part back. Parts that cannot be
redacted are dropped when they hold no content of the document (comments, people, custom
properties, thumbnails, embedded fonts, macros, printer settings, building blocks), and
refused when they would be content lost (embedded files, altChunk imports, ActiveX): the
officer must save such an object separately and take it out of the document.
"""

from __future__ import annotations

import io
import zipfile
from bisect import bisect_left
from typing import Any

from lxml import etree

from casework.documents.docx_layout import (
    XML_SPACE,
    XML_SUFFIXES,
    Layout,
    Package,
    Piece,
    R,
    T,
    W,
    docx_layout,
)
from casework.errors import UnreadableDocument
from casework.redaction.images import strip_image_metadata
from casework.redaction.matching import ValueMatcher
from casework.redaction.plan import RedactionPlan

CORE_PROPERTIES = "docprops/core.xml"
APP_PROPERTIES = "docprops/app.xml"
CONTENT_TYPES = "[content_types].xml"

DROPPED_RELATIONSHIPS = frozenset(
    {"comments", "commentsExtended", "commentsIds", "commentsExtensible", "people",
     "custom-properties", "thumbnail", "font", "vbaProject", "printerSettings",
     "glossaryDocument", "keyMapCustomizations", "attachedToolbars"}
)
"""Relationship types (last path segment) whose parts are dropped: no document content."""

DROPPED_PARTS = frozenset(
    {"word/people.xml", "docprops/custom.xml", "word/vbadata.xml", "word/vbaproject.bin"}
)
"""Parts dropped by name (lower case) in case no relationship points at them."""

_DROPPED_PREFIXES = ("docprops/thumbnail", "word/fonts/", "word/glossary/",
                     "word/printersettings/")
_DROPPED_COMMENT_SUFFIXES = ("comments.xml", "commentsextended.xml", "commentsids.xml",
                             "commentsextensible.xml")

REFUSED_RELATIONSHIPS = frozenset({"aFChunk", "oleObject", "package", "control"})
"""Relationship types whose parts are content that cannot be redacted: refuse the document."""

_REFUSED_PREFIXES = ("word/embeddings/", "word/activex/")

_DROPPED_ELEMENTS = tuple(
    f"{{{W}}}{name}"
    for name in ("commentRangeStart", "commentRangeEnd", "commentReference", "del", "delText",
                 "dataBinding", "docVars", "attachedTemplate")
)
"""Comment anchors, tracked deletions (deleted text is still in the file), data bindings
(Word refills a bound control from custom XML), document variables, the template path."""

_PEOPLE_ATTRIBUTES = (f"{{{W}}}author", f"{{{W}}}initials")
ANONYMOUS_AUTHOR = "Author"
"""What Word's own "remove personal information" writes in place of an author's name."""

_APP_DROPPED = ("Company", "Manager", "HyperlinkBase", "TitlesOfParts", "HeadingPairs")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def _serialise(root: Any) -> bytes:
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return result


def _kind(rel_type: str) -> str:
    return rel_type.rsplit("/", 1)[-1]


def is_xml_part(name: str) -> bool:
    """Say whether a part is XML by its name, whatever the case of its suffix."""
    return name.lower().endswith(XML_SUFFIXES)


def dropped_part(name: str) -> bool:
    """Say whether a part is dropped by name (lower-cased comparison)."""
    low = name.lower()
    return (
        low in DROPPED_PARTS
        or low.startswith(_DROPPED_PREFIXES)
        or (low.startswith("word/") and low.endswith(_DROPPED_COMMENT_SUFFIXES))
    )


def refused_part(name: str) -> bool:
    """Say whether a part is content this writer cannot redact (an embedded file)."""
    return name.lower().startswith(_REFUSED_PREFIXES)


def _rels_owner(rels_name: str) -> str:
    """Return the part a ``.rels`` part belongs to ("" for the package's own)."""
    folder, _, base = rels_name.rpartition("/")
    owner_folder = folder.rpartition("/")[0] if folder.endswith("_rels") else folder
    owner = base[: -len(".rels")]
    return f"{owner_folder}/{owner}" if owner_folder else owner


def _triage(package: Package) -> tuple[set[str], dict[str, set[str]]]:
    """Return the parts to drop (lower case) and, per owner part, the relationship ids to drop.

    External relationships (an attached template's path, a linked file, a web link) are
    dropped too: their targets name people's folders and accounts. Raises
    ``UnreadableDocument`` for a part that is content but cannot be redacted.
    """
    dropped: set[str] = set()
    refused: list[str] = []
    owners = [_rels_owner(i.filename) for i in package.infos
              if i.filename.lower().endswith(".rels")]
    for info in package.infos:
        if dropped_part(info.filename):
            dropped.add(info.filename.lower())
        elif refused_part(info.filename):
            refused.append(info.filename)
    for owner in owners:
        for rel in package.relationships(owner):
            kind = _kind(rel.type)
            if rel.external:
                continue
            if kind in DROPPED_RELATIONSHIPS:
                dropped.add(rel.target.lower())
            elif kind in REFUSED_RELATIONSHIPS:
                refused.append(rel.target)
    if refused:
        raise UnreadableDocument(
            package.source,
            f"the document holds an embedded object or imported file ({sorted(set(refused))[0]})"
            " that cannot be redacted; save it separately, remove it from the document and "
            "redact both",
        )
    for part in list(dropped):  # a dropped part's own relationships go with it
        folder, _, base = part.rpartition("/")
        dropped.add(f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
    ids: dict[str, set[str]] = {}
    for owner in owners:
        for rel in package.relationships(owner):
            if rel.external or rel.target.lower() in dropped:
                ids.setdefault(owner.lower(), set()).add(rel.id)
    return dropped, ids


Edits = dict[int, tuple[Piece, list[tuple[int, int, str]]]]


def _edits(layout: Layout, plan: RedactionPlan) -> Edits:
    """Map each piece a planned span touches to its (start, end, replacement) edits.

    The placeholder goes into the first piece the span touches (in each repeat of a
    header line), and the span's characters in later pieces are removed. An empty piece (a
    soft hyphen) strictly inside a span is removed.
    """
    placed = sorted(layout.placed, key=lambda item: item[0])
    starts = [offset for offset, _, _ in placed]
    longest = max((len(piece.text) for _, piece, _ in placed), default=0)
    edits: Edits = {}
    for r in plan.redactions:
        given: set[int] = set()
        i = bisect_left(starts, r.start - longest)
        while i < len(placed) and starts[i] < r.end:
            offset, piece, copy = placed[i]
            i += 1
            end = offset + len(piece.text)
            if not piece.text:
                if r.start < offset < r.end:
                    edits.setdefault(id(piece), (piece, []))[1].append((0, 0, ""))
                continue
            if end <= r.start:
                continue
            local = (max(r.start, offset) - offset, min(r.end, end) - offset)
            replacement = "" if copy in given else r.placeholder
            given.add(copy)
            edits.setdefault(id(piece), (piece, []))[1].append((*local, replacement))
    return edits


def _apply(piece: Piece, edits: list[tuple[int, int, str]]) -> None:
    text = piece.text
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + replacement + text[end:]
    if text == piece.text and piece.text:
        return
    node = piece.node
    if piece.attr is not None:
        node.set(piece.attr, text)
    elif node.tag == T:
        node.text = text
        node.set(XML_SPACE, "preserve")
    else:  # an inline character (tab, break, hyphen): remove it, or turn it into text
        parent = node.getparent()
        if parent is None:
            return
        if text:
            replacement = etree.Element(T)
            replacement.text = text
            replacement.set(XML_SPACE, "preserve")
            replacement.tail = node.tail
            parent.replace(node, replacement)
        else:
            tail = node.tail
            previous = node.getprevious()
            parent.remove(node)
            if tail:
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail


def _apply_plan(layout: Layout, plan: RedactionPlan) -> set[int]:
    """Carry out the plan's spans on the package's trees; return the ids of the pieces' nodes."""
    for piece, edits in _edits(layout, plan).values():
        _apply(piece, edits)
    return {id(piece.node) for _, piece, _ in layout.placed if piece.attr is None}


def _scrub(root: Any, matcher: ValueMatcher, mapped: set[int]) -> None:
    """Replace removed values in text the layout does not cover (fields, attributes, data)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text and id(element) not in mapped:
            element.text = matcher.replace(element.text)
        if element.tail:
            element.tail = matcher.replace(element.tail)
        for key, value in element.attrib.items():
            replaced = matcher.replace(value)
            if replaced != value:
                element.set(key, replaced)


def _anonymise(root: Any) -> None:
    """Remove who-did-what: tracked-change authors become "Author", initials go."""
    author, initials = _PEOPLE_ATTRIBUTES
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if author in element.attrib:
            element.set(author, ANONYMOUS_AUTHOR)
        if initials in element.attrib:
            del element.attrib[initials]


def _drop_elements(root: Any) -> None:
    for element in list(root.iter(*_DROPPED_ELEMENTS)):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


def _drop_references(root: Any, ids: set[str]) -> None:
    """Remove ``r:`` attributes naming a dropped relationship (an external link, a comment)."""
    if not ids:
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for key, value in list(element.attrib.items()):
            if key.startswith(f"{{{R}}}") and value in ids:
                del element.attrib[key]


def _empty_core(root: Any) -> None:
    for child in list(root):
        root.remove(child)


def _clean_app(root: Any) -> None:
    for child in list(root):
        if isinstance(child.tag, str) and etree.QName(child).localname in _APP_DROPPED:
            root.remove(child)


def _clean_rels(root: Any, ids: set[str]) -> None:
    for rel in list(root):
        if isinstance(rel.tag, str) and rel.get("Id") in ids:
            root.remove(rel)


def _clean_content_types(root: Any, dropped: set[str]) -> None:
    for override in list(root):
        if override.get("PartName", "").lstrip("/").lower() in dropped:
            root.remove(override)


def redacted_docx(plan: RedactionPlan) -> bytes:
    """Return the DOCX of ``plan.document`` with the plan carried out and metadata removed."""
    document = plan.document
    package = Package(document.data, document.source)
    dropped, rel_ids = _triage(package)
    layout = docx_layout(package)
    if layout.text != document.text:
        raise UnreadableDocument(
            document.source, "the document reads differently now than when it was read"
        )
    mapped = _apply_plan(layout, plan)
    matcher = ValueMatcher(plan)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in package.infos:
            name = info.filename
            low = name.lower()
            if low in dropped:
                continue
            if is_xml_part(name):
                root = package.xml(name)
                if low == CORE_PROPERTIES:
                    _empty_core(root)
                elif low == APP_PROPERTIES:
                    _clean_app(root)
                elif low == CONTENT_TYPES:
                    _clean_content_types(root, dropped)
                elif low.endswith(".rels"):
                    _clean_rels(root, rel_ids.get(_rels_owner(low), set()))
                else:
                    _drop_elements(root)
                    _drop_references(root, rel_ids.get(low, set()))
                    _anonymise(root)
                if matcher:
                    _scrub(root, matcher, mapped)
                data = _serialise(root)
            else:
                data = strip_image_metadata(package.read(name), name, document.source)
            target.writestr(_stamped(info), data)
    return out.getvalue()


def _stamped(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """Copy a member's name with a fixed date: a modification time says when someone edited it."""
    fresh = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
    fresh.compress_type = zipfile.ZIP_DEFLATED
    return fresh
