"""``/api/language``: the check as the API gives it, and who may use it."""

from __future__ import annotations

from fastapi import FastAPI

from tests.api.conftest import Api, Seed


def test_post_text_gets_findings(app: FastAPI, seed: Seed) -> None:
    text = 'Note.\nShe is involved in CSE.\nHe said "she was a willing participant".'
    response = Api(app, token=seed.tokens["investigator"]).call(
        "POST", "/api/language/check", json={"text": text}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["officer"], body["quoted"]) == (1, 1)
    first, second = body["findings"]
    assert (first["rule"], first["phrase"], first["line"], first["voice"]) == (
        "INVOLVED_IN_CSE",
        "involved in CSE",
        2,
        "officer",
    )
    assert text[first["start"] : first["end"]] == "involved in CSE"
    assert first["instead"].startswith("victim of sexual exploitation")
    assert second["voice"] == "quoted" and second["rule"] == "CONSENT_OF_CHILD"


def test_too_long_a_text_is_422_naming_the_field(app: FastAPI, seed: Seed) -> None:
    response = Api(app, token=seed.tokens["analyst"]).call(
        "POST", "/api/language/check", json={"text": "x" * 1_000_001}
    )
    assert response.status_code == 422
    assert "text" in response.text


def test_the_dog_unit_may_not_check(app: FastAPI, seed: Seed) -> None:
    response = Api(app, token=seed.tokens["dogunit"]).call(
        "POST", "/api/language/check", json={"text": "x"}
    )
    assert response.status_code == 403


def test_the_rule_pack_lists_every_rule_with_its_source(app: FastAPI, seed: Seed) -> None:
    body = Api(app, token=seed.tokens["triage"]).call("GET", "/api/language/rules").json()
    assert body["version"]
    assert {"CHILD_PORNOGRAPHY", "PUTTING_THEMSELVES_AT_RISK"} <= {r["id"] for r in body["rules"]}
    assert all(r["source"] and r["instead"] for r in body["rules"])
