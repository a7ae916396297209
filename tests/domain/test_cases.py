"""Case references, names of persons, and the deadlines worked out for a case."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from casework.domain.case_deadlines import (
    CaseDeadline,
    DeadlineKind,
    DeadlineRules,
    derive_case_deadlines,
)
from casework.domain.cases import Case, CaseOffence, CaseReference
from casework.domain.pole import (
    Confirmation,
    Event,
    EventDetails,
    EventKind,
    EventSource,
    Location,
    PersonDetails,
    name_key,
)
from casework.domain.rules import (
    load_bail_rules,
    load_offence_catalogue,
    load_time_limit_rules,
    load_victims_code_rules,
)
from casework.domain.stages import Agency, Stage, StageChange
from casework.journey.calendar import england_and_wales

# --- references -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WY-2026-000123", CaseReference("WY", 2026, 123)),
        (" wy-2026-000123 ", CaseReference("WY", 2026, 123)),
        ("MPS-2025-1234567", CaseReference("MPS", 2025, 1_234_567)),
    ],
)
def test_reference_parses(text: str, expected: CaseReference) -> None:
    assert CaseReference.parse(text) == expected


@pytest.mark.parametrize(
    "text", ["WY-2026-123", "W-2026-000001", "WY2026000001", "WY-26-000001", "", "WY-2026-000000"]
)
def test_bad_reference_says_the_form(text: str) -> None:
    with pytest.raises(ValueError, match=r"FORCE-YEAR-NUMBER|1 or more"):
        CaseReference.parse(text)


def test_reference_prints_zero_padded() -> None:
    assert str(CaseReference("WY", 2026, 7)) == "WY-2026-000007"


# --- persons ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full", "given", "family"),
    [
        ("Jane Ann SMITH", "Jane Ann", "SMITH"),
        ("SMITH, Jane Ann", "Jane Ann", "SMITH"),
        ("  Terry   WILLIAMS ", "Terry", "WILLIAMS"),
        ("Madonna", "", "Madonna"),
    ],
)
def test_full_names_split(full: str, given: str, family: str) -> None:
    person = PersonDetails.from_full_name(full)
    assert (person.given_names, person.family_name) == (given, family)


def test_blank_name_refused() -> None:
    with pytest.raises(ValueError, match="blank"):
        PersonDetails.from_full_name("   ")


def test_name_key_ignores_case_accents_and_spacing() -> None:
    assert name_key("Zoë  O'BRIEN") == name_key("zoe o'brien") == "zoe o'brien"


def test_document_event_must_name_its_document() -> None:
    with pytest.raises(ValueError, match="name the document"):
        EventDetails(
            kind=EventKind.ARREST,
            description="x",
            occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
            source=EventSource.DOCUMENT,
        )


def test_location_needs_both_coordinates() -> None:
    with pytest.raises(ValueError, match="both latitude and longitude"):
        Location(force="WY", description="x", latitude=53.8)


# --- deadlines --------------------------------------------------------------------------

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def rules() -> DeadlineRules:
    return DeadlineRules(
        catalogue=load_offence_catalogue(),
        time_limits=load_time_limit_rules(),
        victims_code=load_victims_code_rules(),
        bail=load_bail_rules(),
        calendar=england_and_wales(),
    )


def _case(
    *,
    offences: tuple[tuple[str, date | None], ...] = (("common_assault", date(2024, 1, 1)),),
    da: bool = True,
    history: tuple[tuple[Stage, datetime], ...] = (),
) -> Case:
    changes = [
        StageChange(
            source=None,
            target=Stage.REPORTED,
            decided_by=Agency.POLICE,
            actor="x",
            reason="opened",
            at=T0,
        )
    ]
    for target, at in history:
        changes.append(
            StageChange(
                source=changes[-1].target,
                target=target,
                decided_by=Agency.POLICE,
                actor="x",
                reason="y",
                at=at,
            )
        )
    return Case(
        id=uuid4(),
        reference=CaseReference("WY", 2026, 1),
        force="WY",
        reported_on=date(2026, 2, 27),
        opened_at=T0,
        domestic_abuse=da,
        restricted=False,
        enhanced_rights=False,
        stage=changes[-1].target,
        offences=tuple(
            CaseOffence(code=c, committed_on=d, recorded_by="x", recorded_at=T0)
            for c, d in offences
        ),
        history=tuple(changes),
    )


def _event(case: Case, kind: EventKind, at: datetime, *, confirmed: bool = True) -> Event:
    return Event(
        case_id=case.id,
        force="WY",
        kind=kind,
        description=kind.words,
        occurred_at=at,
        status=Confirmation.CONFIRMED if confirmed else Confirmation.PROPOSED,
        recorded_by="x",
        recorded_at=at,
    )


def _one(deadlines: list[CaseDeadline], kind: DeadlineKind, about: str) -> CaseDeadline:
    found = [d for d in deadlines if d.kind is kind and d.about == about]
    assert len(found) == 1, deadlines
    return found[0]


def test_worked_example_statement_within_cap(rules: DeadlineRules) -> None:
    case = _case()
    statement = _event(case, EventKind.VICTIM_STATEMENT, datetime(2025, 3, 1, 12, tzinfo=UTC))
    limit = _one(
        derive_case_deadlines(case, [statement], rules=rules),
        DeadlineKind.TIME_LIMIT,
        "common_assault",
    )
    assert limit.due == date(2025, 9, 1)
    assert limit.rule_id == "cja1988_s39a"
    assert "39A" in limit.source


def test_worked_example_two_year_cap(rules: DeadlineRules) -> None:
    case = _case()
    statement = _event(case, EventKind.VICTIM_STATEMENT, datetime(2025, 12, 1, 12, tzinfo=UTC))
    limit = _one(
        derive_case_deadlines(case, [statement], rules=rules),
        DeadlineKind.TIME_LIMIT,
        "common_assault",
    )
    assert limit.due == date(2026, 1, 1)


def test_unconfirmed_statement_does_not_count(rules: DeadlineRules) -> None:
    case = _case()
    proposed = _event(
        case, EventKind.VICTIM_STATEMENT, datetime(2025, 3, 1, 12, tzinfo=UTC), confirmed=False
    )
    limit = _one(
        derive_case_deadlines(case, [proposed], rules=rules),
        DeadlineKind.TIME_LIMIT,
        "common_assault",
    )
    assert limit.due == date(2024, 7, 1)
    assert limit.rule_id == "mca1980_s127"


def test_summary_offence_without_date_is_a_problem_not_a_guess(rules: DeadlineRules) -> None:
    case = _case(offences=(("common_assault", None), ("abh", None)))
    found = derive_case_deadlines(case, [], rules=rules)
    assault = _one(found, DeadlineKind.TIME_LIMIT, "common_assault")
    assert assault.due is None and "not recorded" in assault.problem
    abh = _one(found, DeadlineKind.TIME_LIMIT, "abh")
    assert abh.due is None and abh.problem == "" and abh.rule_id == "no_statutory_time_limit"


def test_charge_settles_the_time_limit(rules: DeadlineRules) -> None:
    charged_at = datetime(2024, 3, 1, 9, tzinfo=UTC)
    case = _case(
        da=False,
        history=(
            (Stage.INVESTIGATING, datetime(2024, 2, 1, tzinfo=UTC)),
            (Stage.CHARGED, charged_at),
        ),
    )
    limit = _one(
        derive_case_deadlines(case, [], rules=rules), DeadlineKind.TIME_LIMIT, "common_assault"
    )
    assert limit.settled_on == date(2024, 3, 1)
    assert not limit.is_open


def test_referral_duty_from_the_report_and_met_by_a_referral(rules: DeadlineRules) -> None:
    case = _case()  # reported Friday 27 February 2026
    duty = _one(
        derive_case_deadlines(case, [], rules=rules), DeadlineKind.VICTIMS_CODE, "crime_reported"
    )
    assert duty.due == date(2026, 3, 3)  # 2 working days: Monday, Tuesday
    assert duty.is_overdue(date(2026, 3, 4))
    referral = _event(case, EventKind.SUPPORT_REFERRAL, datetime(2026, 3, 2, 9, tzinfo=UTC))
    met = _one(
        derive_case_deadlines(case, [referral], rules=rules),
        DeadlineKind.VICTIMS_CODE,
        "crime_reported",
    )
    assert met.settled_on == date(2026, 3, 2)
    assert not met.is_overdue(date(2026, 3, 4))


def test_arrest_duty_is_one_working_day_for_domestic_abuse(rules: DeadlineRules) -> None:
    case = _case()
    arrest = _event(case, EventKind.ARREST, datetime(2026, 4, 2, 20, tzinfo=UTC))  # Thu
    duty = _one(
        derive_case_deadlines(case, [arrest], rules=rules), DeadlineKind.VICTIMS_CODE, "arrest"
    )
    # Friday 3 April and Monday 6 April 2026 are bank holidays: next working day is Tue 7th.
    assert duty.due == date(2026, 4, 7)
    assert duty.rule_id == "vc_right6_enhanced"


def test_arrest_duty_is_five_working_days_otherwise(rules: DeadlineRules) -> None:
    case = _case(da=False)
    arrest = _event(case, EventKind.ARREST, datetime(2026, 3, 2, 9, tzinfo=UTC))  # Monday
    duty = _one(
        derive_case_deadlines(case, [arrest], rules=rules), DeadlineKind.VICTIMS_CODE, "arrest"
    )
    assert duty.due == date(2026, 3, 9)
    assert duty.rule_id == "vc_right6_standard"


def test_victim_informed_before_the_arrest_does_not_meet_it(rules: DeadlineRules) -> None:
    case = _case()
    told = _event(case, EventKind.VICTIM_INFORMED, datetime(2026, 3, 1, 9, tzinfo=UTC))
    arrest = _event(case, EventKind.ARREST, datetime(2026, 3, 2, 9, tzinfo=UTC))
    duty = _one(
        derive_case_deadlines(case, [told, arrest], rules=rules),
        DeadlineKind.VICTIMS_CODE,
        "arrest",
    )
    assert duty.settled_on is None
    later = _event(case, EventKind.VICTIM_INFORMED, datetime(2026, 3, 2, 15, tzinfo=UTC))
    duty = _one(
        derive_case_deadlines(case, [told, arrest, later], rules=rules),
        DeadlineKind.VICTIMS_CODE,
        "arrest",
    )
    assert duty.settled_on == date(2026, 3, 2)


def test_charge_decision_starts_a_duty(rules: DeadlineRules) -> None:
    case = _case(
        da=False,
        history=(
            (Stage.INVESTIGATING, datetime(2026, 3, 2, tzinfo=UTC)),
            (Stage.NO_FURTHER_ACTION, datetime(2026, 3, 3, 16, tzinfo=UTC)),
        ),
    )
    duty = _one(
        derive_case_deadlines(case, [], rules=rules),
        DeadlineKind.VICTIMS_CODE,
        "no_charge_decision",
    )
    assert duty.due == date(2026, 3, 10)


def test_bail_period_and_who_may_extend(rules: DeadlineRules) -> None:
    case = _case()
    bailed = _event(case, EventKind.BAILED, datetime(2026, 1, 1, 12, tzinfo=UTC))
    bail = _one(
        derive_case_deadlines(case, [bailed], rules=rules), DeadlineKind.BAIL, "pre-charge bail"
    )
    assert bail.due == date(2026, 3, 31)
    assert "inspector" in bail.detail
    rui = _event(case, EventKind.RELEASED_UNDER_INVESTIGATION, datetime(2026, 2, 1, tzinfo=UTC))
    ended = _one(
        derive_case_deadlines(case, [bailed, rui], rules=rules),
        DeadlineKind.BAIL,
        "pre-charge bail",
    )
    assert ended.settled_on == date(2026, 2, 1)
