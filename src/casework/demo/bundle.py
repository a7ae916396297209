"""Generate a synthetic case bundle of about N pages and the ground truth of what is in it.

A page is counted as 400 words. The bundle always holds one document of each kind (so
every label appears), then pads out with further statements, message extracts, e-mails
and records. Each document goes to whichever of TXT, DOCX and PDF has the fewest pages
so far, which splits the pages roughly into thirds.

Ground truth conventions (``ground-truth.json``): one entry per mention; a PERSON span is
the name only (no title such as ``Mrs``, no rank or collar number); an address is one
ADDRESS span and its postcode a POSTCODE span inside it; a sort code and an account number
are two BANK spans; a named organisation that identifies a person (employer, school,
hospital, GP surgery, bank) is ORGANISATION, while the police force and the Crown
Prosecution Service, which identify nobody, are left unmarked; every named place outside an
address (town, street, pub, park) is LOCATION. Dates other than dates of birth are not
identifiers here.
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass, field
from pathlib import Path

from casework.demo.kinds import BUILDERS, CORE, EXTRA
from casework.demo.marked import align
from casework.demo.people import make_cast
from casework.demo.render import Renderer
from casework.demo.writers import WRITERS, extract
from casework.errors import InvalidInput

log = logging.getLogger(__name__)

WORDS_PER_PAGE = 400
MAX_PAGES = 20_000
GROUND_TRUTH = "ground-truth.json"
_FORMATS = (".txt", ".docx", ".pdf")


@dataclass(slots=True)
class BundleReport:
    """What was written: the files, the pages per format and the number of planted spans."""

    out: Path
    files: list[str] = field(default_factory=list)
    pages_by_format: dict[str, float] = field(default_factory=dict)
    spans: int = 0
    labels: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> float:
        return sum(self.pages_by_format.values())


def _plan(rng: random.Random, pages: int) -> list[tuple[str, int]]:
    """Return (kind, word budget) for each document, core kinds first."""
    target = pages * WORDS_PER_PAGE
    plan: list[tuple[str, int]] = []
    for kind, share, least, most in CORE:
        words = min(max(share * target, least * WORDS_PER_PAGE * 0.8), most * WORDS_PER_PAGE)
        plan.append((kind, int(words)))
    total = sum(w for _, w in plan)
    weights = [e[1] for e in EXTRA]
    while target - total > WORDS_PER_PAGE // 2:
        kind, _, least, most = rng.choices(EXTRA, weights)[0]
        words = min(int(rng.uniform(least, most) * WORDS_PER_PAGE), target - total)
        plan.append((kind, words))
        total += words
    return plan


def generate_bundle(*, pages: int, out: Path, seed: int = 0) -> BundleReport:
    """Write a bundle of about ``pages`` pages into ``out`` with its ``ground-truth.json``."""
    if not 1 <= pages <= MAX_PAGES:
        raise InvalidInput(f"--pages must be between 1 and {MAX_PAGES}, got {pages}")
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    cast = make_cast(rng, pages)
    renderer = Renderer(rng, cast)
    report = BundleReport(out=out, pages_by_format=dict.fromkeys(_FORMATS, 0.0))
    truth: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for number, (kind, budget) in enumerate(_plan(rng, pages), start=1):
        index = seen.get(kind, 0)
        seen[kind] = index + 1
        stem = f"{number:03d}-{kind}"
        draft = BUILDERS[kind](renderer, stem, budget, index)
        ext = min(_FORMATS, key=lambda f: report.pages_by_format[f])
        path = out / f"{stem}{ext}"
        written, spans = WRITERS[ext](draft, path)
        placed = align(written, spans, extract(path))
        report.pages_by_format[ext] += draft.words() / WORDS_PER_PAGE
        report.files.append(path.name)
        for span in placed:
            entry: dict[str, object] = {
                "file": path.name,
                "start": span.start,
                "end": span.end,
                "label": span.label.value,
                "text": span.text,
            }
            if span.role is not None:
                entry["role"] = span.role
            truth.append(entry)
            report.labels[span.label.value] = report.labels.get(span.label.value, 0) + 1
    report.spans = len(truth)
    (out / GROUND_TRUTH).write_text(
        json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    log.info("wrote %d files and %d spans to %s", len(report.files), report.spans, out)
    return report
