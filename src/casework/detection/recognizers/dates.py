"""Dates of birth (a date with birth words before it) and ages."""

from __future__ import annotations

from typing import ClassVar

from casework.detection.base import Pattern, PatternRecognizer
from casework.detection.validators import parse_date
from casework.domain.labels import Label

_MONTH = (
    r"(?i:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?"
    r"|aug(?:ust|\.)?|sep(?:t(?:ember)?)?\.?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
)
_ORDINAL = r"(?i:st|nd|rd|th)?"
# A gap between words, which a PDF line break may turn into a newline.
_S = r"(?:[ ]|\r?\n)"
_SD = r"(?:[ -]|\r?\n)"
_AGE = r"1[0-1]\d|[1-9]?\d"
# Capital and small letters of names, accented ones included ("KOWALÓWKA", "Žukauskas").
_EXT_UP = "ĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_UP = rf"[A-ZÀ-ÖØ-Þ{_EXT_UP}]"
_LOW = rf"(?:[a-zß-öø-ÿ'’]|(?![{_EXT_UP}])[\u0100-\u017f])"
# Words before a bracketed number that make it a reference, not an age ("Section (2)").
_DOC_WORDS_TEXT = """section schedule part paragraph para article rule regulation clause item note
    page exhibit appendix annex table figure step question chapter act order count charge stage
    option point see"""
_DOC_WORDS = tuple(_DOC_WORDS_TEXT.split())
_NOT_DOC = rf"(?!(?i:{'|'.join(_DOC_WORDS)})(?![\w'’-]))"
_NOT_DOC_BEFORE = "".join(rf"(?<!(?i:{w}))" for w in _DOC_WORDS)


class DateOfBirthRecognizer(PatternRecognizer):
    """A date is a date of birth only when birth words come shortly before it."""

    NAME = "DateOfBirthRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.DATE_OF_BIRTH})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "numeric",
            r"(?<![\w/.:-])[0-3]?\d([/.-])[01]?\d[/.-](?:19|20)?\d{2}(?![\w]|[/.:-]\d)",
            0.3,
            "date after birth words (DOB, born)",
        ),
        Pattern(
            "day_month_year",
            rf"(?<![\w])[0-3]?\d{_ORDINAL}[ ](?:of[ ])?{_MONTH},?[ ](?:19|20)\d{{2}}(?![\w])",
            0.3,
            "written date after birth words (DOB, born)",
        ),
        Pattern(
            "month_day_year",
            rf"(?<![\w]){_MONTH}[ ][0-3]?\d{_ORDINAL},?[ ](?:19|20)\d{{2}}(?![\w])",
            0.3,
            "written date after birth words (DOB, born)",
        ),
    )
    CONTEXT = ("dob", "d.o.b", "d.o.b.", "date of birth", "born", "birth", "birthday",
               "born on")
    CONTEXT_BOOST = 0.55

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Keep only real calendar dates in a plausible range of birth years."""
        return None if parse_date(match_text) is not None else False


class AgeRecognizer(PatternRecognizer):
    """Ages with words that say so ("aged 34", "34 years old", "34-year-old", "Age: 34").

    The finding is the number alone, so the redacted text still reads ("aged [AGE]").
    """

    NAME = "AgeRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.AGE})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "aged",
            rf"(?<![\w])(?i:aged|age(?:{_S}if{_S}under{_S}18)?:?|age{_S}of)(?:[ ]{{1,4}}|\r?\n)"
            rf"(?P<span>{_AGE})(?![\w]|[.:/]\d)",
            0.85,
            "number after 'aged' or 'age'",
        ),
        Pattern(
            "years_old",
            rf"(?<![\w.,/-])(?P<span>{_AGE})(?:{_SD}(?i:years?|yrs?){_SD}(?i:old)"
            rf"|{_S}(?i:yrs?|years)(?={_S}(?i:of){_S}(?i:age)))(?![\w])",
            0.85,
            "number followed by 'years old'",
        ),
        Pattern(
            "year_old",
            rf"(?<![\w.,/-])(?P<span>{_AGE}){_SD}(?i:year)(?:{_SD})?(?i:old)s?(?![\w])",
            0.85,
            "number in 'N-year-old'",
        ),
        Pattern(
            "i_am",
            rf"(?<![\w])(?:I'm|I’m|I{_S}am){_S}(?P<span>{_AGE})(?=[.,;!]|$)",
            0.6,
            "number after 'I am' ending the sentence",
        ),
        Pattern(
            "after_name",
            rf"(?<![\w]){_NOT_DOC}[A-Z][A-Za-z'’]+(?:[ -]{_NOT_DOC}[A-Z][A-Za-z'’]+){{0,3}}"
            rf"{_NOT_DOC_BEFORE}{_S}\((?P<span>{_AGE})\)"
            rf"(?=,|{_S}(?:of|from|who|was|is|and){_S})",
            0.55,
            "number in brackets after a name, as in 'Jane Doe (34) of'",
        ),
        Pattern(
            "after_caps_name",
            rf"(?<![\w]){_NOT_DOC}{_UP}{_LOW}+(?:[ -]{_UP}{_LOW}+){{0,2}}[ ]"
            rf"(?:{_UP}['’])?{_UP}{{2,}}(?:-{_UP}{{2,}})?"
            rf"[ ]?\((?P<span>{_AGE})\)(?![\w)])",
            0.6,
            "number in brackets after a forename and capitalised surname, as in 'Terry SMITH (55)'",
        ),
    )
    CONTEXT = ("age", "aged", "years", "old", "victim", "suspect", "male", "female", "man",
               "woman", "boy", "girl")
    CONTEXT_BOOST = 0.3
