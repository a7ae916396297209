"""The kinds of personal data the document engine finds."""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    """A type of personal data; the names are public (they appear in output and policies)."""

    PERSON = "PERSON"
    ADDRESS = "ADDRESS"
    POSTCODE = "POSTCODE"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"
    AGE = "AGE"
    NI_NUMBER = "NI_NUMBER"
    VEHICLE_REG = "VEHICLE_REG"
    PNC_ID = "PNC_ID"
    CRO_NUMBER = "CRO_NUMBER"
    BANK = "BANK"
    IBAN = "IBAN"
    CARD = "CARD"
    IP_ADDRESS = "IP_ADDRESS"
    URL = "URL"
    SOCIAL_HANDLE = "SOCIAL_HANDLE"
    PASSPORT = "PASSPORT"
    DRIVING_LICENCE = "DRIVING_LICENCE"
    NHS_NUMBER = "NHS_NUMBER"
    ORGANISATION = "ORGANISATION"
    LOCATION = "LOCATION"


class PartyRole(StrEnum):
    """The part a person plays in a case, as far as a document tells it."""

    VICTIM = "victim"
    SUSPECT = "suspect"
    WITNESS = "witness"
    OFFICER = "officer"
    PROSECUTOR = "prosecutor"
    PROFESSIONAL = "professional"
    OTHER = "other"
