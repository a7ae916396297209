"""Report files for the referral tests: a typical report and ways to change it."""

from __future__ import annotations

import copy
import json
from typing import Any

MD5 = "0123456789abcdef0123456789abcdef"
PDQ = "f" * 32 + "0" * 32

BASE: dict[str, Any] = {
    "reportId": "ESP-1",
    "reporter": {"company": "Examplechat Ltd"},
    "incidentSummary": {
        "incidentType": "Child Pornography (possession, manufacture, and distribution)",
        "incidentDateTime": "2026-02-20T21:00:00+00:00",
        "platform": "Examplechat",
    },
    "reportedPeople": [
        {
            "accounts": [{"service": "examplechat", "userId": "u-100", "username": "DarkOne"}],
            "emails": ["Dark.One@example.com"],
            "phones": ["07700 900123"],
            "ipCaptureEvents": [
                {
                    "ipAddress": "192.0.2.10",
                    "eventName": "Login",
                    "dateTime": "2026-02-19T20:00:00Z",
                }
            ],
            "declaredLocation": {"country": "GB", "city": "Leeds", "postcode": "LS6 2AB"},
        }
    ],
    "files": [
        {"fileName": "a.jpg", "md5": MD5, "pdq": PDQ, "pdqQuality": 90, "viewedByCompany": True}
    ],
}


def report(**changes: Any) -> dict[str, Any]:
    """The base report with top-level or dotted-path changes (``incidentSummary.platform``)."""
    made = copy.deepcopy(BASE)
    for path, value in changes.items():
        keys = path.split("__")
        target: Any = made
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last = keys[-1]
        if value is DELETE:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return made


DELETE = object()


def payload(**changes: Any) -> str:
    return json.dumps(report(**changes))
