"""Measure redacted PDF pages per second on one core: ``python -m tests.redaction.bench_pdf``.

A 100-page A4 statement (45 lines a page, reportlab) with a victim's name, address, postcode
and phone number on every page; timings cover plan, write and verify. Not a test: speed is
measured here, never asserted in a timed test.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from casework.domain.labels import Label, PartyRole
from casework.redaction import AudienceRegistry, PlaceholderBook, redact_document
from tests.redaction.conftest import findings_for, make_pdf, read_pdf


def _pages(count: int) -> list[list[str]]:
    pages = []
    for i in range(count):
        lines = [
            f"Line {j} of page {i + 1}: ordinary narrative about the scene and events."
            for j in range(45)
        ]
        phone = f"07700 900{i % 1000:03d}"
        lines[5] = f"The victim John Smith lives at 14 Acacia Avenue, Leeds LS1 4AB, phone {phone}."
        lines[9] = "Officer PC 1234 Brown attended. Mr Smith was upset; John Smith cried."
        pages.append(lines)
    return pages


def main(count: int = 100) -> None:
    document = read_pdf(make_pdf(_pages(count)), "bench.pdf")
    specs = [
        ("John Smith", Label.PERSON, PartyRole.VICTIM),
        ("14 Acacia Avenue, Leeds", Label.ADDRESS, PartyRole.VICTIM),
        ("LS1 4AB", Label.POSTCODE, None),
        ("PC 1234 Brown", Label.PERSON, PartyRole.OFFICER),
    ]
    specs += [(f"07700 900{i % 1000:03d}", Label.PHONE, None) for i in range(count)]
    findings = findings_for(document, specs)
    for name in ("public", "cps"):
        audience = AudienceRegistry.with_builtins().get(name)
        book = PlaceholderBook()
        book.add_bundle([(document, findings)], audience)
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            cpu = time.process_time()
            result = redact_document(
                document=document,
                findings=findings,
                audience=audience,
                book=book,
                out_dir=Path(out),
            )
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu
        # CPU time too: on a shared machine the wall clock measures the neighbours.
        print(
            f"{name}: {result.pages_rebuilt} pages rebuilt, {len(result.rows)} redactions, "
            f"{seconds:.2f} s, {count / seconds:.1f} pages/s "
            f"(CPU {cpu:.2f} s, {count / cpu:.1f} pages/s)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
