"""A force's investigators and supervisors see the referrals assigned to their force and
record outcomes for them; intake, held reports and assignment stay with national triage
(API and pages, SQLite and PostgreSQL)."""

from __future__ import annotations

from fastapi import FastAPI

from tests.api.conftest import Api, Seed
from tests.safeguarding.referral_factories import report
from tests.web.conftest import Pages, csrf_of


def _referrals(app: FastAPI, seed: Seed) -> dict[str, str]:
    """Three referrals (nothing shared, so no repeats): one assigned to WY, one to GMP,
    one left new."""
    triage = Api(app, token=seed.tokens["triage"])
    made: dict[str, str] = {}
    for name, force in (("ours", "WY"), ("theirs", "GMP"), ("new", None)):
        response = triage.call(
            "POST",
            "/api/referrals",
            json=report(reportId=f"F-{name}", reportedPeople=[], files=[]),
        )
        assert response.status_code == 201, response.text
        reference = response.json()["referral"]["reference"]
        if force is not None:
            assigned = triage.call(
                "POST", f"/api/referrals/{reference}/assign", json={"force": force}
            )
            assert assigned.status_code == 200, assigned.text
        made[name] = reference
    return made


def test_a_force_user_sees_and_works_only_their_forces_referrals(app: FastAPI, seed: Seed) -> None:
    made = _referrals(app, seed)
    investigator = Api(app, token=seed.tokens["investigator"])  # force WY
    listed = investigator.call("GET", "/api/referrals")
    assert listed.status_code == 200, listed.text
    assert [r["reference"] for r in listed.json()] == [made["ours"]]
    assert investigator.call("GET", f"/api/referrals/{made['ours']}").status_code == 200
    for hidden in (made["theirs"], made["new"]):
        response = investigator.call("GET", f"/api/referrals/{hidden}")
        assert response.status_code == 404
        assert response.json()["detail"] == f"no referral {hidden}"
    recorded = investigator.call(
        "POST", f"/api/referrals/{made['ours']}/outcomes", json={"arrests": 1}
    )
    assert recorded.status_code == 201, recorded.text
    elsewhere = investigator.call(
        "POST", f"/api/referrals/{made['theirs']}/outcomes", json={"arrests": 1}
    )
    assert elsewhere.status_code == 404
    figures = investigator.call("GET", "/api/referrals/figures").json()
    assert sum(m["arrests"] for m in figures) == 1
    # triage's work stays with triage
    assert investigator.call("GET", "/api/referrals/held").status_code == 403
    assert (
        investigator.call("POST", f"/api/referrals/{made['new']}/assign", json={}).status_code
        == 403
    )
    assert investigator.call("POST", "/api/referrals", json=report()).status_code == 403
    assert (
        Api(app, token=seed.tokens["victimcare"]).call("GET", "/api/referrals").status_code == 403
    )
    audit = Api(app, token=seed.tokens["admin"]).call(
        "GET", "/api/audit", params={"action": "referral.outcome"}
    )
    assert audit.status_code == 200, audit.text
    assert any(e["actor"] == "investigator" for e in audit.json()), audit.json()


def test_the_pages_give_a_force_user_their_queue_and_the_outcome_form(
    app: FastAPI, pages: Pages, seed: Seed
) -> None:
    made = _referrals(app, seed)
    assert pages.sign_in_page("supervisor").status_code == 303
    assert 'href="/referrals"' in pages.get("/").text  # the menu entry
    queue = pages.get("/referrals")
    assert queue.status_code == 200
    assert made["ours"] in queue.text and made["theirs"] not in queue.text
    assert "You see the referrals assigned to WY" in queue.text
    assert "Held for correction" not in queue.text
    detail = pages.get(f"/referrals/{made['ours']}")
    assert "Record an outcome" in detail.text and "Assign to a force" not in detail.text
    assert pages.get(f"/referrals/{made['theirs']}").status_code == 404
    done = pages.post_form(
        f"/referrals/{made['ours']}/outcomes",
        {"arrests": "2", "children_safeguarded": "1", "csrf_token": csrf_of(detail.text)},
    )
    assert done.status_code == 303, done.text[:300]
    assert "2 arrest(s), 1 child(ren) safeguarded" in pages.get(done.headers["location"]).text
    refused = pages.post_form(
        f"/referrals/{made['new']}/assign", {"force": "", "csrf_token": csrf_of(detail.text)}
    )
    assert refused.status_code == 403
