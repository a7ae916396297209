"""Rules that change with the law, kept as versioned data and applied by pure functions.

Nothing here reads the clock, the network or a database: every rule takes its dates and
its data as arguments, so a deadline can be recomputed and explained at any later time.
"""

from casework.domain.rules.bail import BailRules, bail_period_ends, load_bail_rules
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
from casework.domain.rules.pace import (
    DetentionClock,
    PaceRules,
    TimedDeadline,
    detention_clock,
    load_pace_rules,
)
from casework.domain.rules.time_limits import (
    TimeLimitRules,
    load_time_limit_rules,
    statutory_time_limit,
)
from casework.domain.rules.victims_code import (
    VictimEvent,
    VictimsCodeRules,
    load_victims_code_rules,
    london_date,
    victims_code_deadline,
)
from casework.domain.rules.working_days import WorkingDayCalendar

__all__ = [
    "BailRules",
    "Deadline",
    "DetentionClock",
    "DomesticAbuseRelevance",
    "ModeOfTrial",
    "Offence",
    "OffenceCatalogue",
    "PaceRules",
    "Rule",
    "RuleDataError",
    "RuleInputError",
    "TimeLimitRules",
    "TimedDeadline",
    "UnknownOffenceError",
    "VictimEvent",
    "VictimsCodeRules",
    "WorkingDayCalendar",
    "add_months",
    "bail_period_ends",
    "detention_clock",
    "load_bail_rules",
    "load_offence_catalogue",
    "load_pace_rules",
    "load_rule_data",
    "load_time_limit_rules",
    "load_victims_code_rules",
    "london_date",
    "statutory_time_limit",
    "victims_code_deadline",
]
