"""Re-read a redacted DOCX: every XML part, as markup and as text joined across runs."""

from __future__ import annotations

import html
import io
import re
import zipfile

from casework.redaction.plan import RedactionPlan
from casework.redaction.verify import refuse, scanner_for

_PARAGRAPH_END = re.compile(r"</w:p>|<w:tab/>|<w:br/>|<w:cr/>|</a:p>")
_TAG = re.compile(r"<[^>]+>")


def verify_docx(data: bytes, plan: RedactionPlan) -> None:
    """Raise ``LeakDetected`` if any XML part of the DOCX holds a removed value."""
    scanner = scanner_for(plan)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            xml = package.read(name).decode("utf-8", errors="replace")
            label = scanner.leaked(html.unescape(xml))
            if label is None:
                joined = _TAG.sub("", _PARAGRAPH_END.sub(" ", xml))
                label = scanner.leaked(html.unescape(joined))
            if label is not None:
                raise refuse(plan, label, f"the part {name}")
