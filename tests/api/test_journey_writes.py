"""The victim, evidence, CPS, custody and suspect-conduct write routes: valid and invalid input.

Who may call each route is checked for every role by ``test_route_table.py``; here each
route does its work (seen on the read routes), answers bad input with a 422 naming the
field, refuses what the rules refuse (409), and leaves an audit entry.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from casework.domain.risk import load_question_set
from tests.api.conftest import Api, Seed
from tests.api.test_route_table import SOON

DASH = [q.id for q in load_question_set("dash").questions]


def _api(app: FastAPI, seed: Seed, role: str) -> Api:
    return Api(app, token=seed.tokens[role])


def _post(api: Api, seed: Seed, path: str, body: dict[str, Any], method: str = "POST") -> Any:
    return api.call(method, f"/api/cases/{seed.team_case}{path}", json=body)


def _audited(app: FastAPI, seed: Seed, action: str) -> list[dict[str, Any]]:
    admin = _api(app, seed, "admin")
    found = admin.call("GET", "/api/audit", params={"case": seed.team_case, "action": action})
    assert found.status_code == 200, found.text
    entries: list[dict[str, Any]] = found.json()
    return entries


def _field(response: Any) -> str:
    assert response.status_code == 422, response.text
    field: str = response.json()["field"]
    return field


# The victim ------------------------------------------------------------------------------


def test_wishes_recorded_and_shown(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "victimcare")
    made = _post(
        api,
        seed,
        "/victim/wishes",
        {
            "outcome_wanted": "prosecution",
            "safe_methods": ["text", "text", "email"],
            "safe_times": [{"days": ["mon", "fri"], "start": "09:00", "end": "12:00"}],
            "cautions": "he reads her phone",
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["safe_methods"] == ["text", "email"]
    panel = api.call("GET", f"/api/cases/{seed.team_case}/victim").json()
    assert panel["wishes"]["outcome_wanted"] == "prosecution"
    (entry,) = _audited(app, seed, "victim.record")
    assert entry["actor"] == "victimcare" and entry["target"] == "victim.wishes"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome_wanted": "revenge"}, "outcome_wanted"),
        ({"safe_methods": ["pigeon"]}, "safe_methods.0"),
        ({"safe_times": [{"days": [], "start": "09:00", "end": "12:00"}]}, "safe_times.0.days"),
        ({"safe_times": [{"days": ["mon"], "start": "12:00", "end": "09:00"}]}, "safe_times.0"),
        (
            {"safe_times": [{"days": ["funday"], "start": "09:00", "end": "12:00"}]},
            "safe_times.0.days.0",
        ),
    ],
)
def test_bad_wishes(app: FastAPI, seed: Seed, body: dict[str, Any], field: str) -> None:
    bad = _post(_api(app, seed, "victimcare"), seed, "/victim/wishes", body)
    assert _field(bad) == field


def test_safe_times_are_london_times_whatever_offset_is_sent(app: FastAPI, seed: Seed) -> None:
    body = {"safe_times": [{"days": ["sat"], "start": "09:00", "end": "10:00+05:00"}]}
    made = _post(_api(app, seed, "victimcare"), seed, "/victim/wishes", body)
    assert made.status_code == 201, made.text
    assert made.json()["safe_times"][0]["end"] == "10:00:00"


def test_referral_meets_the_duty_and_bad_ones_name_the_field(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "victimcare")
    made = _post(api, seed, "/victim/referrals", {"to": "idva", "made_on": "2026-02-22"})
    assert made.status_code == 201, made.text
    assert made.json()["kind"] == "idva" and made.json()["by"] == "victimcare"
    assert _field(_post(api, seed, "/victim/referrals", {"to": "wizard"})) == "to"
    future = _post(api, seed, "/victim/referrals", {"to": "idva", "made_on": "2999-01-01"})
    assert _field(future) == "made_on" and "in the future" in future.json()["detail"]
    early = _post(api, seed, "/victim/referrals", {"to": "marac", "made_on": "2026-01-01"})
    assert _field(early) == "made_on" and "before the report" in early.json()["detail"]


def test_risk_assessment_graded_from_the_answers(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "investigator")
    answers = {q: ("yes" if i < 15 else "no") for i, q in enumerate(DASH)}
    made = _post(api, seed, "/victim/risk-assessments", {"tool": "dash", "answers": answers})
    assert made.status_code == 201, made.text
    result = made.json()
    assert result["level"] == "high" and result["marac_referral_due"]
    panel = api.call("GET", f"/api/cases/{seed.team_case}/victim").json()
    assert panel["risk_level"] == "high"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"tool": "tarot"}, "tool", "unknown risk tool"),
        ({"answers": {"q01_injury": "perhaps"}}, "answers.q01_injury", "yes"),
        ({"answers": {"q01_injury": "yes"}}, "answers", "no answer to"),
        ({"answers": {"q99_bogus": "yes"}}, "answers", "unknown question"),
        ({"judgement": "high"}, "reason", "reason"),
        ({"judgement": "standard", "reason": "calm", "yes": 15}, "judgement", "below"),
        ({"assessed_on": "2999-01-01"}, "assessed_on", "in the future"),
    ],
)
def test_bad_risk_assessments(
    app: FastAPI, seed: Seed, change: dict[str, Any], field: str, words: str
) -> None:
    change = dict(change)  # the parameter is shared by every run of this case (both backends)
    yes = change.pop("yes", 0)
    body = {
        "tool": "dash",
        "answers": {q: ("yes" if i < yes else "no") for i, q in enumerate(DASH)},
        **change,
    }
    bad = _post(_api(app, seed, "investigator"), seed, "/victim/risk-assessments", body)
    assert _field(bad) == field and words in bad.json()["detail"]


def test_withdrawal_recorded_at_the_cases_stage(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "victimcare")
    made = _post(
        api, seed, "/victim/withdrawals", {"reasons": ["fear_of_suspect"], "on": "2026-02-25"}
    )
    assert made.status_code == 201, made.text
    assert made.json()["stage"] == "with_cps"
    assert _field(_post(api, seed, "/victim/withdrawals", {"reasons": []})) == "reasons"
    assert _field(_post(api, seed, "/victim/withdrawals", {"reasons": ["bored"]})) == "reasons.0"
    early = _post(api, seed, "/victim/withdrawals", {"reasons": ["delay"], "on": "2020-01-01"})
    assert _field(early) == "on"


def test_evidence_checklist_updated(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "investigator")
    made = _post(
        api,
        seed,
        "/evidence",
        {
            "statuses": {"call_999_recording": "obtained", "cctv": "not_available"},
            "notes": {"cctv": "no cameras"},
        },
        method="PATCH",
    )
    assert made.status_code == 200, made.text
    missing = made.json()["missing"]
    assert "call_999_recording" not in missing and "cctv" not in missing
    shown = api.call("GET", f"/api/cases/{seed.team_case}/evidence").json()
    assert shown["missing"] == missing
    assert _audited(app, seed, "evidence.record")[0]["actor"] == "investigator"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "statuses"),
        ({"statuses": {"cctv": "lost"}}, "statuses.cctv"),
        ({"statuses": {"unicorn_hair": "obtained"}}, "statuses"),
        ({"statuses": {"cctv": "not_available"}}, "notes"),
        ({"victim_unavailable": "in fear", "victim_available": True}, "victim_available"),
        ({"victim_unavailable": "   "}, "victim_unavailable"),
    ],
)
def test_bad_evidence_updates(app: FastAPI, seed: Seed, body: dict[str, Any], field: str) -> None:
    bad = _post(_api(app, seed, "investigator"), seed, "/evidence", body, method="PATCH")
    assert _field(bad) == field


# The CPS ---------------------------------------------------------------------------------


def test_charging_decision_moves_the_case(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "prosecutor")
    made = _post(
        api,
        seed,
        "/cps/decisions",
        {
            "outcome": "charge",
            "test": "full_code",
            "charges": ["common_assault"],
            "reasons": "999 call and BWV: realistic prospect",
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["stage"] == "charged"
    assert made.json()["decision"]["prosecutor"] == "Priya SHAH"
    cps = api.call("GET", f"/api/cases/{seed.team_case}/cps").json()
    assert cps["decision"]["charges"] == ["common_assault"]
    again = _post(
        api,
        seed,
        "/cps/decisions",
        {"outcome": "no_further_action", "test": "full_code", "reasons": "x"},
    )
    assert again.status_code == 409 and "with_cps" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "charge", "test": "full_code", "reasons": "x"}, "charges"),
        ({"outcome": "charge", "charges": ["abh"], "reasons": "x"}, "test"),
        (
            {"outcome": "charge", "test": "full_code", "charges": ["ABH!"], "reasons": "x"},
            "charges",
        ),
        (
            {
                "outcome": "charge",
                "test": "full_code",
                "charges": ["no_such_offence"],
                "reasons": "x",
            },
            "charges",
        ),
        ({"outcome": "charge", "test": "full_code", "charges": ["abh"]}, "reasons"),
        ({"outcome": "acquit", "reasons": "x"}, "outcome"),
    ],
)
def test_bad_charging_decisions(app: FastAPI, seed: Seed, body: dict[str, Any], field: str) -> None:
    bad = _post(_api(app, seed, "prosecutor"), seed, "/cps/decisions", body)
    assert _field(bad) == field
    cps = _api(app, seed, "prosecutor").call("GET", f"/api/cases/{seed.team_case}/cps").json()
    assert cps["decision"] is None


def test_action_plan_answered_item_by_item(app: FastAPI, seed: Seed) -> None:
    prosecutor, investigator = _api(app, seed, "prosecutor"), _api(app, seed, "investigator")
    for item in ("Obtain the 999 call", "Statement from the neighbour"):
        made = _post(prosecutor, seed, "/cps/actions", {"action": item, "due_on": SOON[:10]})
        assert made.status_code == 201, made.text
    assert made.json()["number"] == 2
    answered = _post(investigator, seed, "/cps/actions/2/response", {"response": "taken"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["responded_by"] == "investigator"
    cps = investigator.call("GET", f"/api/cases/{seed.team_case}/cps").json()
    assert [a["response"] for a in cps["actions"]] == ["", "taken"]
    twice = _post(investigator, seed, "/cps/actions/2/response", {"response": "again"})
    assert twice.status_code == 409
    missing = _post(investigator, seed, "/cps/actions/9/response", {"response": "x"})
    assert missing.status_code == 404 and "no action plan item 9" in missing.json()["detail"]
    assert (
        _field(_post(investigator, seed, "/cps/actions/0/response", {"response": "x"})) == "number"
    )
    assert (
        _field(_post(investigator, seed, "/cps/actions/1/response", {"response": ""})) == "response"
    )
    assert {e["action"] for e in _audited(app, seed, "cps.respond")} == {"cps.respond"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "x", "due_on": "2020-01-01"}, "due_on"),
        ({"action": "", "due_on": "2030-01-01"}, "action"),
        ({"action": "x", "due_on": "soon"}, "due_on"),
    ],
)
def test_bad_action_items(app: FastAPI, seed: Seed, body: dict[str, Any], field: str) -> None:
    assert _field(_post(_api(app, seed, "prosecutor"), seed, "/cps/actions", body)) == field


def test_hearings_listed_and_closed(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "victimcare")
    listed = _post(api, seed, "/cps/hearings", {"hearing": "first hearing", "on": SOON[:10]})
    assert listed.status_code == 201, listed.text
    closed = _post(api, seed, "/cps/hearings/1/closed", {"status": "vacated"})
    assert closed.status_code == 200 and closed.json()["status"] == "vacated"
    assert _post(api, seed, "/cps/hearings/1/closed", {}).status_code == 409
    assert _post(api, seed, "/cps/hearings/5/closed", {}).status_code == 404
    assert _field(_post(api, seed, "/cps/hearings/1/closed", {"status": "listed"})) == "status"
    early = _post(api, seed, "/cps/hearings", {"hearing": "trial", "on": "2020-01-01"})
    assert _field(early) == "on"
    assert _field(_post(api, seed, "/cps/hearings", {"hearing": " ", "on": SOON[:10]})) == "hearing"


# Custody ---------------------------------------------------------------------------------


def test_custody_clock_started_and_stopped(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "investigator")
    started = _post(api, seed, "/custody", {"detained_at": "2026-02-21T22:00:00+00:00"})
    assert started.status_code == 201, started.text
    assert started.json()["record"]["offence_code"] == "common_assault"
    twice = _post(api, seed, "/custody", {"detained_at": "2026-02-21T23:00:00+00:00"})
    assert twice.status_code == 409
    early = _post(api, seed, "/custody/release", {"released_at": "2026-02-20T09:00:00+00:00"})
    assert _field(early) == "released_at"
    stopped = _post(
        api,
        seed,
        "/custody/release",
        {"released_at": "2026-02-22T09:00:00+00:00", "note": "bailed"},
    )
    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["record"]["released_at"].startswith("2026-02-22")
    again = _post(api, seed, "/custody/release", {"released_at": "2026-02-22T10:00:00+00:00"})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"detained_at": "2026-02-21T22:00:00"}, "detained_at"),  # no time zone
        ({"detained_at": "2999-02-21T22:00:00+00:00"}, "detained_at"),
        ({"detained_at": "2026-02-21T22:00:00+00:00", "offence": "no_such_offence"}, "offence"),
        (
            {"detained_at": "2026-02-21T22:00:00+00:00", "authorised_at": "2999-01-01T00:00:00Z"},
            "authorised_at",
        ),
    ],
)
def test_bad_custody(app: FastAPI, seed: Seed, body: dict[str, Any], field: str) -> None:
    assert _field(_post(_api(app, seed, "investigator"), seed, "/custody", body)) == field


# Suspect conduct --------------------------------------------------------------------------


def test_conduct_entered_by_hand(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "investigator")
    for at in ("2026-02-01", "2026-02-02T21:30:00+00:00"):
        made = _post(
            api, seed, "/timeline/events", {"kind": "threat", "at": at, "description": "threats"}
        )
        assert made.status_code == 201, made.text
        assert made.json()["status"] == "confirmed"
    shown = api.call("GET", f"/api/cases/{seed.team_case}/timeline").json()
    assert [e["event"]["kind"] for e in shown["timeline"]["entries"] if e["event"]] == [
        "threat",
        "threat",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "tickling", "at": "2026-02-01", "description": "x"}, "kind"),
        ({"kind": "threat", "at": "2026-02-01T10:00", "description": "x"}, "at"),
        ({"kind": "threat", "at": "2999-02-01", "description": "x"}, "at"),
        ({"kind": "threat", "at": "2026-02-01", "description": ""}, "description"),
        ({"kind": "threat", "at": "2026-02-01", "description": "x", "phase": "later"}, "phase"),
    ],
)
def test_bad_conduct(app: FastAPI, seed: Seed, body: dict[str, Any], field: str) -> None:
    bad = _post(_api(app, seed, "investigator"), seed, "/timeline/events", body)
    assert _field(bad).startswith(field)


def test_proposals_confirmed_or_rejected(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "investigator")
    text = (
        "On 01/02/2026 at 21:30 Terry WILLIAMS smashed her phone at 4 Elm Road, Leeds LS6 2AB.\n"
        "At 11pm on 03/02/2026 he followed her home."
    )
    made = _post(api, seed, "/timeline/proposals", {"text": text, "name": "MG11 Jane"})
    assert made.status_code == 201, made.text
    first, second = made.json()["proposed"]
    assert first["status"] == "proposed" and "Terry WILLIAMS" in first["description"]
    confirmed = _post(
        api, seed, f"/timeline/events/{first['id']}/confirm", {"kind": "damage", "phase": "before"}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed" and confirmed.json()["conduct"] == "damage"
    rejected = _post(api, seed, f"/timeline/events/{second['id']}/reject", {})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert _post(api, seed, f"/timeline/events/{second['id']}/reject", {}).status_code == 409
    unknown = "00000000-0000-4000-8000-000000000000"
    assert _post(api, seed, f"/timeline/events/{unknown}/reject", {}).status_code == 404
    assert _field(_post(api, seed, "/timeline/events/not-a-uuid/reject", {})) == "event_id"
    bad_kind = _post(api, seed, f"/timeline/events/{first['id']}/confirm", {"kind": "x"})
    assert _field(bad_kind) == "kind"
    again = _post(api, seed, "/timeline/proposals", {"text": text, "name": "MG11 Jane"})
    assert again.json()["proposed"] == [] and again.json()["dates_found"] == 2


def test_proposals_from_an_uploaded_document(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed, "investigator")
    statement = b"Statement of Jane SMITH.\nOn 14/02/2026 at 20:00 Terry WILLIAMS shouted at me."
    uploaded = api.call(
        "POST",
        f"/api/cases/{seed.team_case}/documents",
        files={"file": ("ws1.txt", statement, "text/plain")},
    )
    assert uploaded.status_code == 201, uploaded.text
    document_id = uploaded.json()["id"]
    made = _post(api, seed, "/timeline/proposals", {"document_id": document_id})
    assert made.status_code == 201, made.text
    (event,) = made.json()["proposed"]
    assert event["source_document"] == f"{document_id}/ws1.txt"
    assert event["occurred_at"].startswith("2026-02-14T20:00")
    audited = _audited(app, seed, "conduct.record")
    assert audited[-1]["target"] == document_id


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "document_id"),
        ({"text": "x", "document_id": "00000000-0000-4000-8000-000000000000"}, 422, "document_id"),
        ({"text": ""}, 422, "text"),
        ({"document_id": "nope"}, 422, "document_id"),
        ({"document_id": "00000000-0000-4000-8000-000000000000"}, 404, None),
    ],
)
def test_bad_proposals(
    app: FastAPI, seed: Seed, body: dict[str, Any], status: int, field: str | None
) -> None:
    bad = _post(_api(app, seed, "investigator"), seed, "/timeline/proposals", body)
    assert bad.status_code == status, bad.text
    assert bad.json()["field"] == field


def test_a_document_the_caller_may_not_read_proposes_nothing(app: FastAPI, seed: Seed) -> None:
    token = _api(app, seed, "investigator").call(
        "POST",
        "/api/auth/tokens",
        json={"name": "conduct only", "scopes": ["conduct.record"], "expires_in_days": 1},
    )
    assert token.status_code == 201, token.text
    narrow = Api(app, token=token.json()["token"])
    refused = _post(narrow, seed, "/timeline/proposals", {"document_id": seed.document_id})
    assert refused.status_code == 404 and "no document" in refused.json()["detail"]


def test_a_contact_time_without_a_time_zone_is_a_422_not_a_crash(app: FastAPI, seed: Seed) -> None:
    bad = _post(
        _api(app, seed, "victimcare"),
        seed,
        "/victim/contacts",
        {"at": "2026-02-22T10:00:00", "method": "text", "summary": "x"},
    )
    assert _field(bad) == "at"
