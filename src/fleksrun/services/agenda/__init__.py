"""The consultant's week (`due`): everything that needs them in a window, overdue first.

Kinds of item, each in its own module of this package:

- ``followup``            a follow-up overdue or due (from the programme's cadence or a set date)
- ``aftercare``           the same, for a citizen in an after-care phase (efterværn)       ``followups``
- ``practice_day``        a booked day at a company in the window
- ``attendance_missing``  a past booked day with nothing recorded                          ``days``
- ``ready_to_advance``    the current phase's exit rules are met
- ``hours_at_risk``       a month's ordinary-hours target in doubt: the days planned cannot reach it
                          (or, late in the month, only with every one of them worked), or it is close
                          with the month nearly over
- ``data_missing``        no hours recorded last month for a citizen whose rule needs them  ``rules``
- ``placement_ending``    a placement ends within 14 days: what comes next?
- ``practice_limit``      practice reaches the legal limit in weeks soon (13, or as extended)  ``placements``
- ``goal_review``         a sub-goal's (delmål) review date is overdue or in the window         ``goals``

Items fall into groups (the overdue ones, then one group per day) and a group into lines: one line
per item, except that a day's bookings at one company make one line, and so do one citizen's
unrecorded days at one company. The table shows the first lines of each group; ``--json`` has every
item. Each kind reads the summaries (``summaries``) with the queries in ``sql``, given a
:class:`Context`; only a line that will be shown becomes items with a text, the rest is counted.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import Any

from fleksrun.domain.calendar import customary_day, public_holiday_name
from fleksrun.services.agenda import days, followups, goals, placements, rules, summaries
from fleksrun.services.agenda.context import Context
from fleksrun.services.agenda.lines import KINDS, OVERDUE, Item, item_key
from fleksrun.services.settings import days_off as file_days_off
from fleksrun.store.connection import Database

__all__ = ["KINDS", "OVERDUE", "Context", "agenda", "agenda_items", "agenda_lines", "collect", "item_key"]


def collect(ctx: Context) -> list[dict[str, Any]]:
    """Every kind asked for, as groups of lines."""
    _collect_kinds(ctx)
    return ctx.groups.result()


def _collect_kinds(ctx: Context) -> None:
    summaries.prepare_read(ctx.db)
    if ctx.wants("followup", "aftercare") and ctx.company_id is None:
        followups.collect(ctx)
    if ctx.wants("practice_day"):
        days.collect_bookings(ctx)
    if ctx.wants("attendance_missing") and ctx.includes_today:  # overdue as of today: shown with today only
        days.collect_missing(ctx)
    if ctx.wants("placement_ending", "practice_limit"):
        placements.collect(ctx)
    if ctx.wants(goals.KIND) and ctx.company_id is None:
        goals.collect(ctx)
    if ctx.company_id is None and ctx.includes_today:  # lines dated today
        if ctx.wants("ready_to_advance"):
            rules.collect_ready(ctx)
        if ctx.wants("hours_at_risk", "data_missing"):
            rules.collect_hours(ctx)


def _head(db: Database, today: _dt.date, start: _dt.date, end: _dt.date) -> dict[str, Any]:
    return {"today": today.isoformat(), "from": start.isoformat(), "to": end.isoformat(),
            "days_off": days_off_in(db, start, end)}


def days_off_in(db: Database, start: _dt.date, end: _dt.date) -> dict[str, str]:
    """The public holidays in the window, and the customary days the file sets as days off, by name."""
    codes = file_days_off(db)
    found = {}
    for day in (start + _dt.timedelta(days=n) for n in range((end - start).days + 1)):
        custom = customary_day(day)
        name = public_holiday_name(day) or (custom.name if custom is not None and custom.code in codes else None)
        if name is not None:
            found[day.isoformat()] = name
    return found


def agenda_items(db: Database, today: _dt.date, start: _dt.date, end: _dt.date, *, citizen_id: int | None = None,
                 company_id: int | None = None, kinds: set[str] | None = None) -> tuple[dict[str, Any], Iterator[Item]]:
    """The whole agenda (``--json``) as its head ``{today, from, to}`` and every item, overdue first,
    worded a group at a time (memory holds one group's items)."""
    ctx = Context(db, today, start, end, citizen_id=citizen_id, company_id=company_id,
                  kinds=frozenset(kinds or KINDS))
    began = _begin_snapshot(db)
    _collect_kinds(ctx)
    return _head(db, today, start, end), _until_done(db, began, ctx.groups.items())


def agenda(db: Database, today: _dt.date, start: _dt.date, end: _dt.date, *, citizen_id: int | None = None,
           company_id: int | None = None, kinds: set[str] | None = None) -> dict[str, Any]:
    """The whole agenda: ``{today, from, to, items: [...]}``, overdue first."""
    head, items = agenda_items(db, today, start, end, citizen_id=citizen_id, company_id=company_id, kinds=kinds)
    return {**head, "items": list(items)}


def agenda_lines(db: Database, today: _dt.date, start: _dt.date, end: _dt.date, *, limit: int, names: int | None,
                 citizen_id: int | None = None, company_id: int | None = None,
                 kinds: set[str] | None = None) -> dict[str, Any]:
    """The agenda as the table shows it: ``{today, from, to, groups: [{key, lines, total_lines,
    total_items}]}``, at most ``limit`` lines a group and ``names`` bookings named on a company's line;
    each line ``{kind, items, count}`` (count: the bookings or days it stands for)."""
    ctx = Context(db, today, start, end, citizen_id=citizen_id, company_id=company_id,
                  kinds=frozenset(kinds or KINDS), limit=limit, names=names)
    began = _begin_snapshot(db)
    try:
        return {**_head(db, today, start, end), "groups": collect(ctx)}
    finally:
        _end_snapshot(db, began)


# The agenda reads one state of the file, in one read transaction: another window's change between
# two of its queries would make a line's count and its names disagree. It writes nothing of the file.
def _begin_snapshot(db: Database) -> bool:
    if db.conn.in_transaction:
        return False
    db.execute("BEGIN")
    return True


def _end_snapshot(db: Database, began: bool) -> None:
    if began and db.conn.in_transaction:
        db.execute("ROLLBACK")  # only temporary stand-ins for stale summaries were written


def _until_done(db: Database, began: bool, items: Iterator[Item]) -> Iterator[Item]:
    try:
        yield from items
    finally:
        _end_snapshot(db, began)
