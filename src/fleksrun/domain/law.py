"""Legal limits as dated rule data, and the warnings they give.

Rules change on fixed dates (1 Jul 2025, 1 Jul 2026, ...), so every limit is a row with a
``valid_from`` date, looked up with the day in question; never a bare constant. Warnings carry a
message key and parameters, never text, and never block anything: the consultant decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

# The table starts with the current Act on an active employment effort (LAB, lov nr. 548 af
# 7. maj 2019), in force from 1 Jan 2020. Days before a rule's first row have no value (None).
_LAB_2020 = dt.date(2020, 1, 1)


class Rule(NamedTuple):
    """One dated row of a rule: ``value`` holds from ``valid_from`` to ``valid_to`` inclusive."""

    id: str
    valid_from: dt.date
    value: Any
    source: str
    valid_to: dt.date | None = None

    def holds_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


RULES: tuple[Rule, ...] = (
    Rule(
        "practice_max_weeks",
        _LAB_2020,
        # 13 weeks; 26 after a recorded concrete assessment; then up to 13 weeks more at a time
        # for a "helt særligt behov".
        # Practice of one citizen at one company with less than 4 weeks between two placements is
        # one practice for the limit (a new placement does not start the weeks afresh).
        {"base": 13, "first_extension_to": 26, "further_extension": 13, "same_company_gap_weeks": 4},
        "LAB § 61: virksomhedspraktik for aktivitetsparate, ressourceforløb, fleksjobvisiterede",
    ),
    Rule(
        "practice_max_hours_week",
        _LAB_2020,
        37,
        "Municipal guidance: within the company's normal hours, at most 37 hours a week",
    ),
    Rule(
        "company_capacity",
        _LAB_2020,
        {"per_employees": 5, "up_to": 50, "minimum": 1, "above_per_employees": 10},
        "Rimelighedskrav (weak source): 1 per 5 ordinary employees up to 50, +1 per 10 above",
    ),
    Rule(
        "hours_225_rule",
        dt.date(2016, 4, 1),
        {"hours": 225, "months": 12},
        "225-timers-reglen, in force 1 Apr 2016; abolished from 1 Jul 2025 by the new "
        "cash-benefit system",
        valid_to=dt.date(2025, 6, 30),
    ),
    Rule(
        "legal_job_conversations",
        _LAB_2020,
        {"conversations": 4, "months": 6, "law": None},
        "LAB §§ 31–32: at least 4 job conversations in the first 6 months (aktivitetsparate, "
        "ressourceforløb, ledighedsydelse); the caseworker's duty",
        valid_to=dt.date(2026, 6, 30),
    ),
    Rule(
        "legal_job_conversations",
        dt.date(2026, 7, 1),
        # The new numbers are not encoded: fleksrun only points to the law, as a hint.
        {"conversations": None, "months": None, "law": "lov nr. 1750 af 29. december 2025"},
        "LAB §§ 31–32 as changed by lov nr. 1750 af 29. december 2025",
    ),
)

RULE_IDS = frozenset(rule.id for rule in RULES)


class Warning(NamedTuple):  # noqa: A001 - the domain's word; shadows the builtin only inside this module
    """A message key and its parameters, for the message layer to say in any language."""

    key: str
    params: dict[str, Any]

    def message(self) -> str:
        from fleksrun.i18n import t

        return t(self.key, **self.params)


def rule_on(rule_id: str, on: dt.date) -> Rule | None:
    """The row of ``rule_id`` in force on ``on``, or None if none is (abolished or not yet known).

    Raises KeyError for a rule id the table does not know: that is a programming error.
    """
    if rule_id not in RULE_IDS:
        raise KeyError(rule_id)
    for rule in RULES:
        if rule.id == rule_id and rule.holds_on(on):
            return rule
    return None


def rule_value(rule_id: str, on: dt.date) -> Any:
    """The value of ``rule_id`` on ``on``; None when the rule does not hold that day."""
    rule = rule_on(rule_id, on)
    return None if rule is None else rule.value


def hours_225_rule_applies(on: dt.date) -> bool:
    """Whether the 225-hour rule (225-timers-reglen) holds on ``on``; it ended 30 Jun 2025."""
    return rule_on("hours_225_rule", on) is not None


def allowed_practice_weeks(on: dt.date, extensions: int = 0) -> int | None:
    """The longest practice (in weeks) allowed with ``extensions`` recorded extensions, or None."""
    value = rule_value("practice_max_weeks", on)
    if value is None:
        return None
    if extensions <= 0:
        return value["base"]
    return value["first_extension_to"] + value["further_extension"] * (extensions - 1)


def practice_start(placements: Iterable[tuple[dt.date, dt.date]], start: dt.date) -> dt.date:
    """When the practice that a placement from ``start`` belongs to began: placements of one citizen
    at one company (``placements``: their first and last days) with less than the rule's gap between
    them are one practice for the limit."""
    value = rule_value("practice_max_weeks", start)
    if value is None:
        return start
    gap = dt.timedelta(weeks=value["same_company_gap_weeks"])
    began = start
    for first, last in sorted(placements, reverse=True):  # back in time from the placement
        if first < began and began - last <= gap:
            began = first
    return began


def practice_length_warning(
    start: dt.date, end: dt.date, extensions: int = 0
) -> Warning | None:
    """A warning when practice from ``start`` to ``end`` spans more ISO weeks than allowed."""
    limit = allowed_practice_weeks(start, extensions)
    from fleksrun.domain.calendar import weeks_between  # the agenda looks up limits, never counts weeks

    weeks = weeks_between(start, end)
    if limit is None or weeks <= limit:
        return None
    key = "law.practice_length" if extensions <= 0 else "law.practice_length_extended"
    return Warning(
        key,
        {"start": start, "end": end, "weeks": weeks, "limit": limit, "extensions": extensions},
    )


def weekly_practice_hours_warning(week_monday: dt.date, hours: float) -> Warning | None:
    """A warning when the practice hours of one ISO week exceed the weekly limit."""
    limit = rule_value("practice_max_hours_week", week_monday)
    if limit is None or hours <= limit:
        return None
    return Warning(
        "law.practice_hours_week", {"week": week_monday, "hours": hours, "limit": limit}
    )


def company_capacity(employees: int, on: dt.date) -> int:
    """How many citizens in practice or wage subsidy a company of ``employees`` can reasonably take.

    Counts ordinary employees (ordinære ansatte). A negative count is treated as 0.
    """
    value = rule_value("company_capacity", on)
    if value is None:  # before the table begins: use the earliest known row
        value = next(r.value for r in RULES if r.id == "company_capacity")
    employees = max(employees, 0)
    up_to = value["up_to"]
    capacity = min(employees, up_to) // value["per_employees"]
    if employees > up_to:
        capacity += (employees - up_to) // value["above_per_employees"]
    return max(capacity, value["minimum"])


def capacity_warning(employees: int | None, placed: int, on: dt.date) -> Warning | None:
    """A warning when ``placed`` citizens exceed the company's capacity; None if unknown."""
    if employees is None or employees < 0:
        return None
    capacity = company_capacity(employees, on)
    if placed <= capacity:
        return None
    return Warning(
        "law.company_capacity",
        {"employees": employees, "placed": placed, "capacity": capacity},
    )


def job_conversations_hint(on: dt.date) -> Warning | None:
    """A hint at the caseworker's duty of legal job conversations on ``on`` (never a demand)."""
    rule = rule_on("legal_job_conversations", on)
    if rule is None:
        return None
    value = rule.value
    if value["conversations"] is None:
        return Warning(
            "law.job_conversations_changed", {"law": value["law"], "since": rule.valid_from}
        )
    return Warning(
        "law.job_conversations",
        {"conversations": value["conversations"], "months": value["months"]},
    )
