"""The operations API on SQLite and PostgreSQL: submit (JSON, file), scoping, reports."""

from __future__ import annotations

from fastapi import FastAPI

from tests.api.conftest import Api, Seed

OP = "/api/operations/sceptre-2023-11"


def test_submit_version_and_roll_up(app: FastAPI, seed: Seed) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])  # a WY supervisor: WY's return
    analyst = Api(app, token=seed.tokens["analyst"])  # national, aggregates only
    first = supervisor.call("POST", f"{OP}/returns", json={"force": "WY", "values": {"arrests": 7}})
    assert first.status_code == 201, first.text
    second = supervisor.call(
        "POST",
        f"{OP}/returns/file",
        files={"file": ("wy.csv", b"force,arrests,knife_arrests\nWY,9,4\n", "text/csv")},
    )
    assert second.status_code == 201
    stored = second.json()["stored"][0]
    assert stored["version"] == 2 and stored["replaces"] == 1
    assert stored["changed"]["arrests"] == {"before": 7.0, "after": 9.0}
    rollup = analyst.call("GET", f"{OP}/rollup").json()
    assert rollup["measures"]["arrests"]["total"] == 9
    status = analyst.call("GET", f"{OP}/returns").json()
    assert status["submitted"] == 1 and "GMP" in status["not_yet"]
    pdf = analyst.call("GET", f"{OP}/summary", params={"format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    svg = analyst.call("GET", f"{OP}/chart.svg", params={"measure": "arrests", "by": "force"})
    assert svg.text.startswith("<svg") and "West Yorkshire" in svg.text


def test_force_scoping_and_bad_input(app: FastAPI, seed: Seed) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])
    analyst = Api(app, token=seed.tokens["analyst"])
    other = supervisor.call(
        "POST", f"{OP}/returns", json={"force": "GMP", "values": {"arrests": 1}}
    )
    assert other.status_code == 403 and "own force" in other.json()["detail"]
    mine = analyst.call("POST", f"{OP}/returns", json={"force": "WY", "values": {"arrests": 1}})
    assert mine.status_code == 403  # the analyst reads aggregates and enters nothing
    coordinator = Api(app, token=seed.tokens["coordinator"])
    national = coordinator.call(
        "POST", f"{OP}/returns", json={"force": "GMP", "values": {"arrests": 1}}
    )
    assert national.status_code == 201
    bad = supervisor.call(
        "POST",
        f"{OP}/returns",
        json={"force": "WY", "values": {"arrests": 2, "knife_arrests": 5}},
    )
    assert bad.status_code == 422 and "values.knife_arrests" in bad.json()["detail"]
    assert analyst.call("GET", f"{OP}/rollup").json()["forces_submitted"] == ["GMP"]
    investigator = Api(app, token=seed.tokens["investigator"])
    assert investigator.call("GET", f"{OP}/rollup").status_code == 403


def test_a_return_file_over_the_limit_is_413_before_its_body_is_read(
    app: FastAPI, seed: Seed
) -> None:
    api = Api(app, token=seed.tokens["coordinator"])
    pulled = 0

    async def body():  # type: ignore[no-untyped-def]
        nonlocal pulled
        for _ in range(100):
            pulled += 1
            yield b"x" * 65536

    response = api.call(
        "POST",
        f"{OP}/returns/file",
        content=body(),
        headers={
            "Content-Type": "multipart/form-data; boundary=b",
            "Content-Length": str(50 * 1024 * 1024),
        },
    )
    assert response.status_code == 413
    assert response.json()["field"] == "file"
    assert pulled <= 1  # the transport may start the body; the app asked for none of it
    assert api.call("GET", f"{OP}/returns").json()["submitted"] == 0
