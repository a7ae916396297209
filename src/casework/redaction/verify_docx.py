"""Re-read a redacted DOCX: its text as the reader sees it, and every part, XML or not.

The text is laid out by the reader's own code (``docx_layout``), so a name joined by a
non-breaking hyphen or split over table-cell paragraphs is checked as it reads; a kept
text vouches for a redacted value inside it only as many times as the plan kept it.
Every XML part (whatever the case of its suffix) is then read as markup, attributes and
percent-encoded links included, and as paragraph text. A binary part passes only if it is
a picture without metadata; anything else cannot be checked and the copy is refused.
"""

from __future__ import annotations

import html
from urllib.parse import unquote

from lxml import etree

from casework.documents.docx_layout import P, Package, docx_layout, paragraph_text
from casework.errors import LeakDetected, UnreadableDocument
from casework.redaction.docx_writer import is_xml_part
from casework.redaction.images import image_is_clean
from casework.redaction.plan import RedactionPlan
from casework.redaction.verify import LeakScanner, refuse, scanner_for

_A_P = "{http://schemas.openxmlformats.org/drawingml/2006/main}p"


def _part_texts(package: Package, name: str) -> list[str]:
    """Return what a part says: markup unescaped, links decoded, and paragraph text."""
    raw = package.read(name).decode("utf-8", errors="replace")
    markup = html.unescape(raw)
    texts = [markup, unquote(markup)]
    try:
        root = package.xml(name)
    except UnreadableDocument:
        return texts
    texts.append("\n".join(paragraph_text(p) for p in root.iter(P)))
    texts.append("\n".join("".join(root.itertext()) for _ in (0,)))
    texts.append("\n".join(" ".join(p.itertext()) for p in root.iter(_A_P)))
    return texts


def _check(scanner: LeakScanner, plan: RedactionPlan, texts: list[str], where: str) -> None:
    for text in texts:
        label = scanner.leaked(text)
        if label is not None:
            raise refuse(plan, label, where)


def verify_docx(data: bytes, plan: RedactionPlan) -> None:
    """Raise ``LeakDetected`` if any part of the DOCX holds a removed value or cannot be read."""
    scanner = scanner_for(plan, counted=True)
    source = plan.document.source
    try:
        package = Package(data, source)
        layout = docx_layout(package)
    except (UnreadableDocument, KeyError, ValueError, etree.LxmlError) as exc:
        raise LeakDetected(f"{source}: the redacted copy cannot be re-read ({exc}); "
                           "the copy was not released") from exc
    _check(scanner, plan, [layout.text], "the text")
    for info in package.infos:
        name = info.filename
        if is_xml_part(name):
            _check(scanner, plan, _part_texts(package, name), f"the part {name}")
        elif not image_is_clean(package.read(name)):
            raise LeakDetected(
                f"{source}: the part {name} of the {plan.audience.name} copy cannot be "
                "checked for personal data; the copy was not released"
            )
