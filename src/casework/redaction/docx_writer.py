"""Write a redacted DOCX: placeholders in the text, personal metadata and comments gone.

Works on the package itself (every XML part of the ZIP, through lxml, which keeps the
namespace prefixes Word's ``mc:Ignorable`` relies on) rather than on python-docx's
object model, which does not reach runs inside hyperlinks, tracked changes, text boxes,
footnotes or field codes. Word splits text into runs at any formatting or editing
boundary, so a name can start in one run and end in the next: each paragraph's runs are
joined, matched, and the placeholder is written into the run where the name began.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from bisect import bisect_right
from itertools import accumulate
from typing import Any

from lxml import etree

from casework.errors import UnreadableDocument
from casework.redaction.matching import ValueMatcher
from casework.redaction.plan import RedactionPlan

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CORE_PROPERTIES = "docProps/core.xml"
APP_PROPERTIES = "docProps/app.xml"
DROPPED_PARTS = frozenset(
    {
        "word/comments.xml",
        "word/commentsExtended.xml",
        "word/commentsIds.xml",
        "word/commentsExtensible.xml",
        "word/people.xml",
        "docProps/custom.xml",
        "docProps/thumbnail.jpeg",
        "docProps/thumbnail.wmf",
        "docProps/thumbnail.emf",
    }
)
"""Comments name their authors and hold free text; custom properties and thumbnails too."""

_DROPPED_ELEMENTS = tuple(
    f"{{{W}}}{name}"
    for name in ("commentRangeStart", "commentRangeEnd", "commentReference", "del", "delText")
)
"""Comment anchors, and tracked deletions (deleted text is still in the file)."""

_APP_DROPPED = ("Company", "Manager", "HyperlinkBase", "TitlesOfParts", "HeadingPairs")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def _parse(data: bytes) -> Any:
    return etree.fromstring(data, parser=_PARSER)


def _serialise(root: Any) -> bytes:
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return result


def _rels_target(rels_name: str, target: str) -> str:
    """Resolve a relationship target to a part name inside the package."""
    if target.startswith("/"):
        return target.lstrip("/")
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return posixpath.normpath(posixpath.join(folder, target))


def _paragraph_texts(paragraph: Any) -> list[Any]:
    """Return the ``w:t`` elements that belong to this paragraph (not to one nested in it)."""
    found = []
    for t in paragraph.iter(f"{{{W}}}t"):
        owner = next(t.iterancestors(f"{{{W}}}p"), None)
        if owner is paragraph:
            found.append(t)
    return found


def _redact_paragraph(paragraph: Any, matcher: ValueMatcher) -> None:
    """Replace removed values across the runs of one paragraph."""
    nodes = _paragraph_texts(paragraph)
    texts = [t.text or "" for t in nodes]
    matches = matcher.matches("".join(texts))
    if not matches:
        return
    original = list(texts)
    ends = list(accumulate(len(t) for t in original))

    def locate(offset: int) -> tuple[int, int]:
        """Return the node holding character ``offset`` of the joined text, and the offset in it."""
        index = bisect_right(ends, offset)
        return index, offset - (ends[index] - len(original[index]))

    for start, end, placeholder in reversed(matches):
        i, i_off = locate(start)
        j, j_off = locate(end - 1)
        if i == j:
            texts[i] = texts[i][:i_off] + placeholder + texts[i][j_off + 1 :]
            continue
        texts[i] = texts[i][:i_off] + placeholder
        for k in range(i + 1, j):
            texts[k] = ""
        texts[j] = texts[j][j_off + 1 :]
    for node, before, after in zip(nodes, original, texts, strict=True):
        if before != after:
            node.text = after
            node.set(XML_SPACE, "preserve")


def _scrub(root: Any, matcher: ValueMatcher) -> None:
    """Replace removed values in every text node and attribute (alt text, links, fields)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text:
            element.text = matcher.replace(element.text)
        if element.tail:
            element.tail = matcher.replace(element.tail)
        for key, value in element.attrib.items():
            replaced = matcher.replace(value)
            if replaced != value:
                element.set(key, "#redacted" if key == "Target" else replaced)


def _empty_core(root: Any) -> Any:
    for child in list(root):
        root.remove(child)
    return root


def _clean_app(root: Any) -> Any:
    for child in list(root):
        if isinstance(child.tag, str) and etree.QName(child).localname in _APP_DROPPED:
            root.remove(child)
    return root


def _drop_relationships(root: Any, rels_name: str) -> Any:
    for rel in list(root):
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External" and _rels_target(rels_name, target) in DROPPED_PARTS:
            root.remove(rel)
    return root


def _drop_overrides(root: Any) -> Any:
    for override in list(root):
        if override.get("PartName", "").lstrip("/") in DROPPED_PARTS:
            root.remove(override)
    return root


def _redact_part(root: Any, matcher: ValueMatcher) -> Any:
    for element in list(root.iter(*_DROPPED_ELEMENTS)):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    if matcher:
        for paragraph in root.iter(f"{{{W}}}p"):
            _redact_paragraph(paragraph, matcher)
    return root


def redacted_docx(plan: RedactionPlan) -> bytes:
    """Return the DOCX of ``plan.document`` with the plan carried out and metadata removed."""
    document = plan.document
    matcher = ValueMatcher(plan)
    try:
        source = zipfile.ZipFile(io.BytesIO(document.data))
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(document.source, "the DOCX is not a valid ZIP package") from exc
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            name = info.filename
            if name in DROPPED_PARTS:
                continue
            data = source.read(info)
            if name.endswith((".xml", ".rels")):
                try:
                    root = _parse(data)
                except etree.XMLSyntaxError as exc:
                    raise UnreadableDocument(document.source, f"bad XML in {name}") from exc
                if name == CORE_PROPERTIES:
                    root = _empty_core(root)
                elif name == APP_PROPERTIES:
                    root = _clean_app(root)
                elif name == "[Content_Types].xml":
                    root = _drop_overrides(root)
                elif name.endswith(".rels"):
                    root = _drop_relationships(root, name)
                elif name.startswith("word/"):
                    root = _redact_part(root, matcher)
                if matcher:
                    _scrub(root, matcher)
                data = _serialise(root)
            target.writestr(_stamped(info), data)
    return out.getvalue()


def _stamped(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """Copy a member's name with a fixed date: a modification time says when someone edited it."""
    fresh = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
    fresh.compress_type = zipfile.ZIP_DEFLATED
    return fresh
