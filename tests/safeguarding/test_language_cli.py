"""`casework language check PATH...` as CONTRACTS.md states it."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.conftest import Invoke

NOTE = (
    "Visited the address at 14:00.\n"
    "She has been putting herself at risk by going to the flat.\n"
    'Suspect said "she consented to it".\n'
)


def test_prints_file_line_why_and_what_instead(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    result = cli("language", "check", str(path))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == (
        f'{path}:2: "putting herself at risk" [PUTTING_THEMSELVES_AT_RISK, officer\'s words]'
    )
    assert lines[1].startswith("    why it harms: It blames the child")
    assert lines[2] == (
        "    write instead: may have been groomed; increased vulnerability to exploitation"
    )
    assert (
        lines[3] == f'{path}:3: "she consented to it" [CONSENT_OF_CHILD, quoted speech (evidence)]'
    )
    assert lines[5].startswith("    quoted speech: keep it as said")
    assert lines[-1] == (
        "2 phrase(s) flagged in 1 document(s): 1 in the writer's own words, 1 in quoted speech"
    )


def test_exit_0_when_nothing_is_flagged(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_text("She may have been groomed by an adult.\n", encoding="utf-8")
    result = cli("language", "check", str(path))
    assert result.code == 0
    assert result.out.splitlines() == [
        "0 phrase(s) flagged in 1 document(s): 0 in the writer's own words, 0 in quoted speech"
    ]


def test_a_folder_is_read_recursively_docx_included(cli: Invoke, tmp_path: Path) -> None:
    nested = tmp_path / "bundle" / "statements"
    nested.mkdir(parents=True)
    document = docx.Document()
    document.add_paragraph("Background.")
    document.add_paragraph("She is a child prostitute according to the referral.")
    document.save(str(nested / "report.docx"))
    (tmp_path / "bundle" / "log.txt").write_text("Contacting adults online.\n", encoding="utf-8")
    result = cli("language", "check", str(tmp_path / "bundle"))
    assert result.code == 0, result.err
    assert '"Contacting adults" [CONTACTING_ADULTS' in result.out
    assert "report.docx:" in result.out and '"child prostitute" [CHILD_PROSTITUTION' in result.out
    assert "flagged in 2 document(s)" in result.out


def test_a_missing_path_is_exit_2_naming_it(cli: Invoke, tmp_path: Path) -> None:
    result = cli("language", "check", str(tmp_path / "nope.txt"))
    assert result.code == 2
    assert "nope.txt" in result.err
