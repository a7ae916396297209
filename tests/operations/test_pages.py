"""The operations pages in-process on SQLite and PostgreSQL: the web form, the roll-up,
quality, the line register and the dictionary."""

from __future__ import annotations

from fastapi import FastAPI

from tests.web.conftest import Pages, csrf_of


def test_web_form_submits_a_return_and_the_rollup_shows_it(app: FastAPI) -> None:
    pages = Pages(app)
    assert pages.sign_in_page("supervisor").status_code == 303  # WY's supervisor
    form = pages.get("/operations/sceptre-2023-11/submit")
    assert form.status_code == 200 and 'value="WY"' in form.text
    bad = pages.post_form(
        "/operations/sceptre-2023-11/submit",
        {"csrf_token": csrf_of(form.text), "force": "WY", "arrests": "3", "knife_arrests": "8"},
    )
    assert bad.status_code == 422 and "Nothing was stored" in bad.text
    assert "Knife-related arrests: Knife-related arrests (8) is more than Arrests (3)" in bad.text
    good = pages.post_form(
        "/operations/sceptre-2023-11/submit",
        {"csrf_token": csrf_of(form.text), "force": "WY", "arrests": "30", "knife_arrests": "8"},
    )
    assert good.status_code == 303
    other = pages.post_form(
        "/operations/sceptre-2023-11/submit",
        {"csrf_token": csrf_of(form.text), "force": "GMP", "arrests": "1"},
    )
    assert other.status_code == 403 and "own force" in other.text
    pages = Pages(app)
    assert pages.sign_in_page("analyst").status_code == 303  # reads the national roll-up
    assert pages.get("/operations/sceptre-2023-11/submit").status_code == 403
    rollup = pages.get("/operations/sceptre-2023-11")
    assert rollup.status_code == 200
    assert "returns from 1 of 43 forces" in rollup.text and "<svg" in rollup.text
    assert "Not yet submitted (42)" in rollup.text
    assert "missing" in pages.get("/operations/sceptre-2023-11/quality").text
    assert "knife_arrests" in pages.get("/data-dictionary").text


def test_line_register_page_records_a_line(app: FastAPI) -> None:
    pages = Pages(app)
    pages.sign_in_page("coordinator")
    page = pages.get("/county-lines")
    made = pages.post_form(
        "/county-lines",
        {
            "csrf_token": csrf_of(page.text),
            "number": "07700 900777",
            "force": "GMP",
            "status": "closed",
            "closed_on": "2023-10-11",
            "people": "Kai RIVERS-Demo",
            "places": "",
            "name": "",
        },
    )
    assert made.status_code == 303
    assert "07700900777" in pages.get("/county-lines").text


def test_a_force_supervisor_sees_the_rollup_and_only_their_own_forces_lines(app: FastAPI) -> None:
    coordinator = Pages(app)
    coordinator.sign_in_page("coordinator")
    page = coordinator.get("/county-lines")
    for number, force in (("07700 900111", "GMP"), ("07700 900222", "WY")):
        made = coordinator.post_form(
            "/county-lines",
            {"csrf_token": csrf_of(page.text), "number": number, "force": force, "status": "open"},
        )
        assert made.status_code == 303
    supervisor = Pages(app)
    supervisor.sign_in_page("supervisor")  # WY's supervisor
    assert supervisor.get("/operations/sceptre-2023-11").status_code == 200
    assert 'href="/operations"' in supervisor.get("/").text  # the menu shows Operations
    register = supervisor.get("/county-lines").text
    assert "07700900222" in register and "07700900111" not in register
    national = coordinator.get("/county-lines").text
    assert "07700900222" in national and "07700900111" in national
    taken = supervisor.post_form(
        "/county-lines",
        {
            "csrf_token": csrf_of(supervisor.get("/county-lines").text),
            "number": "07700 900111",  # GMP's line
            "force": "WY",
            "status": "open",
        },
    )
    assert taken.status_code == 422 and "ask the national centre" in taken.text
    assert "GMP" not in taken.text.split("<main", 1)[-1]  # which force holds it is not said
