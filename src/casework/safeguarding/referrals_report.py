"""The intake schema of an industry referral, modelled on NCMEC's public CyberTipline report.

As in the CyberTipline reporting API, only the incident type and the incident date and
time are required; the rest (reporter, reported people with accounts, e-mails, phones and
IP capture events, victims, files with hashes) is optional. Field names are the
CyberTipline's camelCase. Errors name the field by its path (``files.0.md5``), so that a
platform or an officer can correct the report; a malformed report is kept, never dropped.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from ipaddress import IPv4Address, IPv6Address

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from casework.domain.referrals import Identifier, IdentifierKind

MAX_REPORT_BYTES = 2 * 1024 * 1024
_HEX = re.compile(r"^[0-9a-f]+$")


class IncidentType(StrEnum):
    """CyberTipline incident types."""

    CHILD_PORNOGRAPHY = "Child Pornography (possession, manufacture, and distribution)"
    CHILD_SEX_TRAFFICKING = "Child Sex Trafficking"
    CHILD_SEX_TOURISM = "Child Sex Tourism"
    CHILD_SEXUAL_MOLESTATION = "Child Sexual Molestation"
    MISLEADING_DOMAIN_NAME = "Misleading Domain Name"
    MISLEADING_WORDS_OR_IMAGES = "Misleading Words or Digital Images on the Internet"
    ONLINE_ENTICEMENT = "Online Enticement of Children for Sexual Acts"
    UNSOLICITED_OBSCENE_MATERIAL = "Unsolicited Obscene Material Sent to a Child"


CONTACT_ABUSE = frozenset(
    {
        IncidentType.CHILD_SEX_TRAFFICKING,
        IncidentType.CHILD_SEXUAL_MOLESTATION,
        IncidentType.ONLINE_ENTICEMENT,
        IncidentType.CHILD_SEX_TOURISM,
    }
)
"""Incident types where a child may be in contact with the offender."""


class Annotation(StrEnum):
    """CyberTipline report annotations (incidentSummary.reportAnnotations)."""

    SEXTORTION = "sextortion"
    CSAM_SOLICITATION = "csamSolicitation"
    MINOR_TO_MINOR_INTERACTION = "minorToMinorInteraction"
    SADISTIC_ONLINE_EXPLOITATION = "sadisticOnlineExploitation"
    SPAM = "spam"
    VIRAL = "viral"
    GENERATIVE_AI = "generativeAi"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Reporter(_Model):
    company: str = Field(min_length=1, max_length=200)
    contactEmail: str | None = Field(default=None, max_length=320)  # noqa: N815 (CyberTipline)


class IncidentSummary(_Model):
    incidentType: IncidentType  # noqa: N815
    incidentDateTime: AwareDatetime  # noqa: N815
    platform: str | None = Field(default=None, max_length=200)
    escalateToHighPriority: str | None = Field(default=None, max_length=2000)  # noqa: N815
    reportAnnotations: tuple[Annotation, ...] = Field(default=(), max_length=20)  # noqa: N815


class Account(_Model):
    service: str = Field(min_length=1, max_length=100)
    userId: str | None = Field(default=None, max_length=200)  # noqa: N815
    username: str | None = Field(default=None, max_length=200)

    @property
    def key(self) -> str | None:
        who = self.userId or self.username
        return f"{self.service.lower()}:{who.lower()}" if who else None


class IpCaptureEvent(_Model):
    ipAddress: IPv4Address | IPv6Address  # noqa: N815
    eventName: str = Field(default="", max_length=60)  # noqa: N815
    dateTime: AwareDatetime  # noqa: N815


class DeclaredLocation(_Model):
    country: str = Field(default="GB", min_length=2, max_length=2, description="ISO 3166 alpha-2")
    city: str | None = Field(default=None, max_length=100)
    postcode: str | None = Field(default=None, max_length=10)


class ReportedPerson(_Model):
    accounts: tuple[Account, ...] = Field(default=(), max_length=50)
    emails: tuple[str, ...] = Field(default=(), max_length=50)
    phones: tuple[str, ...] = Field(default=(), max_length=50)
    ipCaptureEvents: tuple[IpCaptureEvent, ...] = Field(default=(), max_length=500)  # noqa: N815
    declaredLocation: DeclaredLocation | None = None  # noqa: N815

    @field_validator("emails")
    @classmethod
    def _emails(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if "@" not in value or len(value) > 320 or " " in value:
                raise ValueError(f"{value!r} is not an e-mail address")
        return tuple(v.strip().lower() for v in values)

    @field_validator("phones")
    @classmethod
    def _phones(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            digits = re.sub(r"[\s()\-.]", "", value)
            if not re.fullmatch(r"\+?\d{7,15}", digits):
                raise ValueError(f"{value!r} is not a phone number")
        return values


class Victim(_Model):
    age: int | None = Field(default=None, ge=0, le=17)
    estimatedAgeRange: str | None = Field(default=None, max_length=20)  # noqa: N815
    declaredLocation: DeclaredLocation | None = None  # noqa: N815


class ReportedFile(_Model):
    fileName: str = Field(min_length=1, max_length=300)  # noqa: N815
    md5: str | None = None
    sha1: str | None = None
    pdq: str | None = None
    pdqQuality: int | None = Field(default=None, ge=0, le=100)  # noqa: N815
    viewedByCompany: bool = False  # noqa: N815
    publiclyAvailable: bool = False  # noqa: N815

    @field_validator("md5", "sha1", "pdq")
    @classmethod
    def _hex(cls, value: str | None, info: object) -> str | None:
        if value is None:
            return None
        name = getattr(info, "field_name", "hash")
        length = {"md5": 32, "sha1": 40, "pdq": 64}[name]
        text = value.strip().lower()
        if len(text) != length or not _HEX.match(text):
            raise ValueError(f"{name} is {length} hex characters, got {value!r}")
        return text


class Report(_Model):
    """One platform report."""

    reportId: str | None = Field(default=None, max_length=100)  # noqa: N815
    reporter: Reporter | None = None
    incidentSummary: IncidentSummary  # noqa: N815
    reportedPeople: tuple[ReportedPerson, ...] = Field(default=(), max_length=50)  # noqa: N815
    victims: tuple[Victim, ...] = Field(default=(), max_length=50)
    files: tuple[ReportedFile, ...] = Field(default=(), max_length=1000)

    @property
    def reporter_name(self) -> str:
        return self.reporter.company if self.reporter else "unknown reporter"


class ReportInvalid(ValueError):
    """A report that cannot be taken in; ``errors`` name each field and the problem."""

    def __init__(self, source: str, errors: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(errors))
        self.source = source
        self.errors = errors


def parse_report(payload: bytes | str, source: str) -> Report:
    """Validate a report (JSON); every problem is listed, each naming its field."""
    if len(payload) > MAX_REPORT_BYTES:
        raise ReportInvalid(source, [f"the report is larger than {MAX_REPORT_BYTES} bytes"])
    try:
        raw = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ReportInvalid(source, [f"not JSON: {error}"]) from error
    if not isinstance(raw, dict):
        raise ReportInvalid(source, ["a report is a JSON object"])
    try:
        return Report.model_validate(raw)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = ".".join(str(p) for p in item["loc"]) or "(report)"
            message = str(item["msg"]).removeprefix("Value error, ")
            if item["type"] == "extra_forbidden":
                message = "not a field of the report schema"
            problems.append(f"{field}: {message}")
        raise ReportInvalid(source, problems) from error


def normalise_phone(value: str) -> str:
    """Digits with the country code: ``07700 900123`` and ``+44 7700 900123`` agree."""
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return "44" + digits[1:]
    return digits


def identifiers_of(report: Report) -> tuple[Identifier, ...]:
    """The identifiers that tie reports to the same user or file, normalised, unique."""
    found: dict[tuple[IdentifierKind, str], Identifier] = {}

    def add(kind: IdentifierKind, value: str | None) -> None:
        if value:
            found.setdefault((kind, value), Identifier(kind, value))

    for person in report.reportedPeople:
        for account in person.accounts:
            add(IdentifierKind.ACCOUNT, account.key)
        for email in person.emails:
            add(IdentifierKind.EMAIL, email)
        for phone in person.phones:
            add(IdentifierKind.PHONE, normalise_phone(phone))
    for file in report.files:
        add(IdentifierKind.MD5, file.md5)
        add(IdentifierKind.SHA1, file.sha1)
    return tuple(sorted(found.values(), key=lambda i: (i.kind.value, i.value)))
