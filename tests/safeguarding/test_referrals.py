"""Referral services on SQLite and PostgreSQL: intake, holding, repeats, matching, triage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from casework.domain.referrals import HashKind, KnownHash, ReferralQuery, ReferralStatus
from casework.errors import Conflict, InvalidInput, NotFound
from casework.safeguarding import referrals as service
from casework.safeguarding.referrals import IntakeResult
from casework.store import SqlCaseStore
from casework.store.referral_repository import SqlReferralRepository
from tests.safeguarding.referral_factories import DELETE, MD5, PDQ, payload

NOW = datetime(2026, 2, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def repo(store: SqlCaseStore) -> SqlReferralRepository:
    return SqlReferralRepository(store.session)


def _take(repo: SqlReferralRepository, text: str, source: str = "r.json") -> service.Intake:
    return service.intake(repo=repo, payload=text, source=source, now=NOW)


def test_a_report_is_taken_in_located_and_scored(repo: SqlReferralRepository) -> None:
    result = _take(repo, payload())
    assert result.result is IntakeResult.ACCEPTED
    referral = result.referral
    assert referral is not None and referral.reference == "IR-2026-000001"
    assert referral.located_force == "WY"
    assert any("declared postcode LS6 2AB" in r for r in referral.location_reasons)
    assert referral.band == "medium" and referral.priority == 35
    assert referral.priority_reasons[0].startswith("+25 1 file(s) seen by the platform")
    kinds = {(i.kind.value, i.value) for i in referral.identifiers}
    assert ("email", "dark.one@example.com") in kinds and ("phone", "447700900123") in kinds
    assert ("account", "examplechat:u-100") in kinds and ("md5", MD5) in kinds
    assert repo.get("IR-2026-000001") == referral


BAD = [
    (
        payload(incidentSummary__incidentDateTime=DELETE),
        "incidentSummary.incidentDateTime: Field required",
    ),
    (
        payload(incidentSummary__incidentDateTime="2026-02-20T21:00:00"),
        "incidentSummary.incidentDateTime: Input should have timezone info",
    ),
    (payload(incidentSummary__incidentType="Bad"), "incidentSummary.incidentType: Input should be"),
    (payload(files__0__md5="xyz"), "files.0.md5: md5 is 32 hex characters, got 'xyz'"),
    (
        payload(reportedPeople__0__emails=["no-at-sign"]),
        "reportedPeople.0.emails: 'no-at-sign' is not an e-mail",
    ),
    (
        payload(reportedPeople__0__ipCaptureEvents__0__ipAddress="999.1.1.1"),
        "reportedPeople.0.ipCaptureEvents.0.ipAddress",
    ),
    (payload(surprise=1), "surprise: not a field of the report schema"),
    ("{not json", "not JSON"),
    ("[]", "a report is a JSON object"),
]


@pytest.mark.parametrize(("text", "error"), BAD)
def test_a_malformed_report_is_held_with_errors_naming_the_field(
    repo: SqlReferralRepository, text: str, error: str
) -> None:
    result = _take(repo, text, "bad.json")
    assert result.result is IntakeResult.HELD
    assert any(e.startswith(error) for e in result.errors), result.errors
    held = repo.held()
    assert [h.payload for h in held] == [text]
    assert repo.find(ReferralQuery(include_repeats=True)) == []


def test_a_held_report_is_corrected(repo: SqlReferralRepository) -> None:
    held = _take(repo, payload(files__0__md5="xyz")).held
    assert held is not None
    still = service.correct(repo=repo, held_id=held.id, payload="{}", now=NOW)
    assert still.result is IntakeResult.HELD
    fixed = service.correct(repo=repo, held_id=held.id, payload=payload(), now=NOW)
    assert fixed.result is IntakeResult.ACCEPTED and fixed.referral is not None
    assert [h.source for h in repo.held()] == ["r.json"]  # only the second failed attempt
    assert repo.get_held(held.id).corrected_by == fixed.referral.reference  # type: ignore[union-attr]
    with pytest.raises(Conflict, match="already corrected"):
        service.correct(repo=repo, held_id=held.id, payload=payload(), now=NOW)


def test_the_same_report_twice_is_received_once(repo: SqlReferralRepository) -> None:
    first = _take(repo, payload())
    again = _take(repo, payload())
    assert again.result is IntakeResult.ALREADY_RECEIVED
    assert again.referral == first.referral
    assert len(repo.find(ReferralQuery(include_repeats=True))) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"reportedPeople__0__emails": ["DARK.ONE@example.com"]},
        {"reportedPeople__0__phones": ["+44 7700 900123"]},
        {"reportedPeople__0__accounts": [{"service": "ExampleChat", "userId": "U-100"}]},
        {"files": [{"fileName": "other-name.jpg", "md5": MD5}]},
    ],
)
def test_a_repeat_about_the_same_user_or_file_is_linked(
    repo: SqlReferralRepository, change: dict[str, object]
) -> None:
    first = _take(repo, payload()).referral
    assert first is not None
    others = {
        "reportId": "ESP-2",
        "reportedPeople__0__emails": ["someone.else@example.com"],
        "reportedPeople__0__phones": [],
        "reportedPeople__0__accounts": [{"service": "examplechat", "userId": "u-999"}],
        "files": [],
    }
    result = _take(repo, payload(**{**others, **change}))
    assert result.result is IntakeResult.REPEAT
    assert result.referral is not None and result.referral.repeat_of == first.reference
    primary = repo.get(first.reference)
    assert primary is not None and primary.repeats == 1
    assert primary.priority == first.priority + 5
    assert "+5 1 repeat report(s) about the same user or file" in primary.priority_reasons
    queue = service.queue(repo=repo, query=ReferralQuery())
    assert [r.reference for r in queue] == [first.reference]


def test_files_match_known_lists_exactly_and_by_pdq(repo: SqlReferralRepository) -> None:
    near = f"{int(PDQ, 16) ^ 0b1011:064x}"  # 3 bits apart
    far = f"{int(PDQ, 16) ^ ((1 << 40) - 1):064x}"  # 40 bits apart
    service.load_known_hashes(
        repo=repo,
        hashes=[
            KnownHash("list-a", HashKind.MD5, MD5, "series 1"),
            KnownHash("list-b", HashKind.PDQ, near, "series 2"),
            KnownHash("list-b", HashKind.PDQ, far, "series 3"),
        ],
    )
    referral = _take(repo, payload()).referral
    assert referral is not None
    assert {(m.kind, m.list_name, m.distance) for m in referral.matches} == {
        (HashKind.MD5, "list-a", 0),
        (HashKind.PDQ, "list-b", 3),
    }
    low = _take(repo, payload(reportId="ESP-9", files__0__pdqQuality=20, files__0__md5=None))
    assert low.referral is not None and low.referral.matches == ()  # low quality: skipped


def test_loading_a_list_again_adds_nothing_and_rematch_rescores(
    repo: SqlReferralRepository,
) -> None:
    referral = _take(repo, payload()).referral
    assert referral is not None and referral.matches == ()
    hashes = service.parse_known_hashes(
        f"kind,value,label\nmd5,{MD5.upper()},series 1\n", list_name="list-a", source="l.csv"
    )
    assert service.load_known_hashes(repo=repo, hashes=hashes) == 1
    assert service.load_known_hashes(repo=repo, hashes=hashes) == 0
    [changed] = service.rematch(repo=repo)
    assert [m.list_name for m in changed.matches] == ["list-a"]
    assert "+10 1 file(s) match known-hash lists" in changed.priority_reasons


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("sha256,abc\n", "l.csv, row 1: kind 'sha256' is not md5, sha1 or pdq"),
        ("md5,abc\n", "l.csv, row 1: md5 is 32 hex characters"),
        ("kind,value\npdq,zz\n", "l.csv, row 2: pdq is 64 hex characters"),
    ],
)
def test_a_bad_hash_list_names_the_row(text: str, error: str) -> None:
    with pytest.raises(InvalidInput, match=error):
        service.parse_known_hashes(text, list_name="x", source="l.csv")


@pytest.mark.parametrize(
    ("change", "force", "reason"),
    [
        ({"reportedPeople__0__declaredLocation": DELETE}, "WY", "latest IP 192.0.2.10"),
        (
            {
                "reportedPeople__0__declaredLocation": DELETE,
                "reportedPeople__0__ipCaptureEvents": [],
                "reportedPeople__0__phones": ["0161 496 0123"],
            },
            "GMP",
            "phone 0161 496 0123 has the Manchester area code",
        ),
        (
            {
                "reportedPeople__0__declaredLocation": {"country": "FR", "city": "Paris"},
                "reportedPeople__0__ipCaptureEvents": [
                    {"ipAddress": "203.0.113.9", "dateTime": "2026-02-19T20:00:00Z"}
                ],
            },
            None,
            "outside the UK (FR, US): for the NCA to route",
        ),
        (
            {
                "reportedPeople__0__declaredLocation": DELETE,
                "reportedPeople__0__ipCaptureEvents": [],
            },
            None,
            "no UK location in the report",
        ),
        (
            {
                "reportedPeople__0__declaredLocation": {"country": "GB", "city": "Cardiff"},
                "reportedPeople__0__ipCaptureEvents": [
                    {"ipAddress": "192.0.2.40", "dateTime": "2026-02-19T20:00:00Z"}
                ],
            },
            None,
            "signals disagree (GMP, SWP equally)",
        ),
    ],
)
def test_location_with_reasons(
    repo: SqlReferralRepository, change: dict[str, object], force: str | None, reason: str
) -> None:
    referral = _take(repo, payload(**change)).referral
    assert referral is not None
    assert referral.located_force == force
    assert any(reason in r for r in referral.location_reasons), referral.location_reasons


def test_a_child_at_immediate_risk_comes_first(repo: SqlReferralRepository) -> None:
    _take(repo, payload(reportId="A", incidentSummary__reportAnnotations=["sextortion"]))
    urgent = _take(
        repo,
        payload(
            reportId="B",
            reportedPeople=[],
            files=[],
            incidentSummary__escalateToHighPriority="meeting a child tonight",
        ),
    ).referral
    assert urgent is not None and urgent.band == "immediate"
    assert urgent.priority_reasons[0].startswith("+100 child at immediate risk")
    queue = service.queue(repo=repo, query=ReferralQuery())
    assert queue[0].reference == urgent.reference


def test_assign_record_outcomes_and_monthly_figures(repo: SqlReferralRepository) -> None:
    referral = _take(repo, payload()).referral
    assert referral is not None
    with pytest.raises(Conflict, match="outcomes are recorded for referrals assigned"):
        service.record_outcome(
            repo=repo,
            reference=referral.reference,
            arrests=1,
            children_safeguarded=0,
            final=False,
            notes="",
            on=date(2026, 2, 22),
            actor="t",
            force=None,
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="force: 'XX' is not a known force"):
        service.assign(repo=repo, reference=referral.reference, force="XX", actor="t", now=NOW)
    assigned = service.assign(
        repo=repo, reference=referral.reference, force=None, actor="triage", now=NOW
    )
    assert (assigned.force, assigned.status) == ("WY", ReferralStatus.ASSIGNED)
    with pytest.raises(InvalidInput, match="arrests: -1"):
        service.record_outcome(
            repo=repo,
            reference=referral.reference,
            arrests=-1,
            children_safeguarded=0,
            final=False,
            notes="",
            on=date(2026, 2, 22),
            actor="t",
            force=None,
            now=NOW,
        )
    with pytest.raises(NotFound):
        service.get_referral(repo=repo, reference=referral.reference, force="GMP")
    later = NOW + timedelta(days=40)
    for day, arrests, children, final in (
        (date(2026, 2, 25), 1, 2, False),
        (date(2026, 3, 10), 1, 1, True),
    ):
        service.record_outcome(
            repo=repo,
            reference=referral.reference,
            arrests=arrests,
            children_safeguarded=children,
            final=final,
            notes="",
            on=day,
            actor="wy",
            force="WY",
            now=later,
        )
    closed = repo.get(referral.reference)
    assert closed is not None and closed.status is ReferralStatus.CLOSED
    assert (closed.arrests, closed.children_safeguarded) == (2, 3)
    rows = [
        (f.month, f.received, f.assigned, f.arrests, f.children_safeguarded)
        for f in service.monthly_figures(repo=repo)
    ]
    assert rows == [("2026-02", 1, 1, 1, 2), ("2026-03", 0, 0, 1, 1)]
    assert service.monthly_figures(repo=repo, force="GMP") == []


def test_a_repeat_cannot_be_assigned(repo: SqlReferralRepository) -> None:
    _take(repo, payload())
    repeat = _take(repo, payload(reportId="ESP-2")).referral
    assert repeat is not None and repeat.status is ReferralStatus.REPEAT
    with pytest.raises(Conflict, match="assign IR-2026-000001"):
        service.assign(repo=repo, reference=repeat.reference, force="WY", actor="t", now=NOW)


def test_the_demo_referrals_load_once(repo: SqlReferralRepository) -> None:
    from casework.safeguarding.referrals_demo import load_demo_referrals

    loaded = load_demo_referrals(repo=repo, now=NOW, count=60)
    assert loaded.added > 40 and loaded.held == 1 and loaded.repeats > 0
    assert loaded.assigned > 0 and loaded.outcomes > 0
    assert sum(loaded.by_band.values()) == loaded.added
    assert any(f.arrests for f in service.monthly_figures(repo=repo))
    assert load_demo_referrals(repo=repo, now=NOW, count=60).skipped
