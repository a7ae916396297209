"""`casework redact` end to end on a synthetic bundle: real PDF, DOCX and text files."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from casework.documents import ReadOptions, read_file
from tests.conftest import Invoke

# Labels the engine finds completely on the demo bundle; their planted values must be gone.
ALWAYS_FOUND = {"PHONE", "EMAIL", "POSTCODE", "NI_NUMBER", "NHS_NUMBER", "IBAN", "CARD"}


def _output_texts(out: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and not path.name.startswith("redaction-log"):
            docs = read_file(path, options=ReadOptions(ocr=False))
            texts[str(path.relative_to(out))] = "\n".join(d.text for d in docs)
    return texts


def test_public_copy_of_a_bundle_holds_no_planted_identifier(
    cli: Invoke, demo_bundle: Path, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    result = cli("redact", str(demo_bundle), "--audience", "public", "--out", str(out))

    assert result.code == 0, result.err
    sources = sorted(p.name for p in demo_bundle.iterdir() if p.suffix in {".pdf", ".docx", ".txt"})
    copies = _output_texts(out)
    assert sorted(copies) == sources  # same name and format for PDF and DOCX, text for text
    truth = json.loads((demo_bundle / "ground-truth.json").read_text(encoding="utf-8"))
    planted = {row["text"] for row in truth if row["label"] in ALWAYS_FOUND}
    assert planted
    everything = "\n".join(copies.values())
    digits_only = re.sub(r"\D", "", everything)
    for value in planted:
        assert value not in everything
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 9:
            assert digits not in digits_only


def test_placeholders_are_consistent_across_the_bundle_and_the_log_names_no_value(
    cli: Invoke, demo_bundle: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cps"
    result = cli("redact", str(demo_bundle), "--audience", "cps", "--out", str(out), "--as-text")
    assert result.code == 0, result.err

    with (out / "redaction-log.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    log = json.loads((out / "redaction-log.json").read_text(encoding="utf-8"))
    assert len(log) == len(rows) > 0
    assert {"document", "page", "label", "reason", "recognizer"} <= set(rows[0])
    # A placeholder stands for one value everywhere: the same phone number gets one number.
    truth = json.loads((demo_bundle / "ground-truth.json").read_text(encoding="utf-8"))
    phones = [row for row in truth if row["label"] == "PHONE"]
    by_value: dict[str, set[str]] = {}
    for row in phones:
        copy = (out / (row["file"] + ("" if row["file"].endswith(".txt") else ".txt"))).read_text(
            encoding="utf-8"
        )
        assert row["text"] not in copy
        by_value.setdefault(re.sub(r"\D", "", row["text"]), set())
    placeholders = {
        r["placeholder"] for r in log if r["label"] == "PHONE"
    }
    assert len(placeholders) == len(by_value)
    serialized = json.dumps(log)
    for row in phones:
        assert row["text"] not in serialized


def test_unknown_audience_is_bad_input(cli: Invoke, demo_bundle: Path, tmp_path: Path) -> None:
    result = cli("redact", str(demo_bundle), "--audience", "press", "--out", str(tmp_path))
    assert result.code == 2
    assert "press" in result.err and "cps" in result.err
