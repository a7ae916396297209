"""Small synthetic inputs shared by the DFR tests and the API's route table."""

from __future__ import annotations

INCIDENTS_CSV = """\
id,time,easting,northing,type,priority,first_arrival
A1,2026-03-01T10:00:00,623000,309000,theft,1,2026-03-01T10:09:00
A2,2026-03-01T11:00:00,623500,309200,burglary,2,2026-03-01T11:12:00
A3,2026-03-01T23:30:00,624000,309000,domestic incident,1,
A4,2026-03-02T02:15:00,640000,330000,concern for welfare,3,2026-03-02T02:40:00
A5,2026-03-02T08:00:00,640300,330100,theft,4,2026-03-02T09:00:00
"""

SITES_CSV = """\
id,name,easting,northing
S1,Northam station,623200,309100
S2,Saltby station,640100,330000
S3,Far barn,660000,280000
"""


def plan_body(**extra: object) -> dict[str, object]:
    """A request body for the DFR routes."""
    return {"incidents_csv": INCIDENTS_CSV, "sites_csv": SITES_CSV, **extra}
