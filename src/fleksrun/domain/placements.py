"""Pure helpers for placements and their days: hour limits, ISO weeks, extensions, the week view.

No database, no clock, no terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from fleksrun.domain.calendar import weeks_between
from fleksrun.domain.law import allowed_practice_weeks
from fleksrun.errors import InputError

KINDS = ("practice", "ordinary", "flexjob", "subsidised")
"""Kinds of placement; each is also a kind of hours (``hours.kind``)."""

ABSENCE_REASONS = ("sick", "other", "no-show")
MAX_HOURS_A_DAY = 24.0

# Kinds that count against a company's capacity (practice and wage subsidy; rimelighedskrav).
CAPACITY_KINDS = ("practice", "subsidised")


def check_day_hours(hours: float) -> float:
    """Hours on one day must be 0 to 24."""
    if not 0 <= hours <= MAX_HOURS_A_DAY:
        raise InputError("scheduling.bad_day_hours", hours=hours)
    return float(hours)


def check_kind(kind: str) -> str:
    clean = kind.strip().lower()
    if clean not in KINDS:
        raise InputError("scheduling.bad_kind", kind=kind, kinds=", ".join(KINDS))
    return clean


def week_monday(day: dt.date) -> dt.date:
    """The Monday of the ISO week that holds ``day``."""
    return day - dt.timedelta(days=day.weekday())


def next_monday(day: dt.date) -> dt.date:
    """The Monday of the ISO week after the one that holds ``day``."""
    return week_monday(day) + dt.timedelta(weeks=1)


def extensions_needed(start: dt.date, end: dt.date) -> int:
    """How many recorded extensions practice from ``start`` to ``end`` needs to stay within the law.

    0 within the base limit (13 weeks); 1 up to 26 weeks; then one more per 13 weeks. 0 when the
    rule table has no row for ``start``.
    """
    weeks = weeks_between(start, end)
    extensions = 0
    while True:
        limit = allowed_practice_weeks(start, extensions)
        if limit is None or weeks <= limit:
            return extensions
        extensions += 1


def add_week_hours(
    totals: Mapping[dt.date, float], days: Iterable[tuple[dt.date, float | None]]
) -> dict[dt.date, float]:
    """``totals`` (hours per week Monday) plus the hours of ``days``, per week Monday."""
    result = dict(totals)
    for day, hours in days:
        monday = week_monday(day)
        result[monday] = result.get(monday, 0.0) + (hours or 0.0)
    return result


def day_state(day: Mapping[str, Any], today: dt.date) -> str:
    """What a day row shows: ``booked``, ``missing`` (past and nothing recorded), ``attended``,
    ``absent`` or ``cancelled``. "missing" is computed here, never stored."""
    status = day["status"]
    if status == "planned":
        return "missing" if dt.date.fromisoformat(day["date"]) < today else "booked"
    return status


def weeks_view(days: Iterable[Mapping[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    """Day rows grouped by ISO week, in date order: ``[{"monday", "year", "week", "days": [...]}]``.

    Each day keeps its row and gains ``state`` (see :func:`day_state`).
    """
    weeks: dict[dt.date, dict[str, Any]] = {}
    for day in sorted(days, key=lambda d: d["date"]):
        date = dt.date.fromisoformat(day["date"])
        monday = week_monday(date)
        iso = date.isocalendar()
        entry = weeks.setdefault(monday, {"monday": monday, "year": iso.year, "week": iso.week, "days": []})
        entry["days"].append({**day, "state": day_state(day, today)})
    return [weeks[m] for m in sorted(weeks)]
