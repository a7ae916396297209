"""Return templates for an operation (XLSX and CSV) and reading filled-in ones back.

XLSX: one return per workbook. Sheet ``Return`` holds the operation (C2), force (C4),
period (C5, C6) and one row per measure from row 9 (key in A, label in B, value in C,
unit in D, definition in E); a ``Forces`` sheet feeds the force drop-down. Problems name
the sheet and cell. CSV: one return per row after a header of ``force, period_from,
period_to`` and the measure keys, so the centre can load many forces at once; problems
name the row and column.
"""

from __future__ import annotations

import csv
import io
from itertools import islice
from pathlib import Path
from zipfile import BadZipFile, LargeZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from casework.errors import InvalidInput
from casework.operations.definitions import MeasureType, Operation
from casework.operations.forces import all_forces
from casework.operations.returns import RawReturn

SHEET = "Return"
FIRST_MEASURE_ROW = 9
CSV_FIXED = ("force", "period_from", "period_to")
MAX_FILE_BYTES = 5 * 1024 * 1024
_INPUT = PatternFill("solid", fgColor="FFF2CC")


def xlsx_template(operation: Operation, *, force: str = "") -> bytes:
    """A workbook a force fills in: the cells to fill are yellow and unlocked."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet["A1"] = f"{operation.title}: force return"
    sheet["A1"].font = Font(bold=True, size=14)
    rows = [
        ("operation", "Operation", operation.name),
        ("dates", "Dates", f"{operation.starts.isoformat()} to {operation.ends.isoformat()}"),
        ("force", "Force", force),
        ("period_from", "Figures from (YYYY-MM-DD)", operation.starts),
        ("period_to", "Figures to (YYYY-MM-DD)", operation.ends),
    ]
    for offset, (key, label, value) in enumerate(rows):
        row = 2 + offset
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, label).font = Font(bold=True)
        cell = sheet.cell(row, 3, value)
        if key in {"force", "period_from", "period_to"}:
            cell.fill = _INPUT
            cell.protection = Protection(locked=False)
        if key.startswith("period"):
            cell.number_format = "yyyy-mm-dd"
    header = FIRST_MEASURE_ROW - 1
    for column, title in enumerate(("key", "Measure", "Value", "Unit", "Definition"), start=1):
        sheet.cell(header, column, title).font = Font(bold=True)
    whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    decimal = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    for validation in (whole, decimal):
        validation.error = "Enter a number, 0 or more (leave blank if not recorded)."
        validation.errorTitle = "Not a valid figure"
        sheet.add_data_validation(validation)
    for offset, measure in enumerate(operation.entered):
        row = FIRST_MEASURE_ROW + offset
        sheet.cell(row, 1, measure.key)
        sheet.cell(row, 2, measure.label)
        value = sheet.cell(row, 3)
        value.fill = _INPUT
        value.protection = Protection(locked=False)
        if measure.type is MeasureType.MONEY:
            value.number_format = "#,##0.00"
        (whole if measure.type is MeasureType.COUNT else decimal).add(value.coordinate)
        sheet.cell(row, 4, measure.unit)
        sheet.cell(row, 5, measure.definition)
    forces = book.create_sheet("Forces")
    forces["A1"] = "Force"
    for index, force_row in enumerate(all_forces(), start=2):
        forces.cell(index, 1, force_row.area)
        forces.cell(index, 2, force_row.code)
    choice = DataValidation(type="list", formula1=f"=Forces!$A$2:$A${len(all_forces()) + 1}")
    sheet.add_data_validation(choice)
    choice.add("C4")
    widths = {"A": 24, "B": 34, "C": 16, "D": 12, "E": 90}
    for letter, size in widths.items():
        sheet.column_dimensions[letter].width = size
    sheet.protection.sheet = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_template(operation: Operation) -> str:
    """A header row (force, period and measure keys) and one row per force taking part."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_FIXED, *(m.key for m in operation.entered)])
    for force in operation.taking_part:
        writer.writerow([force.code, operation.starts.isoformat(), operation.ends.isoformat()])
    return out.getvalue()


MAX_XLSX_ROWS = 500
"""Rows read from a return's sheet: the template has a few dozen; more is not a return."""


def read_xlsx(data: bytes, *, source: str) -> RawReturn:
    """One return from a filled-in template; cells are named in ``where``."""
    unreadable = (InvalidFileException, OSError, KeyError, ValueError, BadZipFile, LargeZipFile)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as error:
        raise InvalidInput(f"{source}: not an XLSX workbook ({error})") from error
    try:
        if SHEET not in book.sheetnames:
            raise InvalidInput(
                f"{source}: no sheet {SHEET!r}; use the template from `casework ops template`"
            )
        sheet = book[SHEET]
        cells = sheet.iter_rows(min_row=1, max_col=3, values_only=True)
        rows = list(islice(cells, MAX_XLSX_ROWS + 1))  # the sheet is read lazily
    except unreadable as error:
        raise InvalidInput(f"{source}: not an XLSX workbook ({error})") from error
    finally:
        book.close()
    if len(rows) > MAX_XLSX_ROWS:
        raise InvalidInput(
            f"{source}: sheet {SHEET!r} has more than {MAX_XLSX_ROWS} rows; "
            "use the template from `casework ops template`"
        )
    fields: dict[str, object] = {}
    values: dict[str, object] = {}
    where: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        if len(row) < 3 or row[0] is None:
            continue
        key = str(row[0]).strip()
        cell = f"sheet {SHEET} cell C{number}"
        if number < FIRST_MEASURE_ROW - 1:
            fields[key] = row[2]
            where[key] = cell
        elif number >= FIRST_MEASURE_ROW:
            values[key] = row[2]
            where[key] = f"{cell} ({row[1] or key})"
    return RawReturn(
        force=fields.get("force"),
        values=values,
        period_from=fields.get("period_from"),
        period_to=fields.get("period_to"),
        where=where,
        operation=fields.get("operation"),
    )


def read_csv(text: str, *, source: str) -> list[RawReturn]:
    """One return per row; ``where`` names the row and column."""
    try:
        return _read_csv(text, source=source)
    except csv.Error as error:  # e.g. a field over the csv module's size limit
        raise InvalidInput(f"{source}: not readable as CSV ({error})") from error


def _read_csv(text: str, *, source: str) -> list[RawReturn]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InvalidInput(f"{source}: empty file; expected a header row") from None
    if "force" not in header:
        raise InvalidInput(f"{source}: row 1 has no 'force' column (use the template)")
    found = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InvalidInput(
                f"{source}: row {number} has {len(row)} cells but the header has {len(header)}"
            )
        cells = dict(zip(header, row, strict=False))
        where = {name: f"row {number}, column {name}" for name in header}
        if all(not cells.get(k, "").strip() for k in header if k not in CSV_FIXED):
            continue  # a template row the force did not fill in
        found.append(
            RawReturn(
                force=cells.get("force"),
                values={k: v for k, v in cells.items() if k not in CSV_FIXED},
                period_from=cells.get("period_from"),
                period_to=cells.get("period_to"),
                where=where,
            )
        )
    return found


def read_return_file(path: Path) -> list[RawReturn]:
    """Read an XLSX or CSV return file by its content (a ZIP is XLSX, text is CSV)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidInput(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror or error})") from error
    return read_return_bytes(data, source=str(path))


def read_return_bytes(data: bytes, *, source: str) -> list[RawReturn]:
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{source}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    if data[:4] == b"PK\x03\x04":
        return [read_xlsx(data, source=source)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{source}: neither an XLSX workbook nor UTF-8 CSV text") from error
    return read_csv(text, source=source)
