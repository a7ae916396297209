"""Web addresses, IP addresses and social media handles."""

from __future__ import annotations

from typing import ClassVar

from casework.detection.base import Pattern, PatternRecognizer
from casework.detection.validators import ipv4_ok, ipv6_ok
from casework.domain.labels import Label


class UrlRecognizer(PatternRecognizer):
    """Web addresses that start with a scheme or ``www.``; trailing punctuation is left out."""

    NAME = "UrlRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.URL})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "scheme",
            r"(?<![\w@])(?i:https?://|ftp://)[^\s<>\"'()\[\]]{2,2000}(?<![.,;:!?'\"])",
            0.95,
            "web address starting with http(s)://",
        ),
        Pattern(
            "www",
            r"(?<![\w@./])(?i:www\.)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,5}"
            r"(?:/[^\s<>\"'()\[\]]{0,2000}(?<![.,;:!?'\"]))?",
            0.9,
            "web address starting with www.",
        ),
    )
    CONTEXT = ("website", "url", "link", "page", "profile")


class IpAddressRecognizer(PatternRecognizer):
    """IPv4 and IPv6 addresses, each checked by parsing it."""

    NAME = "IpAddressRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.IP_ADDRESS})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "ipv4",
            r"(?<![\w.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)",
            0.75,
            "IPv4 address, four numbers 0-255",
        ),
        Pattern(
            "ipv6",
            r"(?<![\w:])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{5,39}"
            r"(?<=[0-9A-Fa-f])(?![\w:])",
            0.85,
            "IPv6 address",
        ),
    )
    CONTEXT = ("ip", "ip address", "ipv4", "ipv6", "address", "logged", "subscriber", "isp")

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Parse the address: octets up to 255; IPv6 groups in a valid arrangement."""
        if pattern.name == "ipv4":
            return None if ipv4_ok(match_text) else False
        return ipv6_ok(match_text)


class SocialHandleRecognizer(PatternRecognizer):
    """Social media handles written with a leading @ (the @ inside an email is not one)."""

    NAME = "SocialHandleRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.SOCIAL_HANDLE})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "at_handle",
            r"(?<![\w@.+-])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@]|\.\w)",
            0.8,
            "social media handle starting with @",
        ),
    )
    CONTEXT = ("instagram", "twitter", "tiktok", "snapchat", "facebook", "handle",
               "username", "user name", "account", "profile", "x", "telegram")

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Drop an @ followed only by digits (times like @10, prices) or a dotted domain."""
        return False if match_text[1:].isdigit() else None
