"""The case page's victim-care and evidence forms in-process (SQLite and PostgreSQL): the
victim's wishes, a risk assessment, a withdrawal and the evidence checklist.

Each form records what the page then shows and writes the audit entry the API writes; bad
input is a 422 with the message by its field, what was typed kept and nothing stored; a
role without the permission is shown no form and its POST is refused.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from casework.domain.evidence import load_evidence_checklist
from casework.domain.risk import load_question_set
from casework.journey.deadlines import today_in_london
from tests.api.conftest import Api
from tests.web.conftest import Pages, Seed, csrf_of

DASH = [q.id for q in load_question_set("dash").questions]
DARA = [q.id for q in load_question_set("dara").questions]
CHECKLIST = load_evidence_checklist().ids

FORMS = {
    "wishes": "Record the victim&#39;s wishes",
    "dash": "Assess the risk with DASH",
    "dara": "Assess the risk with DARA",
    "withdrawal": "Record a withdrawal of support",
    "evidence": "Save the checklist",
}
"""Each form's words on the case page (its summary line or button)."""


def _as(pages: Pages, role: str) -> Pages:
    assert pages.sign_in_page(role).status_code == 303
    return pages


def _case(pages: Pages, seed: Seed) -> str:
    page = pages.get(f"/cases/{seed.team_case}")
    assert page.status_code == 200, page.text[:300]
    return page.text


def _post(pages: Pages, seed: Seed, path: str, fields: dict[str, str]) -> httpx.Response:
    token = csrf_of(_case(pages, seed))
    return pages.post_form(f"/cases/{seed.team_case}{path}", {"csrf_token": token, **fields})


def _api_get(app: FastAPI, seed: Seed, path: str) -> Any:
    found = Api(app, token=seed.tokens["admin" if path.startswith("/api/audit") else "supervisor"])
    response = found.call("GET", path)
    assert response.status_code == 200, response.text
    return response.json()


def _victim(app: FastAPI, seed: Seed) -> dict[str, Any]:
    panel: dict[str, Any] = _api_get(app, seed, f"/api/cases/{seed.team_case}/victim")
    return panel


def _audited(app: FastAPI, seed: Seed, action: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = _api_get(
        app, seed, f"/api/audit?case={seed.team_case}&action={action}"
    )
    return [e for e in entries if e["outcome"] == "allowed"]


def _answers(tool_ids: list[str], yes: int = 0) -> dict[str, str]:
    return {f"answers.{q}": ("yes" if i < yes else "no") for i, q in enumerate(tool_ids)}


# The victim's wishes ----------------------------------------------------------------------


def test_record_the_victims_wishes(pages: Pages, seed: Seed, app: FastAPI) -> None:
    _as(pages, "victimcare")
    assert FORMS["wishes"] in _case(pages, seed)
    made = _post(
        pages,
        seed,
        "/victim/wishes",
        {
            "outcome_wanted": "prosecution",
            "outcome_notes": "I want him to stop",
            "safe_methods.text": "on",
            "safe_methods.via_idva": "on",
            "safe_times": "mon-fri 09:00-12:00\n\nsat 10:00-11:30",
            "cautions": "He reads her phone",
        },
    )
    assert made.status_code == 303, made.text[:500]
    assert made.headers["location"] == f"/cases/{seed.team_case}?done=wishes#victim"
    page = pages.get(made.headers["location"]).text
    assert "The victim&#39;s wishes recorded." in page
    shown = page[page.index('id="victim"') : page.index('id="evidence"')]
    assert "prosecution: “I want him to stop”" in shown
    assert (
        "text, via idva" in shown
        and "Mon, Tue, Wed, Thu, Fri 09:00–12:00; Sat 10:00–11:30" in shown
    )
    # the form now starts from them, safe times as they are written
    assert "mon-fri 09:00-12:00\nsat 10:00-11:30</textarea>" in shown
    assert re.search(r'name="safe_methods.via_idva" type="checkbox" value="on"\s+checked', shown)
    wishes = _victim(app, seed)["wishes"]
    assert wishes["outcome_wanted"] == "prosecution" and wishes["cautions"] == "He reads her phone"
    entry = _audited(app, seed, "victim.record")[0]
    assert (entry["actor"], entry["target"]) == ("victimcare", "victim.wishes")
    assert entry["detail"]["outcome_wanted"] == "prosecution"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"safe_times": "weekdays"}, "safe_times", "is not a time window"),
        ({"safe_times": "mon 12:00-09:00"}, "safe_times", "before it starts"),
        ({"outcome_wanted": "revenge"}, "outcome_wanted", "choose the outcome"),
        ({"safe_methods.pigeon": "on"}, "safe_methods", "choose ways from the list"),
    ],
)
def test_refused_wishes_keep_what_was_typed(
    pages: Pages, seed: Seed, app: FastAPI, change: dict[str, str], field: str, words: str
) -> None:
    _as(pages, "victimcare")
    typed = {
        "outcome_wanted": "protection_only",
        "safe_methods.email": "on",
        "safe_times": "sat 10:00-12:00",
        "cautions": "Shares a laptop with him",
        **change,
    }
    refused = _post(pages, seed, "/victim/wishes", typed)
    assert refused.status_code == 422
    text = refused.text
    assert f'id="wishes-{field}-error"' in text and words in text
    assert 'id="wishes-details" open' in text  # the form is shown open, as typed
    assert f"{typed['safe_times']}</textarea>" in text
    assert "Shares a laptop with him</textarea>" in text
    assert re.search(r'name="safe_methods.email" type="checkbox" value="on"\s+checked', text)
    assert _victim(app, seed)["wishes"] is None
    assert _audited(app, seed, "victim.record") == []


# The risk assessment ----------------------------------------------------------------------


def test_assess_the_risk_with_dash(pages: Pages, seed: Seed, app: FastAPI) -> None:
    _as(pages, "investigator")
    page = _case(pages, seed)
    assert FORMS["dash"] in page and FORMS["dara"] in page
    made = _post(
        pages, seed, "/victim/risk-assessments", {"tool": "dash", **_answers(DASH, yes=15)}
    )
    assert made.status_code == 303, made.text[:500]
    assert made.headers["location"].endswith("?done=risk#victim")
    page = pages.get(made.headers["location"]).text
    assert "Risk assessment recorded" in page
    assert "<strong>High risk</strong> (DASH" in page and "MARAC referral due." in page
    assert _victim(app, seed)["risk_level"] == "high"
    entry = _audited(app, seed, "victim.record")[0]
    assert (entry["target"], entry["detail"]["tool"]) == ("victim.risk", "dash")


def test_assess_the_risk_with_dara_and_a_judgement(pages: Pages, seed: Seed, app: FastAPI) -> None:
    _as(pages, "victimcare")
    fields = {"tool": "dara", **_answers(DARA), "judgement": "medium"}
    no_reason = _post(pages, seed, "/victim/risk-assessments", fields)
    assert no_reason.status_code == 422
    assert 'id="risk-dara-reason-error"' in no_reason.text
    assert 'id="risk-dara-details" open' in no_reason.text
    assert '<option value="medium" selected>' in no_reason.text
    made = _post(
        pages, seed, "/victim/risk-assessments", {**fields, "reason": "Recent threats by text"}
    )
    assert made.status_code == 303, made.text[:500]
    page = pages.get(made.headers["location"]).text
    assert "<strong>Medium risk</strong> (DARA" in page


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"answers.q01_injury": None}, "answers", "no answer to q01_injury"),
        ({"answers.q01_injury": "perhaps"}, "answers", "is not one of"),
        ({"judgement": "high"}, "reason", "a reason is required"),
        ({"reason": "she is scared"}, "judgement", "a reason goes with a professional judgement"),
        ({"judgement": "severe", "reason": "x"}, "judgement", "standard, medium or high"),
        ({"assessed_on": "2999-01-01"}, "assessed_on", "in the future"),
        ({"assessed_on": "01/03/2026"}, "assessed_on", "is not a date"),
        ({"tool": "tarot"}, "tool", "unknown risk tool"),
    ],
)
def test_refused_risk_assessments_keep_the_answers(
    pages: Pages, seed: Seed, app: FastAPI, change: dict[str, str | None], field: str, words: str
) -> None:
    _as(pages, "investigator")
    fields: dict[str, str] = {"tool": "dash", **_answers(DASH, yes=2)}
    for name, value in change.items():
        if value is None:
            fields.pop(name)
        else:
            fields[name] = value
    refused = _post(pages, seed, "/victim/risk-assessments", fields)
    assert refused.status_code == 422
    text = refused.text
    form = "risk-dash"
    assert f'id="{form}-{field}-error"' in text and words in text, text[:2000]
    assert f'id="{form}-details" open' in text
    kept = 'name="answers.q02_frightened" type="radio" value="yes" checked'
    assert kept in text  # the answers given are ticked again
    assert _victim(app, seed)["risk_level"] is None
    assert _audited(app, seed, "victim.record") == []


# The withdrawal ---------------------------------------------------------------------------


def test_record_a_withdrawal(pages: Pages, seed: Seed, app: FastAPI) -> None:
    _as(pages, "victimcare")
    assert FORMS["withdrawal"] in _case(pages, seed)
    made = _post(
        pages,
        seed,
        "/victim/withdrawals",
        {
            "reasons.fear_of_suspect": "on",
            "reasons.children": "on",
            "details": "Scared of losing the children",
            "on": "2026-02-25",
        },
    )
    assert made.status_code == 303, made.text[:500]
    assert made.headers["location"].endswith("?done=withdrawal#victim")
    page = pages.get(made.headers["location"]).text
    assert "Withdrawal recorded" in page
    assert "Withdrew support on Wed 25 Feb 2026 at with cps: children, fear of suspect." in page
    assert _victim(app, seed)["withdrawal"]["stage"] == "with_cps"
    entry = _audited(app, seed, "victim.record")[0]
    assert entry["target"] == "victim.withdrawal"
    assert entry["detail"]["reasons"] == "children,fear_of_suspect"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"reasons.health": None, "details": "He said sorry"}, "reasons", "at least one reason"),
        ({"reasons.other": "on"}, "details", "needs details"),
        ({"reasons.bored": "on"}, "reasons", "choose reasons from the list"),
        ({"reasons.delay": "on", "on": "2020-01-01"}, "on", "before the report"),
        ({"reasons.delay": "on", "on": "2999-01-01"}, "on", "in the future"),
    ],
)
def test_refused_withdrawals_keep_what_was_typed(
    pages: Pages, seed: Seed, app: FastAPI, fields: dict[str, str | None], field: str, words: str
) -> None:
    _as(pages, "victimcare")
    sent = {"reasons.health": "on", **fields}
    refused = _post(pages, seed, "/victim/withdrawals", {k: v for k, v in sent.items() if v})
    assert refused.status_code == 422
    text = refused.text
    assert f'id="withdrawal-{field}-error"' in text and words in text
    assert 'id="withdrawal-details" open' in text
    ticked = re.search(r'name="reasons.health" type="checkbox" value="on"\s+checked', text)
    assert bool(ticked) is bool(sent["reasons.health"])
    if "details" in fields:
        assert f"{fields['details']}</textarea>" in text
    assert _victim(app, seed)["withdrawal"] is None
    assert _audited(app, seed, "victim.record") == []


# The evidence checklist -------------------------------------------------------------------


def _checklist(**changes: str) -> dict[str, str]:
    """The checklist form as the page sends it: every item, as held (all missing), changed."""
    fields = {f"statuses.{item}": "missing" for item in CHECKLIST}
    fields.update({f"notes.{item}": "" for item in CHECKLIST})
    fields.update(changes)
    return fields


def test_update_the_evidence_checklist(pages: Pages, seed: Seed, app: FastAPI) -> None:
    _as(pages, "investigator")
    assert FORMS["evidence"] in _case(pages, seed)
    made = _post(
        pages,
        seed,
        "/evidence",
        _checklist(
            **{
                "statuses.call_999_recording": "obtained",
                "statuses.cctv": "not_available",
                "notes.cctv": "No cameras in the street",
            }
        ),
    )
    assert made.status_code == 303, made.text[:500]
    assert made.headers["location"].endswith("?done=evidence#evidence")
    page = pages.get(made.headers["location"]).text
    assert "Evidence checklist updated." in page
    assert "<strong>Could proceed without the victim's evidence</strong>" in page
    assert 'name="notes.cctv" type="text" maxlength="2000" value="No cameras in the street"' in page
    assert re.search(
        r'name="statuses.call_999_recording"[^>]*>\s*(<option[^>]*>[^<]*</option>)*'
        r'<option value="obtained" selected>',
        page,
    )
    held = _api_get(app, seed, f"/api/cases/{seed.team_case}/evidence")
    assert "call_999_recording" not in held["missing"] and "cctv" not in held["missing"]
    entry = _audited(app, seed, "evidence.record")[0]
    # only what was changed is recorded: the other items keep who set them and when
    assert (entry["target"], entry["detail"]["items"]) == ("evidence", "call_999_recording,cctv")


def test_victim_unavailable_lets_the_statement_carry_the_case(pages: Pages, seed: Seed) -> None:
    _as(pages, "supervisor")
    made = _post(
        pages,
        seed,
        "/evidence",
        _checklist(
            **{"statuses.victim_statement": "obtained", "victim_unavailable": "in fear: 116(2)(e)"}
        ),
    )
    assert made.status_code == 303, made.text[:500]
    page = pages.get(made.headers["location"]).text
    assert "the victim is unavailable (in fear: 116(2)(e)): it may be admitted as hearsay" in page
    both = _post(
        pages, seed, "/evidence", _checklist(victim_unavailable="ill", victim_available="on")
    )
    assert both.status_code == 422 and 'id="evidence-victim_available-error"' in both.text


@pytest.mark.parametrize(
    ("changes", "field", "words", "row"),
    [
        ({"statuses.cctv": "not_available"}, "notes", "say why it is not_available", "cctv"),
        ({"statuses.cctv": "lost"}, "statuses", "is not one of", "cctv"),
        ({}, "statuses", "nothing to change", ""),
        ({"statuses.unicorn_hair": "obtained"}, "statuses", "unknown evidence item", ""),
    ],
)
def test_refused_checklist_keeps_what_was_typed(
    pages: Pages,
    seed: Seed,
    app: FastAPI,
    changes: dict[str, str],
    field: str,
    words: str,
    row: str,
) -> None:
    _as(pages, "investigator")
    # the form as held, one item changed and more (none: the form sent back unchanged)
    fields = (
        _checklist(**{"statuses.admissions": "obtained", **changes}) if changes else _checklist()
    )
    refused = _post(pages, seed, "/evidence", fields)
    assert refused.status_code == 422
    text = refused.text
    assert f'id="evidence-{field}-error"' in text and words in text, text[:1500]
    if row:  # the row it is about is marked, and what was chosen is kept
        assert re.search(rf'id="evidence-{row}-(status|note)"[^>]*aria-invalid="true"', text)
    if changes:
        assert re.search(
            r'name="statuses.admissions"[^>]*>\s*(<option[^>]*>[^<]*</option>)*'
            r'<option value="obtained" selected>',
            text,
        )
    held = _api_get(app, seed, f"/api/cases/{seed.team_case}/evidence")
    assert "admissions" in held["missing"]
    assert _audited(app, seed, "evidence.record") == []


# Who is shown which form, and whose POST is refused ---------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("investigator", {"wishes", "dash", "dara", "withdrawal", "evidence"}),
        ("supervisor", {"wishes", "dash", "dara", "withdrawal", "evidence"}),
        ("victimcare", {"wishes", "dash", "dara", "withdrawal"}),
        ("prosecutor", set()),
    ],
)
def test_each_role_is_shown_the_forms_it_may_use(
    pages: Pages, seed: Seed, role: str, shown: set[str]
) -> None:
    page = _case(_as(pages, role), seed)
    assert {form for form, words in FORMS.items() if words in page} == shown
    if "evidence" not in shown:  # the checklist is still read
        assert 'aria-label="Evidence checklist"' in page and 'name="statuses.' not in page


def test_a_withdrawal_cannot_be_recorded_once_the_case_has_an_outcome(
    pages: Pages, seed: Seed, app: FastAPI
) -> None:
    prosecutor = Api(app, token=seed.tokens["prosecutor"])
    case = f"/api/cases/{seed.team_case}"
    decided = prosecutor.call(
        "POST",
        f"{case}/cps/decisions",
        json={
            "outcome": "charge",
            "test": "full_code",
            "charges": ["common_assault"],
            "reasons": "999 call and BWV",
        },
    )
    assert decided.status_code == 201, decided.text
    ended = prosecutor.call(
        "POST",
        f"{case}/advance",
        json={"to": "discontinued", "reason": "victim's evidence lost", "decided_by": "cps"},
    )
    assert ended.status_code == 200, ended.text
    _as(pages, "victimcare")
    page = _case(pages, seed)
    assert FORMS["withdrawal"] not in page and "there is no support left to withdraw" in page
    refused = _post(pages, seed, "/victim/withdrawals", {"reasons.delay": "on"})
    assert refused.status_code == 409 and "has an outcome" in refused.text
    assert _victim(app, seed)["withdrawal"] is None


@pytest.mark.parametrize(
    ("role", "path", "fields", "status"),
    [
        ("prosecutor", "/victim/wishes", {"outcome_wanted": "prosecution"}, 403),
        ("prosecutor", "/victim/risk-assessments", {"tool": "dash"}, 403),
        ("prosecutor", "/victim/withdrawals", {"reasons.delay": "on"}, 403),
        ("victimcare", "/evidence", {"statuses.cctv": "obtained"}, 403),
        ("outsider", "/victim/wishes", {"outcome_wanted": "prosecution"}, 404),
        ("outsider", "/evidence", {"statuses.cctv": "obtained"}, 404),
    ],
)
def test_a_post_without_the_permission_or_the_case_is_refused(
    pages: Pages,
    seed: Seed,
    app: FastAPI,
    role: str,
    path: str,
    fields: dict[str, str],
    status: int,
) -> None:
    _as(pages, role)
    refused = pages.post_form(
        f"/cases/{seed.team_case}{path}", {"csrf_token": pages.csrf or "", **fields}
    )
    assert refused.status_code == status, refused.text[:300]
    assert _victim(app, seed)["wishes"] is None
    held = _api_get(app, seed, f"/api/cases/{seed.team_case}/evidence")
    assert "cctv" in held["missing"]


def test_a_date_form_defaults_to_today(pages: Pages, seed: Seed) -> None:
    page = _case(_as(pages, "victimcare"), seed)
    today = today_in_london().isoformat()
    assert f'id="withdrawal-on" name="on" type="date" value="{today}"' in page
    assert f'id="risk-dash-on" name="assessed_on" type="date" value="{today}"' in page
