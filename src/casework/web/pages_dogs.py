"""The dog unit's pages: the dashboard and register, the compliance findings, a dog's file.

Each route takes the API's guard (``Authorized``), reads only the caller's force, calls
the ``registers`` services and writes the audit entries the matching API routes write;
one write, the daily welfare check, which a handler records most often.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.errors import CaseworkError, Conflict, InvalidInput, NotFound
from casework.registers import service
from casework.registers.dashboard import unit_dashboard
from casework.registers.dogs import WelfareKind, parse_dog_reference
from casework.registers.rules import dog_rules
from casework.security.policy import can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore
from casework.store.dog_models import SqlDogStore
from casework.web.deps import FormDep, PageCsrf
from casework.web.forms import PageContextDep
from casework.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/dogs", **requires(Action.DOG_READ))
def dogs_home(
    request: Request, principal: Authorized, store: SessionDep, audit: AuditDep, csrf: PageCsrf
) -> Response:
    """The unit dashboard and the register of the caller's force."""
    register = SqlDogStore(store.session)
    today = service.london_today()
    board = unit_dashboard(register, force=principal.force, today=today)
    dogs = service.list_dogs(register, force=principal.force)
    store.rollback()
    audit.separately(principal, action=Action.DOG_READ.value, target="dogs.dashboard")
    audit.separately(
        principal, action=Action.DOG_READ.value, target="dogs", detail={"count": len(dogs)}
    )
    return page(
        request,
        "dogs/index.html",
        principal=principal,
        csrf=csrf,
        title="Dog unit",
        board=board,
        dogs=dogs,
        findings_by_dog={f.dog_reference for f in board.findings},
    )


@router.get("/dogs/compliance", **requires(Action.DOG_READ))
def dogs_compliance(
    request: Request, principal: Authorized, store: SessionDep, audit: AuditDep, csrf: PageCsrf
) -> Response:
    """Every compliance finding of the force's register, with the rule and its source."""
    today = service.london_today()
    findings = service.compliance(SqlDogStore(store.session), force=principal.force, today=today)
    store.rollback()
    audit.separately(
        principal,
        action=Action.DOG_READ.value,
        target="dogs.compliance",
        detail={"count": len(findings)},
    )
    return page(
        request,
        "dogs/compliance.html",
        principal=principal,
        csrf=csrf,
        title="Dog unit compliance",
        findings=findings,
        rules=dog_rules(),
        today=today,
    )


@dataclass
class WelfareForm:
    """What was typed into the welfare-check form, kept when it is refused."""

    on: str = ""
    by: str = ""
    kind: str = WelfareKind.DAILY.value
    notes: str = ""
    concern: bool = False
    error: str = ""
    field: str = ""


def _dog_page(
    request: Request,
    *,
    reference: str,
    principal: Principal,
    store: SqlCaseStore,
    audit: AuditDep,
    csrf: str,
    form: WelfareForm | None = None,
    status: int = 200,
) -> Response:
    if parse_dog_reference(reference) is None:  # a malformed one reads as one not there
        raise NotFound(f"no dog {reference.strip().upper()[:20]}")
    register = SqlDogStore(store.session)
    file = service.dog_file(register, reference=reference, force=principal.force)
    today = service.london_today()
    findings = [
        f
        for f in service.compliance(register, force=principal.force, today=today)
        if f.dog_reference == file.dog.reference
    ]
    store.rollback()
    audit.separately(principal, action=Action.DOG_READ.value, target=f"dog:{file.dog.reference}")
    return page(
        request,
        "dogs/dog.html",
        principal=principal,
        csrf=csrf,
        status=status,
        title=f"{file.dog.name} ({file.dog.reference})",
        file=file,
        dog=file.dog,
        findings=findings,
        today=today,
        may_manage=can(principal, Action.DOG_MANAGE),
        form=form or WelfareForm(on=today.isoformat()),
        kinds=list(WelfareKind),
        recorded=request.query_params.get("recorded") == "1",
    )


@router.get("/dogs/{dog}", **requires(Action.DOG_READ))
def dog_page(
    request: Request,
    dog: str,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """A dog: its details, handlers, licences, welfare checks, deployments and findings."""
    return _dog_page(
        request, reference=dog, principal=principal, store=store, audit=audit, csrf=csrf
    )


@router.post("/dogs/{dog}/welfare", **requires(Action.DOG_MANAGE))
def record_welfare(dog: str, form: FormDep, ctx: PageContextDep) -> Response:
    """Record a welfare check; a refusal shows the form as it was typed."""
    typed = WelfareForm(
        on=form.get("on", "").strip(),
        by=form.get("by", "").strip()[:200],
        kind=form.get("kind", WelfareKind.DAILY.value),
        notes=form.get("notes", "").strip()[:4000],
        concern=form.get("concern") == "yes",
    )

    def act() -> str:
        if typed.kind not in {k.value for k in WelfareKind}:
            raise InvalidInput("kind: choose daily, vet or kennel")
        try:
            on = date.fromisoformat(typed.on)
        except ValueError:
            raise InvalidInput(f"on: {typed.on!r} is not a date (YYYY-MM-DD)") from None
        made = service.record_welfare(
            SqlDogStore(ctx.store.session),
            reference=dog,
            force=ctx.principal.force,
            on=on,
            kind=WelfareKind(typed.kind),
            by=typed.by,
            concern=typed.concern,
            notes=typed.notes,
            today=service.london_today(),
        )
        ctx.wrote(
            Action.DOG_MANAGE,
            target=f"dog:{dog.strip().upper()[:20]}",
            detail={"welfare": made.kind.value},
        )
        return f"/dogs/{dog.strip().upper()}?recorded=1#welfare"

    def refused(problem: CaseworkError) -> Response:
        typed.error = problem.message
        name, sep, _ = problem.message.partition(":")
        typed.field = name if sep and name in {"on", "by", "kind", "notes"} else ""
        return _dog_page(
            ctx.request,
            reference=dog,
            principal=ctx.principal,
            store=ctx.store,
            audit=ctx.audit,
            csrf=ctx.csrf,
            form=typed,
            status=problem.http_status,
        )

    # typed={}: the check's notes are not checked for wording (the case page's are)
    return ctx.form_write(act, refused, typed={}, refusals=(InvalidInput, Conflict))
