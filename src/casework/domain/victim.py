"""The victim at the centre: contact log, wishes, referrals, withdrawal, and the rules over them.

Plain records the store fills, and pure checks over them: is contact overdue, is a planned
contact safe by the victim's own wishes, is a high-risk victim referred to an IDVA and to
MARAC, is the victim entitled to Enhanced Rights under the Victims' Code. A victim who
drops out is at risk of further abuse, so these checks produce flags, never silence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from casework.domain.rules.data import RuleFile, load_rule_data
from casework.errors import InvalidInput

ENHANCED_RIGHTS_FILE = "enhanced_rights.json"
LONDON = ZoneInfo("Europe/London")


def _london_date(moment: datetime, what: str) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{what}: {moment.isoformat()} has no time zone; give an aware time")
    return moment.astimezone(LONDON).date()


class ContactMethod(StrEnum):
    """How the victim was, or may be, contacted."""

    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    IN_PERSON = "in_person"
    LETTER = "letter"
    VIDEO = "video"
    VIA_IDVA = "via_idva"


@dataclass(frozen=True, slots=True)
class ContactLogEntry:
    """One contact or attempt: when, how, by whom, what was said or agreed.

    ``made`` is False for an attempt that did not reach the victim (no answer, message
    left); attempts are logged but do not count as contact.
    """

    at: datetime
    method: ContactMethod
    by: str
    summary: str
    agreed: str = ""
    made: bool = True

    def __post_init__(self) -> None:
        _london_date(self.at, "contact log entry")
        if not self.by.strip():
            raise InvalidInput("contact log entry: say who made the contact ('by')")


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Days of the week (0 = Monday) and a time of day, in Europe/London, safe for contact."""

    days: frozenset[int]
    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.days or not self.days <= set(range(7)):
            raise InvalidInput("safe contact time: days must be 0 (Monday) to 6 (Sunday)")
        if self.end <= self.start:
            raise InvalidInput(
                f"safe contact time: ends {self.end.isoformat()} before it starts "
                f"{self.start.isoformat()}"
            )

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(LONDON)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def as_text(self) -> str:
        """The window as ``parse_time_window`` reads it, e.g. ``mon-fri 09:00-12:00``."""
        runs: list[str] = []
        days = sorted(self.days)
        first = previous = days[0]
        for day in [*days[1:], None]:
            if day is not None and day == previous + 1:
                previous = day
                continue
            name = WEEKDAYS[first]
            runs.append(name if first == previous else f"{name}-{WEEKDAYS[previous]}")
            if day is not None:
                first = previous = day
        return f"{','.join(runs)} {self.start:%H:%M}-{self.end:%H:%M}"


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names as a time window is written (0 = Monday)."""

_WINDOW = re.compile(
    r"^\s*(?P<days>[a-z,\-]+)\s+(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})\s*$"
)


def parse_time_window(text: str) -> TimeWindow:
    """Read ``mon-fri 09:00-12:00`` or ``sat,sun 10:00-16:00`` (Europe/London).

    A range of days may wrap over the weekend (``fri-mon``). The CLI's ``--safe-time`` and
    the case page's safe times are written this way.
    """
    match = _WINDOW.match(text.lower())
    problem = f"{text!r} is not a time window; expected e.g. 'mon-fri 09:00-12:00'"
    if match is None:
        raise InvalidInput(problem)
    days: set[int] = set()
    for part in match["days"].split(","):
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise InvalidInput(f"{problem} (days are mon, tue, ... sun)")
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    try:
        start, end = (
            time.fromisoformat(match["start"].zfill(5)),
            time.fromisoformat(match["end"].zfill(5)),
        )
    except ValueError as error:
        raise InvalidInput(f"{problem} ({error})") from error
    return TimeWindow(frozenset(days), start, end)


class OutcomeWanted(StrEnum):
    """What the victim says they want from the justice process (it may change)."""

    PROSECUTION = "prosecution"
    PROTECTION_ONLY = "protection_only"
    NO_FURTHER_ACTION = "no_further_action"
    UNDECIDED = "undecided"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class VictimWishes:
    """The victim's wishes, as last recorded: the outcome wanted and safe ways to contact.

    Empty ``safe_methods`` or ``safe_times`` mean the victim set no limit on them.
    """

    recorded_on: date
    outcome_wanted: OutcomeWanted = OutcomeWanted.UNDECIDED
    outcome_notes: str = ""
    safe_methods: tuple[ContactMethod, ...] = ()
    safe_times: tuple[TimeWindow, ...] = ()
    cautions: str = ""
    opted_out_of_updates: bool = False


@dataclass(frozen=True, slots=True)
class ContactCheck:
    """Whether contacting by a method at a time respects the victim's wishes, and why not."""

    safe: bool
    reasons: tuple[str, ...]


def check_contact(wishes: VictimWishes, method: ContactMethod, at: datetime) -> ContactCheck:
    """Say whether contact by ``method`` at ``at`` keeps to the victim's safe ways and times."""
    _london_date(at, "planned contact")
    reasons: list[str] = []
    if wishes.safe_methods and method not in wishes.safe_methods:
        allowed = ", ".join(m.value for m in wishes.safe_methods)
        reasons.append(f"{method.value} is not a safe way to contact the victim (safe: {allowed})")
    if wishes.safe_times and not any(w.contains(at) for w in wishes.safe_times):
        local = at.astimezone(LONDON)
        reasons.append(f"{local:%A %H:%M} is outside the victim's safe times")
    safe = not reasons
    if wishes.cautions:
        reasons.append(f"Take care: {wishes.cautions}")
    return ContactCheck(safe=safe, reasons=tuple(reasons))


class ReferralKind(StrEnum):
    """A support service the victim is referred to."""

    IDVA = "idva"
    MARAC = "marac"
    ISVA = "isva"
    VICTIM_SUPPORT = "victim_support"
    REFUGE = "refuge"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class SupportReferral:
    """A referral: to what, when, by whom, and whether the victim or service took it up."""

    kind: ReferralKind
    made_on: date
    by: str
    accepted: bool | None = None
    notes: str = ""


class WithdrawalReason(StrEnum):
    """Why a victim stopped supporting a prosecution; recorded to learn, never to blame."""

    FEAR_OF_SUSPECT = "fear_of_suspect"
    RECONCILED = "reconciled"
    PRESSURE_FROM_OTHERS = "pressure_from_others"
    NO_CONFIDENCE_IN_PROCESS = "no_confidence_in_process"
    DELAY = "delay"
    CHILDREN = "children"
    FINANCIAL_DEPENDENCE = "financial_dependence"
    WANTS_TO_MOVE_ON = "wants_to_move_on"
    HEALTH = "health"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """The victim withdrew support on ``on``, at case stage ``stage``, for ``reasons``.

    ``stage`` is the case's stage value from the case model (e.g. "investigating"), kept as
    text so this module does not depend on that model.
    """

    on: date
    stage: str
    reasons: tuple[WithdrawalReason, ...]
    details: str = ""
    recorded_by: str = ""

    def __post_init__(self) -> None:
        if not self.stage.strip():
            raise InvalidInput("withdrawal: the stage at which the victim withdrew is required")
        if not self.reasons:
            raise InvalidInput("withdrawal: give at least one reason (use 'other' and details)")
        if WithdrawalReason.OTHER in self.reasons and not self.details.strip():
            raise InvalidInput("withdrawal: reason 'other' needs details")


class ContactPolicy(BaseModel):
    """A force's policy on keeping in touch with victims.

    ``max_days_without_contact`` defaults to 14: a Casework default, not a rule of law. A
    force sets its own (e.g. from its Victims' Code compliance plan).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_days_without_contact: int = Field(default=14, gt=0)


@dataclass(frozen=True, slots=True)
class VictimRecord:
    """What the engagement checks need to know about a victim in one case."""

    reported_on: date
    contacts: tuple[ContactLogEntry, ...] = ()
    wishes: VictimWishes | None = None
    referrals: tuple[SupportReferral, ...] = ()
    withdrawal: Withdrawal | None = None
    high_risk: bool = False
    marac_referral_due: bool = False


class FlagKind(StrEnum):
    """Something about the victim's engagement that needs action."""

    NO_RECENT_CONTACT = "no_recent_contact"
    CONTACT_AGAINST_WISHES = "contact_against_wishes"
    IDVA_REFERRAL_MISSING = "idva_referral_missing"
    MARAC_REFERRAL_MISSING = "marac_referral_missing"
    VICTIM_WITHDREW = "victim_withdrew"


@dataclass(frozen=True, slots=True)
class EngagementFlag:
    """One flag with the rule behind it."""

    kind: FlagKind
    message: str
    rule: str


@dataclass(frozen=True, slots=True)
class EngagementReview:
    """The state of the victim's engagement on a day, with the flags to act on."""

    last_contact: date | None
    days_without_contact: int
    flags: tuple[EngagementFlag, ...] = field(default_factory=tuple)


def last_contact(contacts: Iterable[ContactLogEntry]) -> date | None:
    """Return the London date of the latest contact that reached the victim."""
    made = [_london_date(c.at, "contact log entry") for c in contacts if c.made]
    return max(made) if made else None


def review_engagement(
    record: VictimRecord, *, today: date, policy: ContactPolicy | None = None
) -> EngagementReview:
    """Flag a victim not contacted for too long, contact against wishes and missing referrals.

    Days without contact count from the last contact that reached the victim, or from the
    report when there has been none; the flag is raised on the day the count reaches the
    policy's maximum. A victim who opted out of updates, or who withdrew, is not flagged
    for silence (the withdrawal is flagged instead: the case may go on without them).
    """
    policy = policy or ContactPolicy()
    if today < record.reported_on:
        raise InvalidInput(
            f"today {today.isoformat()} is before the report on {record.reported_on.isoformat()}"
        )
    latest = last_contact(record.contacts)
    days = (today - (latest or record.reported_on)).days
    flags: list[EngagementFlag] = []
    opted_out = record.wishes is not None and record.wishes.opted_out_of_updates
    limit = policy.max_days_without_contact
    if days >= limit and not opted_out and record.withdrawal is None:
        since = f"since {latest.isoformat()}" if latest else "since the report"
        flags.append(
            EngagementFlag(
                FlagKind.NO_RECENT_CONTACT,
                f"No contact with the victim for {days} days ({since}).",
                f"Force policy: contact the victim at least every {limit} days.",
            )
        )
    if record.wishes is not None:
        for entry in record.contacts:
            if _london_date(entry.at, "contact log entry") < record.wishes.recorded_on:
                continue  # wishes recorded later cannot have been broken earlier
            check = check_contact(record.wishes, entry.method, entry.at)
            if not check.safe:
                flags.append(
                    EngagementFlag(
                        FlagKind.CONTACT_AGAINST_WISHES,
                        f"Contact on {entry.at.astimezone(LONDON):%Y-%m-%d %H:%M} by "
                        f"{entry.by}: {'; '.join(check.reasons)}.",
                        "Contact the victim only in the ways and at the times they said are safe.",
                    )
                )
    kinds = {r.kind for r in record.referrals}
    if record.high_risk and ReferralKind.IDVA not in kinds:
        flags.append(
            EngagementFlag(
                FlagKind.IDVA_REFERRAL_MISSING,
                "High-risk victim with no IDVA referral recorded.",
                "High-risk victims of domestic abuse are offered an IDVA (SafeLives).",
            )
        )
    if record.marac_referral_due and ReferralKind.MARAC not in kinds:
        flags.append(
            EngagementFlag(
                FlagKind.MARAC_REFERRAL_MISSING,
                "MARAC referral due by the risk assessment but none recorded.",
                "Refer high-risk and escalating cases to MARAC (SafeLives Marac criteria).",
            )
        )
    if record.withdrawal is not None:
        w = record.withdrawal
        flags.append(
            EngagementFlag(
                FlagKind.VICTIM_WITHDREW,
                f"Victim withdrew support on {w.on.isoformat()} at {w.stage} "
                f"({', '.join(r.value for r in w.reasons)}): review safeguarding and whether "
                "the case can proceed on other evidence.",
                "A victim who withdraws remains at risk; consider an evidence-led prosecution.",
            )
        )
    return EngagementReview(last_contact=latest, days_without_contact=days, flags=tuple(flags))


class EnhancedRightsCategory(BaseModel):
    """A category of victim entitled to Enhanced Rights, and offences that imply it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    group: str
    offences: tuple[str, ...] = ()


class EnhancedRightsRules(RuleFile):
    """A version of the Victims' Code Enhanced Rights eligibility."""

    categories: tuple[EnhancedRightsCategory, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique(self) -> EnhancedRightsRules:
        ids = [c.id for c in self.categories]
        if len(set(ids)) != len(ids):
            raise ValueError("category ids appear more than once")
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)


@cache
def load_enhanced_rights_rules() -> EnhancedRightsRules:
    """Load the packaged Enhanced Rights categories once."""
    return load_rule_data(ENHANCED_RIGHTS_FILE, EnhancedRightsRules)


@dataclass(frozen=True, slots=True)
class EnhancedRightsDecision:
    """Whether the victim has Enhanced Rights, on which categories, and why."""

    eligible: bool
    categories: tuple[str, ...]
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    rules_version: str


def enhanced_rights(
    rules: EnhancedRightsRules,
    *,
    flags: Sequence[str] = (),
    offence_codes: Sequence[str] = (),
) -> EnhancedRightsDecision:
    """Decide Enhanced Rights from the case's flags (category ids) and its offence codes.

    A domestic-abuse flag alone is enough: the Code gives Enhanced Rights to victims of
    domestic abuse whatever the offence charged. Raises ``InvalidInput`` for an unknown flag.
    """
    unknown = sorted(set(flags) - set(rules.ids))
    if unknown:
        raise InvalidInput(
            f"unknown Enhanced Rights flag(s): {', '.join(unknown)}; known: {', '.join(rules.ids)}"
        )
    chosen: list[str] = []
    reasons: list[str] = []
    for category in rules.categories:
        if category.id in flags:
            chosen.append(category.id)
            reasons.append(f"The case is flagged: {category.name}.")
            continue
        implying = [code for code in offence_codes if code in category.offences]
        if implying:
            chosen.append(category.id)
            reasons.append(f"Offence {', '.join(implying)}: {category.name}.")
    if not chosen:
        reasons.append("No Enhanced Rights category applies: standard entitlements.")
    return EnhancedRightsDecision(
        eligible=bool(chosen),
        categories=tuple(chosen),
        reasons=tuple(reasons),
        sources=rules.sources,
        rules_version=rules.version,
    )
