"""Scale-out: pages per second of a batch of bundles with 1, 2 and 4 `casework worker` processes.

Usage: python bench/scale.py [--bundles 12] [--pages 25] [--workers 1,2,4] [--data DIR]
                             [--postgres-admin-url URL] [--lease 30] [--json FILE]

For each worker count it makes a scratch PostgreSQL database (dropped afterwards) and a
scratch document folder, stores the batch as uploads of one case (the PDFs of --data, or
--bundles synthetic witness statements of --pages pages each), then starts that many
`casework worker --until-idle --processes 1` processes at once: they share the batch
through procrastinate, each making every upload's CPS copy (read, detect, redact, verify).
The clock runs from the start of the workers to the last one's exit; the time the same
workers take to start and stop with nothing to do (measured first, in the same run) is
taken off, since a deployed worker starts once and runs for weeks.

It prints pages per second for each count, the scaling ratio against one worker measured
in the same run, and the per-worker throughput that the README's national sizing uses.
On a machine with fewer cores than workers the ratio shows the cores, not the engine:
the figure to read then is pages per second per core.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from casework.domain.cases import NewCase, OffenceDetails, Role
from casework.domain.pole import PersonDetails
from casework.journey import cases as case_service
from casework.store import SqlCaseStore, make_engine, session_factory, upgrade_database
from casework.store.document_models import CaseDocumentRow
from casework.store.documents import BlobStore, NewDocument, add_document
from casework.store.models import CaseRow

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
VICTIMS = ("Jane SMITH", "Priya PATEL", "Olivia BROWN", "Grace OKAFOR", "Megan HUGHES")
PHONES = ("07700 900123", "07700 900456", "07700 900789", "07700 900321", "07700 900654")


def statement(index: int, pages: int) -> bytes:
    """A synthetic witness statement, personal data on every page."""
    victim, phone = VICTIMS[index % len(VICTIMS)], PHONES[index % len(PHONES)]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        lines = [
            f"WITNESS STATEMENT {index + 1}, page {page + 1} of {pages}",
            f"Statement of {victim}, who lives at 12 Park Road, Leeds LS1 4AP.",
            f"{victim} can be reached on {phone} or {victim.split()[0].lower()}@example.org.",
            "On 14 February 2026 the suspect Terry WILLIAMS shouted at her in the street,",
            f"and on 15 February he called {phone} eleven times between 01:00 and 03:00.",
            "PC 4521 Amy KHAN attended; vehicle registration YX19 ABC was seen outside.",
        ] * 4
        y = 800
        for line in lines:
            pdf.drawString(50, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def batch(args: argparse.Namespace) -> list[tuple[str, bytes]]:
    if args.data:
        files = sorted(p for p in Path(args.data).rglob("*.pdf") if p.is_file())
        if not files:
            raise SystemExit(f"{args.data}: no PDF files")
        return [(p.name, p.read_bytes()) for p in files]
    return [(f"statement-{i}.pdf", statement(i, args.pages)) for i in range(args.bundles)]


def _admin(admin_url: str, sql: str) -> None:
    info = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(info, autocommit=True) as connection:
        connection.execute(sql.encode())


def load(url: str, home: Path, files: list[tuple[str, bytes]]) -> None:
    """One case, every file an upload of it (stored as the documents API stores them)."""
    engine = make_engine(url)
    blobs = BlobStore(home / "documents")
    new = NewCase(
        force="WY",
        reported_on=date(2026, 2, 21),
        offences=(OffenceDetails(code="common_assault", committed_on=date(2026, 2, 20)),),
        domestic_abuse=True,
        parties=(
            (Role.VICTIM, PersonDetails.from_full_name("Jane SMITH")),
            (Role.SUSPECT, PersonDetails.from_full_name("Terry WILLIAMS")),
        ),
    )
    try:
        with SqlCaseStore(session_factory(engine)()) as store:
            case = case_service.open_case(
                store=store, new=new, actor="bench", now=datetime.now(UTC)
            )
            case_id, force = store.session.execute(
                select(CaseRow.id, CaseRow.force).where(CaseRow.reference == str(case.reference))
            ).one()
            for name, data in files:
                add_document(
                    session=store.session,
                    case_id=case_id,
                    force=force,
                    new=NewDocument(
                        name=name,
                        blob=blobs.put_bytes(data, max_bytes=1 << 31),
                        content_type="application/pdf",
                        format="pdf",
                    ),
                    uploaded_by="bench",
                    now=datetime.now(UTC),
                )
    finally:
        engine.dispose()


def run(url: str, home: Path, workers: int, lease: int) -> float:
    """Seconds for ``workers`` worker processes to make every copy."""
    env = {
        **os.environ,
        "CASEWORK_HOME": str(home),
        "CASEWORK_DATABASE_URL": url,
        "CASEWORK_JOB_LEASE_SECONDS": str(lease),
        "CASEWORK_WORKERS": "1",
    }
    command = [sys.executable, "-m", "casework", "worker", "--until-idle", "--poll", "0.2"]
    started = time.perf_counter()
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(workers)
    ]
    for proc in procs:
        _out, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"a worker failed ({proc.returncode}): {err.decode()[-2000:]}")
    return time.perf_counter() - started


def copies_made(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.scalar(
                    select(func.count()).where(CaseDocumentRow.derived_from.is_not(None))
                )
                or 0
            )
    finally:
        engine.dispose()


def database_bytes(url: str) -> int:
    """The database's size on disk: tables, indexes, the queue."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            size = connection.scalar(select(func.pg_database_size(func.current_database())))
            return int(size or 0)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundles", type=int, default=12)
    parser.add_argument("--pages", type=int, default=25)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--data", help="a folder of PDF files to use instead of synthetic ones")
    parser.add_argument("--postgres-admin-url", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--lease", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    files = batch(args)
    pages = sum(len(pdfium.PdfDocument(data)) for _name, data in files)
    print(f"batch: {len(files)} bundles, {pages} pages; {os.cpu_count()} CPU cores")
    results: dict[int, float] = {}
    for workers in counts:
        name = f"casework_scale_{secrets.token_hex(4)}"
        _admin(args.postgres_admin_url, f'CREATE DATABASE "{name}"')
        url = (
            make_url(args.postgres_admin_url)
            .set(database=name)
            .render_as_string(hide_password=False)
        )
        try:
            with tempfile.TemporaryDirectory(prefix="casework-scale-") as scratch:
                home = Path(scratch) / "home"
                upgrade_database(url)
                startup = run(url, home, workers, args.lease)  # nothing stored yet: start, stop
                empty = database_bytes(url)
                load(url, home, files)
                seconds = run(url, home, workers, args.lease)
                made = copies_made(url)
                if made != len(files):
                    raise SystemExit(f"{workers} worker(s): {made} copies for {len(files)}")
                db_per_page = (database_bytes(url) - empty) / pages
                stored = sum(
                    f.stat().st_size for f in (home / "documents").rglob("*") if f.is_file()
                )
                store_per_page = stored / pages
        finally:
            _admin(args.postgres_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        results[workers] = pages / max(0.001, seconds - startup)
        print(
            f"{workers} worker process(es): {seconds:6.1f} s ({startup:4.1f} s of it starting "
            f"and stopping), {results[workers]:6.2f} pages/s, "
            f"{results[workers] / workers:6.2f} pages/s per worker"
        )
    print(
        f"storage per page: database {db_per_page / 1024:.1f} KiB (upload and copy rows, "
        f"findings, redaction log, audit, jobs), documents {store_per_page / 1024:.1f} KiB "
        "(the upload and its CPS copy)"
    )
    base = results[counts[0]]
    for workers in counts[1:]:
        print(
            f"scaling {workers} vs {counts[0]}: x{results[workers] / base:.2f} "
            f"(ideal x{workers / counts[0]:.0f})"
        )
    per_worker = base / counts[0]
    print(
        f"per-worker throughput (baseline): {per_worker:.2f} pages/s = "
        f"{per_worker * 86_400:,.0f} pages/day"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "pages": pages,
                    "bundles": len(files),
                    "cores": os.cpu_count(),
                    "pages_per_s": results,
                    "per_worker_pages_per_s": per_worker,
                    "database_bytes_per_page": db_per_page,
                    "document_bytes_per_page": store_per_page,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
