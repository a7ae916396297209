"""Records for the pure compliance tests: a dog, a licence, a check, a deployment."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

from casework.registers.dogs import (
    Deployment,
    DeploymentOutcome,
    Dog,
    DogRole,
    DogSex,
    DogSource,
    DogStatus,
    Licence,
    WelfareCheck,
    WelfareKind,
)

TODAY = date(2026, 3, 2)


def make_dog(**changes: Any) -> Dog:
    values: dict[str, Any] = {
        "id": uuid4(),
        "reference": "WY-DOG-0001",
        "force": "WY",
        "name": "Bracken",
        "breed": "German Shepherd",
        "sex": DogSex.MALE,
        "born_on": date(2021, 5, 1),
        "microchip": "826098100000001",
        "source": DogSource.BREEDING,
        "roles": (DogRole.GENERAL_PURPOSE,),
        "status": DogStatus.LICENSED,
        "acquired_on": date(2022, 5, 1),
        "handler_number": "4101",
        "retirement_review_due_on": date(2029, 5, 1),
        "recorded_by": "test",
        "recorded_at": datetime(2022, 5, 1, tzinfo=UTC),
    }
    return Dog(**{**values, **changes})


def make_licence(dog: Dog, **changes: Any) -> Licence:
    values: dict[str, Any] = {
        "force": dog.force,
        "dog_id": dog.id,
        "handler_number": "4101",
        "role": DogRole.GENERAL_PURPOSE,
        "assessed_on": TODAY - timedelta(days=100),
        "expires_on": TODAY + timedelta(days=264),
        "passed": True,
        "assessor": "Insp HARGREAVES",
    }
    return Licence(**{**values, **changes})


def daily_checks(dog: Dog, days: range, *, skip: tuple[int, ...] = ()) -> list[WelfareCheck]:
    """Daily checks ``days`` back from TODAY (1 = yesterday), except ``skip``."""
    return [
        WelfareCheck(
            force=dog.force,
            dog_id=dog.id,
            on=TODAY - timedelta(days=n),
            kind=WelfareKind.DAILY,
            by="PC MARSH",
        )
        for n in days
        if n not in skip
    ]


def make_deployment(dog: Dog, days_ago: int, **changes: Any) -> Deployment:
    values: dict[str, Any] = {
        "force": dog.force,
        "dog_id": dog.id,
        "handler_number": "4101",
        "at": datetime.combine(TODAY - timedelta(days=days_ago), time(21, 0), tzinfo=UTC),
        "incident": "burglary, LS6",
        "role": DogRole.GENERAL_PURPOSE,
        "outcome": DeploymentOutcome.ARREST,
        "arrests": 1,
        "recorded_by": "test",
    }
    return Deployment(**{**values, **changes})
