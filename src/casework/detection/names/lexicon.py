"""Word lists and the tokeniser shared by the name, organisation and location recognizers.

The gazetteers are built by ``tools/build_name_gazetteer.py`` into ``detection/data/names.json``
and loaded once per process; everything here is a set or a dict so that a lookup is one hash.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _set(words: str) -> frozenset[str]:
    """Return the space-separated ``words`` as a set (keeps long word lists readable)."""
    return frozenset(words.split())


# A word (letters with inner apostrophes or hyphens: O'NEILL, AL-SAYED), a number, or one
# other visible character. Tokenising once with one compiled regex keeps a 2 MB bundle fast.
TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+|[^\w\s]")

TITLES = _set(
    "mr mrs ms miss mx dr sir dame lord lady master madam mister prof professor rev revd "
    "reverend father imam rabbi"
)
# Police ranks and roles written before a name; the person named is an officer.
RANKS = _set(
    "pc wpc psc dc ds di dci dsi dsu det sgt sergeant insp inspector ch supt superintendent "
    "constable detective acc dcc ppc ps pcso cst"
)
# Words that start a new sentence-level thing and are never part of a name.
STOP = _set(
    """police court crown magistrates station road street lane avenue drive close way crescent
    grove terrace place square gardens park view hill rise walk row mews court parade estate
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep
    sept oct nov dec mon tue tues wed thu thurs fri sat sun
    christmas easter bank holiday ramadan eid diwali
    statement witness victim suspect defendant officer constable sergeant inspector detective
    name names address dob date time age occupation tel telephone mobile email signed signature
    page exhibit ref reference appendix section schedule form mg act offence offences
    cps nhs pnc cro hmrc dvla dwp uk gb usa eu english british welsh scottish irish
    north south east west northern southern eastern western central
    i im ive id ill the a an and or but of in on at to for from by with ok okay yes no hi hello
    """
)
STREET_SUFFIXES = _set(
    """road rd street st lane ln avenue ave drive dr close cl way crescent grove terrace place
    square gardens gdns park view hill rise walk row mews parade court estate green mount vale
    wharf"""
)
ORG_SUFFIXES = _set(
    """school academy college university nursery primary secondary infants juniors hospital
    surgery practice clinic centre center ltd limited plc llp llc inc group services solutions
    club church mosque temple gurdwara synagogue chapel council trust foundation partnership
    associates company co bank store stores supermarket garage motors cafe restaurant bar pub
    inn arms hotel gym"""
)
ROLE_WORDS = {
    "victim": "victim",
    "ip": "victim",
    "complainant": "victim",
    "aggrieved": "victim",
    "suspect": "suspect",
    "defendant": "suspect",
    "dp": "suspect",
    "accused": "suspect",
    "offender": "suspect",
    "perpetrator": "suspect",
    "witness": "witness",
    "prosecutor": "prosecutor",
}
# Words that introduce a person without a role: "my partner Dan", "my ex Kyle".
RELATION_WORDS = _set(
    """partner ex boyfriend girlfriend husband wife fiance fiancee mum mother dad father son
    daughter brother sister cousin uncle aunt auntie nan nana grandad grandma granddad friend
    mate neighbour colleague boss manager teacher stepdad stepmum sibling carer"""
)
GREETINGS = _set(
    """hi hey hiya hello dear thanks thank cheers bye night morning love babe ta yo oi
    told tell ask asked call called text texted with"""
)
# Abbreviations police documents write in capitals: never an ALL-CAPS surname.
ACRONYMS = _set(
    """gp cctv mot dash ae sms mms dna id pin atm cid moj dvla hmcts hmp yoi bwv tic nfa rtc
    asb dv dva idva marac mash cpn ssp pnd ofsted dbs sia cad ppe ok tv pc ps sgt hq am pm
    iban bic swift vat ref urn nb"""
)
NEVER_NAME = STOP | ACRONYMS | frozenset({"i'm", "i'll", "i've", "i'd", "im", "ive", "u", "ur"})
PARTICLES = _set("de da di del della van von der den la le al el bin bint ibn ben du")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The gazetteers, lower-cased, as sets."""

    forenames: frozenset[str]
    surnames: frozenset[str]
    common: frozenset[str]
    places: frozenset[str]  # lower-cased, multi-word places joined by one space


@cache
def lexicon() -> Lexicon:
    """Load the shipped gazetteers once per process."""
    raw = resources.files("casework.detection.data").joinpath("names.json").read_text("utf-8")
    data = json.loads(raw)
    return Lexicon(
        forenames=frozenset(data["forenames"]),
        surnames=frozenset(data["surnames"]),
        common=frozenset(data["common"]),
        places=frozenset(p.lower() for p in data["places"]),
    )


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text split into tokens, as parallel lists, with the lower-case words."""

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    lowers: list[str]

    def glued(self, i: int) -> bool:
        """True when token ``i`` touches a number with no space ("AB12", "CF4"): a code."""
        starts, ends, words = self.starts, self.ends, self.words
        if i + 1 < len(words) and ends[i] == starts[i + 1] and words[i + 1][0].isdigit():
            return True
        return i > 0 and starts[i] == ends[i - 1] and words[i - 1][0].isdigit()

    def newline_before(self, i: int) -> bool:
        return i > 0 and "\n" in self.text[self.ends[i - 1] : self.starts[i]]

    def caps_line(self, i: int) -> bool:
        """True when the token's whole line is in capitals (a heading: capitals prove nothing)."""
        text, pos = self.text, self.starts[i]
        lo = text.rfind("\n", 0, pos) + 1
        hi = text.find("\n", pos)
        line = text[lo : hi if hi != -1 else len(text)]
        return not any(c.islower() for c in line)


def tokens_of(text: str) -> Tokens:
    """Tokenise ``text`` once for every rule that looks at it."""
    starts, ends, words = tokenize(text)
    return Tokens(text, starts, ends, words, [w.lower() for w in words])


def tokenize(text: str) -> tuple[list[int], list[int], list[str]]:
    """Split ``text`` into tokens as parallel lists of starts, ends and strings."""
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    for m in TOKEN.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        words.append(m.group())
    return starts, ends, words


def shape(word: str) -> str:
    """Return a coarse word shape: 'Xx' Title, 'X' one capital, 'XX' all caps, 'x' lower, ..."""
    if word.isupper():
        return "X" if len(word) == 1 else "XX"
    if word[0].isupper():
        return "Xx"
    if word.islower():
        return "x"
    if word[0].isdigit():
        return "d"
    if word.isalpha():
        return "xX"
    return "."
