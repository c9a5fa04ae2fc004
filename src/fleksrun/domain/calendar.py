"""Planning practice days around Danish public holidays and a company's own closing days.

Pure: no clock, no database, no terminal. ``holidays`` and ``dateutil`` are imported inside the
functions that need them, because importing them costs start-up time on every command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from fleksrun.errors import InputError

POLICIES = ("skip", "shift", "extend", "keep")
"""What to do with a pattern day that falls on a holiday or closing day."""

# Not public holidays (helligdage) in Denmark, even where many workplaces close: the consultant
# adds them as company closing days. Guarded here in case the package ever counts them as public.
_NOT_PUBLIC = frozenset({(5, 1), (6, 5), (12, 24), (12, 31)})

_ONE_DAY = dt.timedelta(days=1)

BlockedBy = Callable[[dt.date], "str | None"]


@cache
def _holidays_of_year(year: int) -> Mapping[dt.date, str]:
    import holidays  # slow import: only when a holiday is actually looked up

    found = holidays.country_holidays("DK", years=year, language="da", categories=("public",))
    return MappingProxyType(
        {
            day: name
            for day, name in sorted(found.items())
            if day.year == year and (day.month, day.day) not in _NOT_PUBLIC
        }
    )


def danish_holidays(year: int) -> dict[dt.date, str]:
    """The Danish public holidays (helligdage) of ``year`` with their Danish names."""
    return dict(_holidays_of_year(year))


def holiday_name(day: dt.date) -> str | None:
    """The Danish name of the public holiday on ``day``, or None on an ordinary day."""
    return _holidays_of_year(day.year).get(day)


def iso_week_days(monday: dt.date) -> list[dt.date]:
    """The seven days, Monday to Sunday, of the ISO week that holds ``monday``."""
    first = monday - dt.timedelta(days=monday.weekday())
    return [first + dt.timedelta(days=i) for i in range(7)]


def weeks_between(a: dt.date, b: dt.date) -> int:
    """How many ISO weeks the days from ``a`` to ``b`` touch, both ends included (0 if b < a)."""
    if b < a:
        return 0
    monday_a = a - dt.timedelta(days=a.weekday())
    monday_b = b - dt.timedelta(days=b.weekday())
    return (monday_b - monday_a).days // 7 + 1


@dataclass(frozen=True)
class PlannedDay:
    """One day of a plan.

    ``status`` is ``booked``, ``skipped`` (not booked), ``shifted`` (booked on ``date`` instead of
    ``original``) or ``flagged`` (booked although it is a holiday or closing day). ``reason`` names
    the holiday or closing. ``original`` is the pattern day this one stands in for: the day a
    shifted day moved from, or, with the ``extend`` policy, the dropped day an added day replaces.
    """

    date: dt.date
    status: str
    reason: str | None = None
    original: dt.date | None = None


@dataclass(frozen=True)
class MetDay:
    """A holiday or closing day the pattern met, and what happened to the practice day.

    ``outcome``: ``skipped`` (dropped), ``extended`` (dropped, ``replacement`` added at the end),
    ``shifted`` (moved to ``replacement``) or ``flagged`` (kept and booked).
    """

    date: dt.date
    name: str
    outcome: str
    replacement: dt.date | None = None

    @property
    def key(self) -> str:
        """The message key that tells this to the user."""
        return f"schedule.met.{self.outcome}"

    @property
    def params(self) -> dict[str, object]:
        return {"date": self.date, "name": self.name, "replacement": self.replacement}


@dataclass(frozen=True)
class Plan:
    """The result of planning: every pattern day with what became of it, in date order."""

    days: list[PlannedDay] = field(default_factory=list)

    @property
    def booked(self) -> list[dt.date]:
        """The dates to book: booked, shifted and flagged days."""
        return sorted(d.date for d in self.days if d.status != "skipped")

    @property
    def met(self) -> list[MetDay]:
        """The holidays and closing days met, in the order of the pattern days that hit them."""
        stand_ins = {d.original: d.date for d in self.days if d.original is not None}
        met: list[MetDay] = []
        for d in self.days:
            if d.status == "skipped":
                replacement = stand_ins.get(d.date)
                outcome = "extended" if replacement else "skipped"
                met.append(MetDay(d.date, d.reason or "", outcome, replacement))
            elif d.status == "shifted":
                assert d.original is not None
                met.append(MetDay(d.original, d.reason or "", "shifted", d.date))
            elif d.status == "flagged":
                met.append(MetDay(d.date, d.reason or "", "flagged"))
        return sorted(met, key=lambda m: m.date)


MAX_WEEKS = 260  # five years: the longest plan `schedule` accepts


def plan_days(
    start: dt.date,
    weekdays: tuple[int, ...],
    *,
    weeks: int | None = None,
    until: dt.date | None = None,
    count: int | None = None,
    policy: str = "skip",
    closed: dict[dt.date, str] | None = None,
) -> Plan:
    """Plan practice days on ``weekdays`` (Monday = 0) from ``start``, around holidays and closings.

    Give exactly one length: ``weeks`` (ISO weeks, counting the week of ``start`` as the first),
    ``until`` (last possible day, included) or ``count`` (number of pattern days). ``closed`` maps
    the company's own closing days to their reason; they are treated like public holidays.
    ``policy`` says what happens to a pattern day on a holiday or closing day: ``skip`` drops it,
    ``shift`` moves it to the next free working day, ``extend`` drops it and adds one more pattern
    day at the end, ``keep`` books it and flags it.
    """
    if policy not in POLICIES:
        raise InputError("schedule.policy", policy=policy)
    if sum(x is not None for x in (weeks, until, count)) != 1:
        raise InputError("schedule.length")
    pattern_weekdays = tuple(sorted(set(weekdays)))
    if not pattern_weekdays or any(not 0 <= w <= 6 for w in pattern_weekdays):
        raise InputError("schedule.weekdays", weekdays=", ".join(str(w) for w in weekdays))
    if weeks is not None and weeks < 1:
        raise InputError("schedule.weeks", weeks=weeks)
    if count is not None and count < 1:
        raise InputError("schedule.count", count=count)
    if until is not None and until < start:
        raise InputError("schedule.until", until=until, start=start)
    # A plan longer than a few years is a typing slip, and far dates overflow the calendar.
    if (weeks or 0) > MAX_WEEKS or (count or 0) > MAX_WEEKS * 7 or (until and (until - start).days > MAX_WEEKS * 7):
        raise InputError("schedule.too_long", weeks=MAX_WEEKS)

    closings = dict(closed or {})

    def blocked_by(day: dt.date) -> str | None:
        return holiday_name(day) or closings.get(day)

    if weeks is not None:
        # Sunday of the last week: the week of ``start`` is week 1.
        until = start - dt.timedelta(days=start.weekday()) + dt.timedelta(weeks=weeks) - _ONE_DAY
    pattern = list(_pattern(start, pattern_weekdays, until=until, count=count))

    if policy == "extend":
        days = _plan_extend(pattern, pattern_weekdays, blocked_by)
    elif policy == "shift":
        days = _plan_shift(pattern, blocked_by)
    else:
        status = "skipped" if policy == "skip" else "flagged"
        days = []
        for day in pattern:
            reason = blocked_by(day)
            days.append(PlannedDay(day, status, reason) if reason else PlannedDay(day, "booked"))
    return Plan(sorted(days, key=lambda d: d.date))


def _pattern(
    start: dt.date,
    weekdays: tuple[int, ...],
    *,
    until: dt.date | None = None,
    count: int | None = None,
) -> Iterator[dt.date]:
    """The pattern days from ``start``; endless when neither ``until`` nor ``count`` is given."""
    from dateutil.rrule import WEEKLY, rrule  # slow import: only when planning

    rule = rrule(
        WEEKLY,
        byweekday=weekdays,
        dtstart=dt.datetime.combine(start, dt.time()),
        until=dt.datetime.combine(until, dt.time()) if until is not None else None,
        count=count,
    )
    return (moment.date() for moment in rule)


def _plan_shift(pattern: list[dt.date], blocked_by: BlockedBy) -> list[PlannedDay]:
    pattern_set = set(pattern)
    used: set[dt.date] = set()
    days: list[PlannedDay] = []
    for day in pattern:
        reason = blocked_by(day)
        if not reason:
            days.append(PlannedDay(day, "booked"))
            continue
        # Terminates: holidays and closings are finite, so a free weekday always comes.
        candidate = day + _ONE_DAY
        while (
            candidate.weekday() >= 5
            or candidate in pattern_set
            or candidate in used
            or blocked_by(candidate)
        ):
            candidate += _ONE_DAY
        used.add(candidate)
        days.append(PlannedDay(candidate, "shifted", reason, original=day))
    return days


def _plan_extend(
    pattern: list[dt.date], weekdays: tuple[int, ...], blocked_by: BlockedBy
) -> list[PlannedDay]:
    if not pattern:
        return []
    wanted = len(pattern)
    extra = _pattern(pattern[-1] + _ONE_DAY, weekdays)
    days: list[PlannedDay] = []
    dropped: list[dt.date] = []  # each dropped day is replaced by the next added pattern day
    booked = 0
    queue = iter(pattern)
    while booked < wanted:
        day = next(queue, None)
        original = None
        if day is None:
            day = next(extra)
            original = dropped.pop(0)
        reason = blocked_by(day)
        if reason:
            days.append(PlannedDay(day, "skipped", reason, original=original))
            dropped.append(day)
        else:
            days.append(PlannedDay(day, "booked", original=original))
            booked += 1
    return days
