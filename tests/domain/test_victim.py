"""Victim engagement: contact gaps, safe contact, referrals, withdrawal, Enhanced Rights."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import pytest

from casework.domain.rules import load_offence_catalogue
from casework.domain.victim import (
    LONDON,
    ContactLogEntry,
    ContactMethod,
    ContactPolicy,
    EnhancedRightsRules,
    FlagKind,
    ReferralKind,
    SupportReferral,
    TimeWindow,
    VictimRecord,
    VictimWishes,
    Withdrawal,
    WithdrawalReason,
    check_contact,
    enhanced_rights,
    last_contact,
    load_enhanced_rights_rules,
    parse_time_window,
    review_engagement,
)
from casework.errors import InvalidInput

REPORTED = date(2025, 3, 3)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def contact(
    day: date, *, made: bool = True, method: ContactMethod = ContactMethod.PHONE
) -> ContactLogEntry:
    return ContactLogEntry(at(day), method, by="PC 123", summary="update given", made=made)


def kinds(record: VictimRecord, today: date, policy: ContactPolicy | None = None) -> set[FlagKind]:
    return {f.kind for f in review_engagement(record, today=today, policy=policy).flags}


@pytest.mark.parametrize(
    ("days_after_last", "flagged"), [(0, False), (13, False), (14, True), (30, True)]
)
def test_no_contact_flag_at_default_14_days(days_after_last: int, flagged: bool) -> None:
    last = REPORTED + timedelta(days=2)
    record = VictimRecord(reported_on=REPORTED, contacts=(contact(last),))
    today = last + timedelta(days=days_after_last)
    review = review_engagement(record, today=today)
    assert review.last_contact == last
    assert review.days_without_contact == days_after_last
    assert (FlagKind.NO_RECENT_CONTACT in kinds(record, today)) is flagged


@pytest.mark.parametrize(("limit", "flagged"), [(7, True), (21, False)])
def test_force_can_change_the_limit(limit: int, flagged: bool) -> None:
    record = VictimRecord(reported_on=REPORTED)
    today = REPORTED + timedelta(days=10)
    policy = ContactPolicy(max_days_without_contact=limit)
    assert (FlagKind.NO_RECENT_CONTACT in kinds(record, today, policy)) is flagged


def test_default_policy_is_14_days() -> None:
    assert ContactPolicy().max_days_without_contact == 14


def test_attempts_do_not_count_as_contact() -> None:
    record = VictimRecord(
        reported_on=REPORTED,
        contacts=(contact(REPORTED + timedelta(days=1)), contact(date(2025, 3, 20), made=False)),
    )
    assert last_contact(record.contacts) == REPORTED + timedelta(days=1)
    assert FlagKind.NO_RECENT_CONTACT in kinds(record, date(2025, 3, 21))


def test_no_contact_counts_from_the_report() -> None:
    review = review_engagement(VictimRecord(reported_on=REPORTED), today=date(2025, 3, 17))
    assert review.last_contact is None and review.days_without_contact == 14
    assert "since the report" in review.flags[0].message


def test_contact_date_is_london_date() -> None:
    late = datetime(2025, 6, 1, 23, 30, tzinfo=UTC)  # 00:30 BST on 2 June
    entry = ContactLogEntry(late, ContactMethod.PHONE, by="DC 9", summary="call")
    assert last_contact([entry]) == date(2025, 6, 2)


def test_opted_out_or_withdrawn_victim_is_not_flagged_for_silence() -> None:
    wishes = VictimWishes(recorded_on=REPORTED, opted_out_of_updates=True)
    today = REPORTED + timedelta(days=40)
    assert FlagKind.NO_RECENT_CONTACT not in kinds(
        VictimRecord(reported_on=REPORTED, wishes=wishes), today
    )
    withdrawal = Withdrawal(
        on=REPORTED, stage="investigating", reasons=(WithdrawalReason.FEAR_OF_SUSPECT,)
    )
    found = kinds(VictimRecord(reported_on=REPORTED, withdrawal=withdrawal), today)
    assert found == {FlagKind.VICTIM_WITHDREW}


def test_today_before_report_is_refused() -> None:
    with pytest.raises(InvalidInput, match="before the report"):
        review_engagement(VictimRecord(reported_on=REPORTED), today=date(2025, 3, 1))


WEEKDAY_DAYTIME = TimeWindow(frozenset(range(5)), time(9), time(17))
WISHES = VictimWishes(
    recorded_on=REPORTED,
    safe_methods=(ContactMethod.TEXT, ContactMethod.VIA_IDVA),
    safe_times=(WEEKDAY_DAYTIME,),
    cautions="never leave a voicemail",
)


@pytest.mark.parametrize(
    ("method", "moment", "safe"),
    [
        (ContactMethod.TEXT, at(date(2025, 3, 4), 10), True),
        (ContactMethod.PHONE, at(date(2025, 3, 4), 10), False),
        (ContactMethod.TEXT, at(date(2025, 3, 4), 18), False),
        (ContactMethod.TEXT, at(date(2025, 3, 4), 17), False),
        (ContactMethod.TEXT, at(date(2025, 3, 8), 10), False),
        (ContactMethod.VIA_IDVA, at(date(2025, 3, 7), 16, 59), True),
    ],
)
def test_check_contact(method: ContactMethod, moment: datetime, safe: bool) -> None:
    check = check_contact(WISHES, method, moment)
    assert check.safe is safe
    assert any("voicemail" in r for r in check.reasons)


def test_no_limits_means_any_contact_is_safe() -> None:
    check = check_contact(VictimWishes(recorded_on=REPORTED), ContactMethod.PHONE, at(REPORTED))
    assert check.safe and check.reasons == ()


def test_logged_contact_against_wishes_is_flagged() -> None:
    record = VictimRecord(
        reported_on=REPORTED,
        wishes=WISHES,
        contacts=(contact(date(2025, 3, 4), method=ContactMethod.PHONE),),
    )
    assert FlagKind.CONTACT_AGAINST_WISHES in kinds(record, date(2025, 3, 5))


def test_contact_before_wishes_were_recorded_is_not_flagged() -> None:
    later = VictimWishes(recorded_on=date(2025, 3, 5), safe_methods=(ContactMethod.TEXT,))
    record = VictimRecord(
        reported_on=REPORTED,
        wishes=later,
        contacts=(contact(date(2025, 3, 4), method=ContactMethod.PHONE),),
    )
    assert FlagKind.CONTACT_AGAINST_WISHES not in kinds(record, date(2025, 3, 6))


@pytest.mark.parametrize(
    ("high_risk", "marac_due", "referrals", "expected"),
    [
        (False, False, (), set()),
        (True, True, (), {FlagKind.IDVA_REFERRAL_MISSING, FlagKind.MARAC_REFERRAL_MISSING}),
        (True, True, (ReferralKind.IDVA,), {FlagKind.MARAC_REFERRAL_MISSING}),
        (True, True, (ReferralKind.IDVA, ReferralKind.MARAC), set()),
        (False, True, (ReferralKind.MARAC,), set()),
    ],
)
def test_referrals(
    high_risk: bool,
    marac_due: bool,
    referrals: tuple[ReferralKind, ...],
    expected: set[FlagKind],
) -> None:
    record = VictimRecord(
        reported_on=REPORTED,
        contacts=(contact(REPORTED),),
        referrals=tuple(SupportReferral(k, REPORTED, by="PC 1") for k in referrals),
        high_risk=high_risk,
        marac_referral_due=marac_due,
    )
    assert kinds(record, REPORTED) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stage": " ", "reasons": (WithdrawalReason.DELAY,)}, "stage"),
        ({"stage": "charged", "reasons": ()}, "at least one reason"),
        ({"stage": "charged", "reasons": (WithdrawalReason.OTHER,)}, "needs details"),
    ],
)
def test_bad_withdrawal(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Withdrawal(on=REPORTED, **kwargs)  # type: ignore[arg-type]


def test_bad_contact_inputs() -> None:
    with pytest.raises(InvalidInput, match="no time zone"):
        ContactLogEntry(datetime(2025, 3, 3, 10), ContactMethod.PHONE, by="PC 1", summary="x")
    with pytest.raises(InvalidInput, match="who made"):
        ContactLogEntry(at(REPORTED), ContactMethod.PHONE, by=" ", summary="x")
    with pytest.raises(InvalidInput, match="before it starts"):
        TimeWindow(frozenset({0}), time(17), time(9))
    with pytest.raises(InvalidInput, match="days"):
        TimeWindow(frozenset({7}), time(9), time(17))


@pytest.mark.parametrize(
    ("text", "days", "start", "end", "written"),
    [
        ("mon-fri 09:00-12:00", range(5), time(9), time(12), "mon-fri 09:00-12:00"),
        ("Sat,Sun 9:30-16:00", (5, 6), time(9, 30), time(16), "sat-sun 09:30-16:00"),
        ("fri-mon 18:00-20:00", (4, 5, 6, 0), time(18), time(20), "mon,fri-sun 18:00-20:00"),
        ("mon,wed,thu 08:00-09:00", (0, 2, 3), time(8), time(9), "mon,wed-thu 08:00-09:00"),
    ],
)
def test_time_window_read_and_written(
    text: str, days: Iterable[int], start: time, end: time, written: str
) -> None:
    window = parse_time_window(text)
    assert window == TimeWindow(frozenset(days), start, end)
    assert window.as_text() == written
    assert parse_time_window(written) == window


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("weekdays", "is not a time window; expected e.g. 'mon-fri 09:00-12:00'"),
        ("mon-fry 09:00-12:00", r"days are mon, tue, \.\.\. sun"),
        ("mon 25:00-26:00", "is not a time window"),
        ("mon 12:00-09:00", "ends 09:00:00 before it starts 12:00:00"),
    ],
)
def test_time_window_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_time_window(text)


@pytest.fixture(scope="module")
def rules() -> EnhancedRightsRules:
    return load_enhanced_rights_rules()


@pytest.mark.parametrize(
    ("flags", "offences", "eligible", "categories"),
    [
        (("domestic_abuse",), ("common_assault",), True, ("domestic_abuse",)),
        ((), ("common_assault",), False, ()),
        ((), ("coercive_control",), True, ("domestic_abuse",)),
        ((), ("rape",), True, ("sexual_offence",)),
        ((), ("gbh_s18",), True, ("wounding_or_gbh_with_intent",)),
        ((), ("gbh_s20",), False, ()),
        (("vulnerable",), (), True, ("vulnerable",)),
        (("domestic_abuse",), ("rape",), True, ("domestic_abuse", "sexual_offence")),
    ],
)
def test_enhanced_rights(
    rules: EnhancedRightsRules,
    flags: tuple[str, ...],
    offences: tuple[str, ...],
    eligible: bool,
    categories: tuple[str, ...],
) -> None:
    decision = enhanced_rights(rules, flags=flags, offence_codes=offences)
    assert decision.eligible is eligible
    assert decision.categories == categories
    assert decision.reasons and decision.sources and decision.rules_version


def test_unknown_flag_is_named(rules: EnhancedRightsRules) -> None:
    with pytest.raises(InvalidInput, match="domestic_violence"):
        enhanced_rights(rules, flags=("domestic_violence",))


def test_enhanced_rights_offences_are_in_the_catalogue(rules: EnhancedRightsRules) -> None:
    catalogue = load_offence_catalogue()
    for category in rules.categories:
        for code in category.offences:
            assert code in catalogue, f"{category.id}: {code}"
