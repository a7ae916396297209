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
        name = row["file"] + ("" if row["file"].endswith(".txt") else ".txt")
        copy = (out / name).read_text(encoding="utf-8")
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


def test_output_paths_and_the_log_carry_no_name_and_no_absolute_folder(
    cli: Invoke, tmp_path: Path
) -> None:
    bundle = tmp_path / "home" / "pc.jones" / "case-files"
    for officer in ("officer-a", "officer-b"):
        (bundle / officer).mkdir(parents=True)
        (bundle / officer / "ws1.txt").write_text(f"Note by {officer}: nothing to add.\n")
    (bundle / "Statement of Jane Doe.txt").write_text("Mrs Jane Doe said she was fine.\n")
    (bundle / "Henrietta_Lovelace_ws2.txt").write_text("Nothing else to add here.\n")
    out = tmp_path / "out"
    result = cli("redact", str(bundle), "--audience", "public", "--out", str(out),
                 "--workers", "1")
    assert result.code == 0, result.err
    copies = sorted(str(p.relative_to(out)) for p in out.rglob("*.txt"))
    assert copies == [
        "Statement of [PERSON 1].txt",
        "[PERSON 2]_ws2.txt",
        "officer-a/ws1.txt",
        "officer-b/ws1.txt",
    ]
    log = (out / "redaction-log.csv").read_text(encoding="utf-8")
    for secret in ("Jane", "Doe", "Henrietta", "Lovelace", "pc.jones", str(tmp_path)):
        assert secret not in log
        assert not any(secret in c for c in copies)


def test_duplicate_zip_members_are_each_redacted_into_a_copy_of_their_own(
    cli: Invoke, tmp_path: Path
) -> None:
    import warnings
    import zipfile

    bundle = tmp_path / "in"
    bundle.mkdir()
    with warnings.catch_warnings(), zipfile.ZipFile(bundle / "b.zip", "w") as archive:
        warnings.simplefilter("ignore")
        archive.writestr("ws1.txt", "Statement of Mrs Jane Doe, 07700 900123.\n")
        archive.writestr("ws1.txt", "Signed Mrs Henrietta Lovelace.\n")
    out = tmp_path / "out"
    result = cli("redact", str(bundle), "--audience", "public", "--out", str(out),
                 "--workers", "1")
    assert result.code == 0, result.err
    first = (out / "b.zip" / "ws1.txt").read_text(encoding="utf-8")
    second = (out / "b.zip" / "ws1 (2).txt").read_text(encoding="utf-8")
    assert "Jane" not in first and "07700" not in first
    assert "Henrietta" not in second and "Lovelace" not in second
    log = (out / "redaction-log.csv").read_text(encoding="utf-8")
    assert "b.zip!/ws1 (2).txt" in log
