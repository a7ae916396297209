"""Rules that change with the law, kept as versioned data and applied by pure functions.

Nothing here reads the clock, the network or a database: every rule takes its dates and
its data as arguments, so a deadline can be recomputed and explained at any later time.
"""

from casework.domain.rules.calendar_months import add_months
from casework.domain.rules.data import RuleDataError, load_rule_data
from casework.domain.rules.deadlines import Deadline, Rule, RuleInputError
from casework.domain.rules.offences import (
    DomesticAbuseRelevance,
    ModeOfTrial,
    Offence,
    OffenceCatalogue,
    UnknownOffenceError,
    load_offence_catalogue,
)
from casework.domain.rules.time_limits import (
    TimeLimitRules,
    load_time_limit_rules,
    statutory_time_limit,
)
from casework.domain.rules.working_days import WorkingDayCalendar

__all__ = [
    "Deadline",
    "DomesticAbuseRelevance",
    "ModeOfTrial",
    "Offence",
    "OffenceCatalogue",
    "Rule",
    "RuleDataError",
    "RuleInputError",
    "TimeLimitRules",
    "UnknownOffenceError",
    "WorkingDayCalendar",
    "add_months",
    "load_offence_catalogue",
    "load_rule_data",
    "load_time_limit_rules",
    "statutory_time_limit",
]
