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

# Not public holidays (helligdage) in Denmark, even where many workplaces close, by the names the
# ``holidays`` package gives them in Danish (it has them in its "optional" category). Guarded here in
# case the package ever counts them as public. By name, not by date: Pinsedag 5 June 2022, Anden
# pinsedag 5 June 2028 and Kristi himmelfartsdag 1 May 2008 are public holidays on those dates.
_NOT_PUBLIC_NAMES = frozenset({
    "Grundlovsdag", "Arbejdernes kampdag", "1. maj", "Juleaftensdag", "Juleaften", "Nytårsaften",
    "Nytårsaftensdag",
})


@dataclass(frozen=True)
class CustomaryDay:
    """A day off by custom (not a public holiday) that many workplaces keep: its code, date and name."""

    code: str
    month: int
    day: int
    name: str  # the Danish name, as the public holidays' names are Danish

    def on(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)


CUSTOMARY_DAYS: tuple[CustomaryDay, ...] = (
    CustomaryDay("1maj", 5, 1, "1. maj"),
    CustomaryDay("grundlovsdag", 6, 5, "Grundlovsdag"),
    CustomaryDay("juleaftensdag", 12, 24, "Juleaftensdag"),
    CustomaryDay("nytaarsaftensdag", 12, 31, "Nytårsaftensdag"),
)
"""Grundlovsdag, 1 May, Juleaftensdag and Nytårsaftensdag, in the order of the year."""

CUSTOMARY_CODES = tuple(c.code for c in CUSTOMARY_DAYS)

# What a user may type for each (lower case, without spaces, dots, hyphens and underscores).
_CUSTOMARY_ALIASES = {
    "1maj": {"1maj", "forstemaj", "førstemaj", "foerstemaj", "arbejderneskampdag", "arbejdernesdag", "mayday",
             "may1", "1may", "labourday", "laborday", "workersday"},
    "grundlovsdag": {"grundlovsdag", "grundlovsdagen", "grundlov", "5juni", "constitutionday", "june5", "5june"},
    "juleaftensdag": {"juleaftensdag", "juleaften", "juleaftendag", "24december", "24dec", "christmaseve"},
    "nytaarsaftensdag": {"nytaarsaftensdag", "nytårsaftensdag", "nytarsaftensdag", "nytaarsaften", "nytårsaften",
                         "nytarsaften", "nytaarsaftendag", "31december", "31dec", "newyearseve"},
}
_NONE_WORDS = {"none", "ingen", "intet", "ingenting", "no", "nej", "off", "-", ""}
_ALL_WORDS = {"all", "alle", "allofthem"}

_ONE_DAY = dt.timedelta(days=1)

BlockedBy = Callable[[dt.date], "str | None"]


@cache
def _holidays_of_year(year: int) -> Mapping[dt.date, str]:
    import holidays  # slow import: only when a holiday is actually looked up

    found = holidays.country_holidays("DK", years=year, language="da", categories=("public",))
    public: dict[dt.date, str] = {}
    for day in sorted(found):
        # Two holidays on one day come as one name joined by "; ": keep the public ones.
        names = [n for n in found.get_list(day) if n not in _NOT_PUBLIC_NAMES]
        if day.year == year and names:
            public[day] = "; ".join(names)
    return MappingProxyType(public)


def danish_holidays(year: int) -> dict[dt.date, str]:
    """The Danish public holidays (helligdage) of ``year`` with their Danish names."""
    return dict(_holidays_of_year(year))


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


# Public holidays by their distance from Easter Sunday, in days, with their Danish names as the
# ``holidays`` package gives them; Store bededag until 2023.
_EASTER_OFFSETS = ((-3, "Skærtorsdag"), (-2, "Langfredag"), (0, "Påskedag"), (1, "Anden påskedag"),
                   (39, "Kristi himmelfartsdag"), (49, "Pinsedag"), (50, "Anden pinsedag"))
_STORE_BEDEDAG, _STORE_BEDEDAG_LAST_YEAR = (26, "Store bededag"), 2023
_FIXED = (((1, 1), "Nytårsdag"), ((12, 25), "Juledag"), ((12, 26), "Anden juledag"))


@cache
def _public_days(year: int) -> Mapping[dt.date, str]:
    easter = easter_sunday(year)
    offsets = _EASTER_OFFSETS + ((_STORE_BEDEDAG,) if year <= _STORE_BEDEDAG_LAST_YEAR else ())
    found = {dt.date(year, *month_day): name for month_day, name in _FIXED}
    found.update((easter + dt.timedelta(days=n), name) for n, name in offsets)
    return MappingProxyType(found)


def is_public_holiday(day: dt.date) -> bool:
    """Whether ``day`` is a Danish public holiday: the days of ``danish_holidays`` (the ``holidays``
    package, the source; ``tests/test_calendar.py`` holds the two equal, names too, for 1950–2100),
    worked out from Easter, for readers that should not load the package (~100 ms): continuous
    practice, follow-up dates, the agenda."""
    return day in _public_days(day.year)


def public_holiday_name(day: dt.date) -> str | None:
    """The Danish name of the public holiday on ``day`` (None on another day), as ``is_public_holiday``
    works it out: ``holiday_name`` without loading the package."""
    return _public_days(day.year).get(day)


def holiday_name(day: dt.date) -> str | None:
    """The Danish name of the public holiday on ``day``, or None on an ordinary day."""
    return _holidays_of_year(day.year).get(day)


def customary_day(day: dt.date) -> CustomaryDay | None:
    """The customary day off (Grundlovsdag, 1 May, Juleaftensdag, Nytårsaftensdag) on ``day``, if any."""
    for c in CUSTOMARY_DAYS:
        if (day.month, day.day) == (c.month, c.day):
            return c
    return None


def parse_customary(text: str) -> tuple[str, ...]:
    """The codes of the customary days named in ``text``, comma-separated, in Danish or English.

    ``none``/``ingen`` (or nothing) gives no days, ``all``/``alle`` every one. The result is in the
    order of the year, without repeats. An unknown word is an input error that lists the words known.
    """
    chosen: set[str] = set()
    for part in text.replace(";", ",").split(","):
        word = "".join(ch for ch in part.strip().lower() if ch not in " ._-'")
        if word in _NONE_WORDS:
            continue
        if word in _ALL_WORDS:
            chosen.update(CUSTOMARY_CODES)
            continue
        code = next((c for c, aliases in _CUSTOMARY_ALIASES.items() if word in aliases), None)
        if code is None:
            raise InputError("settings.unknown_day", word=part.strip(), known=", ".join(CUSTOMARY_CODES))
        chosen.add(code)
    return tuple(c for c in CUSTOMARY_CODES if c in chosen)


def days_off(years: range | tuple[int, ...] | list[int], customary: set[str] | frozenset[str] | tuple[str, ...] = (),
             ) -> dict[dt.date, str]:
    """The days without practice in ``years``: the public holidays and the customary days in
    ``customary`` (codes of ``CUSTOMARY_DAYS``, e.g. the file's ``days-off`` setting), with their names.

    Pure, for any reader that needs the same days ``schedule`` plans around (company closings aside).
    """
    unknown = set(customary) - set(CUSTOMARY_CODES)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    found: dict[dt.date, str] = {}
    for year in years:
        found.update(_holidays_of_year(year))
        for c in CUSTOMARY_DAYS:
            if c.code in customary:
                found.setdefault(c.on(year), c.name)
    return dict(sorted(found.items()))


def day_off(day: dt.date, customary: frozenset[str] | set[str] | tuple[str, ...] = ()) -> str | None:
    """Why ``day`` is no working day for the consultant: "saturday", "sunday", "holiday" (a public
    holiday) or "customary" (one of the customary days in ``customary`` the file sets as days off);
    None on a working day. Without the ``holidays`` package: follow-ups are dated on every contact."""
    if day.weekday() >= 5:
        return "saturday" if day.weekday() == 5 else "sunday"
    if is_public_holiday(day):
        return "holiday"
    found = customary_day(day)
    if found is not None and found.code in customary:
        return "customary"
    return None


def working_day_before(day: dt.date, after: dt.date,
                       customary: frozenset[str] | set[str] | tuple[str, ...] = ()) -> dt.date:
    """``day`` moved back to the nearest working day (``day_off``), but never onto or before
    ``after`` (the contact it follows): then it moves forward to the nearest working day instead."""
    moved = day
    while day_off(moved, customary) and moved > after:
        moved -= dt.timedelta(days=1)
    if moved > after and not day_off(moved, customary):
        return moved
    moved = day
    while day_off(moved, customary):
        moved += dt.timedelta(days=1)
    return moved


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
    customary: frozenset[str] | set[str] | tuple[str, ...] = (),
) -> Plan:
    """Plan practice days on ``weekdays`` (Monday = 0) from ``start``, around holidays and closings.

    Give exactly one length: ``weeks`` (ISO weeks, counting the week of ``start`` as the first),
    ``until`` (last possible day, included) or ``count`` (number of pattern days). ``closed`` maps
    the company's own closing days to their reason; they are treated like public holidays, and so
    are the customary days off whose codes are in ``customary`` (the file's ``days-off`` setting).
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
    off = frozenset(customary)

    def blocked_by(day: dt.date) -> str | None:
        if name := holiday_name(day):
            return name
        by_custom = customary_day(day)
        if by_custom is not None and by_custom.code in off:
            return by_custom.name
        return closings.get(day)

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
