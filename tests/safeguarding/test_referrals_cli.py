"""`casework referrals ...` from the shell: exit codes and what is printed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import Invoke
from tests.safeguarding.referral_factories import MD5, payload


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    return tmp_path / "home"


def test_intake_list_show_assign_outcome_figures(cli: Invoke, home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.json").write_text(payload())
    (folder / "b.json").write_text(
        payload(reportId="B", incidentSummary__escalateToHighPriority="meeting a child tonight")
    )
    result = cli("referrals", "intake", str(folder))
    assert result.code == 0, result.err
    assert f"{folder / 'a.json'}: IR-" in result.out and "a repeat of IR-" in result.out
    assert result.out.splitlines()[-1] == (
        "2 report(s): 1 accepted, 1 repeat, 0 already received, 0 held"
    )
    listed = cli("referrals", "list")
    assert listed.code == 0
    first = listed.out.splitlines()[0]
    assert first.startswith("IR-") and " WY " in first
    reference = first.split()[0]
    shown = cli("referrals", "show", reference)
    assert " immediate " in first  # raised by its repeat, which says a child is at risk now
    assert "from repeat report IR-" in shown.out
    assert "declared postcode LS6 2AB" in shown.out and "1 repeat report(s)" in shown.out
    as_json = json.loads(cli("referrals", "show", reference, "--format", "json").out)
    assert as_json["located_force"] == "WY" and as_json["report"]["reportId"] == "ESP-1"
    assert cli("referrals", "assign", reference).out.strip() == f"{reference} assigned to WY"
    done = cli(
        "referrals",
        "outcome",
        reference,
        "--arrests",
        "1",
        "--safeguarded",
        "2",
        "--on",
        "2026-02-25",
    )
    assert done.code == 0, done.err
    assert "1 arrest(s), 2 child(ren) safeguarded" in done.out
    figures = json.loads(cli("referrals", "figures", "--format", "json").out)
    assert {"month": "2026-02", "arrests": 1, "children_safeguarded": 2}.items() <= next(
        f for f in figures if f["month"] == "2026-02"
    ).items()


def test_a_malformed_report_is_held_exit_2_and_corrected(
    cli: Invoke, home: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(payload(files__0__md5="nope"))
    result = cli("referrals", "intake", str(bad))
    assert result.code == 2
    assert "files.0.md5: md5 is 32 hex characters, got 'nope'" in result.out
    assert "held for correction" in result.err
    held = cli("referrals", "held")
    held_id = held.out.split()[0]
    assert "files.0.md5" in held.out and held.out.splitlines()[-1] == "1 held report(s)"
    good = tmp_path / "good.json"
    good.write_text(payload())
    fixed = cli("referrals", "correct", held_id, str(good))
    assert fixed.code == 0, fixed.err
    assert cli("referrals", "held").out.strip() == "0 held report(s)"


def test_hash_lists_and_image_lookup(cli: Invoke, home: Path, tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    picture = tmp_path / "p.png"
    Image.fromarray(rng.integers(0, 256, size=(128, 128, 3), dtype=np.uint8)).save(picture)
    looked = cli("referrals", "match", "--image", str(picture))
    assert looked.code == 0, looked.err
    pdq = looked.out.split("pdq ")[1].split()[0]
    listing = tmp_path / "list.csv"
    listing.write_text(f"kind,value,label\nmd5,{MD5},series 1\npdq,{pdq},series 2\n")
    (tmp_path / "r.json").write_text(payload())
    cli("referrals", "intake", str(tmp_path / "r.json"))
    loaded = cli("referrals", "hashes", "load", str(listing), "--list", "demo")
    assert loaded.out.strip() == "2 new hash(es) of 2 in demo; 1 referral(s) rescored"
    again = cli("referrals", "match", "--image", str(picture))
    assert "match: demo (pdq, 0 bits) series 2" in again.out
    bad = tmp_path / "bad.csv"
    bad.write_text("md5,xyz\n")
    refused = cli("referrals", "hashes", "load", str(bad), "--list", "demo")
    assert refused.code == 2 and "bad.csv, row 1: md5 is 32 hex characters" in refused.err


def test_unknown_referral_is_exit_2(cli: Invoke, home: Path) -> None:
    result = cli("referrals", "show", "IR-2026-999999")
    assert result.code == 2 and "no referral IR-2026-999999" in result.err
