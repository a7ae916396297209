"""Fuzz every document reader: mutated bytes into ``read_bytes``; anything but a clear refusal
is a finding.

Usage:
    python bench/fuzz.py --seconds 120 [--reader pdf|docx|eml|msg|zip|html|txt|all]
                         [--out fuzz-findings] [--timeout 10] [--rss-mb 2048]

Each reader is fuzzed in a worker process of its own, seeded with small valid files this
script makes (PDF by reportlab, DOCX by python-docx, e-mail, Outlook MSG, ZIP, HTML, text).
With atheris installed (``pip install -e '.[fuzz]'``) the worker is coverage-guided
(libFuzzer); without it a plain random mutator runs instead, so the harness still works.

A finding is:
- an exception other than ``CaseworkError`` (``UnreadableDocument`` is the clear refusal
  every bad file should get): saved as ``OUT/READER/crash-SHA1`` with its traceback in
  ``OUT/READER/findings.txt``; the worker goes on and each distinct place is kept once;
- an input that runs longer than ``--timeout`` seconds (a hang) or makes the worker grow
  past ``--rss-mb`` (a memory blow-up): libFuzzer (or the fallback's alarm) stops the
  worker, the input is saved as ``timeout-*`` or ``oom-*``, and a new worker goes on for
  the time that is left.

The exit status is 1 when there were findings, so the script can gate a nightly job.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import logging
import os
import random
import resource
import signal
import subprocess
import sys
import time
import traceback
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
READERS = ("pdf", "docx", "eml", "msg", "zip", "html", "txt")
EXTENSION = {"pdf": ".pdf", "docx": ".docx", "eml": ".eml", "msg": ".msg", "zip": ".zip",
             "html": ".html", "txt": ".txt"}
STATEMENT = "Statement of Jane SMITH, 12 Acacia Avenue, Leeds LS1 4AB, tel 07700 900123."


# --- seeds ----------------------------------------------------------------------------


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 800, STATEMENT)
    pdf.drawString(72, 780, "Officer: PC Alex REED 4521")
    pdf.showPage()
    pdf.drawString(72, 800, "Page two: DOB 01/02/1990")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(STATEMENT)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Name"
    table.cell(0, 1).text = "Terry WILLIAMS"
    document.sections[0].header.paragraphs[0].text = "RESTRICTED"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _eml(attachments: tuple[tuple[str, bytes], ...] = ()) -> bytes:
    message = EmailMessage()
    message["From"] = "PC Alex Reed <alex.reed@police.example>"
    message["To"] = "CPS Direct <cps@cps.example>"
    message["Subject"] = "Statement"
    message["Date"] = "Tue, 04 Mar 2025 09:15:00 +0000"
    message.set_content(STATEMENT)
    message.add_alternative(f"<html><body><p>{STATEMENT}</p></body></html>", subtype="html")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream",
                               filename=name)
    return message.as_bytes()


def _msg() -> bytes:
    sys.path.insert(0, str(ROOT))
    from tests.documents.cfb_writer import Msg, MsgAttachment, write_msg

    return write_msg(
        Msg(subject="Statement", sender_name="Alex Reed", sender_email="a@police.example",
            to=[("CPS", "cps@cps.example")], body=STATEMENT,
            attachments=[MsgAttachment("note.txt", STATEMENT.encode())])
    )


def _zip(members: tuple[tuple[str, bytes], ...]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def seeds(reader: str) -> list[bytes]:
    """Return small valid files of the reader's format (and a few near relatives)."""
    html = f"<!doctype html><html><head><title>T</title></head><body><p>{STATEMENT}</p>" \
           "<table><tr><td>a</td><td>b</td></tr></table><script>x()</script></body></html>"
    if reader == "pdf":
        return [_pdf()]
    if reader == "docx":
        return [_docx()]
    if reader == "eml":
        return [_eml(), _eml((("a.txt", STATEMENT.encode()), ("inner.eml", _eml())))]
    if reader == "msg":
        return [_msg()]
    if reader == "zip":
        return [_zip((("a.txt", STATEMENT.encode()), ("b.html", html.encode()),
                      ("inner.zip", _zip((("c.txt", b"hello"),)))))]
    if reader == "html":
        return [html.encode()]
    if reader == "txt":
        return [STATEMENT.encode(), "\ufeff".encode("utf-16-le") + STATEMENT.encode("utf-16-le"),
                STATEMENT.encode("cp1252") + b"\xe9\x80"]
    raise SystemExit(f"unknown reader {reader!r}; choose from {', '.join(READERS)}")


# --- the worker -----------------------------------------------------------------------


class Findings:
    """Unexpected exceptions of one worker, each distinct place saved once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: set[str] = set()
        self.log = folder / "findings.txt"

    def add(self, data: bytes, error: BaseException) -> None:
        key = _place(error)
        if key in self.seen:
            return
        self.seen.add(key)
        name = f"crash-{hashlib.sha1(data).hexdigest()}"
        (self.folder / name).write_bytes(data)
        text = "".join(traceback.format_exception(error))
        with self.log.open("a", encoding="utf-8") as out:
            out.write(f"=== {name} {key}\n{text}\n")
        print(f"FINDING {key} -> {self.folder / name}", flush=True)


def _place(error: BaseException) -> str:
    """Name where an exception came from: its type and the innermost Casework frame."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "casework" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(error).__name__}@{where}"


class _Caught(logging.Handler):
    """Keeps the exceptions the reader boundary logged (a member's failure is not raised)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


def _target(reader: str, findings: Findings) -> Callable[[bytes], None]:
    from casework.documents import ReadOptions, read_bytes
    from casework.documents.registry import ReaderFailed
    from casework.errors import CaseworkError

    options = ReadOptions(max_bytes=2 * 1024 * 1024, max_pages=50, ocr=False, geometry=True,
                          max_members=200, max_unpacked_bytes=16 * 1024 * 1024, max_depth=4)
    source = f"fuzz{EXTENSION[reader]}"
    caught = _Caught()
    boundary = logging.getLogger("casework.documents.registry")
    boundary.addHandler(caught)
    boundary.propagate = False

    def one_input(data: bytes) -> None:
        caught.errors.clear()
        try:
            read_bytes(data, source, options=options)
        except ReaderFailed as error:  # refused cleanly, but a reader's bug all the same
            findings.add(data, error.__cause__ or error)
        except CaseworkError:
            pass
        except Exception as error:  # every other exception is what we are looking for
            findings.add(data, error)
        for error in caught.errors:
            findings.add(data, error)

    return one_input


def _run_atheris(reader: str, folder: Path, args: argparse.Namespace, seconds: int) -> None:
    import atheris

    with atheris.instrument_imports(include=["casework", "email", "zipfile", "olefile",
                                             "html", "docx"]):
        import casework.documents  # noqa: F401 (instrumented for coverage)
    one_input = _target(reader, Findings(folder))
    corpus = folder / "corpus"
    seed_dir = folder / "seeds"
    flags = [
        f"-max_total_time={seconds}",
        f"-timeout={args.timeout}",
        f"-rss_limit_mb={args.rss_mb}",
        f"-malloc_limit_mb={args.rss_mb}",
        f"-artifact_prefix={folder}/",
        "-max_len=262144",
        "-print_final_stats=1",
    ]
    atheris.Setup([sys.argv[0], *flags, str(corpus), str(seed_dir)], one_input)
    atheris.Fuzz()


def _mutate(data: bytes, pool: list[bytes], rng: random.Random) -> bytes:
    """One to eight random edits: flips, inserts, deletes, repeats, splices, magic values."""
    buf = bytearray(data or b"\x00")
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(7)
        at = rng.randrange(len(buf) or 1)
        if op == 0 and buf:
            buf[at] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 2 and len(buf) > 1:
            del buf[at:at + rng.randint(1, 64)]
        elif op == 3:
            chunk = buf[at:at + rng.randint(1, 64)]
            buf[at:at] = chunk * rng.randint(1, 16)
        elif op == 4:
            other = rng.choice(pool)
            start = rng.randrange(len(other) or 1)
            buf[at:at] = other[start:start + rng.randint(1, 512)]
        elif op == 5 and buf:
            value = rng.choice([0, 0xFF, 0x7F, 0x80, 0xFFFFFFFF, 0x7FFFFFFF, 2**16])
            buf[at:at + 4] = value.to_bytes(4, "little")
        elif op == 6:
            buf = buf[:at]
    return bytes(buf)


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError("hang")


def _run_plain(reader: str, folder: Path, args: argparse.Namespace, seconds: int) -> None:
    findings = Findings(folder)
    one_input = _target(reader, findings)
    pool = [p.read_bytes() for p in sorted((folder / "seeds").iterdir())]
    rng = random.Random(int.from_bytes(os.urandom(8), "little"))
    limit = args.rss_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit * 2, limit * 2))
    signal.signal(signal.SIGALRM, _alarm)
    end = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < end:
        data = _mutate(rng.choice(pool), pool, rng)
        signal.alarm(args.timeout)
        try:
            one_input(data)
        except TimeoutError:
            name = f"timeout-{hashlib.sha1(data).hexdigest()}"
            (folder / name).write_bytes(data)
            print(f"FINDING hang over {args.timeout}s -> {folder / name}", flush=True)
        finally:
            signal.alarm(0)
        runs += 1
        if runs % 50 == 0 and len(pool) < 64:
            pool.append(data)
    print(f"#{runs} runs of {reader} in {seconds}s (plain mutator)", flush=True)


def worker(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.CRITICAL)
    folder = Path(args.out) / args.worker
    seconds = max(1, int(args.seconds))
    try:
        import atheris  # noqa: F401
    except ImportError:
        _run_plain(args.worker, folder, args, seconds)
    else:
        if args.plain:
            _run_plain(args.worker, folder, args, seconds)
        else:
            _run_atheris(args.worker, folder, args, seconds)


# --- the driver -----------------------------------------------------------------------


def drive(reader: str, args: argparse.Namespace) -> list[str]:
    """Fuzz one reader for ``args.seconds``, restarting the worker after a hang or OOM."""
    folder = Path(args.out) / reader
    (folder / "corpus").mkdir(parents=True, exist_ok=True)
    (folder / "seeds").mkdir(exist_ok=True)
    for i, data in enumerate(seeds(reader)):
        (folder / "seeds" / f"seed-{i}{EXTENSION[reader]}").write_bytes(data)
    before = {p.name for p in folder.iterdir()}
    end = time.monotonic() + args.seconds
    print(f"--- {reader}: {args.seconds}s", flush=True)
    while (left := int(end - time.monotonic())) > 0:
        command = [sys.executable, __file__, "--worker", reader, "--seconds", str(left),
                   "--out", args.out, "--timeout", str(args.timeout),
                   "--rss-mb", str(args.rss_mb), *(["--plain"] if args.plain else [])]
        try:
            done = subprocess.run(command, timeout=left + 60, check=False,
                                  capture_output=True, text=True)
        except subprocess.TimeoutExpired:
            print(f"{reader}: the worker did not stop in time", flush=True)
            break
        tail = (done.stdout + done.stderr).strip().splitlines()
        for line in tail:
            if line.startswith(("FINDING", "==", "SUMMARY", "Done ")) or " DONE " in line:
                print(f"  {line}", flush=True)
        if done.returncode == 0:
            break
    new = sorted(p.name for p in folder.iterdir()
                 if p.name not in before and p.name.startswith(("crash-", "timeout-", "oom-",
                                                               "leak-", "slow-unit-")))
    return [str(folder / name) for name in new]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="seconds per reader")
    parser.add_argument("--reader", default="all", choices=(*READERS, "all"))
    parser.add_argument("--out", default="fuzz-findings", help="folder for inputs found")
    parser.add_argument("--timeout", type=int, default=10, help="seconds before a hang")
    parser.add_argument("--rss-mb", type=int, default=2048, help="memory before a blow-up")
    parser.add_argument("--plain", action="store_true", help="random mutator, not atheris")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    readers = READERS if args.reader == "all" else (args.reader,)
    found: dict[str, list[str]] = {r: drive(r, args) for r in readers}
    print("\n=== findings")
    total = 0
    for reader, paths in found.items():
        log = Path(args.out) / reader / "findings.txt"
        print(f"{reader}: {len(paths)} new input(s)" + (f"; tracebacks in {log}" if paths else ""))
        for path in paths:
            print(f"  {path}")
        total += len(paths)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())

