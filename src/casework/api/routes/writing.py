"""What the journey write routes share: the JSON of a service's answer, and naming the field.

A service says what is wrong in words ("due date 2026-01-01 is in the past"); the API's
422 names the field of the request it came from, as the CLI names its flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from pydantic import TypeAdapter

from casework.errors import InvalidInput

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
