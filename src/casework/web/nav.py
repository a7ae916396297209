"""The main menu: one entry per area, shown only to users whose role may use it.

Each capability adds one line to ``MENU``; ``base.html`` draws what ``menu_for`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.security.policy import can
from casework.security.principal import Principal
from casework.security.roles import Action


@dataclass(frozen=True, slots=True)
class MenuItem:
    label: str
    href: str
    action: Action | None
    """The permission that shows the entry (None: every signed-in user)."""


MENU: tuple[MenuItem, ...] = (
    MenuItem("Home", "/", None),
    MenuItem("Cases", "/cases", Action.CASE_LIST),
    MenuItem("Links", "/network", Action.NETWORK_READ),
    MenuItem("Missing persons", "/missing", Action.MISSING_READ),
    MenuItem("Dashboards", "/dashboards", Action.METRICS_READ),
    MenuItem("Drone docks", "/dfr", Action.DFR_PLAN),
    MenuItem("Language", "/language", Action.LANGUAGE_CHECK),
    MenuItem("Referrals", "/referrals", Action.REFERRAL_READ),
    MenuItem("Dog unit", "/dogs", Action.DOG_READ),
    MenuItem("Operations", "/operations", Action.OPS_READ),
    MenuItem("Exports", "/exports", None),
)


def menu_for(principal: Principal | None) -> list[MenuItem]:
    """The entries this user may open, in menu order (none when signed out)."""
    if principal is None:
        return []
    return [item for item in MENU if item.action is None or can(principal, item.action)]


def is_current(item: MenuItem, path: str) -> bool:
    """Whether ``path`` is in the item's area (Home only for ``/`` itself)."""
    if item.href == "/":
        return path == "/"
    return path == item.href or path.startswith(item.href + "/")
