"""The agenda's booked days: the window's bookings per day and company, and past days with nothing
recorded."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import Any, NamedTuple

from fleksrun.i18n import t
from fleksrun.services.agenda import sql
from fleksrun.services.agenda.context import BIG_LINE, Context
from fleksrun.services.agenda.lines import OVERDUE, Firsts, json_ids, line_key, name_key, new_item

MISSING_LOOKBACK_DAYS = 42   # older unrecorded days are history, not this week's work

Line = tuple[str, str]  # (day, company name)


class Booking(NamedTuple):
    citizen_id: int
    citizen: str
    day_id: int


def collect_bookings(ctx: Context) -> None:
    """A day's bookings, one line per company (by name), its citizens in name order.

    Read in steps: how many bookings each line has (by placement alone), then the first names of the
    lines shown, then what those few bookings say. A listing of every name (``names`` None) reads each
    line's bookings when it is worded, one line at a time."""
    companies: dict[int, str] = dict(ctx.db.execute("SELECT id, name FROM companies").fetchall())
    binds = ctx.binds()
    counts = _booking_counts(ctx, companies, binds)
    shown: list[Line] = []
    firsts: dict[Line, list[Booking]] = {}   # each line's bookings named, and ...
    details: dict[int, tuple[Any, ...]] = {}  # ... what each says: both filled below, worded when shown
    for date, company in sorted(counts):
        count = counts[(date, company)]
        if not ctx.groups.wanted(date, "practice_day"):
            ctx.groups.count(date, count)
            continue
        key = line_key("practice_day", date, company=company)
        if ctx.names is None:
            ids = [company_id for company_id, name in companies.items() if name == company]
            ctx.groups.add(date, "practice_day", key, partial(_every_booking, ctx, binds, date, company, ids), count)
        else:
            shown.append((date, company))
            ctx.groups.add(date, "practice_day", key,
                           partial(_booking_items, ctx, (date, company), firsts, details), count)
    if shown:
        need = {line: min(counts[line], ctx.names or 0) for line in shown}
        firsts.update(_first_bookings(ctx, need, counts, companies, binds))
        details.update((row[0], row[1:]) for row in ctx.db.execute(sql.BOOKING_DETAILS, {"ids": json_ids(
            booking.day_id for line in firsts.values() for booking in line)}))


def _booking_item(ctx: Context, date: str, company: str, citizen_id: int, citizen: str, status: str,
                  hours: float | None, planned: float | None, program: str) -> dict[str, Any]:
    key = "due.practice_day.attended" if status == "attended" else "due.practice_day.planned"
    text = t(key, citizen=ctx.who(citizen, citizen_id), company=company, hours=hours or planned or 0)
    return new_item(date, "practice_day", citizen_id, citizen, program, text, company=company)


def _booking_items(ctx: Context, line: Line, firsts: dict[Line, list[Booking]],
                   details: dict[int, tuple[Any, ...]]) -> list[dict[str, Any]]:
    """A company's first bookings of one day, as items."""
    date, company = line
    return [_booking_item(ctx, date, company, booking.citizen_id, booking.citizen, *details[booking.day_id])
            for booking in firsts[line]]


def _every_booking(ctx: Context, binds: dict[str, Any], date: str, company: str,
                   ids: list[int]) -> Iterator[dict[str, Any]]:
    """Every booking of a company's line, as items, read while they are written."""
    for row in ctx.db.execute(sql.BOOKINGS_OF_LINE, {**binds, "day": date, "ids": json_ids(ids)}):
        yield _booking_item(ctx, date, company, *row)


def _booking_counts(ctx: Context, companies: dict[int, str], binds: dict[str, Any]) -> dict[Line, int]:
    """How many bookings each (day, company name) has, from the days' index and the summaries."""
    counts: dict[Line, int] = {}
    for (date, company_id), count in Counter(ctx.db.execute(sql.BOOKING_COUNTS, binds)).items():
        company = companies.get(company_id)
        if company is not None:
            counts[(date, company)] = counts.get((date, company), 0) + count
    return counts


def _first_bookings(ctx: Context, need: dict[Line, int], counts: dict[Line, int], companies: dict[int, str],
                    binds: dict[str, Any]) -> dict[Line, list[Booking]]:
    """Each line's first ``need`` bookings by name, citizen and day.

    A line with many bookings gets its names from a walk through the citizens in name order, which
    meets one of its bookings every citizens / bookings steps and stops once every such line has its
    names. The other lines are read whole, one query per day, from that day's bookings of their
    companies."""
    firsts: dict[Line, list[Booking]] = {line: [] for line in need}
    big = {line: n for line, n in need.items() if n and counts[line] >= BIG_LINE * n}
    small: dict[str, set[str]] = {}
    for (date, company), n in need.items():
        if n and (date, company) not in big:
            small.setdefault(date, set()).add(company)
    for date, names in small.items():
        ids = [company_id for company_id, name in companies.items() if name in names]
        booked = Firsts(ctx.names)
        for company_id, citizen_id, name, day_id in ctx.db.execute(sql.BOOKINGS_OF_DAY,
                                                                   {**binds, "day": date, "ids": json_ids(ids)}):
            booked.add(companies[company_id], (name_key(name), citizen_id, day_id), Booking(citizen_id, name, day_id))
        for company in names:
            firsts[(date, company)] = booked.firsts(company)[:need[(date, company)]]
    walked = ctx.walk(sql.BOOKING_WALK, binds, big, lambda row: (row[3], companies.get(row[4])))
    for line, rows in walked.items():
        firsts[line] = [Booking(*row[:3]) for row in rows]
    return firsts


def collect_missing(ctx: Context) -> None:
    """Past booked days with nothing recorded: one line per citizen and company, at its oldest day,
    the lines counted and ordered by SQLite, and the days read only for the lines shown."""
    since = ctx.today - _dt.timedelta(days=MISSING_LOOKBACK_DAYS)
    binds = ctx.binds(since=since.isoformat())
    lines = ctx.db.execute(sql.MISSING_LINES, binds).fetchall()
    if not lines:
        return
    days: dict[tuple[int, int], list[tuple[str, str]]] = {(line[0], line[2]): [] for line in lines}
    for date, citizen_id, company_id, program in ctx.db.execute(
            sql.MISSING_DAYS, {**binds, "ids": json_ids(line[0] for line in lines)}):
        if (citizen_id, company_id) in days:
            days[(citizen_id, company_id)].append((date, program))
    for citizen_id, name, company_id, company, first, count, _lines, _days in lines:
        overdue = (ctx.today - _dt.date.fromisoformat(first)).days
        key = line_key("attendance_missing", first, overdue=overdue, company=company, citizen=name,
                       citizen_id=citizen_id)
        ctx.groups.add(OVERDUE, "attendance_missing", key,
                       partial(_missing_items, ctx, citizen_id, name, company, days[(citizen_id, company_id)]), count)
    hidden_lines, hidden_days = lines[0][6] - len(lines), lines[0][7] - sum(line[5] for line in lines)
    if hidden_lines:
        ctx.groups.count(OVERDUE, items=hidden_days, lines=hidden_lines)


def _missing_items(ctx: Context, citizen_id: int, citizen: str, company: str,
                   days: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """One citizen's unrecorded days at one company, as items."""
    return [new_item(date, "attendance_missing", citizen_id, citizen, program,
                     t("due.attendance_missing", citizen=ctx.who(citizen, citizen_id), company=company,
                       day=_dt.date.fromisoformat(date)),
                     (ctx.today - _dt.date.fromisoformat(date)).days, company=company)
            for date, program in days]
