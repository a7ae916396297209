"""Evidence-led prosecution checklist: items, what is missing, proceeding without the victim."""

from __future__ import annotations

import pytest

from casework.domain.evidence import (
    EvidenceChecklist,
    EvidenceRecord,
    EvidenceRole,
    EvidenceStatus,
    load_evidence_checklist,
    review_evidence,
)
from casework.errors import InvalidInput

OBTAINED = EvidenceRecord(EvidenceStatus.OBTAINED)


@pytest.fixture(scope="module")
def checklist() -> EvidenceChecklist:
    return load_evidence_checklist()


def test_checklist_covers_the_joint_checklist(checklist: EvidenceChecklist) -> None:
    assert set(checklist.ids) >= {
        "call_999_recording",
        "scene_photographs",
        "injury_photographs",
        "admissions",
        "medical_evidence",
        "victim_statement",
        "witness_statements",
        "body_worn_video",
        "cctv",
        "bail_and_breach_history",
        "previous_incidents",
        "risk_assessment",
        "civil_orders",
    }
    assert all(item.why and item.source for item in checklist.items)
    assert checklist.version and checklist.sources


def test_nothing_recorded_means_everything_missing(checklist: EvidenceChecklist) -> None:
    review = review_evidence(checklist, {})
    assert [line.item.id for line in review.missing] == list(checklist.ids)
    assert not review.could_proceed_without_victim
    assert any("depends on the victim" in r for r in review.reasons)


@pytest.mark.parametrize(
    ("recorded", "could_proceed"),
    [
        ({"call_999_recording": OBTAINED}, True),
        ({"body_worn_video": OBTAINED}, True),
        ({"admissions": OBTAINED}, True),
        ({"witness_statements": OBTAINED}, True),
        ({"cctv": OBTAINED}, True),
        ({"injury_photographs": OBTAINED, "medical_evidence": OBTAINED}, False),
        ({"victim_statement": OBTAINED}, False),
        ({"previous_incidents": OBTAINED, "risk_assessment": OBTAINED}, False),
        ({"call_999_recording": EvidenceRecord(EvidenceStatus.REQUESTED)}, False),
    ],
)
def test_could_proceed_without_victim(
    checklist: EvidenceChecklist, recorded: dict[str, EvidenceRecord], could_proceed: bool
) -> None:
    review = review_evidence(checklist, recorded)
    assert review.could_proceed_without_victim is could_proceed


def test_res_gestae_reason_and_source(checklist: EvidenceChecklist) -> None:
    review = review_evidence(checklist, {"call_999_recording": OBTAINED})
    assert any("999 call recording obtained (res gestae)" in r for r in review.reasons)
    assert any("s.118(1)" in s for s in review.sources)


def test_statement_is_hearsay_only_when_victim_unavailable(
    checklist: EvidenceChecklist,
) -> None:
    recorded = {"victim_statement": OBTAINED}
    review = review_evidence(checklist, recorded, victim_unavailable_reason="in fear: s.116(2)(e)")
    assert review.could_proceed_without_victim
    assert any("hearsay" in r for r in review.reasons)
    assert any("s.116" in s for s in review.sources)


def test_missing_keeps_requested_and_drops_closed(checklist: EvidenceChecklist) -> None:
    review = review_evidence(
        checklist,
        {
            "cctv": EvidenceRecord("not_available", "no cameras on the street"),
            "civil_orders": EvidenceRecord(EvidenceStatus.NOT_APPLICABLE, "none in force"),
            "medical_evidence": EvidenceRecord("Requested", "consent form signed"),
            "admissions": OBTAINED,
        },
    )
    missing = {line.item.id for line in review.missing}
    assert "medical_evidence" in missing
    assert not {"cctv", "civil_orders", "admissions"} & missing
    assert [line.item.id for line in review.obtained] == ["admissions"]
    assert all(line.item.why for line in review.missing)


def test_roles_are_as_documented(checklist: EvidenceChecklist) -> None:
    roles = {item.id: item.role for item in checklist.items}
    assert roles["call_999_recording"] is EvidenceRole.ACCOUNT
    assert roles["victim_statement"] is EvidenceRole.ACCOUNT_IF_UNAVAILABLE
    assert roles["injury_photographs"] is EvidenceRole.CORROBORATIVE


def test_unknown_item_is_named(checklist: EvidenceChecklist) -> None:
    with pytest.raises(InvalidInput, match="dna_swab"):
        review_evidence(checklist, {"dna_swab": OBTAINED})


def test_bad_status_is_named(checklist: EvidenceChecklist) -> None:
    with pytest.raises(InvalidInput, match="cctv: status 'lost'"):
        review_evidence(checklist, {"cctv": EvidenceRecord("lost")})


@pytest.mark.parametrize("status", [EvidenceStatus.NOT_AVAILABLE, EvidenceStatus.NOT_APPLICABLE])
def test_closing_an_item_needs_a_note(checklist: EvidenceChecklist, status: EvidenceStatus) -> None:
    with pytest.raises(InvalidInput, match="body_worn_video: say why"):
        review_evidence(checklist, {"body_worn_video": EvidenceRecord(status, " ")})
