"""Check digits and structure rules, including properties over generated numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.detection import validators as v


def _luhn_complete(body: str) -> str:
    for d in "0123456789":
        if v.luhn_ok(body + d):
            return body + d
    raise AssertionError(body)


@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_exactly_one_luhn_check_digit_completes_a_number(body: str) -> None:
    assert sum(v.luhn_ok(body + d) for d in "0123456789") == 1
    number = _luhn_complete(body)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not v.luhn_ok(wrong)


@pytest.mark.parametrize(
    ("iban", "ok"),
    [
        ("GB82 WEST 1234 5698 7654 32", True),
        ("gb82west12345698765432", True),
        ("DE89370400440532013000", True),
        ("GB82 WEST 1234 5698 7654 33", False),
        ("GB82 WEST 1234 5698 7654", False),
        ("XX", False),
    ],
)
def test_iban(iban: str, ok: bool) -> None:
    assert v.iban_ok(iban) is ok


@pytest.mark.parametrize(
    ("number", "ok"),
    [("943 476 5919", True), ("9434765919", True), ("943 476 5918", False),
     ("0000000000", False), ("12345", False)],
)
def test_nhs_number(number: str, ok: bool) -> None:
    assert v.nhs_number_ok(number) is ok


@pytest.mark.parametrize(
    ("postcode", "ok"),
    [("SW1A 1AA", True), ("gir0aa", True), ("M1 1AE", True), ("EC1V 9HX", True),
     ("QA1 1AA", False), ("AI1 1AA", False), ("W1L 1AA", False), ("LS6 2CB", False),
     ("LS6", False)],
)
def test_postcode(postcode: str, ok: bool) -> None:
    assert v.postcode_ok(postcode) is ok


@pytest.mark.parametrize(
    "prefix", ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ", "DA", "AD", "FA", "IA", "QA", "UA",
               "VA", "AO"],
)
def test_ni_prefixes_never_issued(prefix: str) -> None:
    assert not v.ni_number_ok(f"{prefix}123456A")


def test_pnc_and_cro_check_letters() -> None:
    letter = v.pnc_check_letter("09", "123456")
    assert v.pnc_id_ok(f"09/123456{letter}")
    assert v.pnc_id_ok(f"2009/0123456{letter}")
    assert not v.pnc_id_ok("09/123456" + ("A" if letter != "A" else "B"))
    cro_letter = "ZABCDEFGHJKLMNPQRTUVWXY"[int("09" + "012345") % 23]
    assert v.cro_number_ok(f"012345/09{cro_letter}")
    assert v.cro_number_ok(f"SF 12345/09{cro_letter}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/03/1987", date(1987, 3, 12)),
        ("12.03.87", date(1987, 3, 12)),
        ("12th of March 1987", date(1987, 3, 12)),
        ("March 12, 1987", date(1987, 3, 12)),
        ("3 Sept 2001", date(2001, 9, 3)),
        ("31/02/1987", None),
        ("12/13/1987", None),
        ("12/03/1787", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert v.parse_date(text) == expected


@pytest.mark.parametrize(
    ("ip", "ok"),
    [("192.0.2.1", True), ("0.0.0.0", True), ("256.0.0.1", False), ("01.2.3.4", False),
     ("1.2.3", False)],
)
def test_ipv4(ip: str, ok: bool) -> None:
    assert v.ipv4_ok(ip) is ok


@pytest.mark.parametrize(
    ("ip", "ok"),
    [("2001:db8::1", True), ("2001:db8:0:0:0:0:2:1", True), ("::1", False),
     ("12:30:45", False), ("2001:db8:::1", False)],
)
def test_ipv6(ip: str, ok: bool) -> None:
    assert v.ipv6_ok(ip) is ok
