"""Casework's pattern recognizers, one module per family of identifiers (names live apart)."""

from __future__ import annotations

from casework.detection.base import Recognizer
from casework.detection.recognizers.addresses import UkAddressRecognizer, UkPostcodeRecognizer
from casework.detection.recognizers.contact import EmailRecognizer, UkPhoneRecognizer
from casework.detection.recognizers.dates import AgeRecognizer, DateOfBirthRecognizer
from casework.detection.recognizers.finance import (
    CardRecognizer,
    IbanRecognizer,
    UkBankAccountRecognizer,
)
from casework.detection.recognizers.online import (
    IpAddressRecognizer,
    SocialHandleRecognizer,
    UrlRecognizer,
)
from casework.detection.recognizers.uk_ids import (
    CroNumberRecognizer,
    NhsNumberRecognizer,
    PncIdRecognizer,
    UkDrivingLicenceRecognizer,
    UkNiNumberRecognizer,
    UkPassportRecognizer,
)
from casework.detection.recognizers.vehicles import UkVehicleRegRecognizer

__all__ = [
    "AgeRecognizer",
    "CardRecognizer",
    "CroNumberRecognizer",
    "DateOfBirthRecognizer",
    "EmailRecognizer",
    "IbanRecognizer",
    "IpAddressRecognizer",
    "NhsNumberRecognizer",
    "PncIdRecognizer",
    "SocialHandleRecognizer",
    "UkAddressRecognizer",
    "UkBankAccountRecognizer",
    "UkDrivingLicenceRecognizer",
    "UkNiNumberRecognizer",
    "UkPassportRecognizer",
    "UkPhoneRecognizer",
    "UkPostcodeRecognizer",
    "UkVehicleRegRecognizer",
    "UrlRecognizer",
    "default_pattern_recognizers",
]


def default_pattern_recognizers() -> list[Recognizer]:
    """Return one fresh instance of every built-in pattern recognizer.

    Order matters a little: it is the order of the combined alternation, so the most
    specific and most common patterns come first.
    """
    return [
        EmailRecognizer(),
        UrlRecognizer(),
        SocialHandleRecognizer(),
        IpAddressRecognizer(),
        IbanRecognizer(),
        CardRecognizer(),
        UkNiNumberRecognizer(),
        UkDrivingLicenceRecognizer(),
        PncIdRecognizer(),
        CroNumberRecognizer(),
        UkPhoneRecognizer(),
        NhsNumberRecognizer(),
        UkBankAccountRecognizer(),
        UkPassportRecognizer(),
        UkPostcodeRecognizer(),
        UkAddressRecognizer(),
        UkVehicleRegRecognizer(),
        DateOfBirthRecognizer(),
        AgeRecognizer(),
    ]
