"""The engine: one pass, fall-through after a rejected match, context, overlaps, offsets."""

from __future__ import annotations

import pickle
from typing import ClassVar

import pytest

from casework.detection.base import Pattern, PatternRecognizer, RecognizerRegistry
from casework.detection.engine import DetectionEngine, resolve_overlaps
from casework.domain.findings import Finding
from casework.domain.labels import Label


class _RejectingCard(PatternRecognizer):
    NAME = "RejectingCard"
    LABELS = frozenset({Label.CARD})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("sixteen", r"(?<![\w])\d{16}(?![\w])", 0.9, "sixteen digits"),
    )

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        return False


class _Account(PatternRecognizer):
    NAME = "Account"
    LABELS = frozenset({Label.BANK})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("digits", r"(?<![\w])\d{16}(?![\w])", 0.6, "an account number"),
    )
    CONTEXT = ("account",)
    CONTEXT_BOOST = 0.3


class _Words(PatternRecognizer):
    """Two patterns whose matches overlap partially: 'red fox' and 'fox jumps high'."""

    NAME = "Words"
    LABELS = frozenset({Label.LOCATION, Label.ORGANISATION})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("short", r"(?<!\w)red fox(?!\w)", 0.9, "short", Label.LOCATION),
        Pattern("long", r"(?<!\w)fox jumps high(?!\w)", 0.6, "long", Label.ORGANISATION),
    )


class _Person:
    """A non-pattern recognizer: finds 'Jane' wherever it is."""

    NAME = "Person"
    VERSION = "1"
    LABELS = frozenset({Label.PERSON})

    def find(self, text: str) -> list[Finding]:
        out = []
        start = text.find("jane")
        while start >= 0:
            out.append(Finding(start, start + 4, Label.PERSON, "jane", 0.7, self.NAME, "a name"))
            start = text.find("jane", start + 1)
        return out


def _engine(*recognizers: object) -> DetectionEngine:
    registry = RecognizerRegistry()
    for r in recognizers:
        registry.add(r)  # type: ignore[arg-type]
    return DetectionEngine(registry)


def test_rejected_winner_falls_through_to_the_next_pattern_at_the_same_position() -> None:
    (finding,) = _engine(_RejectingCard(), _Account()).detect("no 1234567812345678 here")
    assert (finding.label, finding.text, finding.recognizer) == (
        Label.BANK, "1234567812345678", "Account",
    )


def test_partially_overlapping_candidates_are_found_and_the_longer_wins() -> None:
    engine = _engine(_Words())
    assert [f.text for f in engine._pattern_candidates("the red fox jumps high")] == [
        "red fox", "fox jumps high",
    ]
    (finding,) = engine.detect("the red fox jumps high")
    assert finding.text == "fox jumps high"


def test_context_word_before_the_match_raises_the_score_and_is_named() -> None:
    engine = _engine(_Account())
    (plain,) = engine.detect("ref 1234567812345678")
    (boosted,) = engine.detect("account 1234567812345678")
    assert plain.score == pytest.approx(0.6)
    assert boosted.score == pytest.approx(0.9)
    assert "'account' nearby" in boosted.reason


def test_context_word_outside_the_window_does_not_count() -> None:
    text = "account" + " filler" * 20 + " 1234567812345678"
    (finding,) = _engine(_Account()).detect(text)
    assert finding.score == pytest.approx(0.6)


def test_context_word_must_be_a_whole_word() -> None:
    (finding,) = _engine(_Account()).detect("accountancy 1234567812345678")
    assert finding.score == pytest.approx(0.6)


def test_offsets_are_exact_after_non_ascii_text(engine: DetectionEngine) -> None:
    text = "Zoë Ødegård — née Łukasz 🙂 “quoted” tel 07700 900123 and AB 12 34 56 C."
    findings = engine.detect(text)
    assert [f.text for f in findings] == ["07700 900123", "AB 12 34 56 C"]
    for f in findings:
        assert text[f.start : f.end] == f.text


def test_postcode_inside_an_address_is_kept_as_its_own_finding(engine: DetectionEngine) -> None:
    findings = engine.detect("She lives at 12 Station Road, Leeds LS6 2AB with him.")
    assert [(f.label, f.text) for f in findings] == [
        (Label.ADDRESS, "12 Station Road, Leeds LS6 2AB"),
        (Label.POSTCODE, "LS6 2AB"),
    ]


def test_email_absorbs_a_name_and_a_handle_inside_it() -> None:
    from casework.detection.recognizers import EmailRecognizer, SocialHandleRecognizer

    engine = _engine(EmailRecognizer(), SocialHandleRecognizer(), _Person())
    findings = engine.detect("write to jane@example.com or ask jane")
    assert [(f.label, f.text) for f in findings] == [
        (Label.EMAIL, "jane@example.com"),
        (Label.PERSON, "jane"),
    ]


def test_one_finding_per_span_the_higher_score_wins() -> None:
    a = Finding(0, 8, Label.BANK, "12345678", 0.6, "A", "a")
    b = Finding(0, 8, Label.PASSPORT, "12345678", 0.8, "B", "b")
    c = Finding(0, 8, Label.BANK, "12345678", 0.9, "C", "c")
    assert resolve_overlaps([a, b]) == [b]
    assert resolve_overlaps([a, c]) == [c]


def test_equal_findings_fall_back_to_label_priority() -> None:
    a = Finding(0, 8, Label.PHONE, "x" * 8, 0.8, "A", "a")
    b = Finding(0, 8, Label.CARD, "x" * 8, 0.8, "B", "b")
    assert resolve_overlaps([a, b]) == [b]


def test_nested_same_label_is_dropped_nested_other_label_kept() -> None:
    outer = Finding(0, 30, Label.ADDRESS, "a" * 30, 0.85, "A", "a")
    same = Finding(0, 10, Label.ADDRESS, "a" * 10, 0.85, "A", "a")
    postcode = Finding(23, 30, Label.POSTCODE, "a" * 7, 1.0, "P", "p")
    town = Finding(15, 20, Label.LOCATION, "a" * 5, 0.9, "L", "l")
    assert resolve_overlaps([postcode, same, town, outer]) == [outer, postcode]


def test_results_are_sorted_by_start() -> None:
    findings = [
        Finding(20, 25, Label.AGE, "x" * 5, 0.9, "A", "a"),
        Finding(0, 4, Label.AGE, "x" * 4, 0.9, "A", "a"),
        Finding(10, 12, Label.AGE, "xx", 0.9, "A", "a"),
    ]
    assert [f.start for f in resolve_overlaps(findings)] == [0, 10, 20]


def test_span_group_reports_only_the_marked_part(engine: DetectionEngine) -> None:
    (finding,) = engine.detect("a woman aged 34 was")
    assert (finding.label, finding.text, finding.start) == (Label.AGE, "34", 13)


def test_every_finding_says_who_and_why(engine: DetectionEngine) -> None:
    for f in engine.detect("DOB 12/03/1987, card 4111 1111 1111 1111, @jane_doe"):
        assert f.recognizer.endswith("Recognizer")
        assert f.recognizer_version
        assert f.reason
        assert 0.5 <= f.score <= 1.0


def test_engine_pickles_and_finds_the_same(engine: DetectionEngine) -> None:
    text = "Call 07700 900123 about AB12 CDE at 12 Station Road, Leeds LS6 2AB."
    clone = pickle.loads(pickle.dumps(engine))
    assert clone.detect(text) == engine.detect(text)


def test_detect_many_keeps_order(engine: DetectionEngine) -> None:
    assert [[f.label for f in fs] for fs in engine.detect_many(["AB12 CDE", "", "SW1A 1AA"])] == [
        [Label.VEHICLE_REG], [], [Label.POSTCODE],
    ]


def test_an_empty_registry_finds_nothing() -> None:
    assert DetectionEngine(RecognizerRegistry()).detect("07700 900123") == []


def test_non_pattern_recognizers_run_alongside_patterns() -> None:
    from casework.detection.recognizers import UkPhoneRecognizer

    findings = _engine(UkPhoneRecognizer(), _Person()).detect("jane on 07700 900123")
    assert [f.label for f in findings] == [Label.PERSON, Label.PHONE]


class _BadGroup(PatternRecognizer):
    NAME = "BadGroup"
    LABELS = frozenset({Label.AGE})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("g", r"(?P<age>\d+)", 0.9, "x"),)


class _BadFlags(PatternRecognizer):
    NAME = "BadFlags"
    LABELS = frozenset({Label.AGE})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("f", r"(?i)aged \d+", 0.9, "x"),)


@pytest.mark.parametrize("recognizer", [_BadGroup(), _BadFlags()])
def test_patterns_that_cannot_be_combined_are_refused(recognizer: PatternRecognizer) -> None:
    with pytest.raises(ValueError, match=recognizer.NAME):
        _engine(recognizer)


def test_default_pattern_recognizers_cover_every_pattern_label() -> None:
    from casework.detection.recognizers import default_pattern_recognizers

    labels = {label for r in default_pattern_recognizers() for label in r.LABELS}
    assert labels == set(Label) - {Label.PERSON, Label.ORGANISATION, Label.LOCATION}
    names = [r.NAME for r in default_pattern_recognizers()]
    assert len(names) == len(set(names))


def test_birth_words_do_not_reach_into_the_next_sentence(engine: DetectionEngine) -> None:
    text = "My date of birth is 26.03.1991. On Monday 15 July 2024 at about 9pm"
    assert [(f.label, f.text) for f in engine.detect(text)] == [
        (Label.DATE_OF_BIRTH, "26.03.1991"),
    ]


def test_context_phrase_survives_a_line_break(engine: DetectionEngine) -> None:
    (finding,) = engine.detect("Date of\r\nbirth: 12/03/1987")
    assert finding.label is Label.DATE_OF_BIRTH


def test_postcode_halves_inside_an_address_are_not_registration_marks(
    engine: DetectionEngine,
) -> None:
    text = "Registration mark: VR56 EUN\nAddress: 160 Oak Close, Walsall WS3 0UJ"
    assert [(f.label, f.text) for f in engine.detect(text)] == [
        (Label.VEHICLE_REG, "VR56 EUN"),
        (Label.ADDRESS, "160 Oak Close, Walsall WS3 0UJ"),
        (Label.POSTCODE, "WS3 0UJ"),
    ]


@pytest.mark.parametrize(
    ("text", "label", "value"),
    [
        ("Statement of Mrs Ja\u200bne D\u00adoe today.", Label.PERSON, "Ja\u200bne D\u00adoe"),
        ("Statement of Mrs Jane\u00a0Doe today.", Label.PERSON, "Jane\u00a0Doe"),
        ("Her phone is 07700\u00a0900\u2009123.", Label.PHONE, "07700\u00a0900\u2009123"),
        ("Her phone is 07700\u200b900\u00ad123.", Label.PHONE, "07700\u200b900\u00ad123"),
        ("Call 07700\u202f900123 now.", Label.PHONE, "07700\u202f900123"),
    ],
)
def test_invisible_characters_and_odd_spaces_do_not_hide_a_value(
    text: str, label: Label, value: str
) -> None:
    from casework.plugins import recognizer_registry

    found = DetectionEngine(recognizer_registry()).detect(text)
    match = [f for f in found if f.label is label]
    assert [f.text for f in match] == [value]
    assert text[match[0].start : match[0].end] == value  # offsets of the original text


def test_plain_copy_maps_each_character_back() -> None:
    from casework.detection.engine import plain_copy

    assert plain_copy("plain text") == ("plain text", None)
    plain, where = plain_copy("a\u200bb\u00a0c")
    assert plain == "ab c"
    assert where == [0, 2, 3, 4]
