"""Risk assessment: DASH count bands, raising by judgement and escalation, MARAC, bad input."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

from casework.domain.risk import (
    Answer,
    ProfessionalJudgement,
    RiskHistory,
    RiskLevel,
    RiskQuestionSet,
    assess_risk,
    load_question_set,
)
from casework.domain.rules.data import RuleDataError, parse_rule_data
from casework.errors import InvalidInput

ON = date(2025, 6, 1)


@pytest.fixture(scope="module")
def dash() -> RiskQuestionSet:
    return load_question_set("dash")


@pytest.fixture(scope="module")
def dara() -> RiskQuestionSet:
    return load_question_set("dara")


def answers_with(qs: RiskQuestionSet, yes: int, *, not_known: int = 0) -> dict[str, str]:
    """The first ``yes`` questions 'yes', the next ``not_known`` 'not_known', the rest 'no'."""
    out: dict[str, str] = {}
    for index, qid in enumerate(qs.question_ids):
        if index < yes:
            out[qid] = "yes"
        elif index < yes + not_known:
            out[qid] = "not_known"
        else:
            out[qid] = "no"
    return out


def test_dash_has_24_numbered_questions_with_version_and_source(dash: RiskQuestionSet) -> None:
    assert len(dash.questions) == 24
    assert [q.number for q in dash.questions] == list(range(1, 25))
    assert dash.version and dash.effective_from and dash.sources


def test_dara_is_a_judgement_tool_marked_to_verify(dara: RiskQuestionSet) -> None:
    assert dara.counting == "judgement"
    assert dara.to_verify
    assert all(q.to_verify for q in dara.questions)


@pytest.mark.parametrize(
    ("yes", "level", "rule_id", "marac"),
    [
        (0, RiskLevel.STANDARD, "dash_count_standard", False),
        (1, RiskLevel.STANDARD, "dash_count_standard", False),
        (9, RiskLevel.STANDARD, "dash_count_standard", False),
        (10, RiskLevel.MEDIUM, "dash_count_medium", False),
        (13, RiskLevel.MEDIUM, "dash_count_medium", False),
        (14, RiskLevel.HIGH, "dash_count_high", True),
        (24, RiskLevel.HIGH, "dash_count_high", True),
    ],
)
def test_dash_count_bands(
    dash: RiskQuestionSet, yes: int, level: RiskLevel, rule_id: str, marac: bool
) -> None:
    result = assess_risk(dash, answers_with(dash, yes), assessed_on=ON)
    assert result.level is level
    assert result.count_level is level
    assert result.yes_count == yes
    assert result.rule_id == rule_id
    assert result.marac_referral_due is marac


def test_not_known_does_not_count(dash: RiskQuestionSet) -> None:
    result = assess_risk(dash, answers_with(dash, 9, not_known=10), assessed_on=ON)
    assert result.level is RiskLevel.STANDARD
    assert (result.yes_count, result.not_known_count) == (9, 10)


@pytest.mark.parametrize(
    ("yes", "judged", "expected"),
    [
        (3, RiskLevel.HIGH, RiskLevel.HIGH),
        (3, RiskLevel.MEDIUM, RiskLevel.MEDIUM),
        (9, RiskLevel.HIGH, RiskLevel.HIGH),
        (12, RiskLevel.HIGH, RiskLevel.HIGH),
        (12, RiskLevel.MEDIUM, RiskLevel.MEDIUM),
        (3, RiskLevel.STANDARD, RiskLevel.STANDARD),
    ],
)
def test_professional_judgement_raises(
    dash: RiskQuestionSet, yes: int, judged: RiskLevel, expected: RiskLevel
) -> None:
    judgement = ProfessionalJudgement(judged, reason="threats to find her at the refuge")
    result = assess_risk(dash, answers_with(dash, yes), assessed_on=ON, judgement=judgement)
    assert result.level is expected
    assert result.marac_referral_due is (expected is RiskLevel.HIGH)
    if expected.rank > (result.count_level or RiskLevel.STANDARD).rank:
        assert result.rule_id == "dash_professional_judgement"
        assert any("threats to find her" in r for r in result.reasons)


@pytest.mark.parametrize(("yes", "judged"), [(10, RiskLevel.STANDARD), (14, RiskLevel.MEDIUM)])
def test_professional_judgement_never_lowers(
    dash: RiskQuestionSet, yes: int, judged: RiskLevel
) -> None:
    with pytest.raises(InvalidInput, match="never lower"):
        assess_risk(
            dash,
            answers_with(dash, yes),
            assessed_on=ON,
            judgement=ProfessionalJudgement(judged, reason="victim minimises"),
        )


def test_judgement_needs_a_reason(dash: RiskQuestionSet) -> None:
    with pytest.raises(InvalidInput, match="reason"):
        assess_risk(
            dash,
            answers_with(dash, 2),
            assessed_on=ON,
            judgement=ProfessionalJudgement(RiskLevel.HIGH, reason="  "),
        )


@pytest.mark.parametrize(
    ("callouts", "escalated"),
    [
        ((date(2025, 1, 1), date(2025, 3, 1)), False),
        ((date(2024, 6, 1), date(2025, 1, 1), date(2025, 3, 1)), True),
        ((date(2024, 5, 31), date(2025, 1, 1), date(2025, 3, 1)), False),
        ((date(2025, 7, 1), date(2025, 1, 1), date(2025, 3, 1)), False),
    ],
)
def test_escalation_raises_to_high_and_marac(
    dash: RiskQuestionSet, callouts: tuple[date, ...], escalated: bool
) -> None:
    result = assess_risk(
        dash, answers_with(dash, 4), assessed_on=ON, history=RiskHistory(police_callouts=callouts)
    )
    assert (result.level is RiskLevel.HIGH) is escalated
    assert result.marac_referral_due is escalated
    if escalated:
        assert result.rule_id == "dash_escalation"
        assert result.count_level is RiskLevel.STANDARD


def test_repeat_marac_is_due_without_raising_level(dash: RiskQuestionSet) -> None:
    result = assess_risk(
        dash,
        answers_with(dash, 4),
        assessed_on=ON,
        history=RiskHistory(last_marac_referral=date(2024, 12, 1)),
    )
    assert result.level is RiskLevel.STANDARD
    assert result.marac_referral_due
    assert any("repeat MARAC" in r for r in result.reasons)


def test_dara_requires_judgement(dara: RiskQuestionSet) -> None:
    with pytest.raises(InvalidInput, match="professional judgement"):
        assess_risk(dara, answers_with(dara, 3), assessed_on=ON)
    result = assess_risk(
        dara,
        answers_with(dara, 3),
        assessed_on=ON,
        judgement=ProfessionalJudgement(RiskLevel.HIGH, reason="strangulation disclosed"),
    )
    assert result.level is RiskLevel.HIGH and result.marac_referral_due
    assert result.count_level is None
    assert any(r.startswith("To verify") for r in result.reasons)


def test_unknown_question_is_named(dash: RiskQuestionSet) -> None:
    answers = answers_with(dash, 1) | {"q99_made_up": "yes"}
    with pytest.raises(InvalidInput, match="q99_made_up"):
        assess_risk(dash, answers, assessed_on=ON)


def test_missing_answer_is_named(dash: RiskQuestionSet) -> None:
    answers = answers_with(dash, 1)
    del answers["q15_strangulation"]
    with pytest.raises(InvalidInput, match=r"q15_strangulation \(question 15: Strangulation\)"):
        assess_risk(dash, answers, assessed_on=ON)


@pytest.mark.parametrize("bad", ["maybe", "", "Y"])
def test_bad_answer_is_named(dash: RiskQuestionSet, bad: str) -> None:
    answers = answers_with(dash, 1) | {"q02_frightened": bad}
    with pytest.raises(InvalidInput, match="q02_frightened"):
        assess_risk(dash, answers, assessed_on=ON)


def test_answers_accept_enum_and_any_case(dash: RiskQuestionSet) -> None:
    answers: dict[str, Answer | str] = dict(answers_with(dash, 0))
    answers["q01_injury"] = Answer.YES
    answers["q02_frightened"] = "YES"
    assert assess_risk(dash, answers, assessed_on=ON).yes_count == 2


def test_unknown_tool() -> None:
    with pytest.raises(InvalidInput, match="unknown risk tool"):
        load_question_set("oasys")


def test_bad_question_set_fails_at_load() -> None:
    raw = json.loads(
        resources.files("casework.domain.data").joinpath("risk_dash.json").read_text("utf-8")
    )
    raw["bands"][1]["min_yes"] = 0
    with pytest.raises(RuleDataError, match="bands"):
        parse_rule_data(json.dumps(raw), RiskQuestionSet, name="risk_dash.json")
    raw = json.loads(
        resources.files("casework.domain.data").joinpath("risk_dash.json").read_text("utf-8")
    )
    raw["questions"][1]["id"] = raw["questions"][0]["id"]
    with pytest.raises(RuleDataError, match="more than once"):
        parse_rule_data(json.dumps(raw), RiskQuestionSet, name="risk_dash.json")
