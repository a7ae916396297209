"""The stage transition table and the rule that the CPS charges domestic abuse."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest
from pydantic import ValidationError

from casework.domain.stages import (
    OUTCOMES,
    TRANSITIONS,
    Agency,
    CpsDecisionRequired,
    Stage,
    StageChange,
    TransitionNotAllowed,
    allowed_targets,
    check_transition,
    default_decider,
)

P, C, J = Agency.POLICE, Agency.CPS, Agency.COURT

# The table as a reader of DG6 would write it: (from, to) -> who decides.
EXPECTED = {
    (Stage.REPORTED, Stage.INVESTIGATING): {P},
    (Stage.REPORTED, Stage.NO_FURTHER_ACTION): {P},
    (Stage.INVESTIGATING, Stage.WITH_CPS): {P},
    (Stage.INVESTIGATING, Stage.CHARGED): {P},
    (Stage.INVESTIGATING, Stage.NO_FURTHER_ACTION): {P},
    (Stage.INVESTIGATING, Stage.OUT_OF_COURT_RESOLUTION): {P},
    (Stage.WITH_CPS, Stage.CHARGED): {C},
    (Stage.WITH_CPS, Stage.NO_FURTHER_ACTION): {C},
    (Stage.WITH_CPS, Stage.OUT_OF_COURT_RESOLUTION): {C},
    (Stage.WITH_CPS, Stage.INVESTIGATING): {C, P},
    (Stage.CHARGED, Stage.AT_COURT): {J},
    (Stage.CHARGED, Stage.DISCONTINUED): {C},
    (Stage.AT_COURT, Stage.CONVICTED): {J},
    (Stage.AT_COURT, Stage.ACQUITTED): {J},
    (Stage.AT_COURT, Stage.DISCONTINUED): {C},
    (Stage.NO_FURTHER_ACTION, Stage.INVESTIGATING): {P, C},
    (Stage.OUT_OF_COURT_RESOLUTION, Stage.INVESTIGATING): {P},
}


def test_table_is_exactly_the_expected_moves() -> None:
    assert {k: set(t.deciders) for k, t in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize(("current", "target", "agency"), list(product(Stage, Stage, Agency)))
def test_every_move_not_in_the_table_is_refused(
    current: Stage, target: Stage, agency: Agency
) -> None:
    allowed = agency in EXPECTED.get((current, target), set())
    if allowed:
        check_transition(current=current, target=target, decided_by=agency, domestic_abuse=False)
    else:
        with pytest.raises(TransitionNotAllowed):
            check_transition(
                current=current, target=target, decided_by=agency, domestic_abuse=False
            )


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_outcomes_are_final(outcome: Stage) -> None:
    assert allowed_targets(outcome) == []
    assert outcome.is_outcome
    with pytest.raises(TransitionNotAllowed, match=r"none \(final stage\)"):
        check_transition(
            current=outcome, target=Stage.INVESTIGATING, decided_by=P, domestic_abuse=False
        )


def test_police_may_charge_a_case_that_is_not_domestic_abuse() -> None:
    move = check_transition(
        current=Stage.INVESTIGATING, target=Stage.CHARGED, decided_by=P, domestic_abuse=False
    )
    assert move.target is Stage.CHARGED


def test_police_may_not_charge_domestic_abuse() -> None:
    with pytest.raises(CpsDecisionRequired, match="CPS for the charging decision") as info:
        check_transition(
            current=Stage.INVESTIGATING, target=Stage.CHARGED, decided_by=P, domestic_abuse=True
        )
    assert "Director's Guidance on Charging" in str(info.value)
    assert "with_cps" in str(info.value)


@pytest.mark.parametrize("agency", list(Agency))
def test_domestic_abuse_is_charged_only_from_the_cps(agency: Agency) -> None:
    with pytest.raises(CpsDecisionRequired):
        check_transition(
            current=Stage.INVESTIGATING,
            target=Stage.CHARGED,
            decided_by=agency,
            domestic_abuse=True,
        )
    if agency is C:
        check_transition(
            current=Stage.WITH_CPS, target=Stage.CHARGED, decided_by=C, domestic_abuse=True
        )
    else:
        with pytest.raises(CpsDecisionRequired):
            check_transition(
                current=Stage.WITH_CPS,
                target=Stage.CHARGED,
                decided_by=agency,
                domestic_abuse=True,
            )


def test_domestic_abuse_other_police_decisions_stand() -> None:
    """DG6 reserves the charge, not every decision: police may still take NFA or send it on."""
    for target in (Stage.NO_FURTHER_ACTION, Stage.WITH_CPS):
        check_transition(
            current=Stage.INVESTIGATING, target=target, decided_by=P, domestic_abuse=True
        )


def test_wrong_agency_is_named() -> None:
    with pytest.raises(TransitionNotAllowed, match="decided by court, not police"):
        check_transition(
            current=Stage.AT_COURT, target=Stage.CONVICTED, decided_by=P, domestic_abuse=False
        )


def test_default_decider_only_when_unique() -> None:
    assert default_decider(Stage.WITH_CPS, Stage.CHARGED) is C
    assert default_decider(Stage.WITH_CPS, Stage.INVESTIGATING) is None
    assert default_decider(Stage.REPORTED, Stage.CONVICTED) is None


def test_open_stages() -> None:
    assert {s for s in Stage if s.is_open} == {
        Stage.REPORTED,
        Stage.INVESTIGATING,
        Stage.WITH_CPS,
    }


def test_stage_change_needs_an_aware_time_an_actor_and_a_reason() -> None:
    good = {
        "source": Stage.REPORTED,
        "target": Stage.INVESTIGATING,
        "decided_by": P,
        "actor": " DS Lee ",
        "reason": "assigned",
        "at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    assert StageChange(**good).actor == "DS Lee"
    for field, value in (
        ("at", datetime(2026, 1, 1)),
        ("actor", "  "),
        ("reason", ""),
    ):
        with pytest.raises(ValidationError, match=field):
            StageChange(**{**good, field: value})
