"""The case page's victim-care and evidence forms: the victim's wishes, a risk assessment,
a withdrawal of support, and the evidence checklist.

Each route takes the API's guard for the same action (``victim.record``,
``evidence.record``), writes the audit entry ``api/routes/victim_writes.py`` writes, in
the same unit of work, and calls the same ``journey.victim`` service; a refusal shows the
case page again with what was typed and the error by its field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from fastapi import APIRouter
from starlette.responses import Response

from casework.api.deps import CaseInScope, requires
from casework.domain.risk import RISK_FILES, RiskLevel
from casework.domain.victim import ContactMethod, OutcomeWanted, WithdrawalReason, parse_time_window
from casework.errors import InvalidInput
from casework.journey import victim as victim_service
from casework.security.roles import Action
from casework.store.journey_repositories import SqlJourneyStore
from casework.web.deps import FormDep
from casework.web.forms import PageContextDep
from casework.web.pages_case_writes import _choice, _day, _values
from casework.web.pages_cases import Typed, case_form_write

router = APIRouter(include_in_schema=False)

MAX_PICKED = 100
"""Most answers, items or ticked boxes read from one form (the API takes 100 answers at most)."""

RISK_FIELDS = {
    "risk tool": "tool",
    "a reason is required": "reason",
    "judgement": "judgement",
    "assessment date": "assessed_on",
}
"""Words of a risk refusal -> the field it is about (else the answers), as the API names them."""

WITHDRAWAL_FIELDS = {"at least one reason": "reasons", "needs details": "details"}
"""Words of a withdrawal refusal -> the field it is about (else the date)."""

EVIDENCE_FIELDS = {
    "in the notes": "notes",
    "not both": "victim_available",
    "victim unavailable": "victim_unavailable",
}
"""Words of a checklist refusal -> the field it is about (else the statuses), as the API."""


@contextmanager
def _by_field(default: str, by_words: Mapping[str, str] | None = None) -> Iterator[None]:
    """Put a service's refusal by the form field it is about: the first of ``by_words`` in it.

    The services say what is wrong in words ("withdrawal date ... is in the future"); the
    page shows the message by the field named before its colon.
    """
    try:
        yield
    except InvalidInput as error:
        if type(error) is not InvalidInput:
            raise
        words = by_words or {}
        field = next((f for w, f in words.items() if w in error.message), default)
        raise InvalidInput(f"{field}: {error.message}") from error


def _picked(form: Mapping[str, str], prefix: str, *, limit: int = 20) -> dict[str, str]:
    """The fields named ``prefix`` + a key (ticked boxes, answers, rows), by that key."""
    found = {
        name.removeprefix(prefix)[:60]: value.strip()[:limit]
        for name, value in form.items()
        if name.startswith(prefix)
    }
    return dict(sorted(found.items())[:MAX_PICKED])


@router.post("/cases/{reference}/victim/wishes", **requires(Action.VICTIM_RECORD))
def record_wishes(
    reference: str,
    form: FormDep,
    case: CaseInScope,
    ctx: PageContextDep,
) -> Response:
    """Record the victim's wishes as they are now: the outcome wanted, safe ways and times."""
    methods = list(_picked(form, "safe_methods."))
    typed = Typed(
        form="wishes",
        values={
            **_values(form, "outcome_wanted", limit=40),
            **_values(form, "outcome_notes"),
            **_values(form, "safe_times", limit=2000),
            **_values(form, "cautions", limit=4000),
            "safe_methods": ",".join(methods),
            "opted_out_of_updates": "on" if form.get("opted_out_of_updates") else "",
        },
    )
    values = typed.values

    def act() -> str:
        outcome = _choice(
            OutcomeWanted, values["outcome_wanted"], "outcome_wanted", "the outcome they want"
        )
        safe = [_choice(ContactMethod, m, "safe_methods", "ways from the list") for m in methods]
        lines = [line for line in values["safe_times"].splitlines() if line.strip()]
        with _by_field("safe_times"):
            windows = [parse_time_window(line) for line in lines]
        ctx.wrote(
            Action.VICTIM_RECORD,
            case_reference=case.reference,
            target="victim.wishes",
            detail={"outcome_wanted": outcome.value},
        )
        victim_service.record_wishes(
            store=SqlJourneyStore(ctx.store.session),
            reference=case.reference,
            outcome_wanted=outcome,
            outcome_notes=values["outcome_notes"],
            safe_methods=safe,
            safe_times=windows,
            cautions=values["cautions"],
            opted_out_of_updates=bool(values["opted_out_of_updates"]),
            actor=ctx.principal.username,
        )
        return f"/cases/{case.reference}?done=wishes#victim"

    return case_form_write(ctx, typed=typed, fields=values, case=case, act=act)


@router.post("/cases/{reference}/victim/risk-assessments", **requires(Action.VICTIM_RECORD))
def assess_risk(
    reference: str,
    form: FormDep,
    case: CaseInScope,
    ctx: PageContextDep,
) -> Response:
    """Grade the victim's risk from DASH or DARA answers; the page shows the level and why."""
    tool = form.get("tool", "").strip().lower()[:20]
    answers = _picked(form, "answers.")
    typed = Typed(
        form=f"risk-{tool}" if tool in RISK_FILES else "risk-dash",
        values={
            **_values(form, "judgement", "assessed_on", limit=20),
            **_values(form, "reason", limit=4000),
            "tool": tool,
            **{f"answers.{question}": answer for question, answer in answers.items()},
        },
    )
    values = typed.values

    def act() -> str:
        judgement = (
            _choice(RiskLevel, values["judgement"], "judgement", "standard, medium or high")
            if values["judgement"]
            else None
        )
        day = _day(values["assessed_on"], "assessed_on")
        ctx.wrote(
            Action.VICTIM_RECORD,
            case_reference=case.reference,
            target="victim.risk",
            detail={"tool": tool},
        )
        with _by_field("answers", RISK_FIELDS):
            victim_service.assess_risk(
                store=SqlJourneyStore(ctx.store.session),
                reference=case.reference,
                tool=tool,
                answers=answers,
                judgement=judgement,
                reason=values["reason"],
                assessed_on=day,
                actor=ctx.principal.username,
            )
        return f"/cases/{case.reference}?done=risk#victim"

    fields = ("tool", "answers", "judgement", "reason", "assessed_on")
    return case_form_write(ctx, typed=typed, fields=fields, case=case, act=act)


@router.post("/cases/{reference}/victim/withdrawals", **requires(Action.VICTIM_RECORD))
def withdraw(
    reference: str,
    form: FormDep,
    case: CaseInScope,
    ctx: PageContextDep,
) -> Response:
    """Record that the victim withdrew support, with the reasons; the stage is the case's."""
    reasons = list(_picked(form, "reasons."))
    typed = Typed(
        form="withdrawal",
        values={
            **_values(form, "on", limit=20),
            **_values(form, "details"),
            "reasons": ",".join(reasons),
        },
    )
    values = typed.values

    def act() -> str:
        given = [_choice(WithdrawalReason, r, "reasons", "reasons from the list") for r in reasons]
        day = _day(values["on"], "on")
        ctx.wrote(
            Action.VICTIM_RECORD,
            case_reference=case.reference,
            target="victim.withdrawal",
            detail={"reasons": ",".join(r.value for r in given)},
        )
        with _by_field("on", WITHDRAWAL_FIELDS):
            victim_service.withdraw_support(
                store=SqlJourneyStore(ctx.store.session),
                reference=case.reference,
                reasons=given,
                details=values["details"],
                on=day,
                actor=ctx.principal.username,
            )
        return f"/cases/{case.reference}?done=withdrawal#victim"

    return case_form_write(ctx, typed=typed, fields=values, case=case, act=act)


@router.post("/cases/{reference}/evidence", **requires(Action.EVIDENCE_RECORD))
def update_evidence(
    reference: str,
    form: FormDep,
    case: CaseInScope,
    ctx: PageContextDep,
) -> Response:
    """Set the checklist items whose status or note was changed, or the victim's availability.

    The form shows every item; only those changed from what the case holds are sent to the
    service, so an item left alone keeps who set it and when.
    """
    statuses = _picked(form, "statuses.")
    notes = _picked(form, "notes.", limit=2000)
    typed = Typed(
        form="evidence",
        values={
            **{f"statuses.{item}": status for item, status in statuses.items()},
            **{f"notes.{item}": note for item, note in notes.items()},
            **_values(form, "victim_unavailable", limit=1000),
            "victim_available": "on" if form.get("victim_available") else "",
        },
    )
    values = typed.values

    def act() -> str:
        journey = SqlJourneyStore(ctx.store.session)
        held = victim_service.evidence_review(store=journey, reference=case.reference)
        now = {line.item.id: (line.status.value, line.notes) for line in held.lines}
        changed: dict[str, tuple[str, str]] = {}
        for item in sorted(set(statuses) | set(notes)):
            status, note = now.get(item, ("", ""))  # an unknown item: the service refuses it
            new = (statuses.get(item, status), notes.get(item, note))
            if new != now.get(item):
                changed[item] = new
        ctx.wrote(
            Action.EVIDENCE_RECORD,
            case_reference=case.reference,
            target="evidence",
            detail={"items": ",".join(sorted(changed))[:500]},
        )
        with _by_field("statuses", EVIDENCE_FIELDS):
            victim_service.update_evidence(
                store=journey,
                reference=case.reference,
                statuses={item: status for item, (status, _) in changed.items()},
                notes={item: note for item, (_, note) in changed.items()},
                victim_unavailable=values["victim_unavailable"] or None,
                victim_available=bool(values["victim_available"]),
                actor=ctx.principal.username,
            )
        return f"/cases/{case.reference}?done=evidence#evidence"

    fields = ("statuses", "notes", "victim_unavailable", "victim_available")
    return case_form_write(ctx, typed=typed, fields=fields, case=case, act=act)
