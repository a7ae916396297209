"""The language data-quality report: counts by rule over the free text of case records,
the writer's words and quoted speech apart, scoped to the caller's force (both databases)."""

from __future__ import annotations

from fastapi import FastAPI

from casework.safeguarding.language_report import language_report
from tests.api.conftest import Api, Seed


def test_counts_by_rule_and_by_source() -> None:
    report = language_report(
        [
            ("case events", "She is putting herself at risk."),
            ("case events", 'He said "she consented to it".'),
            ("missing-person decisions", "Nothing of note."),
        ],
        scope="WY",
    )
    assert (report.texts, report.flagged_texts, report.officer, report.quoted) == (3, 2, 1, 1)
    top = report.rules[0]
    assert (top.rule, top.officer, top.quoted, top.texts) == ("PUTTING_THEMSELVES_AT_RISK", 1, 0, 1)
    assert {r.rule for r in report.rules} >= {"CHILD_PROSTITUTION", "CONSENT_OF_CHILD"}
    events = next(s for s in report.sources if s.source == "case events")
    assert (events.texts, events.flagged_texts, events.officer, events.quoted) == (2, 2, 1, 1)
    assert report.as_dict()["sources"][1]["flagged_texts"] == 0


def test_the_api_counts_a_forces_records_and_audits_the_read(app: FastAPI, seed: Seed) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])  # force WY
    before = supervisor.call("GET", "/api/language/report")
    assert before.status_code == 200, before.text
    made = supervisor.call(
        "POST",
        f"/api/missing/{seed.missing_case}/decisions",
        json={"decision": "Treat as exploitation", "rationale": "Child prostitution suspected."},
    )
    assert made.status_code in (200, 201), made.text
    after = supervisor.call("GET", "/api/language/report").json()
    assert after["scope"] == "WY" and after["texts"] == before.json()["texts"] + 2
    assert after["officer"] == before.json()["officer"] + 1
    rule = next(r for r in after["rules"] if r["rule"] == "CHILD_PROSTITUTION")
    assert rule["officer"] >= 1
    decisions = next(s for s in after["sources"] if s["source"] == "missing-person decisions")
    assert decisions["flagged_texts"] >= 1
    analyst = Api(app, token=seed.tokens["analyst"]).call("GET", "/api/language/report")
    assert analyst.status_code == 200 and analyst.json()["scope"] == "all forces"
    refused = Api(app, token=seed.tokens["investigator"]).call("GET", "/api/language/report")
    assert refused.status_code == 403
    audit = Api(app, token=seed.tokens["admin"]).call(
        "GET", "/api/audit", params={"action": "metrics.read"}
    )
    assert any(e.get("target") == "language.report" for e in audit.json()), audit.text[:300]
