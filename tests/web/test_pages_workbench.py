"""Pages in-process (SQLite and PostgreSQL): the case page's forms, my tasks, the suspect
timeline, the link chart and the dashboards; each refusal keeps what was typed and names
the field, each write and read is audited as the API audits it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from casework.journey.deadlines import today_in_london
from tests.api.conftest import Api
from tests.web.conftest import Pages, Seed, csrf_of

DASH_ALL_NO = {
    f"q{n:02d}_{name}": "no"
    for n, name in enumerate(
        [
            "injury",
            "frightened",
            "fear_of_what",
            "isolation",
            "depression",
            "separation",
            "child_contact",
            "stalking",
            "pregnancy",
            "frequency",
            "severity",
            "control_jealousy",
            "weapons",
            "threats_to_kill",
            "strangulation",
            "sexual_abuse",
            "other_threats",
            "hurt_others",
            "animals",
            "finances",
            "substances_mental_health",
            "abuser_suicide",
            "breach",
            "criminal_history",
        ],
        start=1,
    )
}


def _signed_in(pages: Pages, role: str) -> Pages:
    assert pages.sign_in_page(role).status_code == 303
    return pages


def _api(app: FastAPI, seed: Seed, role: str) -> Api:
    return Api(app, token=seed.tokens[role])


def _post_api(api: Api, seed: Seed, path: str, body: dict[str, Any]) -> Any:
    response = api.call("POST", f"/api/cases/{seed.team_case}{path}", json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _form(pages: Pages, seed: Seed, path: str, fields: dict[str, str]) -> Any:
    case = pages.get(f"/cases/{seed.team_case}")
    return pages.post_form(
        f"/cases/{seed.team_case}{path}", {"csrf_token": csrf_of(case.text), **fields}
    )


def _audited(app: FastAPI, seed: Seed, action: str) -> list[dict[str, Any]]:
    found = _api(app, seed, "admin").call(
        "GET", "/api/audit", params={"case": seed.team_case, "action": action}
    )
    assert found.status_code == 200, found.text
    entries: list[dict[str, Any]] = found.json()
    return entries


def test_case_page_has_every_section_and_links_to_the_other_pages(pages: Pages, seed: Seed) -> None:
    text = _signed_in(pages, "investigator").get(f"/cases/{seed.team_case}").text
    for heading in (
        "Summary",
        "People and their roles",
        "Offences",
        "Deadlines",
        "Victim",
        "Evidence checklist",
        "CPS",
        "Documents",
    ):
        assert f">{heading}" in text, heading
    for href in ("/documents", "/timeline", "/links"):
        assert f'href="/cases/{seed.team_case}{href}"' in text
    assert "Add a person" in text and "Record an offence" in text and "Record a contact" in text
    assert "Record the charging decision" not in text  # an investigator does not decide


def test_add_a_person(pages: Pages, seed: Seed, app: FastAPI) -> None:
    _signed_in(pages, "investigator")
    added = _form(
        pages,
        seed,
        "/parties",
        {"name": "Sam NEIGHBOUR", "role": "witness", "date_of_birth": "1990-04-02"},
    )
    assert added.status_code == 303
    after = pages.get(added.headers["location"])
    assert "Person added to the case." in after.text
    assert "Sam NEIGHBOUR" in after.text
    assert _audited(app, seed, "case.add_party")


def test_add_a_person_refused_keeps_what_was_typed_and_names_the_field(
    pages: Pages, seed: Seed
) -> None:
    _signed_in(pages, "investigator")
    blank = _form(pages, seed, "/parties", {"name": "  ", "role": "witness"})
    assert blank.status_code == 422
    assert 'id="party-name-error"' in blank.text and "give the person&#39;s full name" in blank.text
    assert '<option value="witness" selected>' in blank.text
    no_role = _form(pages, seed, "/parties", {"name": "Sam NEIGHBOUR", "role": "friend"})
    assert no_role.status_code == 422
    assert 'id="party-role-error"' in no_role.text
    assert 'value="Sam NEIGHBOUR"' in no_role.text
    later = (today_in_london() + timedelta(days=3)).isoformat()
    born = _form(
        pages, seed, "/parties", {"name": "A B", "role": "witness", "date_of_birth": later}
    )
    assert born.status_code == 422 and 'id="party-date_of_birth-error"' in born.text


def test_record_an_offence_and_its_time_limit_appears(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "investigator")
    made = _form(
        pages, seed, "/offences", {"code": "criminal_damage", "committed_on": "2026-02-20"}
    )
    assert made.status_code == 303, made.text[:500]
    after = pages.get(made.headers["location"])
    assert "Offence recorded" in after.text
    deadlines = after.text[after.text.index('id="deadlines"') :]
    assert "Criminal damage" in deadlines
    bad = _form(pages, seed, "/offences", {"code": "criminal_damage", "committed_on": "20/02"})
    assert bad.status_code == 422 and 'id="offence-committed_on-error"' in bad.text
    assert '<option value="criminal_damage" selected>' in bad.text
    unknown = _form(pages, seed, "/offences", {"code": "no_such_offence"})
    assert unknown.status_code == 422 and 'id="offence-code-error"' in unknown.text


def test_record_a_victim_contact(pages: Pages, seed: Seed, app: FastAPI) -> None:
    _signed_in(pages, "victimcare")
    today = today_in_london().isoformat()
    made = _form(
        pages,
        seed,
        "/victim/contacts",
        {"on": today, "at": "00:01", "method": "phone", "summary": "Explained the next steps"},
    )
    assert made.status_code == 303, made.text[:500]
    after = pages.get(made.headers["location"])
    assert "Contact with the victim recorded." in after.text
    assert "Explained the next steps" in after.text
    assert _audited(app, seed, "case.record_event")


def test_a_refused_contact_keeps_the_summary(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "victimcare")
    response = _form(
        pages,
        seed,
        "/victim/contacts",
        {"on": "2026-02-22", "at": "", "method": "phone", "summary": "Called about bail"},
    )
    assert response.status_code == 422
    assert 'id="contact-at-error"' in response.text
    assert "Called about bail</textarea>" in response.text
    assert '<option value="phone" selected>' in response.text
    assert "data-form-error" in response.text
    early = _form(
        pages,
        seed,
        "/victim/contacts",
        {"on": "2020-01-01", "at": "10:00", "method": "phone", "summary": "x"},
    )
    assert early.status_code == 422 and 'id="contact-on-error"' in early.text


def test_prosecutor_records_a_charging_decision(pages: Pages, seed: Seed, app: FastAPI) -> None:
    _signed_in(pages, "prosecutor")
    assert "File with the CPS waiting for a charging decision" in pages.get("/").text
    page = pages.get(f"/cases/{seed.team_case}")
    assert "Record the charging decision" in page.text
    refused = _form(
        pages,
        seed,
        "/cps/decision",
        {"outcome": "charge", "test": "full_code", "charge.common_assault": "on", "reasons": ""},
    )
    assert refused.status_code == 422
    assert 'id="decision-reasons-error"' in refused.text
    assert '<option value="charge" selected>' in refused.text
    assert re.search(
        r'name="charge.common_assault" type="checkbox" value="on"\s+checked', refused.text
    )
    made = _form(
        pages,
        seed,
        "/cps/decision",
        {
            "outcome": "charge",
            "test": "full_code",
            "charge.common_assault": "on",
            "reasons": "Full Code Test met: medical evidence and 999 call",
        },
    )
    assert made.status_code == 303, made.text[:500]
    after = pages.get(made.headers["location"])
    assert "Charging decision recorded" in after.text
    assert "Full Code Test met: medical evidence and 999 call" in after.text
    assert "Stage: charged" in after.text
    assert _audited(app, seed, "cps.decide")


def test_only_a_prosecutor_may_post_a_decision(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "investigator")
    response = _form(pages, seed, "/cps/decision", {"outcome": "charge", "reasons": "x"})
    assert response.status_code == 403


def test_answer_an_action_plan_item(pages: Pages, seed: Seed, app: FastAPI) -> None:
    due = (today_in_london() + timedelta(days=3)).isoformat()
    _post_api(
        _api(app, seed, "prosecutor"), seed, "/cps/actions", {"action": "CCTV", "due_on": due}
    )
    _signed_in(pages, "investigator")
    home = pages.get("/")
    assert "My tasks" in home.text and "Action plan item 1: CCTV" in home.text
    empty = _form(pages, seed, "/cps/actions/1/response", {"response": " "})
    assert empty.status_code == 422 and 'id="response-1-response-error"' in empty.text
    made = _form(pages, seed, "/cps/actions/1/response", {"response": "CCTV seized"})
    assert made.status_code == 303
    assert "CCTV seized" in pages.get(made.headers["location"]).text
    assert "Action plan item 1" not in pages.get("/").text


def test_timeline_shows_the_offence_and_confirms_or_rejects_proposals(
    pages: Pages, seed: Seed, app: FastAPI
) -> None:
    text = (
        "On 01/02/2026 at 21:30 Terry WILLIAMS smashed her phone at 4 Elm Road, Leeds LS6 2AB.\n"
        "At 11pm on 03/02/2026 he followed her home."
    )
    made = _post_api(
        _api(app, seed, "investigator"), seed, "/timeline/proposals", {"text": text, "name": "MG11"}
    )
    first, second = (e["id"] for e in made["proposed"])
    _signed_in(pages, "investigator")
    assert "2 events proposed from documents" in pages.get("/").text
    page = pages.get(f"/cases/{seed.team_case}/timeline")
    assert page.status_code == 200
    assert '<svg class="chart timeline-chart"' in page.text and "the offence" in page.text
    assert "Proposed from documents (2)" in page.text
    url = f"/cases/{seed.team_case}/timeline/events"
    bad = pages.post_form(f"{url}/{first}/confirm", {"csrf_token": csrf_of(page.text), "kind": ""})
    assert bad.status_code == 422 and f'id="confirm-{first}-kind-error"' in bad.text
    ok = pages.post_form(
        f"{url}/{first}/confirm",
        {"csrf_token": csrf_of(page.text), "kind": "damage", "phase": "before"},
    )
    assert ok.status_code == 303
    rejected = pages.post_form(f"{url}/{second}/reject", {"csrf_token": csrf_of(page.text)})
    assert rejected.status_code == 303
    after = pages.get(rejected.headers["location"])
    assert "Proposed from documents (0)" in after.text
    assert "smashed her phone" in after.text and "followed her home" not in after.text
    again = pages.post_form(f"{url}/{second}/reject", {"csrf_token": csrf_of(page.text)})
    assert again.status_code == 409
    assert _audited(app, seed, "conduct.record")


def test_timeline_zoom_with_htmx_returns_the_view_only(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "investigator")
    whole = pages.get(f"/cases/{seed.team_case}/timeline?zoom=30d")
    assert 'aria-current="true" class="current">30 days either side' in whole.text
    part = pages.get(f"/cases/{seed.team_case}/timeline?zoom=7d", headers={"HX-Request": "true"})
    assert part.text.lstrip().startswith('<div id="timeline-view">')
    assert pages.get(f"/cases/{seed.team_case}/timeline?zoom=nonsense").status_code == 200


def test_link_chart_never_draws_a_case_you_may_not_see(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "investigator")
    links = pages.get(f"/cases/{seed.team_case}/links")
    assert links.status_code == 200
    assert '<svg class="chart link-chart"' in links.text
    chart = links.text[links.text.index("<main") :]
    assert "Terry WILLIAMS" in chart and "Amy KHAN" not in chart  # staff are left out
    assert seed.restricted_case not in links.text
    network = pages.get("/network")
    assert network.status_code == 200 and seed.restricted_case not in network.text


def test_link_chart_joins_cases_that_share_a_person(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "supervisor")
    other = _api(pages.app, seed, "supervisor").call(
        "POST",
        "/api/cases",
        json={
            "reported_on": "2026-03-01",
            "parties": [{"role": "suspect", "name": "Terry WILLIAMS"}],
        },
    )
    assert other.status_code == 201, other.text
    reference = other.json()["reference"]
    network = pages.get("/network")
    assert "Terry WILLIAMS" in network.text
    assert f'href="/cases/{reference}"' in network.text and seed.team_case in network.text


def test_dashboards_show_charts_tables_and_a_csv(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "supervisor")
    page = pages.get("/dashboards")
    assert page.status_code == 200
    for chart in ("chart-timeliness", "chart-attrition", "chart-outcomes"):
        assert f'id="{chart}"' in page.text
    assert "Timeliness" in page.text and "Attrition" in page.text and "Outcomes" in page.text
    assert 'href="/dashboards/metrics.csv"' in page.text
    csv = pages.get("/dashboards/metrics.csv?from=2026-01-01")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "dimension,group,measure,value"
    assert "all,all,cases,2" in csv.text


def test_dashboards_explain_bad_filters_and_keep_them(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "supervisor")
    bad = pages.get("/dashboards?from=2026-13-01&to=2026-02-01")
    assert bad.status_code == 422
    assert 'id="dash-from-error"' in bad.text and 'value="2026-13-01"' in bad.text
    order = pages.get("/dashboards?from=2026-03-01&to=2026-02-01")
    assert order.status_code == 422 and "is after to" in order.text
    other_force = pages.get("/dashboards?force=LN")
    assert other_force.status_code == 403 and "sees the metrics of WY only" in other_force.text


def test_analyst_sees_every_force_and_no_case(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "analyst")
    menu = pages.get("/").text
    assert 'href="/dashboards"' in menu and 'href="/network"' not in menu
    assert pages.get("/dashboards?force=LN").status_code == 200
    assert "all forces" in pages.get("/dashboards").text
    assert pages.get("/network").status_code == 403


def test_case_list_filters_by_the_victims_risk(pages: Pages, seed: Seed, app: FastAPI) -> None:
    _post_api(
        _api(app, seed, "investigator"),
        seed,
        "/victim/risk-assessments",
        {"answers": DASH_ALL_NO, "judgement": "high", "reason": "threats to kill, escalating"},
    )
    _signed_in(pages, "supervisor")
    high = pages.get("/cases?risk=high")
    assert high.status_code == 200 and seed.team_case in high.text
    assert '<option value="high" selected>' in high.text
    assert seed.team_case not in pages.get("/cases?risk=standard").text
    bad = pages.get("/cases?risk=extreme")
    assert bad.status_code == 422 and "risk" in bad.text
