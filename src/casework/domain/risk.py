"""Domestic-abuse risk assessment: DASH and DARA as versioned question sets, and their scoring.

The questions are data (``risk_dash.json``, ``risk_dara.json``) with a version, the date
from which they apply and their source, so a new edition is a new file and an old
assessment can still be explained against the questions that were asked.

Levels only go up. The DASH count sets a floor; professional judgement (with a reason) or
potential escalation (repeat call-outs) can raise the level, never lower it. A judgement
below the count is refused: lowering a graded risk needs a new assessment (new answers),
so a downgrade is always explained by what changed, not by an override. For a tool that
does not count (DARA), the officer's judgement is the level and must be given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from casework.domain.rules.calendar_months import add_months
from casework.domain.rules.data import RuleFile, load_rule_data
from casework.errors import InvalidInput

RISK_FILES = {"dash": "risk_dash.json", "dara": "risk_dara.json"}


class RiskLevel(StrEnum):
    """A graded risk of serious harm, lowest first."""

    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


class Answer(StrEnum):
    """An answer to one question; 'not known' is an answer, an omitted question is not."""

    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RiskQuestion(_Strict):
    """One question, summarised in Casework's own words; ask it from the published form."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    number: int = Field(gt=0)
    topic: str = Field(min_length=1)
    text: str = Field(min_length=1)
    to_verify: str = ""


class CountBand(_Strict):
    """The level given by a count of 'yes' answers from ``min_yes`` up to the next band."""

    level: RiskLevel
    min_yes: int = Field(ge=0)
    rule_id: str
    text: str


class EscalationRule(_Strict):
    """Repeat call-outs within a window make the case high risk and due for MARAC."""

    rule_id: str
    text: str
    min_incidents: int = Field(gt=0)
    window_months: int = Field(gt=0)
    source: str
    to_verify: str = ""


class RepeatMaracRule(_Strict):
    """A new incident within a window of the last MARAC referral goes back to MARAC."""

    rule_id: str
    text: str
    window_months: int = Field(gt=0)
    source: str


class RiskQuestionSet(RuleFile):
    """A version of a risk tool: its questions, how answers are graded, and MARAC criteria."""

    tool: str
    name: str
    to_verify: str = ""
    answers: tuple[Answer, ...] = Field(min_length=2)
    counting: Literal["yes_count", "judgement"]
    bands: tuple[CountBand, ...] = ()
    marac_level: RiskLevel
    escalation: EscalationRule | None = None
    repeat_marac: RepeatMaracRule | None = None
    questions: tuple[RiskQuestion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> RiskQuestionSet:
        ids = [q.id for q in self.questions]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"question ids appear more than once: {', '.join(duplicates)}")
        numbers = [q.number for q in self.questions]
        if len(set(numbers)) != len(numbers):
            raise ValueError("question numbers appear more than once")
        if self.counting == "yes_count":
            if not self.bands or self.bands[0].min_yes != 0:
                raise ValueError("a counted tool needs bands, the first starting at 0")
            for lower, upper in zip(self.bands, self.bands[1:], strict=False):
                if upper.min_yes <= lower.min_yes or upper.level.rank <= lower.level.rank:
                    raise ValueError("bands must rise in both min_yes and level")
        elif self.bands:
            raise ValueError("a judgement tool has no count bands")
        return self

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def band_for(self, yes_count: int) -> CountBand:
        """Return the band that ``yes_count`` falls in (only for counted tools)."""
        chosen = self.bands[0]
        for band in self.bands:
            if yes_count >= band.min_yes:
                chosen = band
        return chosen


@cache
def load_question_set(tool: str) -> RiskQuestionSet:
    """Load the packaged question set of ``tool`` ('dash' or 'dara') once."""
    try:
        filename = RISK_FILES[tool]
    except KeyError:
        raise InvalidInput(
            f"unknown risk tool {tool!r}; known tools: {', '.join(sorted(RISK_FILES))}"
        ) from None
    return load_rule_data(filename, RiskQuestionSet)


@dataclass(frozen=True, slots=True)
class ProfessionalJudgement:
    """An officer's graded view of the risk, which must say why."""

    level: RiskLevel
    reason: str
    by: str = ""


@dataclass(frozen=True, slots=True)
class RiskHistory:
    """What the store knows of the past: dates of earlier call-outs and the last MARAC referral.

    ``police_callouts`` are dates of earlier domestic-abuse call-outs involving the same
    victim or suspect, the current one excluded.
    """

    police_callouts: tuple[date, ...] = ()
    last_marac_referral: date | None = None


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """The outcome of an assessment, with every rule that shaped it."""

    tool: str
    version: str
    level: RiskLevel
    yes_count: int
    not_known_count: int
    rule_id: str
    rule: str
    marac_referral_due: bool
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    count_level: RiskLevel | None = None


def _validated_answers(
    question_set: RiskQuestionSet, answers: Mapping[str, Answer | str]
) -> dict[str, Answer]:
    known = set(question_set.question_ids)
    unknown = sorted(set(answers) - known)
    if unknown:
        raise InvalidInput(
            f"{question_set.name} ({question_set.version}): unknown question id(s): "
            f"{', '.join(unknown)}"
        )
    missing = [q for q in question_set.questions if q.id not in answers]
    if missing:
        names = ", ".join(f"{q.id} (question {q.number}: {q.topic})" for q in missing)
        raise InvalidInput(
            f"{question_set.name} ({question_set.version}): no answer to {names}; "
            "answer 'not_known' when the victim cannot or will not say"
        )
    allowed = {a.value for a in question_set.answers}
    result: dict[str, Answer] = {}
    for question in question_set.questions:
        raw = answers[question.id]
        value = raw.value if isinstance(raw, Answer) else str(raw).strip().lower()
        if value not in allowed:
            raise InvalidInput(
                f"{question.id} (question {question.number}: {question.topic}): "
                f"answer {raw!r} is not one of {', '.join(sorted(allowed))}"
            )
        result[question.id] = Answer(value)
    return result


def _recent(dates: Sequence[date], *, on: date, months: int) -> list[date]:
    since = add_months(on, -months)
    return sorted(d for d in dates if since <= d <= on)


def assess_risk(
    question_set: RiskQuestionSet,
    answers: Mapping[str, Answer | str],
    *,
    assessed_on: date,
    judgement: ProfessionalJudgement | None = None,
    history: RiskHistory | None = None,
) -> RiskAssessment:
    """Grade the risk from ``answers``, raised by judgement or escalation; say whether MARAC is due.

    Raises ``InvalidInput`` naming the question for an unknown id, a missing answer or a
    bad value; for a judgement without a reason or below the count's level; and for a
    judgement tool (DARA) assessed without a judgement.
    """
    checked = _validated_answers(question_set, answers)
    yes = sum(1 for a in checked.values() if a is Answer.YES)
    not_known = sum(1 for a in checked.values() if a is Answer.NOT_KNOWN)
    history = history or RiskHistory()
    sources = list(question_set.sources)
    reasons: list[str] = []

    if judgement is not None and not judgement.reason.strip():
        raise InvalidInput("professional judgement: a reason is required for the level given")

    count_level: RiskLevel | None = None
    if question_set.counting == "yes_count":
        band = question_set.band_for(yes)
        count_level = band.level
        level, rule_id, rule = band.level, band.rule_id, band.text
        reasons.append(f"{yes} of {len(checked)} answers are 'yes': {band.level} on the count.")
        if judgement is not None:
            if judgement.level.rank < band.level.rank:
                raise InvalidInput(
                    f"professional judgement: {judgement.level} is below the {band.level} "
                    f"given by {yes} 'yes' answers; judgement can raise the level, never "
                    "lower it (reassess with new answers instead)"
                )
            if judgement.level.rank > level.rank:
                level = judgement.level
                rule_id = f"{question_set.tool}_professional_judgement"
                rule = "Professional judgement raised the level above the count."
                reasons.append(f"Raised to {level} on professional judgement: {judgement.reason}")
            else:
                reasons.append(f"Professional judgement agrees ({judgement.level}).")
    else:
        if judgement is None:
            raise InvalidInput(
                f"{question_set.name}: the level is the officer's professional judgement; "
                "give a judgement with its reason"
            )
        level = judgement.level
        rule_id = f"{question_set.tool}_professional_judgement"
        rule = "The officer grades the risk on professional judgement informed by the answers."
        reasons.append(
            f"Graded {level} on professional judgement: {judgement.reason} "
            f"({yes} 'yes', {not_known} 'not known' answers)."
        )

    escalated = False
    rule_esc = question_set.escalation
    if rule_esc is not None:
        recent = _recent(history.police_callouts, on=assessed_on, months=rule_esc.window_months)
        if len(recent) >= rule_esc.min_incidents:
            escalated = True
            sources.append(rule_esc.source)
            reasons.append(
                f"{len(recent)} earlier call-outs in the {rule_esc.window_months} months to "
                f"{assessed_on.isoformat()}: potential escalation ({rule_esc.text})"
            )
            if level is not RiskLevel.HIGH:
                level, rule_id, rule = RiskLevel.HIGH, rule_esc.rule_id, rule_esc.text

    repeat = False
    rule_rep = question_set.repeat_marac
    if rule_rep is not None and history.last_marac_referral is not None:
        since = add_months(assessed_on, -rule_rep.window_months)
        if since <= history.last_marac_referral <= assessed_on:
            repeat = True
            sources.append(rule_rep.source)
            reasons.append(
                f"Last MARAC referral on {history.last_marac_referral.isoformat()}, within "
                f"{rule_rep.window_months} months: repeat MARAC ({rule_rep.text})"
            )

    marac_due = level.rank >= question_set.marac_level.rank or escalated or repeat
    if level.rank >= question_set.marac_level.rank:
        reasons.append(f"{level} risk: refer to MARAC.")
    if question_set.to_verify:
        reasons.append(f"To verify: {question_set.to_verify}")
    return RiskAssessment(
        tool=question_set.tool,
        version=question_set.version,
        level=level,
        yes_count=yes,
        not_known_count=not_known,
        rule_id=rule_id,
        rule=rule,
        marac_referral_due=marac_due,
        reasons=tuple(reasons),
        sources=tuple(dict.fromkeys(sources)),
        count_level=count_level,
    )
