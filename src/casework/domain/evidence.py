"""The evidence-led prosecution checklist: what a domestic-abuse case still lacks, and why.

The checklist is data (``evidence_checklist.json``). Each item has a role that says what
it can do for a case the victim no longer supports:

- ``account``: the victim's first account, admissible as res gestae (CJA 2003 s.118(1)
  para 4(a)): the 999 call, body-worn video on arrival;
- ``account_if_unavailable``: the victim's statement, admissible as hearsay (s.116) only
  when the victim is unavailable on one of the statutory grounds;
- ``independent``: proves facts without the victim (admissions, eyewitnesses, CCTV);
- ``corroborative``: supports an account but cannot carry a case alone (photographs,
  medical evidence);
- ``context``: for bail, risk, bad character and sentence, not proof of the offence.

The review says whether the case *could* proceed without the victim's support; whether it
*will* is the prosecutor's decision and the court's ruling on admissibility.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from casework.domain.rules.data import RuleFile, load_rule_data
from casework.errors import InvalidInput

EVIDENCE_FILE = "evidence_checklist.json"


class EvidenceRole(StrEnum):
    """What an item can do for a case without the victim's support (see the module doc)."""

    ACCOUNT = "account"
    ACCOUNT_IF_UNAVAILABLE = "account_if_unavailable"
    INDEPENDENT = "independent"
    CORROBORATIVE = "corroborative"
    CONTEXT = "context"


class EvidenceStatus(StrEnum):
    """Where an item stands. ``not_available`` and ``not_applicable`` close it, with a note."""

    MISSING = "missing"
    REQUESTED = "requested"
    OBTAINED = "obtained"
    NOT_AVAILABLE = "not_available"
    NOT_APPLICABLE = "not_applicable"

    @property
    def outstanding(self) -> bool:
        return self in (EvidenceStatus.MISSING, EvidenceStatus.REQUESTED)


class EvidenceItem(BaseModel):
    """One item of the checklist and why it matters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    why: str = Field(min_length=1)
    role: EvidenceRole
    source: str = Field(min_length=1)


class EvidenceChecklist(RuleFile):
    """A versioned evidence checklist."""

    items: tuple[EvidenceItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique(self) -> EvidenceChecklist:
        ids = [i.id for i in self.items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"item ids appear more than once: {', '.join(duplicates)}")
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)


@cache
def load_evidence_checklist() -> EvidenceChecklist:
    """Load the packaged checklist once."""
    return load_rule_data(EVIDENCE_FILE, EvidenceChecklist)


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """What the case holds for one item: its status and a note (a reference, why not)."""

    status: EvidenceStatus | str
    notes: str = ""


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    """One item of the checklist as it stands on a case."""

    item: EvidenceItem
    status: EvidenceStatus
    notes: str


@dataclass(frozen=True, slots=True)
class EvidenceReview:
    """The checklist applied to a case: what is there, what is missing, and what it allows."""

    checklist_version: str
    lines: tuple[EvidenceLine, ...]
    could_proceed_without_victim: bool
    reasons: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def missing(self) -> tuple[EvidenceLine, ...]:
        """Items not yet obtained nor closed: the to-do list, in checklist order."""
        return tuple(line for line in self.lines if line.status.outstanding)

    @property
    def obtained(self) -> tuple[EvidenceLine, ...]:
        return tuple(line for line in self.lines if line.status is EvidenceStatus.OBTAINED)


def _status(item_id: str, record: EvidenceRecord) -> EvidenceStatus:
    raw = record.status
    if isinstance(raw, EvidenceStatus):
        return raw
    try:
        return EvidenceStatus(str(raw).strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in EvidenceStatus)
        raise InvalidInput(f"evidence {item_id}: status {raw!r} is not one of {allowed}") from None


def review_evidence(
    checklist: EvidenceChecklist,
    recorded: Mapping[str, EvidenceRecord],
    *,
    victim_unavailable_reason: str | None = None,
) -> EvidenceReview:
    """Apply ``checklist`` to the evidence ``recorded`` on a case (item id -> record).

    Items not recorded are missing. ``victim_unavailable_reason`` is the s.116(2) ground on
    which the victim is unavailable (e.g. "in fear: s.116(2)(e)"), when there is one; only
    then can the victim's statement carry the case as hearsay.

    Raises ``InvalidInput`` naming the item for an unknown id, a bad status, or a closed
    item (not available / not applicable) without a note saying why.
    """
    unknown = sorted(set(recorded) - set(checklist.ids))
    if unknown:
        raise InvalidInput(
            f"unknown evidence item(s): {', '.join(unknown)}; "
            f"known items: {', '.join(checklist.ids)}"
        )
    lines: list[EvidenceLine] = []
    for item in checklist.items:
        record = recorded.get(item.id, EvidenceRecord(EvidenceStatus.MISSING))
        status = _status(item.id, record)
        closed = status in (EvidenceStatus.NOT_AVAILABLE, EvidenceStatus.NOT_APPLICABLE)
        if closed and not record.notes.strip():
            raise InvalidInput(f"evidence {item.id}: say why it is {status.value} in the notes")
        lines.append(EvidenceLine(item=item, status=status, notes=record.notes))

    reasons: list[str] = []
    sources: list[str] = []
    carrying = [
        line
        for line in lines
        if line.status is EvidenceStatus.OBTAINED
        and line.item.role in (EvidenceRole.ACCOUNT, EvidenceRole.INDEPENDENT)
    ]
    for line in carrying:
        kind = "res gestae" if line.item.role is EvidenceRole.ACCOUNT else "independent"
        reasons.append(f"{line.item.name} obtained ({kind}): {line.item.why}")
        sources.append(line.item.source)
    statement = next(
        (
            line
            for line in lines
            if line.item.role is EvidenceRole.ACCOUNT_IF_UNAVAILABLE
            and line.status is EvidenceStatus.OBTAINED
        ),
        None,
    )
    hearsay = statement is not None and bool((victim_unavailable_reason or "").strip())
    if statement is not None and hearsay:
        reasons.append(
            f"{statement.item.name} obtained and the victim is unavailable "
            f"({victim_unavailable_reason}): it may be admitted as hearsay."
        )
        sources.append(statement.item.source)
    elif statement is not None:
        reasons.append(
            f"{statement.item.name} obtained, but it carries the case without the victim only "
            "if the victim is unavailable on a s.116(2) ground; none is recorded."
        )
    could_proceed = bool(carrying) or hearsay
    if not could_proceed:
        reasons.append(
            "No res gestae account, independent evidence or admissible hearsay is obtained: "
            "the case depends on the victim's evidence."
        )
    corroborating = [
        line.item.name
        for line in lines
        if line.status is EvidenceStatus.OBTAINED and line.item.role is EvidenceRole.CORROBORATIVE
    ]
    if corroborating:
        reasons.append(f"Corroborating, though not enough alone: {', '.join(corroborating)}.")
    reasons.append(
        "Whether evidence is admitted without the victim is for the prosecutor and the court."
    )
    return EvidenceReview(
        checklist_version=checklist.version,
        lines=tuple(lines),
        could_proceed_without_victim=could_proceed,
        reasons=tuple(reasons),
        sources=tuple(dict.fromkeys(sources)) or checklist.sources,
    )
