"""What the write routes share: who writes, the audit entry, the request's fields, naming.

A write route takes ``RecorderDep`` (the guarded caller, the unit of work and the audit
trail in one), passes the request's fields on to a service with ``fields_of`` and writes
its audit entry with ``Recorder.wrote``. A service says what is wrong in words ("due date
2026-01-01 is in the past"); the API's 422 names the field of the request it came from
(``naming``), as the CLI names its flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, TypeAdapter

from casework.api.deps import AuditDep, AuditTrail, Authorized, SessionDep
from casework.errors import InvalidInput
from casework.security.audit import DetailValue
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore

_NAMED = re.compile(r"^(?P<field>[A-Za-z_][A-Za-z0-9_.\-]*): ")


def as_json(kind: Any, value: object) -> dict[str, Any]:
    """``value`` (a dataclass or model of type ``kind``) as JSON-ready data."""
    data: dict[str, Any] = TypeAdapter(kind).dump_python(value, mode="json")
    return data


@contextmanager
def naming(default: str, by_words: Mapping[str, str] | None = None) -> Iterator[None]:
    """Give a service's ``InvalidInput`` the request field it is about.

    The field is the first of ``by_words`` (words in the message -> field) that matches,
    else ``default``. A message that already names a real field keeps it; the "value" a
    whole-model check reports is replaced.
    """
    try:
        yield
    except InvalidInput as error:
        if type(error) is not InvalidInput:  # too large, unreadable: they say what they are
            raise
        message = error.message
        named = _NAMED.match(message)
        if named is not None and named["field"] != "value":
            raise
        if named is not None:
            message = message[named.end() :].removeprefix("Value error, ")
        field = next((f for words, f in (by_words or {}).items() if words in message), default)
        raise InvalidInput(f"{field}: {message}") from error


def fields_of(body: BaseModel, **defaults: object) -> dict[str, Any]:
    """The request's fields as a service's keyword arguments; an empty one takes its default.

    Request models name their fields as the service names its arguments, so a route passes
    them on instead of restating each. A default replaces a field left out (None or blank),
    as ``body.field or default`` would.
    """
    fields = dict(body)  # shallow: the values as validated (enums, dates, lists)
    for name, value in defaults.items():
        fields[name] = fields[name] or value
    return fields


@dataclass(frozen=True, slots=True)
class Recorder:
    """A write's guarded caller, unit of work and audit trail: what every recorded write needs."""

    principal: Principal
    store: SqlCaseStore
    audit: AuditTrail

    def wrote(
        self,
        action: Action,
        *,
        case_reference: str | None = None,
        target: str = "",
        detail: dict[str, DetailValue] | None = None,
    ) -> None:
        """Record the write in its own unit of work: both land or neither."""
        self.audit.wrote(
            self.store,
            self.principal,
            action=action.value,
            case_reference=case_reference,
            target=target,
            detail=detail,
        )


async def recorder(principal: Authorized, store: SessionDep, audit: AuditDep) -> Recorder:
    # async: it does no I/O, so it runs on the event loop instead of taking a thread
    return Recorder(principal, store, audit)


RecorderDep = Annotated[Recorder, Depends(recorder)]
