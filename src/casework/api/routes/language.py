"""``/api/language``: check text for language that blames child victims; the rule pack.

The same check as ``casework language check``; the text is not stored, and the audit
entry records only its length and the counts.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from casework.api.deps import AuditDep, AuditTrail, Authorized, SessionDep, requires
from casework.safeguarding.language import LanguageFinding, check_text
from casework.safeguarding.language_report import LanguageReport, language_report
from casework.safeguarding.language_rules import default_pack
from casework.security.principal import Principal
from casework.security.roles import Action, is_national
from casework.store import SqlCaseStore
from casework.store.free_text import free_texts

router = APIRouter(prefix="/api/language", tags=["language"])

MAX_CHARS = 1_000_000


class TextIn(BaseModel):
    text: str = Field(max_length=MAX_CHARS, description="A note, statement or report text.")


class FindingOut(BaseModel):
    rule: str
    title: str
    phrase: str
    start: int = Field(description="Character offset in the text (end exclusive below).")
    end: int
    line: int
    column: int
    voice: str = Field(description="officer (the writer's words) or quoted (evidence).")
    why: str
    instead: str
    advice: str
    source: str


class CheckOut(BaseModel):
    pack_version: str
    findings: list[FindingOut]
    officer: int
    quoted: int


class RuleOut(BaseModel):
    id: str
    title: str
    why: str
    instead: str
    source: str
    patterns: list[str]


class PackOut(BaseModel):
    version: str
    source: str
    rules: list[RuleOut]


def finding_out(finding: LanguageFinding) -> FindingOut:
    return FindingOut(
        rule=finding.rule,
        title=finding.title,
        phrase=finding.phrase,
        start=finding.start,
        end=finding.end,
        line=finding.line,
        column=finding.column,
        voice=finding.voice.value,
        why=finding.why,
        instead=finding.instead,
        advice=finding.advice,
        source=finding.source,
    )


@router.post("/check", **requires(Action.LANGUAGE_CHECK))
def check(body: TextIn, principal: Authorized, store: SessionDep, audit: AuditDep) -> CheckOut:
    """Flag each phrase that blames a child victim, with why it harms and what to write."""
    found = check_text(body.text)
    quoted = sum(1 for f in found if f.quoted)
    audit.wrote(  # a POST holds the write lock: the entry goes in its own unit of work
        store,
        principal,
        action=Action.LANGUAGE_CHECK.value,
        target="text",
        detail={"chars": len(body.text), "officer": len(found) - quoted, "quoted": quoted},
    )
    return CheckOut(
        pack_version=default_pack().version,
        findings=[finding_out(f) for f in found],
        officer=len(found) - quoted,
        quoted=quoted,
    )


@router.get("/rules", **requires(Action.LANGUAGE_CHECK))
def rules(principal: Authorized) -> PackOut:
    """The rule pack: each rule with its source, why it harms and what to write instead."""
    pack = default_pack()
    return PackOut(
        version=pack.version,
        source=pack.source,
        rules=[
            RuleOut(
                id=r.id,
                title=r.title,
                why=r.why,
                instead=r.instead,
                source=r.source,
                patterns=list(r.patterns),
            )
            for r in pack.rules
        ],
    )


def read_language_report(
    principal: Principal, store: SqlCaseStore, audit: AuditTrail
) -> LanguageReport:
    """The caller's language counts (a force's own; national: all), audited as a read.

    Shared by this route and the data-quality page, so both count and audit alike.
    """
    force = None if is_national(principal.role) else principal.force
    found = language_report(free_texts(store.session, force=force), scope=force or "all forces")
    store.rollback()  # reads done: let go of SQLite's lock before the audit entry
    audit.separately(
        principal,
        action=Action.METRICS_READ.value,
        target="language.report",
        detail={"texts": found.texts, "officer": found.officer, "quoted": found.quoted},
    )
    return found


@router.get("/report", **requires(Action.METRICS_READ))
def report(principal: Authorized, store: SessionDep, audit: AuditDep) -> dict[str, Any]:
    """Counts by rule over the free text of case records (a force's own; national: all)."""
    return read_language_report(principal, store, audit).as_dict()
