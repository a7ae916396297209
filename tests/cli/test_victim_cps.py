"""`casework victim|evidence|cps|custody|timeline|suspect` as users run them: exit codes, output."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import Invoke

DASH_IDS = [
    "q01_injury",
    "q02_frightened",
    "q03_fear_of_what",
    "q04_isolation",
    "q05_depression",
    "q06_separation",
    "q07_child_contact",
    "q08_stalking",
    "q09_pregnancy",
    "q10_frequency",
    "q11_severity",
    "q12_control_jealousy",
    "q13_weapons",
    "q14_threats_to_kill",
    "q15_strangulation",
    "q16_sexual_abuse",
    "q17_other_threats",
    "q18_hurt_others",
    "q19_animals",
    "q20_finances",
    "q21_substances_mental_health",
    "q22_abuser_suicide",
    "q23_breach",
    "q24_criminal_history",
]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh CASEWORK_HOME with its own SQLite database."""
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    return tmp_path / "home"


@pytest.fixture
def ref(cli: Invoke, home: Path) -> str:
    """A domestic-abuse case opened from the command line."""
    result = cli(
        "case",
        "open",
        "--force",
        "WY",
        "--offence",
        "common_assault",
        "--offence",
        "abh",
        "--offence-date",
        "2026-01-10",
        "--domestic-abuse",
        "--reported",
        "2026-01-12",
        "--victim",
        "Jane SMITH",
        "--suspect",
        "Terry WILLIAMS",
        "--officer",
        "Amy KHAN",
        "--by",
        "DC Khan",
    )
    assert result.code == 0, result.err
    return result.out.strip()


def _answers(tmp_path: Path, yes: int) -> Path:
    path = tmp_path / "dash.json"
    path.write_text(json.dumps({q: "yes" if i < yes else "no" for i, q in enumerate(DASH_IDS)}))
    return path


def test_victim_panel_end_to_end(cli: Invoke, ref: str, tmp_path: Path) -> None:
    ok = cli(
        "victim",
        "contact",
        ref,
        "--how",
        "phone",
        "--note",
        "explained the process",
        "--agreed",
        "call on Friday",
        "--at",
        "2026-01-13T10:00",
        "--by",
        "PC Jones",
    )
    assert (ok.code, ok.out.strip()) == (0, f"{ref}: contact by phone logged"), ok.err
    wishes = cli(
        "victim",
        "wishes",
        ref,
        "--outcome",
        "prosecution",
        "--safe-method",
        "text",
        "--safe-time",
        "mon-fri 09:00-12:00",
        "--caution",
        "he reads her phone",
    )
    assert wishes.code == 0, wishes.err
    against = cli("victim", "contact", ref, "--how", "phone", "--note", "update", "--by", "PC J")
    assert against.code == 0 and "not a safe way" in against.err
    assert cli("victim", "refer", ref, "--to", "idva", "--on", "2026-01-13").code == 0
    risk = cli("victim", "risk", ref, "--tool", "dash", "--answers", str(_answers(tmp_path, 15)))
    assert risk.code == 0, risk.err
    assert f"{ref}: HIGH risk (dash" in risk.out and "MARAC referral due" in risk.out
    shown = cli("victim", "show", ref)
    assert shown.code == 0, shown.err
    assert "explained the process; agreed: call on Friday" in shown.out
    assert "safe contact: text at mon,tue,wed,thu,fri 09:00-12:00" in shown.out
    assert "referrals:       idva 2026-01-13" in shown.out
    assert "FLAG marac_referral_missing" in shown.out
    data = json.loads(cli("victim", "show", ref, "--format", "json").out)
    assert data["risk_level"] == "high"
    assert "risk_assessment" not in data["evidence_missing"]
    withdrawn = cli("victim", "withdraw", ref, "--reason", "fear_of_suspect", "--by", "PC Jones")
    assert withdrawn.code == 0 and "withdrawal recorded at reported" in withdrawn.out
    case = cli("case", "show", ref)
    assert case.code == 0, case.err
    assert "Victim:" in case.out and "risk:            HIGH" in case.out
    assert "withdrawal:      " in case.out and "evidence missing: call_999_recording" in case.out
    assert "CPS:\n  charging decision: none recorded" in case.out
    full = json.loads(cli("case", "show", ref, "--format", "json").out)
    assert full["victim"]["withdrawal"]["stage"] == "reported"
    assert full["cps"]["decision"] is None


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("victim", "contact", "{ref}", "--how", "pigeon", "--note", "x"), "--how"),
        (("victim", "contact", "{ref}", "--how", "phone", "--note", "x", "--at", "soon"), "--at"),
        (("victim", "wishes", "{ref}", "--safe-time", "weekdays"), "--safe-time"),
        (("victim", "wishes", "{ref}", "--safe-time", "mon 12:00-09:00"), "--safe-time"),
        (("victim", "refer", "{ref}", "--to", "somewhere"), "--to"),
        (("victim", "refer", "{ref}", "--to", "idva", "--on", "2026-02-30"), "--on"),
        (("victim", "risk", "{ref}", "--answers", "/nonexistent.json"), "--answers"),
        (("victim", "risk", "{ref}", "--answers", "{answers}", "--tool", "oasys"), "--tool"),
        (("victim", "risk", "{ref}", "--answers", "{answers}", "--judgement", "high"), "--reason"),
        (("victim", "withdraw", "{ref}"), "--reason"),
        (("victim", "withdraw", "{ref}", "--reason", "bored"), "--reason"),
        (("evidence", "{ref}", "--set", "cctv"), "--set"),
        (("evidence", "{ref}", "--set", "dna=obtained"), "--set"),
        (("evidence", "{ref}", "--set", "cctv=lost"), "--set"),
        (("cps", "decide", "{ref}", "--by", "S P", "--reason", "x", "--test", "full"), "--test"),
        (("cps", "action", "{ref}", "--by", "S P", "--item", "x", "--due", "tomorrow"), "--due"),
        (("custody", "{ref}"), "--detained-at"),
        (("suspect", "conduct", "{ref}", "--kind", "x", "--at", "2026-01-01"), "--kind"),
        (("suspect", "confirm", "{ref}", "not-a-uuid", "--kind", "threat"), "EVENT"),
    ],
)
def test_bad_input_exits_2_naming_the_flag(
    cli: Invoke, ref: str, tmp_path: Path, args: tuple[str, ...], flag: str
) -> None:
    answers = str(_answers(tmp_path, 3))
    result = cli(*(a.format(ref=ref, answers=answers) for a in args))
    assert result.code == 2, (result.out, result.err)
    assert flag in result.err
    assert "Traceback" not in result.err


def test_risk_answers_file_problems_name_the_file(cli: Invoke, ref: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    result = cli("victim", "risk", ref, "--answers", str(bad))
    assert result.code == 2 and "--answers" in result.err and "bad.json" in result.err
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps({"q01_injury": "yes"}))
    result = cli("victim", "risk", ref, "--answers", str(partial))
    assert result.code == 2 and "q24_criminal_history" in result.err


def test_evidence_prints_what_is_missing(cli: Invoke, ref: str) -> None:
    result = cli(
        "evidence",
        ref,
        "--set",
        "call_999_recording=obtained",
        "--set",
        "cctv=not_applicable",
        "--note",
        "cctv=no cameras",
    )
    assert result.code == 0, result.err
    assert "Still missing: body_worn_video" in result.out
    assert "call_999_recording" not in result.out.split("Still missing:")[1].splitlines()[0]
    assert "Could proceed without the victim: yes" in result.out
    data = json.loads(cli("evidence", ref, "--format", "json").out)
    assert "cctv" not in data["missing"] and data["could_proceed_without_victim"]
    closed = cli("evidence", ref, "--set", "admissions=not_available")
    assert closed.code == 2 and "say why" in closed.err


def test_cps_journey(cli: Invoke, ref: str) -> None:
    early = cli("cps", "decide", ref, "--test", "full-code", "--charge", "abh", "--reason", "x")
    assert early.code == 2 and "--by" in early.err  # the prosecutor is required
    refused = cli(
        "cps",
        "decide",
        ref,
        "--test",
        "full-code",
        "--charge",
        "abh",
        "--reason",
        "FCT",
        "--by",
        "Sam PATEL",
    )
    assert refused.code == 1 and "file sent to the CPS" in refused.err
    for stage in ("investigating", "with_cps"):
        assert cli("case", "advance", ref, "--to", stage, "--reason", "file").code == 0
    unknown = cli(
        "cps",
        "decide",
        ref,
        "--test",
        "full-code",
        "--charge",
        "abhx",
        "--reason",
        "FCT",
        "--by",
        "Sam PATEL",
    )
    assert unknown.code == 2 and "--charge" in unknown.err and "did you mean abh" in unknown.err
    no_test = cli("cps", "decide", ref, "--charge", "abh", "--reason", "FCT", "--by", "Sam PATEL")
    assert no_test.code == 2 and "which test" in no_test.err
    action = cli(
        "cps",
        "action",
        ref,
        "--item",
        "Obtain the 999 call",
        "--due",
        "2030-01-01",
        "--by",
        "Sam PATEL",
    )
    assert (action.code, action.out.strip()) == (0, f"{ref}: action 1 due 2030-01-01")
    decided = cli(
        "cps",
        "decide",
        ref,
        "--test",
        "full-code",
        "--charge",
        "abh",
        "--reason",
        "999 call and BWV",
        "--by",
        "Sam PATEL",
    )
    assert decided.code == 0, decided.err
    assert decided.out.strip() == f"{ref}: charge recorded; with_cps -> charged"
    again = cli(
        "cps",
        "decide",
        ref,
        "--test",
        "full-code",
        "--charge",
        "abh",
        "--reason",
        "x",
        "--by",
        "Sam PATEL",
    )
    assert again.code == 1
    missing = cli("cps", "respond", ref, "2", "--response", "done")
    assert missing.code == 2 and "no action plan item 2" in missing.err
    answered = cli("cps", "respond", ref, "1", "--response", "exhibit AK/1", "--by", "DC Khan")
    assert answered.code == 0, answered.err
    twice = cli("cps", "respond", ref, "1", "--response", "again")
    assert twice.code == 1 and "was answered by DC Khan" in twice.err
    court = cli("cps", "court", ref, "--hearing", "first hearing", "--on", "2030-02-01")
    assert court.code == 0, court.err
    shown = cli("cps", "show", ref)
    assert "charging decision: charge on the Full Code Test: abh by Sam PATEL" in shown.out
    assert "1. Obtain the 999 call [answered" in shown.out
    assert "court: 1. first hearing on 2030-02-01 (listed)" in shown.out
    case = cli("case", "show", ref).out
    assert "with_cps -> charged  decided by cps, recorded by Sam PATEL" in case
    assert "CPS prosecutor       Sam PATEL" in case
    assert "court         hearing 1: first hearing" in case
    due = cli("deadlines", "--due-within", "3600d")
    assert "court         hearing 1: first hearing: court_listing" in due.out
    assert cli("cps", "hearing-closed", ref, "1").code == 0
    assert "hearing 1" not in cli("deadlines", "--due-within", "3600d").out
    assert cli("cps", "hearing-closed", ref, "1").code == 1


def test_custody_clock(cli: Invoke, ref: str) -> None:
    started = cli("custody", ref, "--detained-at", "2026-03-01T22:00")
    assert started.code == 0, started.err
    assert "IN CUSTODY; relevant time 2026-03-01 22:00, offence abh" in started.out
    assert "limit 2026-03-02 22:00 (pace_s41_24h)" in started.out
    assert "reviews by 04:00, 13:00" in started.out
    twice = cli("custody", ref, "--detained-at", "2026-03-01T23:00")
    assert twice.code == 1 and "already has a suspect in custody" in twice.err
    shown = cli("case", "show", ref).out
    assert "custody       detention limit at 2026-03-02 22:00" in shown
    released = cli("custody", ref, "--released-at", "2026-03-02T09:00", "--note", "bailed")
    assert released.code == 0 and "released 2026-03-02 09:00 (bailed)" in released.out
    assert "custody" not in cli("deadlines", "--due-within", "1d").out
    bad = cli("custody", ref, "--detained-at", "2026-03-01T22:00", "--offence", "nope")
    assert bad.code == 2 and "--offence" in bad.err


def test_timeline_with_conduct_and_other_cases(cli: Invoke, ref: str) -> None:
    threat = cli(
        "suspect",
        "conduct",
        ref,
        "--kind",
        "threat",
        "--at",
        "2025-12-01",
        "--description",
        "said he would kill her",
        "--fear",
    )
    assert threat.code == 0, threat.err
    assert (
        cli(
            "suspect",
            "conduct",
            ref,
            "--kind",
            "assault",
            "--at",
            "2026-01-10T21:40",
            "--description",
            "punched her",
            "--fear",
            "--phase",
            "during",
        ).code
        == 0
    )
    shown = cli("timeline", ref)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == f"{ref}  suspect timeline: Terry WILLIAMS"
    assert "before threat" in lines[1] and "[fear of violence]" in lines[1]
    assert "===== Offence (common_assault, abh) =====" in lines[2]
    assert "during assault" in lines[3]
    assert "Fear of violence on two occasions: met (2025-12-01, 2026-01-10)" in shown.out
    data = json.loads(cli("timeline", ref, "--format", "json").out)
    assert [e["is_offence"] for e in data["timeline"]["entries"]] == [False, True, False]
    assert data["fear_of_violence"]["met"] is True
    future = cli(
        "suspect",
        "conduct",
        ref,
        "--kind",
        "threat",
        "--at",
        f"{date.today().year + 1}-01-01",
        "--description",
        "x",
    )
    assert future.code == 2 and "in the future" in future.err
    unknown = cli("timeline", "WY-2026-999999")
    assert unknown.code == 2 and "no case" in unknown.err
