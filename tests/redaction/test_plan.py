from __future__ import annotations

from casework.domain.findings import Finding
from casework.domain.labels import Label, PartyRole
from casework.redaction import Audience, PlaceholderBook, plan_redactions
from casework.redaction.plan import PROPAGATION
from casework.redaction.text_writer import redacted_text
from tests.redaction.conftest import findings_for, text_document


def _finding(
    start: int, end: int, label: Label, text: str, role: PartyRole | None = None
) -> Finding:
    return Finding(start, end, label, text[start:end], 0.9, "test", "test pattern", role=role)


def test_nested_findings_are_redacted_once_as_the_outer_span(public: Audience) -> None:
    text = "Lives at 14 Acacia Avenue, Leeds LS1 4AB today."
    address = text.index("14 Acacia")
    postcode = text.index("LS1 4AB")
    document = text_document(text)
    findings = [
        _finding(address, postcode + 7, Label.ADDRESS, text),
        _finding(postcode, postcode + 7, Label.POSTCODE, text),
        _finding(address + 3, address + 9, Label.LOCATION, text),
    ]
    plan = plan_redactions(
        document=document, findings=findings, audience=public, book=PlaceholderBook()
    )
    assert [(r.start, r.end, r.label) for r in plan.redactions] == [
        (address, postcode + 7, Label.ADDRESS)
    ]
    assert redacted_text(plan) == "Lives at [ADDRESS 1] today."


def test_overlapping_findings_merge(public: Audience) -> None:
    text = "call 07700 900123 now"
    document = text_document(text)
    findings = [_finding(5, 11, Label.PHONE, text), _finding(8, 17, Label.PHONE, text)]
    plan = plan_redactions(
        document=document, findings=findings, audience=public, book=PlaceholderBook()
    )
    assert [(r.start, r.end) for r in plan.redactions] == [(5, 17)]


def test_missed_mentions_are_redacted_but_kept_spans_are_spared(cps: Audience) -> None:
    text = "Smith (victim) said PC Smith came. Later smith cried. Smithson left."
    document = text_document(text)
    findings = [
        _finding(0, 5, Label.PERSON, text),  # no role: a third party for the CPS
        _finding(20, 28, Label.PERSON, text, PartyRole.OFFICER),
    ]
    plan = plan_redactions(
        document=document, findings=findings, audience=cps, book=PlaceholderBook()
    )
    assert redacted_text(plan) == (
        "[PERSON 1] (victim) said PC Smith came. Later [PERSON 1] cried. Smithson left."
    )
    assert plan.redactions[1].recognizer == PROPAGATION


def test_cps_copy_keeps_officer_and_removes_address(cps: Audience) -> None:
    document = text_document("PC 1234 Brown met John Smith at 14 Acacia Avenue, Leeds.")
    findings = findings_for(
        document,
        [
            ("PC 1234 Brown", Label.PERSON, PartyRole.OFFICER),
            ("John Smith", Label.PERSON, PartyRole.VICTIM),
            ("14 Acacia Avenue, Leeds", Label.ADDRESS, PartyRole.VICTIM),
        ],
    )
    plan = plan_redactions(
        document=document, findings=findings, audience=cps, book=PlaceholderBook()
    )
    assert redacted_text(plan) == "PC 1234 Brown met John Smith at [ADDRESS 1]."


def test_public_copy_removes_officers_too(public: Audience) -> None:
    document = text_document("PC 1234 Brown met John Smith.")
    findings = findings_for(
        document,
        [
            ("PC 1234 Brown", Label.PERSON, PartyRole.OFFICER),
            ("John Smith", Label.PERSON, PartyRole.VICTIM),
        ],
    )
    plan = plan_redactions(
        document=document, findings=findings, audience=public, book=PlaceholderBook()
    )
    assert redacted_text(plan) == "[PERSON 1] met [PERSON 2]."


def test_a_value_that_reads_like_a_label_is_not_a_false_alarm(public: Audience) -> None:
    from casework.redaction.verify import verify_text

    document = text_document("Known as Person, a nickname of the suspect.")
    findings = findings_for(document, [("Person", Label.PERSON, None)])
    plan = plan_redactions(
        document=document, findings=findings, audience=public, book=PlaceholderBook()
    )
    verify_text(redacted_text(plan), plan)
    assert redacted_text(plan) == "Known as [PERSON 1], a nickname of the suspect."


def test_a_kept_span_cut_by_a_removal_no_longer_spares_its_words(cps: Audience) -> None:
    # The CPS keeps organisations, but this one swallowed a removed name: what is left of
    # it cannot vouch for "Parker", which is a removed name elsewhere in the text.
    text = "Solicitor Bethan Flahive of Parker PLC. Witness Parker was present."
    org_start = text.index("Bethan")
    org_end = text.index(" PLC") + 4
    document = text_document(text)
    findings = [
        _finding(org_start, org_end, Label.ORGANISATION, text),
        _finding(org_start, org_start + len("Bethan Flahive"), Label.PERSON, text),
        _finding(text.index("Parker was"), text.index(" was"), Label.PERSON, text),
    ]
    plan = plan_redactions(
        document=document, findings=findings, audience=cps, book=PlaceholderBook()
    )
    assert plan.kept == ()
    output = redacted_text(plan)
    assert "Parker" not in output
    assert output == "Solicitor [PERSON 1] of [PERSON 2] PLC. Witness [PERSON 2] was present."
