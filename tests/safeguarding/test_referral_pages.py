"""Referral pages: the queue with reasons, a referral, assignment and outcome forms."""

from __future__ import annotations

from fastapi import FastAPI

from tests.api.conftest import Api, Seed
from tests.safeguarding.referral_factories import report
from tests.web.conftest import Pages, csrf_of


def test_queue_detail_assign_and_outcome(app: FastAPI, pages: Pages, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["triage"])
    made = api.call("POST", "/api/referrals", json=report()).json()["referral"]
    urgent = api.call(
        "POST",
        "/api/referrals",
        json=report(
            reportId="U",
            reportedPeople=[],
            files=[],
            incidentSummary__escalateToHighPriority="meeting a child tonight",
        ),
    ).json()["referral"]
    api.call(
        "POST",
        "/api/referrals",
        json=report(reportId="X", files=[{"fileName": "a"}], incidentSummary__platform=5),
    )
    assert pages.sign_in_page("triage").status_code == 303
    queue = pages.get("/referrals")
    assert queue.status_code == 200
    assert queue.text.index(urgent["reference"]) < queue.text.index(made["reference"])
    assert "child at immediate risk" in queue.text
    assert "incidentSummary.platform" in queue.text  # the held report, with its error
    detail = pages.get(f"/referrals/{made['reference']}")
    assert detail.status_code == 200
    assert "declared postcode LS6 2AB" in detail.text and "Assign to a force" in detail.text
    refused = pages.post_form(
        f"/referrals/{made['reference']}/assign",
        {"force": "ZZ", "csrf_token": csrf_of(detail.text)},
    )
    assert refused.status_code == 422 and "force: &#39;ZZ&#39; is not a known force" in refused.text
    moved = pages.post_form(
        f"/referrals/{made['reference']}/assign", {"force": "", "csrf_token": csrf_of(detail.text)}
    )
    assert moved.status_code == 303
    after = pages.get(moved.headers["location"])
    assert "assigned to WY" in after.text and "Record an outcome" in after.text
    bad = pages.post_form(
        f"/referrals/{made['reference']}/outcomes",
        {"arrests": "-1", "csrf_token": csrf_of(after.text)},
    )
    assert bad.status_code == 422 and "arrests: a whole number" in bad.text
    done = pages.post_form(
        f"/referrals/{made['reference']}/outcomes",
        {
            "arrests": "1",
            "children_safeguarded": "2",
            "on": "2026-02-25",
            "final": "yes",
            "csrf_token": csrf_of(after.text),
        },
    )
    assert done.status_code == 303
    closed = pages.get(done.headers["location"])
    assert "1 arrest(s), 2 child(ren) safeguarded" in closed.text and "closed" in closed.text


def test_other_roles_do_not_see_referrals(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("victimcare")
    assert pages.get("/referrals").status_code == 403
    assert 'href="/referrals"' not in pages.get("/").text
