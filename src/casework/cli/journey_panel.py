"""Render the victim panel and the CPS side of a case as text or JSON (for `case show` too).

Kept apart from the commands so that `casework case show` can print the same panels
without importing the victim and CPS commands (which import `cli.cases`).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import typer
from pydantic import TypeAdapter

from casework.journey.cps import CpsFile, CustodyClock
from casework.journey.victim import VictimPanel

LONDON = ZoneInfo("Europe/London")
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _local(moment: Any) -> str:
    return str(moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M"))


def victim_json(panel: VictimPanel) -> dict[str, Any]:
    """The panel as JSON-ready data, with the missing evidence and the flags spelled out."""
    data: dict[str, Any] = TypeAdapter(VictimPanel).dump_python(panel, mode="json")
    data["risk_level"] = panel.risk.assessment.level.value if panel.risk else None
    data["risk_trend"] = panel.risk_trend
    data["evidence_missing"] = [line.item.id for line in panel.evidence.missing]
    return data


def cps_json(file: CpsFile) -> dict[str, Any]:
    """The CPS file as JSON-ready data."""
    data: dict[str, Any] = TypeAdapter(CpsFile).dump_python(file, mode="json")
    data["decision"] = file.decision.model_dump(mode="json") if file.decision else None
    return data


def victim_lines(panel: VictimPanel, *, brief: bool = False) -> list[str]:
    """Text lines of the victim panel; ``brief`` gives the summary for `case show`."""
    lines: list[str] = []
    last = panel.engagement.last_contact
    lines.append(
        f"  contacts:        {len(panel.contacts)}"
        + (f", last {last.isoformat()}" if last else ", none that reached the victim")
        + f" ({panel.engagement.days_without_contact} day(s) ago)"
    )
    if not brief:
        for c in panel.contacts:
            made = "" if c.made else " (attempt, not reached)"
            agreed = f"; agreed: {c.agreed}" if c.agreed else ""
            lines.append(
                f"    {_local(c.at)}  {c.method.value} by {c.by}{made}: {c.summary}{agreed}"
            )
    wishes = panel.wishes
    if wishes is None:
        lines.append("  wishes:          not recorded")
    else:
        safe = ", ".join(m.value for m in wishes.safe_methods) or "any way"
        times = "; ".join(
            f"{','.join(_DAY_NAMES[d] for d in sorted(w.days))} {w.start:%H:%M}-{w.end:%H:%M}"
            for w in wishes.safe_times
        )
        lines.append(
            f"  wishes:          {wishes.outcome_wanted.value.replace('_', ' ')}"
            f" (recorded {wishes.recorded_on.isoformat()}); safe contact: {safe}"
            + (f" at {times}" if times else "")
            + (" ; opted out of updates" if wishes.opted_out_of_updates else "")
        )
        if wishes.cautions:
            lines.append(f"    take care: {wishes.cautions}")
    referrals = ", ".join(f"{r.kind.value} {r.made_on.isoformat()}" for r in panel.referrals)
    lines.append(f"  referrals:       {referrals or 'none'}")
    risk = panel.risk
    if risk is None:
        lines.append("  risk:            not assessed")
    else:
        a = risk.assessment
        trend = f", {panel.risk_trend}" if panel.risk_trend else ""
        lines.append(
            f"  risk:            {a.level.value.upper()} ({a.tool.upper()} {a.version}, "
            f"{risk.assessed_on.isoformat()}, {a.yes_count} yes{trend})"
            + ("; MARAC referral due" if a.marac_referral_due else "")
        )
        if not brief:
            lines.extend(f"    {reason}" for reason in a.reasons)
    w = panel.withdrawal
    if w is not None:
        lines.append(
            f"  withdrawal:      {w.on.isoformat()} at {w.stage} "
            f"({', '.join(r.value for r in w.reasons)})" + (f": {w.details}" if w.details else "")
        )
    missing = [line.item.id for line in panel.evidence.missing]
    lines.append(f"  evidence missing: {', '.join(missing) or 'none'}")
    could = "yes" if panel.evidence.could_proceed_without_victim else "no"
    lines.append(f"  could proceed without the victim: {could}")
    for flag in panel.engagement.flags:
        lines.append(f"  FLAG {flag.kind.value}: {flag.message}")
    return lines


def custody_lines(clock: CustodyClock) -> list[str]:
    """Text lines of one detention's PACE clock."""
    record, c = clock.record, clock.clock
    state = (
        f"released {_local(record.released_at)}"
        + (f" ({record.release_note})" if record.release_note else "")
        if record.released_at
        else "IN CUSTODY"
    )
    lines = [
        f"  custody: {state}; relevant time {_local(c.relevant_time)}, "
        f"offence {record.offence_code}",
        f"    limit {_local(c.limit.due_at)} ({c.limit.rule_id})",
    ]
    if c.superintendent_limit is not None:
        lines.append(f"    superintendent may extend to {_local(c.superintendent_limit.due_at)}")
    if c.warrant_limit is not None:
        lines.append(
            f"    warrant of further detention to at most {_local(c.warrant_limit.due_at)}"
        )
    reviews = ", ".join(_local(r.due_at)[11:] for r in c.reviews if r.due_at < c.limit.due_at)
    if reviews:
        lines.append(f"    reviews by {reviews} ({c.reviews[0].rule_id})")
    return lines


def cps_lines(file: CpsFile, today: date) -> list[str]:
    """Text lines of the CPS side: decision, action plan, court dates, custody clocks."""
    lines: list[str] = []
    d = file.decision
    if d is None:
        lines.append("  charging decision: none recorded")
    else:
        test = f" on the {d.test.words}" if d.test else ""
        charges = f": {', '.join(d.charges)}" if d.charges else ""
        lines.append(
            f"  charging decision: {d.outcome.words}{test}{charges} by {d.prosecutor} "
            f"on {_local(d.decided_at)}"
        )
        lines.append(f"    reasons: {d.reasons}")
    if file.actions:
        lines.append("  action plan:")
    for item in file.actions:
        if item.responded_at is not None:
            state = f"answered {_local(item.responded_at)} by {item.responded_by}: {item.response}"
        elif today > item.due_on:
            state = f"OVERDUE since {item.due_on.isoformat()}"
        else:
            state = f"due {item.due_on.isoformat()}"
        lines.append(f"    {item.number}. {item.action} [{state}]")
    for h in file.hearings:
        where = f" at {h.court}" if h.court else ""
        lines.append(
            f"  court: {h.number}. {h.hearing}{where} on {h.on.isoformat()} ({h.status.value})"
        )
    for clock in file.custody:
        lines.extend(custody_lines(clock))
    return lines


def print_panels(victim: VictimPanel, cps: CpsFile, today: date) -> None:
    """Print the victim and CPS summaries under a case."""
    typer.echo("Victim:")
    for line in victim_lines(victim, brief=True):
        typer.echo(line)
    typer.echo("CPS:")
    for line in cps_lines(cps, today):
        typer.echo(line)
