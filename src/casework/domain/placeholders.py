"""The placeholder numbers given in one case for one audience, as plain data.

A redacted copy says "[PERSON 3]" where a name was. Across the copies of a case for one
audience (a disclosure bundle) "[PERSON 3]" must be one person, so the numbers a copy gave
are kept between uploads (``store.placeholders``) and every later copy starts from them.
They only grow: a number once given to a value never changes, so copies already made stay
right. The values are normalised forms of personal data (a name's words, a phone's digits).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from casework.domain.labels import Label


@dataclass(frozen=True, slots=True)
class NumberedPerson:
    """A person numbered in a case, with the name's forms seen so far.

    A later bare surname ("Smith") or initial ("J. Smith") joins the one person whose
    surnames and forenames it fits, in a later upload as in the same one.
    """

    number: int
    tokens: tuple[str, ...]
    """The fullest form of the name seen (its words, lower case, forename first)."""
    surnames: frozenset[str] = frozenset()
    forenames: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PlaceholderNumbering:
    """Every number given so far: per label the last one, and which value has which."""

    counters: Mapping[Label, int] = field(default_factory=dict)
    """The highest number given per label (the next value of that label gets one more)."""
    aliases: Mapping[tuple[Label, str], int] = field(default_factory=dict)
    """(label, normalised value) -> number; several spellings may share a number."""
    people: tuple[NumberedPerson, ...] = ()

    def keeps(self, earlier: PlaceholderNumbering) -> bool:
        """Whether this numbering gives every value of ``earlier`` the number it had there.

        True when it only added to ``earlier``: what a register may be replaced with.
        """
        return (
            all(self.aliases.get(key) == number for key, number in earlier.aliases.items())
            and all(self.counters.get(label, 0) >= n for label, n in earlier.counters.items())
            and {p.number for p in earlier.people} <= {p.number for p in self.people}
        )
