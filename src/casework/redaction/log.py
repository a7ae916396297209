"""The redaction log: one row per removed span, saying why, never what.

An officer must be able to explain every redaction (which recognizer, what reason, which
policy), and the log travels with the redacted copy, so it must not hold the removed
values: rows carry offsets and placeholders only, and a reason that quotes the value is
rewritten with the placeholder.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from casework.redaction.matching import ValueMatcher
from casework.redaction.plan import RedactionPlan

CSV_NAME = "redaction-log.csv"
JSON_NAME = "redaction-log.json"


@dataclass(frozen=True, slots=True)
class LogRow:
    """One redaction: where, what kind, why, and what replaced it."""

    document: str
    page: int
    label: str
    reason: str
    recognizer: str
    placeholder: str
    start: int
    end: int


def log_rows(plan: RedactionPlan) -> list[LogRow]:
    """Return the log rows of a plan, with any quoted value in a reason replaced."""
    matcher = ValueMatcher(plan)
    return [
        LogRow(
            document=plan.document.source,
            page=r.page,
            label=str(r.label),
            reason=matcher.replace(r.reason),
            recognizer=r.recognizer,
            placeholder=r.placeholder,
            start=r.start,
            end=r.end,
        )
        for r in plan.redactions
    ]


def _cell(value: object) -> object:
    """Defuse spreadsheet formulas: a file name like "=HYPERLINK(...)" must stay text."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _atomic_write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8", newline="")
    partial.replace(path)


def write_redaction_log(rows: Iterable[LogRow], out_dir: Path) -> tuple[Path, Path]:
    """Write ``redaction-log.csv`` and ``redaction-log.json`` to ``out_dir``; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ordered: Sequence[LogRow] = sorted(rows, key=lambda r: (r.document, r.start))
    names = [f.name for f in fields(LogRow)]
    buffer: list[str] = []

    class _Sink:
        def write(self, line: str) -> int:
            buffer.append(line)
            return len(line)

    writer = csv.DictWriter(_Sink(), fieldnames=names, lineterminator="\n")
    writer.writeheader()
    records = [{name: getattr(row, name) for name in names} for row in ordered]
    writer.writerows({k: _cell(v) for k, v in record.items()} for record in records)
    csv_path, json_path = out_dir / CSV_NAME, out_dir / JSON_NAME
    _atomic_write(csv_path, "".join(buffer))
    _atomic_write(json_path, json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    return csv_path, json_path
