"""The case page's forms: add a person, record an offence, a victim contact, a charging
decision, and answer an action-plan item.

Each route takes the API's guard for the same action, writes the audit entry in the same
unit of work and calls the same ``journey`` service as the matching API route; a refusal
shows the case page again with what was typed and the error next to its field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path
from starlette.responses import Response

from casework.api.deps import CaseInScope, requires
from casework.domain.cases import OffenceDetails, Role
from casework.domain.cps import ChargingDecisionDetails, ChargingOutcome, ChargingTest
from casework.domain.pole import PersonDetails
from casework.domain.victim import ContactMethod
from casework.errors import Conflict, InvalidInput
from casework.journey import cases as case_service
from casework.journey import cps as cps_service
from casework.journey import victim as victim_service
from casework.journey.deadlines import today_in_london
from casework.journey.rules import offence_catalogue
from casework.security.roles import Action
from casework.store.journey_repositories import SqlJourneyStore
from casework.web.deps import FormDep
from casework.web.forms import PageContextDep
from casework.web.pages_cases import Typed, case_form_write

router = APIRouter(include_in_schema=False)

LONDON = ZoneInfo("Europe/London")
ItemNumber = Annotated[int, Path(ge=1, le=100_000)]
E = TypeVar("E")


def _day(text: str, field: str, *, required: bool = False) -> date | None:
    if not text.strip():
        if required:
            raise InvalidInput(f"{field}: give the date")
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidInput(f"{field}: {text.strip()!r} is not a date (use YYYY-MM-DD)") from error


def _clock(text: str, field: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidInput(f"{field}: {text.strip()!r} is not a time (use HH:MM)") from error


def _choice(kind: Callable[[str], E], text: str, field: str, what: str) -> E:
    try:
        return kind(text)
    except ValueError as error:
        raise InvalidInput(f"{field}: choose {what}") from error


def _values(form: dict[str, str], *names: str, limit: int = 8000) -> dict[str, str]:
    return {name: form.get(name, "").strip()[:limit] for name in names}


@router.post("/cases/{reference}/parties", **requires(Action.CASE_ADD_PARTY))
def add_party(
    reference: str,
    form: FormDep,
    case: CaseInScope,
    ctx: PageContextDep,
) -> Response:
    """Add a person to the case in a role (the same person is found again, not duplicated)."""
    typed = Typed(form="party", values=_values(form, "role", "name", "date_of_birth", limit=400))
    values = typed.values

    def act() -> str:
        role = _choice(Role, values["role"], "role", "the person's role in the case")
        if not values["name"]:
            raise InvalidInput("name: give the person's full name, e.g. Jane SMITH")
        born = _day(values["date_of_birth"], "date_of_birth")
        if born is not None and born > today_in_london():
            raise InvalidInput(f"date_of_birth: {born.isoformat()} is in the future")
        person = PersonDetails.from_full_name(values["name"], date_of_birth=born)
        ctx.wrote(
            Action.CASE_ADD_PARTY,
            case_reference=case.reference,
            detail={"role": role.value},
        )
        case_service.add_party(
            store=ctx.store,
            reference=case.reference,
            role=role,
            person=person,
            actor=ctx.principal.username,
        )
        return f"/cases/{case.reference}?done=party#people"

    return case_form_write(ctx, typed=typed, fields=values, case=case, act=act)


@router.post("/cases/{reference}/offences", **requires(Action.CASE_ADD_OFFENCE))
def add_offence(
    reference: str,
    form: FormDep,
    case: CaseInScope,
    ctx: PageContextDep,
) -> Response:
    """Record an offence; its time limit joins the deadlines at once."""
    typed = Typed(form="offence", values=_values(form, "code", "committed_on", limit=60))
    values = typed.values

    def act() -> str:
        if values["code"] not in {o.code for o in offence_catalogue().offences}:
            raise InvalidInput("code: choose the offence from the list")
        details = case_service.validated(
            OffenceDetails,
            code=values["code"],
            committed_on=_day(values["committed_on"], "committed_on"),
        )
        ctx.wrote(
            Action.CASE_ADD_OFFENCE,
            case_reference=case.reference,
            detail={"code": details.code},
        )
        case_service.record_offence(
            store=ctx.store, reference=case.reference, offence=details, actor=ctx.principal.username
        )
        return f"/cases/{case.reference}?done=offence#offences"

    return case_form_write(ctx, typed=typed, fields=values, case=case, act=act)


@router.post("/cases/{reference}/victim/contacts", **requires(Action.CASE_RECORD_EVENT))
def log_contact(
    reference: str,
    form: FormDep,
    case: CaseInScope,
    ctx: PageContextDep,
) -> Response:
    """Log a contact with the victim (London time); says if it broke their safe ways or times."""
    typed = Typed(
        form="contact",
        values={
            **_values(form, "on", "at", "method", limit=20),
            **_values(form, "summary", "agreed"),
            "attempt": "on" if form.get("attempt") else "",
        },
    )
    values = typed.values

    def act() -> str:
        day = _day(values["on"], "on", required=True)
        assert day is not None
        if not values["at"]:
            raise InvalidInput("at: give the time of the contact (HH:MM)")
        moment = datetime.combine(day, _clock(values["at"], "at"), tzinfo=LONDON)
        method = _choice(ContactMethod, values["method"], "method", "how the contact was made")
        if not values["summary"]:
            raise InvalidInput("summary: say what was said")
        journey = SqlJourneyStore(ctx.store.session)
        ctx.wrote(
            Action.CASE_RECORD_EVENT,
            case_reference=case.reference,
            target="victim.contact",
        )
        try:
            logged = victim_service.log_contact(
                store=journey,
                reference=case.reference,
                at=moment,
                method=method,
                by=ctx.principal.username,
                summary=values["summary"],
                agreed=values["agreed"],
                made=not values["attempt"],
            )
        except InvalidInput as error:
            raise InvalidInput(f"on: {error.message}") from error
        check = "&check=unsafe" if logged.check is not None and not logged.check.safe else ""
        return f"/cases/{case.reference}?done=contact{check}#victim"

    return case_form_write(ctx, typed=typed, fields=values, case=case, act=act)


@router.post("/cases/{reference}/cps/decision", **requires(Action.CPS_DECIDE))
def decide(
    reference: str,
    form: FormDep,
    case: CaseInScope,
    ctx: PageContextDep,
) -> Response:
    """Record the charging decision (MG3); the case moves on as it decides."""
    charges = sorted(name.removeprefix("charge.") for name in form if name.startswith("charge."))[
        :30
    ]
    typed = Typed(
        form="decision",
        values={
            **_values(form, "outcome", "test", limit=40),
            **_values(form, "reasons"),
            "charges": ",".join(charges),
        },
    )
    values = typed.values

    def act() -> str:
        outcome = _choice(ChargingOutcome, values["outcome"], "outcome", "the decision")
        test = (
            _choice(ChargingTest, values["test"], "test", "the test applied")
            if values["test"]
            else None
        )
        if not values["reasons"]:
            raise InvalidInput("reasons: give the reasons for the decision (MG3)")
        details = case_service.validated(
            ChargingDecisionDetails,
            outcome=outcome,
            test=test,
            charges=tuple(charges),
            reasons=values["reasons"],
        )
        journey = SqlJourneyStore(ctx.store.session)
        ctx.wrote(
            Action.CPS_DECIDE,
            case_reference=case.reference,
            target="cps.decision",
            detail={"outcome": details.outcome.value, "charges": ",".join(details.charges)},
        )
        cps_service.record_charging_decision(
            store=journey,
            reference=case.reference,
            details=details,
            prosecutor=ctx.principal.full_name.strip() or ctx.principal.username,
        )
        return f"/cases/{case.reference}?done=decision#cps"

    return case_form_write(ctx, typed=typed, fields=values, case=case, act=act)


@router.post("/cases/{reference}/cps/actions/{number}/response", **requires(Action.CPS_RESPOND))
def respond(
    reference: str,
    number: ItemNumber,
    form: FormDep,
    case: CaseInScope,
    ctx: PageContextDep,
) -> Response:
    """Answer one item of the CPS action plan; it meets its deadline."""
    typed = Typed(form=f"response-{number}", values=_values(form, "response"))
    values = typed.values

    def act() -> str:
        if not values["response"]:
            raise InvalidInput("response: say what was done")
        journey = SqlJourneyStore(ctx.store.session)
        ctx.wrote(
            Action.CPS_RESPOND,
            case_reference=case.reference,
            target=f"cps.action.{number}",
        )
        try:
            cps_service.respond_to_action(
                store=journey,
                reference=case.reference,
                number=number,
                response=values["response"],
                actor=ctx.principal.username,
            )
        except (InvalidInput, Conflict) as error:
            raise type(error)(f"response: {error.message}") from error
        return f"/cases/{case.reference}?done=response#cps"

    return case_form_write(ctx, typed=typed, fields=values, case=case, act=act)
