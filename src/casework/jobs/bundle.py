"""Process a bundle of files on every core: read, detect, and (later) redact.

Files are the unit of parallel work: a worker process reads one file (a container
yields several documents), runs the detection engine over each document's text and
sends back only the findings, never the document, so little crosses process lines.
The engine is built once in the parent and inherited by forked workers.
"""

from __future__ import annotations

import multiprocessing
import os
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from casework.detection.engine import DetectionEngine
from casework.documents import (
    ReaderRegistry,
    ReadFailure,
    ReadOptions,
    collect_files,
    iter_documents,
)
from casework.domain.document import Document
from casework.domain.findings import Finding
from casework.plugins import reader_registry, recognizer_registry


@dataclass(frozen=True, slots=True)
class DocumentFindings:
    """What detection found in one document, with the sizes a progress report needs."""

    source: str
    format: str
    pages: int
    words: int
    findings: tuple[Finding, ...]
    finding_pages: tuple[int, ...]  # the page number of each finding's first character
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BundleProgress:
    """Where a bundle run stands; passed to the caller's progress callback after each file."""

    files_done: int
    files_total: int
    pages_done: int
    current: str


FileResult = DocumentFindings | ReadFailure
ProgressCallback = Callable[[BundleProgress], None]

_engine: DetectionEngine | None = None
_readers: ReaderRegistry | None = None
_options: ReadOptions | None = None


def worker_count(requested: int = 0) -> int:
    """Return the number of worker processes: ``requested``, or one per usable core."""
    if requested > 0:
        return requested
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _engine_here() -> DetectionEngine:
    global _engine
    if _engine is None:
        _engine = DetectionEngine(recognizer_registry())
    return _engine


def _readers_here() -> ReaderRegistry:
    global _readers
    if _readers is None:
        _readers = reader_registry()
    return _readers


def bundle_files(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Return the files to read under ``paths`` and those skipped as of no readable type.

    A file named explicitly is always read (an unknown type is then reported as a failure);
    inside folders, files that no reader claims (a ground-truth JSON, a spreadsheet) are
    skipped so that a bundle folder can hold other things too.
    """
    explicit = {path for path in paths if not path.is_dir()}
    extensions = _readers_here().extensions
    files: list[Path] = []
    skipped: list[Path] = []
    for path in collect_files(paths):
        keep = path in explicit or path.suffix.lower() in extensions
        (files if keep else skipped).append(path)
    return files, skipped


def findings_of(document: Document, engine: DetectionEngine) -> DocumentFindings:
    """Run detection over one document."""
    found = tuple(engine.detect(document.text))
    starts = [page.start for page in document.pages]
    numbers = [page.number for page in document.pages]
    return DocumentFindings(
        source=document.source,
        format=document.format,
        pages=document.page_count,
        words=len(document.text.split()),
        findings=found,
        finding_pages=tuple(numbers[max(0, bisect_right(starts, f.start) - 1)] for f in found),
        warnings=document.warnings,
    )


def _detect_file(path: Path) -> list[FileResult]:
    assert _options is not None
    engine = _engine_here()
    results: list[FileResult] = []
    for item in iter_documents([path], options=_options, registry=_readers_here()):
        results.append(item if isinstance(item, ReadFailure) else findings_of(item, engine))
    return results


def detect_bundle(
    paths: Sequence[Path],
    *,
    options: ReadOptions,
    workers: int = 0,
    on_progress: ProgressCallback | None = None,
) -> Iterator[FileResult]:
    """Yield the findings of every document under ``paths``, in reading order.

    A file that cannot be read yields a ``ReadFailure`` and the rest go on.
    """
    global _options
    files, _ = bundle_files(paths)
    _options = options
    _engine_here()  # built before the fork, shared by every worker
    processes = min(worker_count(workers), max(1, len(files)))
    pages_done = 0

    def report(done: int, results: list[FileResult], path: Path) -> None:
        nonlocal pages_done
        pages_done += sum(r.pages for r in results if isinstance(r, DocumentFindings))
        if on_progress is not None:
            on_progress(BundleProgress(done, len(files), pages_done, str(path)))

    if processes == 1:
        for done, path in enumerate(files, start=1):
            results = _detect_file(path)
            report(done, results, path)
            yield from results
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        ordered = pool.imap(_detect_file, files, chunksize=1)
        for done, (path, results) in enumerate(zip(files, ordered, strict=True), start=1):
            report(done, results, path)
            yield from results
