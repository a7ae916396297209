"""The data-quality page's "Language in case records": counts only, audited (both databases)."""

from __future__ import annotations

from fastapi import FastAPI

from tests.api.conftest import Api, Seed
from tests.web.conftest import Pages

RULE_ROW = "(PUTTING_THEMSELVES_AT_RISK)</td><td>1</td><td>0</td><td>1</td></tr>"


def test_the_quality_page_counts_flagged_language_in_case_records(app: FastAPI, seed: Seed) -> None:
    recorded = Api(app, token=seed.tokens["supervisor"]).call(
        "POST",
        f"/api/cases/{seed.team_case}/events",
        json={
            "kind": "victim_informed",
            "occurred_at": "2026-02-22T10:00:00+00:00",
            "description": "Visited: she is putting herself at risk at the flat.",
        },
    )
    assert recorded.status_code == 201, recorded.text
    pages = Pages(app)
    assert pages.sign_in_page("analyst").status_code == 303
    page = pages.get("/operations/sceptre-2023-11/quality")
    assert page.status_code == 200
    assert "Language in case records" in page.text and "all forces" in page.text
    assert RULE_ROW in page.text
    assert "<tr><td>case events</td>" in page.text
    assert "at the flat" not in page.text  # counts only, never the text
    audit = Api(app, token=seed.tokens["admin"]).call(
        "GET", "/api/audit", params={"action": "metrics.read"}
    )
    assert any(e.get("target") == "language.report" for e in audit.json()), audit.text[:300]
