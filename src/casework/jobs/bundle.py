"""Process a bundle of files on every core: read, detect, and (later) redact.

Files are the unit of parallel work: a worker process reads one file (a container
yields several documents), runs the detection engine over each document's text and
sends back only the findings, never the document, so little crosses process lines.
The engine is built once in the parent and inherited by forked workers.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Generic, TypeVar

from casework.detection.engine import DetectionEngine
from casework.documents import (
    ReaderRegistry,
    ReadFailure,
    ReadOptions,
    collect_files,
    iter_documents,
)
from casework.documents.mail import unique_name
from casework.domain.document import Document
from casework.domain.findings import Finding
from casework.errors import CaseworkError
from casework.plugins import reader_registry, recognizer_registry
from casework.redaction import (
    Audience,
    PlaceholderBook,
    RedactionResult,
    output_name,
    redact_document,
    write_redaction_log,
)


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
_T = TypeVar("_T")
ProgressCallback = Callable[[BundleProgress], None]

logger = logging.getLogger(__name__)

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


def _load_plugins() -> None:
    """Build the engine and readers afresh from the hooks, before any worker is forked.

    Once per run, not once per process: a plugin registered since the last run takes part.
    """
    global _engine, _readers
    _engine = DetectionEngine(recognizer_registry())
    _readers = reader_registry()


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
    return DocumentFindings(
        source=document.source,
        format=document.format,
        pages=document.page_count,
        words=len(document.text.split()),
        findings=found,
        finding_pages=tuple(document.page_at(f.start).number for f in found),
        warnings=document.warnings,
    )


def _detect_file(path: Path) -> list[FileResult]:
    assert _options is not None
    engine = _engine_here()
    results: list[FileResult] = []
    try:
        for item in iter_documents([path], options=_options, registry=_readers_here()):
            results.append(item if isinstance(item, ReadFailure) else findings_of(item, engine))
    except Exception as error:  # a reader's bug must not stop the bundle; name the file
        logger.exception("reading %s failed", path)
        results.append(ReadFailure(str(path), f"unexpected error ({type(error).__name__})"))
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
    _load_plugins()  # built before the fork, shared by every worker
    files, _ = bundle_files(paths)
    _options = options
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


@dataclass(frozen=True, slots=True)
class RedactionFailure:
    """A document whose redacted copy was not released, and why (never the leaked value)."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class BundleRedaction:
    """The outcome of redacting a bundle: copies released, failures, and the log written."""

    released: tuple[RedactionResult, ...]
    unreadable: tuple[ReadFailure, ...]
    refused: tuple[RedactionFailure, ...]
    log_files: tuple[Path, ...]
    documents: int
    pages: int
    words: int
    warnings: tuple[tuple[str, str], ...] = ()
    """(source, warning) of each document read: pages without text, pictures not read."""


@dataclass(frozen=True, slots=True)
class _RedactTask:
    audience: Audience
    book: PlaceholderBook
    out_dir: Path
    as_text: bool


_findings_by_source: dict[str, tuple[Finding, ...]] = {}
_released_as: dict[str, str] = {}
_redact_task: _RedactTask | None = None

_NAME_SEPARATORS = re.compile(r"[_.+]")


def _relative_sources(files: Sequence[Path]) -> dict[str, str]:
    """Map each file's source to the path its copy is named by: never an absolute folder.

    A path given relative stays as given (``in/officer-a/ws1.txt``); absolute paths are
    taken from the folder they all share, so ``/home/pc/case/officer-a/ws1.txt`` and
    ``/home/pc/case/officer-b/ws1.txt`` read ``officer-a/ws1.txt`` and ``officer-b/ws1.txt``:
    no user's home or case folder in an output path or the log, and no copy overwriting
    another.
    """
    absolute = [f.resolve() for f in files if f.is_absolute()]
    common = Path(os.path.commonpath([str(f.parent) for f in absolute])) if absolute else None
    relative: dict[str, str] = {}
    for file in files:
        if common is None or not file.is_absolute():
            relative[str(file)] = file.as_posix()
        else:
            relative[str(file)] = file.resolve().relative_to(common).as_posix()
    return relative


def _pseudonymous(
    segment: str, *, engine: DetectionEngine, book: PlaceholderBook, audience: Audience
) -> str:
    """Replace what the audience may not see in one path segment with the bundle's placeholders.

    The segment is searched as words ("Jane_Doe.docx" reads "Jane Doe docx", the same
    length, so offsets hold) both for values redacted anywhere in the bundle and by the
    detection engine, so a name only in a file name is caught too.
    """
    words = _NAME_SEPARATORS.sub(" ", segment)
    spans: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for start, end, _label, placeholder in book.surface_index().mentions(words):
        spans.append((start, end, placeholder))
        taken.append((start, end))
    for f in engine.detect(words):
        if not audience.removes(f.label, None) or any(a < f.end and f.start < b for a, b in taken):
            continue
        spans.append((f.start, f.end, book.placeholder(f.label, f.text)))
        taken.append((f.start, f.end))
    for start, end, placeholder in sorted(spans, reverse=True):
        segment = segment[:start] + placeholder + segment[end:]
    return segment


def release_names(
    found: Sequence[DocumentFindings],
    *,
    relative: dict[str, str],
    engine: DetectionEngine,
    book: PlaceholderBook,
    audience: Audience,
    as_text: bool,
) -> dict[str, str]:
    """Return the name each document is released and logged under, one per document.

    Relative to the folder given, with every path segment pseudonymised like the text
    (``in/Statement of [PERSON 1].txt``), and made unique ("name (2).txt") so that no two
    copies share an output path and a refused copy never removes another's.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for r in found:
        top, sep, rest = r.source.partition("!/")
        shown = relative.get(top, Path(top).name) + sep + rest
        parts = shown.split("/")
        parts = [_pseudonymous(p, engine=engine, book=book, audience=audience) for p in parts]
        shown = "/".join(parts)
        fmt = "txt" if as_text or r.format not in ("pdf", "docx") else r.format
        target = str(output_name(shown, fmt))
        if target in taken:
            head, _, last = shown.rpartition("/")
            final = unique_name(last, {p.rpartition("/")[2] for p in taken})
            shown = f"{head}/{final}" if head else final
            target = str(output_name(shown, fmt))
        taken.add(target)
        names[r.source] = shown
    return names


def _redact_file(path: Path) -> list[RedactionResult | RedactionFailure]:
    assert _options is not None and _redact_task is not None
    task = _redact_task
    results: list[RedactionResult | RedactionFailure] = []
    for item in iter_documents([path], options=_options, registry=_readers_here()):
        if isinstance(item, ReadFailure):
            continue  # already reported by the detection pass
        try:
            released_as = _released_as.get(item.source, item.source)
            results.append(
                redact_document(
                    document=replace(item, source=released_as),
                    findings=_findings_by_source.get(item.source, ()),
                    audience=task.audience,
                    book=task.book,
                    out_dir=task.out_dir,
                    as_text=task.as_text,
                )
            )
        except CaseworkError as error:
            results.append(RedactionFailure(item.source, str(error)))
        except Exception as error:  # one odd document must not stop the bundle
            logger.exception("redacting %s failed", item.source)
            results.append(
                RedactionFailure(item.source, f"unexpected error ({type(error).__name__})")
            )
    return results


def redact_bundle(
    paths: Sequence[Path],
    *,
    audience: Audience,
    out_dir: Path,
    options: ReadOptions,
    workers: int = 0,
    as_text: bool = False,
    on_detect_progress: ProgressCallback | None = None,
    on_redact_progress: ProgressCallback | None = None,
) -> BundleRedaction:
    """Redact every document under ``paths`` for ``audience`` into ``out_dir``, with a log.

    Two passes: detection over the whole bundle first, so that placeholders are numbered in
    reading order and "[PERSON 3]" is the same person in every document; then each document
    is written, re-read and verified in a worker. A copy that fails verification is not
    released. ``as_text`` writes every copy as text (the fastest output).
    """
    global _redact_task
    detected = list(
        detect_bundle(paths, options=options, workers=workers, on_progress=on_detect_progress)
    )
    found = [r for r in detected if isinstance(r, DocumentFindings)]
    unreadable = tuple(r for r in detected if isinstance(r, ReadFailure))
    book = PlaceholderBook()
    book.add_findings((r.findings for r in found), audience)
    files, _ = bundle_files(paths)
    _findings_by_source.clear()
    _findings_by_source.update((r.source, r.findings) for r in found)
    _released_as.clear()
    _released_as.update(
        release_names(
            found,
            relative=_relative_sources(files),
            engine=_engine_here(),
            book=book,
            audience=audience,
            as_text=as_text,
        )
    )
    _redact_task = _RedactTask(audience, book, out_dir, as_text)
    out_dir.mkdir(parents=True, exist_ok=True)

    outcomes = _map_files(_redact_file, files, workers, on_redact_progress)
    released = tuple(o for o in outcomes if isinstance(o, RedactionResult))
    refused = tuple(o for o in outcomes if isinstance(o, RedactionFailure))
    log_files = write_redaction_log((row for r in released for row in r.rows), out_dir)
    return BundleRedaction(
        released=released,
        unreadable=unreadable,
        refused=refused,
        log_files=tuple(log_files),
        documents=len(found),
        pages=sum(r.pages for r in found),
        words=sum(r.words for r in found),
        warnings=tuple((r.source, w) for r in found for w in r.warnings),
    )


def _map_files(
    work: Callable[[Path], list[_T]],
    files: list[Path],
    workers: int,
    on_progress: ProgressCallback | None,
) -> list[_T]:
    """Run ``work`` over every file on a forked pool, largest files first, results in order."""
    processes = min(worker_count(workers), max(1, len(files)))
    by_size = sorted(range(len(files)), key=lambda i: -_size(files[i]))
    results: list[list[_T]] = [[] for _ in files]
    if processes == 1:
        done_iter: Iterator[tuple[int, list[_T]]] = ((i, work(files[i])) for i in by_size)
        return _collect(done_iter, files, results, on_progress)
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        done_iter = pool.imap_unordered(_Indexed(work, files), by_size, chunksize=1)
        return _collect(done_iter, files, results, on_progress)


def _collect(
    done_iter: Iterator[tuple[int, list[_T]]],
    files: list[Path],
    results: list[list[_T]],
    on_progress: ProgressCallback | None,
) -> list[_T]:
    for done, (index, outcome) in enumerate(done_iter, start=1):
        results[index] = outcome
        if on_progress is not None:
            on_progress(BundleProgress(done, len(files), 0, str(files[index])))
    return [item for outcome in results for item in outcome]


class _Indexed(Generic[_T]):
    """Picklable wrapper that returns a file's index with its results."""

    def __init__(self, work: Callable[[Path], list[_T]], files: list[Path]) -> None:
        self.work = work
        self.files = files

    def __call__(self, index: int) -> tuple[int, list[_T]]:
        return index, self.work(self.files[index])


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
