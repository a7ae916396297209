"""URLs, IP addresses and social handles: (text, expected spans), near-misses included."""

from __future__ import annotations

import pytest

from casework.detection.recognizers.online import (
    IpAddressRecognizer,
    SocialHandleRecognizer,
    UrlRecognizer,
)
from tests.detection.conftest import found

URLS = [
    ("see https://www.example.com/p/AbC123.", ["https://www.example.com/p/AbC123"]),
    ("(http://example.net/u?id=5&x=y)", ["http://example.net/u?id=5&x=y"]),
    ("www.example.org/page, then", ["www.example.org/page"]),
    ("WWW.EXAMPLE.COM", ["WWW.EXAMPLE.COM"]),
    # near-misses
    ("http is a protocol", []),
    ("the www. prefix", []),
    ("jane@www.example.com", []),
]


@pytest.mark.parametrize(("text", "expected"), URLS)
def test_url(text: str, expected: list[str]) -> None:
    assert found(UrlRecognizer(), text) == expected


IPS = [
    ("from 192.0.2.14 at", ["192.0.2.14"]),
    ("[203.0.113.254]", ["203.0.113.254"]),
    ("2001:db8:85a3::8a2e:370:7334", ["2001:db8:85a3::8a2e:370:7334"]),
    ("([2001:db8:1:2:3:4:5:6])", ["2001:db8:1:2:3:4:5:6"]),
    ("::1 is loopback", []),  # too little written out to be worth flagging
    # near-misses
    ("version 1.2.3", []),
    ("256.1.1.1", []),
    ("192.168.01.1", []),
    ("at 12:30:45", []),
    ("1.2.3.4.5", []),
    ("dead:beef", []),
]


@pytest.mark.parametrize(("text", "expected"), IPS)
def test_ip_address(text: str, expected: list[str]) -> None:
    assert found(IpAddressRecognizer(), text) == expected


HANDLES = [
    ("on Instagram as @jane_doe99.", ["@jane_doe99"]),
    ("dm me on @j.smith", ["@j.smith"]),
    ("(@JaneD)", ["@JaneD"]),
    # near-misses: the @ of an email, a bare @, times and prices
    ("jane@example.com", []),
    ("meet @ 5", []),
    ("see you @10", []),
    ("a@b", []),
]


@pytest.mark.parametrize(("text", "expected"), HANDLES)
def test_social_handle(text: str, expected: list[str]) -> None:
    assert found(SocialHandleRecognizer(), text) == expected
