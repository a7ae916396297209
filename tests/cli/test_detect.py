"""`casework detect` as users' scripts call it (CONTRACTS.md, Documents)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Invoke

STATEMENT = (
    "Statement of Amara OKONKWO, DOB 12/03/1987, of 14 Acacia Avenue, Barnsley S70 2TA.\n"
    "Call 07700 900123 or email amara.okonkwo@example.com. – Café visit noted.\n"
)


def _jsonl(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


CONTRACT_KEYS = {"file", "start", "end", "label", "text", "score", "recognizer", "reason"}


def test_jsonl_rows_have_the_contract_keys_and_exact_offsets(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "ws1.txt"
    path.write_text(STATEMENT, encoding="utf-8")

    result = cli("detect", str(path), "--format", "jsonl", "--workers", "1")

    assert result.code == 0, result.err
    rows = _jsonl(result.out)
    assert rows, "expected findings"
    for row in rows:
        assert set(row) == CONTRACT_KEYS
        assert row["file"] == str(path)
        assert STATEMENT[row["start"] : row["end"]] == row["text"]  # type: ignore[misc]
        assert row["reason"]
    labels = {row["label"] for row in rows}
    assert {"PERSON", "DATE_OF_BIRTH", "POSTCODE", "PHONE", "EMAIL"} <= labels


def test_a_folder_is_read_recursively_and_bad_files_do_not_stop_the_rest(
    cli: Invoke, tmp_path: Path
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ws2.txt").write_text(STATEMENT, encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")

    result = cli("detect", str(tmp_path), "--workers", "2")

    assert result.code == 2
    assert "broken.pdf" in result.err
    files = {row["file"] for row in _jsonl(result.out)}
    assert files == {str(tmp_path / "sub" / "ws2.txt")}


def test_missing_path_is_bad_input(cli: Invoke, tmp_path: Path) -> None:
    result = cli("detect", str(tmp_path / "nope.txt"))
    assert result.code == 2
    assert "nope.txt" in result.err
    assert "Traceback" not in result.err


def test_table_format_is_for_people(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "ws1.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    result = cli("detect", str(path), "--format", "table", "--workers", "1")
    assert result.code == 0
    assert "POSTCODE" in result.out and "S70 2TA" in result.out
    assert "findings" in result.err
