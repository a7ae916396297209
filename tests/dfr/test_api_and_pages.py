"""The API and the Drone docks page, in-process on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi import FastAPI

from tests.api.conftest import Api, Seed
from tests.dfr.samples import INCIDENTS_CSV, SITES_CSV, plan_body
from tests.web.conftest import Pages


def test_api_place_answers_the_cli_json_and_lists_skipped_rows(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["analyst"])
    body = plan_body(
        incidents_csv=INCIDENTS_CSV + "A6,yesterday,623000,309000,theft,1,\n",
        count=2,
        include_map=True,
    )
    response = api.call("POST", "/api/dfr/place", json=body)
    assert response.status_code == 200, response.text
    found = response.json()
    assert sorted(found["chosen"]["docks"]) == ["S1", "S2"]
    assert found["solutions"][-1]["proven_optimal"] is True
    assert found["chosen"]["skipped_rows"] == [
        {
            "source": "incidents_csv",
            "row": 7,
            "field": "time",
            "problem": "'yesterday' is not a date and time (ISO 8601, e.g. 2026-03-01T14:05:00)",
        }
    ]
    assert found["map_svg"].startswith("<svg")
    admin = Api(app, token=seed.tokens["admin"])
    entries = admin.call("GET", "/api/audit", params={"action": "dfr.plan"}).json()
    mine = [e for e in entries if e["actor"] == "analyst" and e["target"] == "dfr/place"]
    assert mine and mine[-1]["detail"]["incidents"] == 5
    assert mine[-1]["detail"]["skipped_rows"] == 1


def test_api_bad_input_is_a_422_naming_the_problem(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["coordinator"])
    response = api.call(
        "POST", "/api/dfr/coverage", json=plan_body(docks=["S1", "S7"], target_s=90)
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "docks: unknown site id(s) S7"
    zones = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}
    response = api.call("POST", "/api/dfr/coverage", json=plan_body(zones=zones))
    assert response.status_code == 422
    assert "zones feature 1: geometry: missing" in response.json()["detail"]


def test_the_page_plans_demoshire_and_draws_the_map(pages: Pages) -> None:
    assert pages.sign_in_page("supervisor").status_code == 303
    response = pages.get("/dfr", params={"count": 3, "target": 100, "docks": "S001, S002"})
    assert response.status_code == 200, response.text[:300]
    html = response.text
    assert 'id="dfr-solutions"' in html and "your docks" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="dfr-map"') == 2
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles


def test_the_page_refuses_unknown_docks_with_a_message(pages: Pages) -> None:
    assert pages.sign_in_page("analyst").status_code == 303
    response = pages.get("/dfr", params={"docks": "NOPE"})
    assert response.status_code == 422
    assert "docks: unknown site id(s) NOPE" in response.text


def test_the_page_plans_uploaded_files_and_names_bad_rows(pages: Pages) -> None:
    assert pages.sign_in_page("coordinator").status_code == 303
    incidents = INCIDENTS_CSV + "A6,2026-03-01T10:00:00,623000,309000,theft,0,\n"
    response = pages.call(
        "POST",
        "/dfr",
        data={"csrf_token": pages.csrf or "", "count": "1", "target": "120", "method": "exact"},
        files={
            "incidents": ("our-incidents.csv", incidents.encode(), "text/csv"),
            "sites": ("our-sites.csv", SITES_CSV.encode(), "text/csv"),
        },
    )
    assert response.status_code == 200, response.text[:500]
    assert "our-incidents.csv row 7: priority" in response.text
    assert "Result for your files" in response.text


def test_the_page_refuses_an_upload_without_sites(pages: Pages) -> None:
    assert pages.sign_in_page("coordinator").status_code == 303
    response = pages.call(
        "POST",
        "/dfr",
        data={"csrf_token": pages.csrf or ""},
        files={"incidents": ("i.csv", INCIDENTS_CSV.encode(), "text/csv")},
    )
    assert response.status_code == 422
    assert "sites: choose a file" in response.text
