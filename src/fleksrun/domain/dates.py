"""The one parser for every date, week, month and weekday list the user types.

Accepted dates, first match wins: relative words (today, i morgen, igår), offsets (+3d, -1w, +2u,
+1m), weekday names (tue, tirsdag: the next one strictly after today), ISO weeks (2026-W14, uge 14,
week 14 2027: their Monday; a week without a year is the one of that number nearest to today, so in
late December "uge 2" is next year's), ISO dates (2026-03-31), Danish day-first dates (31-03-2026, 31.3.2026,
31/3, 31-03-26) and a day with a month name (31. marts 2026, 31 mar).

Day first, always: "03/04/2026" is 3 April. There is no clock here: ``today`` is a parameter.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import MAXYEAR, MINYEAR, date, timedelta

from fleksrun.errors import InputError

# Monday = 0, as date.weekday(). Spellings without æøå too: many keyboards and terminals lack them.
_WEEKDAY_NAMES = (
    ("mon", "monday", "man", "mandag"),
    ("tue", "tues", "tuesday", "tir", "tirs", "tirsdag"),
    ("wed", "wednesday", "ons", "onsdag"),
    ("thu", "thur", "thurs", "thursday", "tor", "tors", "torsdag"),
    ("fri", "friday", "fre", "fredag"),
    ("sat", "saturday", "lør", "lørdag", "lor", "lordag", "loer", "loerdag"),
    ("sun", "sunday", "søn", "søndag", "son", "sondag", "soen", "soendag"),
)
WEEKDAYS: dict[str, int] = {name: i for i, names in enumerate(_WEEKDAY_NAMES) for name in names}

_MONTH_NAMES = (
    ("jan", "january", "januar"),
    ("feb", "february", "februar"),
    ("mar", "march", "marts"),
    ("apr", "april"),
    ("may", "maj"),
    ("jun", "june", "juni"),
    ("jul", "july", "juli"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("oct", "okt", "october", "oktober"),
    ("nov", "november"),
    ("dec", "december"),
)
MONTHS: dict[str, int] = {name: i for i, names in enumerate(_MONTH_NAMES, 1) for name in names}

_RELATIVE_DAYS = {
    "today": 0, "i dag": 0, "idag": 0,
    "tomorrow": 1, "i morgen": 1, "imorgen": 1,
    "yesterday": -1, "i går": -1, "igår": -1, "i gaar": -1, "igaar": -1,
    "i overmorgen": 2, "overmorgen": 2,
    "i forgårs": -2, "forgårs": -2,
}
_DAYS_PER_UNIT = {"d": 1, "w": 7, "u": 7}  # u = uge (week); "m" is months, handled apart

# re.ASCII: \d must not accept other scripts' digits; text is already one-spaced and lower case.
_OFFSET = re.compile(r"([+-]) ?(\d{1,6}) ?([dwum])", re.ASCII)
_YEAR = r"([1-9]\d{3})"  # year 0 does not exist in datetime
_YEAR_AFTER = rf"(?: |, ?| ?[-/] ?){_YEAR}"  # "uge 14 2027", "uge 14-2027", "april, 2026"
_ISO_WEEK = re.compile(rf"{_YEAR} ?-? ?w ?(\d{{1,2}})", re.ASCII)
_NAMED_WEEK = re.compile(rf"(?:uge|week|w) ?(\d{{1,2}})(?:{_YEAR_AFTER})?", re.ASCII)
_BARE_WEEK = re.compile(r"(\d{1,2})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?\.?", re.ASCII)
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})\.? ?([a-zæøå]+)\.?(?: (\d{4}))?", re.ASCII)
_YEAR_MONTH = re.compile(r"(\d{4}) ?[-/.] ?(\d{1,2})", re.ASCII)
_MONTH_YEAR = re.compile(r"(\d{1,2}) ?[-/.] ?(\d{4})", re.ASCII)
_NAMED_MONTH = re.compile(rf"([a-zæøå]+)\.?(?:{_YEAR_AFTER})?", re.ASCII)
_MONTH_KEY = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


# The years a date the user types may fall in. The parser reads years 1 to 9999, but a date that
# becomes a fact (a start, a booked day) or a what-if today outside these is a typing error, and
# dates near the calendar's end make every later date (13 weeks on, the next follow-up) impossible.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def plausible(day: date, text: str) -> date:
    """``day`` itself, or an input error where its year is outside FIRST_YEAR to LAST_YEAR."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError("date.implausible", text=text.strip(), first=FIRST_YEAR, last=LAST_YEAR)
    return day


def parse_date(text: str, today: date) -> date:
    """The date the user means by ``text``, read relative to ``today``."""
    clean = _normalise(text)
    if not clean:
        raise InputError("date.missing")
    for reader in (_relative_day, _offset, _next_weekday, _week_monday, _iso_date, _day_first,
                   _day_month_name):
        found = reader(clean, today)
        if found is not None:
            return found
    raise InputError("date.invalid", text=text.strip())


def parse_week(text: str, today: date) -> tuple[date, date]:
    """The Monday and Sunday of the ISO week in ``text``: "uge 14", "14" or any date in it."""
    clean = _normalise(text)
    bare = _BARE_WEEK.fullmatch(clean)
    if bare:
        monday = nearest_week_monday(int(bare.group(1)), today)
    else:
        monday = _week_monday(clean, today) or _monday_of_date(text, today)
    try:
        return monday, monday + timedelta(days=6)
    except OverflowError:  # the last week of year 9999 ends after the calendar does
        raise InputError("week.invalid", text=text.strip()) from None


def parse_month(text: str, today: date) -> str:
    """The calendar month in ``text`` as "YYYY-MM"; a month name alone means today's year."""
    clean = _normalise(text)
    year = month = None
    if match := _YEAR_MONTH.fullmatch(clean):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := _MONTH_YEAR.fullmatch(clean):
        month, year = int(match.group(1)), int(match.group(2))
    elif (match := _NAMED_MONTH.fullmatch(clean)) and match.group(1) in MONTHS:
        month = MONTHS[match.group(1)]
        year = int(match.group(2)) if match.group(2) else today.year
    if year is None or month is None or not 1 <= month <= 12 or not MINYEAR <= year <= MAXYEAR:
        raise InputError("month.invalid", text=text.strip())
    return f"{year:04d}-{month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of a "YYYY-MM" month."""
    match = _MONTH_KEY.fullmatch(month)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < MINYEAR:
        raise InputError("month.invalid", text=month)
    year, number = int(match.group(1)), int(match.group(2))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Weekday numbers (Monday = 0) from a list like "tue,thu", "man-fre" or "tir og tor"."""
    clean = re.sub(r" ?- ?", "-", _normalise(text))
    tokens = [token for token in re.split(r"[ ,+/&]+", clean) if token not in ("", "og", "and")]
    if not tokens:
        raise InputError("weekdays.invalid", text=text.strip())
    days: set[int] = set()
    for token in tokens:
        first, dash, last = token.partition("-")
        start = _weekday_index(first, text)
        end = _weekday_index(last, text) if dash else start
        if end < start:  # "fri-mon" would have to wrap over the weekend: ask for it spelled out
            raise InputError("weekdays.invalid", text=text.strip())
        days.update(range(start, end + 1))
    return tuple(sorted(days))


def iso_week_monday(year: int, week: int) -> date:
    """The Monday of ISO week ``week`` of ISO year ``year``."""
    if not MINYEAR <= year <= MAXYEAR:
        raise InputError("week.year", year=year)
    last = weeks_in_year(year)
    if not 1 <= week <= last:
        raise InputError("week.impossible", week=week, year=year, last=last)
    return date.fromisocalendar(year, week, 1)


def nearest_week_monday(week: int, today: date) -> date:
    """The Monday of ISO week ``week`` nearest to ``today``: of today's ISO year, the one before or
    the one after. On 28-12-2026 "uge 2" is 2027-W02; on 04-01-2027 "uge 52" is 2026-W52. Halfway
    between two, the later one wins: plans look ahead. A week 53 more than a year off is refused
    with today's year, as is a week no year has (0, 54)."""
    this_year = today.isocalendar().year
    this_monday = today - timedelta(days=today.weekday())
    best: date | None = None
    if 1 <= week <= 53:
        for year in (this_year - 1, this_year, this_year + 1):
            if not MINYEAR <= year <= MAXYEAR or week > weeks_in_year(year):
                continue
            monday = date.fromisocalendar(year, week, 1)
            if best is None or _nearer(monday, best, this_monday):
                best = monday
    if best is None or abs((best - this_monday).days) > 52 * 7:
        return iso_week_monday(this_year, week)  # raises: this year has no such week
    return best


def _nearer(one: date, other: date, monday: date) -> bool:
    """Whether ``one`` is nearer ``monday`` than ``other``; at equal distance, the later one."""
    a, b = abs((one - monday).days), abs((other - monday).days)
    return a < b or (a == b and one > other)


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December is always in the last ISO week of its year."""
    return date(year, 12, 28).isocalendar().week


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months on, clamped to the month's end (31-01 → 28-02)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month_index + 1, min(day.day, calendar.monthrange(year, month_index + 1)[1]))


# -- readers: each returns a date, None when the text is not its form, or raises when impossible --

def _relative_day(clean: str, today: date) -> date | None:
    days = _RELATIVE_DAYS.get(clean)
    return None if days is None else today + timedelta(days=days)


def _offset(clean: str, today: date) -> date | None:
    match = _OFFSET.fullmatch(clean)
    if not match:
        return None
    amount = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
    unit = match.group(3)
    try:
        if unit == "m":
            return add_months(today, amount)
        return today + timedelta(days=amount * _DAYS_PER_UNIT[unit])
    except (OverflowError, ValueError):  # past year 9999 or before year 1
        raise InputError("date.invalid", text=clean) from None


def _next_weekday(clean: str, today: date) -> date | None:
    weekday = WEEKDAYS.get(clean.rstrip("."))
    if weekday is None:
        return None
    # Strictly after today: on a Tuesday, "tue" is next week's Tuesday.
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _week_monday(clean: str, today: date) -> date | None:
    if match := _ISO_WEEK.fullmatch(clean):
        return iso_week_monday(int(match.group(1)), int(match.group(2)))
    if match := _NAMED_WEEK.fullmatch(clean):
        if match.group(2) is None:
            return nearest_week_monday(int(match.group(1)), today)
        return iso_week_monday(int(match.group(2)), int(match.group(1)))
    return None


def _iso_date(clean: str, today: date) -> date | None:
    match = _ISO_DATE.fullmatch(clean)
    if not match:
        return None
    return _make_date(int(match.group(1)), int(match.group(3)), int(match.group(4)), clean)


def _day_first(clean: str, today: date) -> date | None:
    match = _DAY_FIRST.fullmatch(clean)
    if not match:
        return None
    year_text = match.group(4)
    if year_text is None:
        year = today.year
    elif len(year_text) == 2:
        year = 2000 + int(year_text)  # plans live in this century; older dates take four digits
    else:
        year = int(year_text)
    return _make_date(year, int(match.group(3)), int(match.group(1)), clean)


def _day_month_name(clean: str, today: date) -> date | None:
    match = _DAY_MONTH_NAME.fullmatch(clean)
    if not match or match.group(2) not in MONTHS:
        return None
    year = int(match.group(3)) if match.group(3) else today.year
    return _make_date(year, MONTHS[match.group(2)], int(match.group(1)), clean)


# -- helpers ------------------------------------------------------------------------------------

def _normalise(text: str) -> str:
    """Lower case, single spaces; NFKC so a decomposed "å" or a full-width digit matches."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if 1 <= month <= 12 and 1 <= day <= 31 and MINYEAR <= year <= MAXYEAR:
            # A real month without that day (31-02, 29-02 outside leap years): say which.
            last = date(year, month, calendar.monthrange(year, month)[1])
            raise InputError("date.impossible", text=text, day=day,
                             month=f"{year:04d}-{month:02d}", last=last) from None
        raise InputError("date.invalid", text=text) from None


def _monday_of_date(text: str, today: date) -> date:
    try:
        day = parse_date(text, today)
    except InputError as error:
        # An unreadable text was meant as a week here: show the week forms, not only the date forms.
        if error.key in ("date.invalid", "date.missing"):
            raise InputError("week.invalid", text=text.strip()) from None
        raise
    return day - timedelta(days=day.weekday())


def _weekday_index(name: str, text: str) -> int:
    index = WEEKDAYS.get(name.rstrip("."))
    if index is None:
        raise InputError("weekdays.invalid", text=text.strip())
    return index


_CLOCK = re.compile(r"(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?")


def parse_clock(text: str) -> str:
    """A time of day as ``HH:MM``, from 08:30, 8.30, kl. 8.30 or 8 (whole hours)."""
    match = _CLOCK.fullmatch(text.strip().lower())
    if match is None or int(match[1]) > 23 or int(match[2] or 0) > 59:
        raise InputError("clock.invalid", text=text.strip())
    return f"{int(match[1]):02d}:{int(match[2] or 0):02d}"
