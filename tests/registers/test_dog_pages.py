"""The dog unit's pages in-process: what the unit and supervisors see, the welfare form."""

from __future__ import annotations

from fastapi import FastAPI

from casework.registers.service import london_today
from tests.api.conftest import Api, Seed
from tests.registers.route_examples import make_dog
from tests.web.conftest import Pages, csrf_of


def test_the_unit_sees_its_register_dashboard_and_findings(
    app: FastAPI, seed: Seed, pages: Pages
) -> None:
    dog = make_dog(app, seed, "")["dog"]
    assert pages.sign_in_page("dogunit").status_code == 303
    home = pages.get("/dogs")
    assert home.status_code == 200
    assert f'href="/dogs/{dog}">Bracken</a>' in home.text
    assert 'href="/dogs" aria-current="page">Dog unit</a>' in home.text
    assert "1 finding against the Standard" in home.text
    findings = pages.get("/dogs/compliance")
    assert findings.status_code == 200
    assert "Daily welfare check missed" in findings.text
    assert "to verify" in findings.text
    page = pages.get(f"/dogs/{dog.lower()}")
    assert page.status_code == 200 and "Record the check" in page.text


def test_a_welfare_check_through_the_form(app: FastAPI, seed: Seed, pages: Pages) -> None:
    dog = make_dog(app, seed, "")["dog"]
    pages.sign_in_page("dogunit")
    form = pages.get(f"/dogs/{dog}")
    fields = {
        "csrf_token": csrf_of(form.text),
        "on": london_today().isoformat(),
        "kind": "daily",
        "by": "PC MARSH",
        "notes": "",
    }
    refused = pages.post_form(f"/dogs/{dog}/welfare", {**fields, "by": " "})
    assert refused.status_code == 422
    assert "by: must not be blank" in refused.text
    concern = pages.post_form(f"/dogs/{dog}/welfare", {**fields, "concern": "yes"})
    assert concern.status_code == 422 and "notes: say what the concern is" in concern.text
    done = pages.post_form(f"/dogs/{dog}/welfare", fields)
    assert done.status_code == 303
    assert done.headers["location"] == f"/dogs/{dog}?recorded=1#welfare"
    shown = pages.get(done.headers["location"])
    assert "Welfare check recorded." in shown.text
    assert "daily by PC MARSH" in shown.text
    audit = Api(app, token=seed.tokens["admin"]).call("GET", "/api/audit", params={"limit": 50})
    targets = [(e["action"], e["target"]) for e in audit.json()]
    assert ("dog.manage", f"dog:{dog}") in targets
    assert ("dog.read", f"dog:{dog}") in targets


def test_a_supervisor_reads_but_may_not_record(app: FastAPI, seed: Seed, pages: Pages) -> None:
    dog = make_dog(app, seed, "")["dog"]
    pages.sign_in_page("supervisor")
    page = pages.get(f"/dogs/{dog}")
    assert page.status_code == 200 and "Record the check" not in page.text
    refused = pages.post_form(
        f"/dogs/{dog}/welfare", {"csrf_token": pages.csrf or "", "by": "x", "on": "2026-01-01"}
    )
    assert refused.status_code == 403


def test_other_roles_get_no_dog_pages(app: FastAPI, seed: Seed, pages: Pages) -> None:
    pages.sign_in_page("investigator")
    assert pages.get("/dogs").status_code == 403
    assert 'href="/dogs"' not in pages.get("/").text
