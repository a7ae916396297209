"""Typed placeholders that stay the same for one person or number across a whole bundle.

"[PERSON 3]" must mean the same person in every document a prosecutor reads, or the
redacted bundle cannot be followed. Values are normalised before they are numbered:
names ignore case, punctuation, titles and "SURNAME, Forename" order, and a later bare
surname (or initial and surname) joins the one person it can mean; phone numbers compare
by digits with +44 read as 0. Build the book over the whole bundle, in reading order,
before writing anything, so numbering is deterministic whatever order workers finish in.

A book can start from the numbers given before (``PlaceholderBook.from_numbering``) and
hand back what it knows (``numbering``): how the copies of all the uploads of a case share
one numbering per audience. The spellings seen (``surfaces``) are not carried over: they
are what the copy being made propagates, and stay the upload's own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from casework.domain.document import Document
from casework.domain.findings import Finding
from casework.domain.labels import Label
from casework.domain.placeholders import NumberedPerson, PlaceholderNumbering
from casework.redaction.audiences import Audience
from casework.redaction.surfaces import SurfaceIndex

TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev",
        "pc", "wpc", "dc", "ps", "ds", "di", "dci", "dsi", "dcs", "sgt", "insp", "supt", "ch",
        "det", "con", "cst", "constable", "sergeant", "inspector", "officer",
    }
)
"""Words dropped from the front of a name: courtesy titles and police ranks."""

_ALNUM_LABELS = frozenset(
    {
        Label.POSTCODE, Label.VEHICLE_REG, Label.NI_NUMBER, Label.PASSPORT,
        Label.DRIVING_LICENCE, Label.PNC_ID, Label.CRO_NUMBER, Label.IBAN, Label.CARD,
        Label.BANK, Label.NHS_NUMBER,
    }
)
_DATE_FORMATS = (
    "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y",
    "%d/%m/%y",
)
_WORD = re.compile(r"[^\W\d_]+")
_LINK = re.compile(r"mention of '([^']+)' found earlier")
"""How the name recognizer says which full name a later bare mention belongs to."""
UNRESOLVED_PERSON = f"[{Label.PERSON}]"
"""Placeholder of a bare name that could be any of several people: no number is invented."""


_INVISIBLE = str.maketrans(dict.fromkeys("\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"))
"""Soft hyphens and zero-width characters: "Ja\u200bne" is the same name as "Jane"."""


def person_tokens(text: str) -> tuple[str, ...]:
    """Return a name's words, lower case, forename first, without titles or collar numbers."""
    folded = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).casefold()
    if "," in folded:
        surname, _, forenames = folded.partition(",")
        folded = f"{forenames} {surname}"
    folded = folded.replace("'", "").replace("\u2019", "")
    words = _WORD.findall(folded)
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return tuple(words)


def phone_key(text: str) -> str:
    """Return a phone number's digits in national form (+44 and 0044 read as 0)."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("00"):
        digits = digits[2:]
    elif not text.lstrip().startswith("+") and digits.startswith("0"):
        return digits
    if digits.startswith("44"):
        rest = digits[2:]
        return "0" + rest.removeprefix("0")
    return digits


def _date_key(text: str) -> str:
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"[\s,]+", " ", cleaned)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return _plain_key(text)


def _plain_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).casefold()
    return " ".join(re.sub(r"[^\w@.+-]+", " ", folded).split()).strip(" .-")


def value_key(label: Label, text: str) -> str:
    """Return the normalised form under which two spellings of one value are the same."""
    if label is Label.PERSON:
        return " ".join(person_tokens(text))
    if label is Label.PHONE:
        return phone_key(text)
    if label is Label.DATE_OF_BIRTH:
        return _date_key(text)
    if label in _ALNUM_LABELS:
        return re.sub(r"[\W_]", "", text).upper()
    if label is Label.EMAIL:
        return text.strip().casefold()
    return _plain_key(text)


@dataclass(slots=True)
class _Person:
    number: int
    tokens: tuple[str, ...]
    surnames: set[str] = field(default_factory=set)
    forenames: set[str] = field(default_factory=set)

    def absorb(self, tokens: tuple[str, ...]) -> None:
        if len(tokens) > len(self.tokens):
            self.tokens = tokens
        if len(tokens) > 1:
            self.surnames.add(tokens[-1])
            self.forenames.add(tokens[0])


class PlaceholderBook:
    """Numbers each distinct redacted value per label, for one bundle and one audience.

    Stateful and picklable: build it in the parent over the whole bundle
    (``add_bundle``), then hand it to the workers that write each document.
    """

    def __init__(self) -> None:
        self._counters: dict[Label, int] = {}
        self._aliases: dict[tuple[Label, str], int] = {}
        self._people: list[_Person] = []
        self._surfaces: dict[str, tuple[Label, str]] = {}
        self._index: SurfaceIndex | None = None

    @classmethod
    def from_numbering(cls, numbering: PlaceholderNumbering) -> PlaceholderBook:
        """Return a book that goes on from ``numbering``: known values keep their numbers."""
        book = cls()
        book._counters = dict(numbering.counters)
        book._aliases = dict(numbering.aliases)
        book._people = [
            _Person(p.number, p.tokens, set(p.surnames), set(p.forenames)) for p in numbering.people
        ]
        return book

    def numbering(self) -> PlaceholderNumbering:
        """Return every number given so far (what a later book goes on from)."""
        return PlaceholderNumbering(
            counters=dict(self._counters),
            aliases=dict(self._aliases),
            people=tuple(
                NumberedPerson(p.number, p.tokens, frozenset(p.surnames), frozenset(p.forenames))
                for p in self._people
            ),
        )

    def add_bundle(
        self, bundle: Iterable[tuple[Document, Sequence[Finding]]], audience: Audience
    ) -> None:
        """Number every value ``audience`` removes, document by document, in reading order."""
        self.add_findings((findings for _document, findings in bundle), audience)

    def add_findings(self, bundle: Iterable[Sequence[Finding]], audience: Audience) -> None:
        """Like ``add_bundle``, from each document's findings alone (documents already closed)."""
        for findings in bundle:
            for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
                if audience.removes(finding.label, finding.role):
                    self.placeholder(finding.label, finding.text, reason=finding.reason)

    def placeholder(self, label: Label, text: str, *, reason: str = "") -> str:
        """Return the placeholder for ``text``, numbering it if it is new.

        ``reason`` is the finding's: when the name recognizer linked a bare mention to the
        full name it follows ("mention of 'Jane Doe' found earlier"), that person is used.
        A bare name that could be several known people gets ``[PERSON]``, not a new number
        that would read as someone else.
        """
        key = value_key(label, text)
        number = self._linked(key, reason) if label is Label.PERSON else None
        if number is None:
            number = self._aliases.get((label, key))
        if number is None:
            number, ambiguous = (
                self._resolve_person(key) if label is Label.PERSON else (None, False)
            )
            if ambiguous:
                self._remember(text, label, UNRESOLVED_PERSON)
                return UNRESOLVED_PERSON
            if number is None:
                number = self._next(label)
                if label is Label.PERSON:
                    person = _Person(number, tuple(key.split()))
                    person.absorb(person.tokens)
                    self._people.append(person)
            self._aliases[(label, key)] = number
        placeholder = f"[{label} {number}]"
        self._remember(text, label, placeholder)
        return placeholder

    def _remember(self, text: str, label: Label, placeholder: str) -> None:
        surface = " ".join(text.split())
        if len(surface) >= 3:
            self._surfaces.setdefault(surface.casefold(), (label, placeholder))

    def _linked(self, key: str, reason: str) -> int | None:
        """Return the number of the person the recognizer linked a later mention to."""
        link = _LINK.search(reason)
        if link is None:
            return None
        full = value_key(Label.PERSON, link.group(1))
        number = self._aliases.get((Label.PERSON, full))
        if number is None or not set(key.split()) <= set(full.split()):
            return None
        return number

    def lookup(self, label: Label, text: str) -> str | None:
        """Return the placeholder already given to ``text``, without numbering anything."""
        number = self._aliases.get((label, value_key(label, text)))
        return None if number is None else f"[{label} {number}]"

    def surfaces(self) -> dict[str, tuple[Label, str]]:
        """Return every redacted spelling seen (case-folded) with its label and placeholder."""
        return dict(self._surfaces)

    def surface_index(self) -> SurfaceIndex:
        """Return an index of every redacted spelling; rebuilt only after new ones were added."""
        if self._index is None or len(self._index) != len(self._surfaces):
            self._index = SurfaceIndex(self._surfaces)
        return self._index

    def _next(self, label: Label) -> int:
        self._counters[label] = self._counters.get(label, 0) + 1
        return self._counters[label]

    def _resolve_person(self, key: str) -> tuple[int | None, bool]:
        """Find the one known person a new spelling can mean, and whether several could be."""
        tokens = tuple(key.split())
        if not tokens:
            return None, False
        match: list[_Person]
        if len(tokens) == 1:
            word = tokens[0]
            match = [p for p in self._people if word in p.surnames]
            if not match:
                match = [p for p in self._people if word in p.forenames]
            if not match:
                match = [p for p in self._people if p.tokens == tokens]
        elif len(tokens[0]) == 1:
            match = [
                p for p in self._people
                if tokens[-1] in p.surnames and any(f.startswith(tokens[0]) for f in p.forenames)
            ]
        else:
            first, last = tokens[0], tokens[-1]
            match = [p for p in self._people if first in p.forenames and last in p.surnames]
            if not match:
                # An earlier bare surname ("Smith") becomes the full name that now appears.
                match = [p for p in self._people if p.tokens == (last,)]
        if len(match) != 1:
            return None, len(match) > 1
        match[0].absorb(tokens)
        return match[0].number, False
