"""The agenda's follow-ups and after-care check-ins, overdue or due in the window."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from functools import partial
from typing import Any, NamedTuple

from fleksrun.i18n import t
from fleksrun.services.agenda import sql
from fleksrun.services.agenda.context import BIG_LINE, Context
from fleksrun.services.agenda.lines import OVERDUE, line_key, new_item


class Followup(NamedTuple):
    citizen_id: int
    citizen: str
    program: str
    due: str


def collect(ctx: Context) -> None:
    """One line per follow-up: how many each (day, kind) has, from the summaries' index alone; then
    each one's first lines by name, read by SQLite with a limit, or walked in name order for a day
    with many."""
    counts: dict[tuple[str | None, int], int] = {}
    today = ctx.today.isoformat()
    for due, aftercare, count in ctx.db.execute(sql.FOLLOWUP_COUNTS, ctx.binds()):
        # A window shows what falls in it; the overdue ones, one group, only when it holds today.
        if ctx.wants(_kind(aftercare)) and (ctx.includes_today if due < today else due >= ctx.start.isoformat()):
            day = None if due < today else due
            counts[(day, aftercare)] = counts.get((day, aftercare), 0) + count
    if ctx.limit is None:  # a listing: each (day, kind) read while it is written
        for (due, aftercare), count in counts.items():
            ctx.groups.add_stream(due or OVERDUE, partial(_stream, ctx, due, aftercare), count)
        return
    big = {
        bucket: ctx.limit for bucket, n in counts.items() if bucket[0] is not None and n >= BIG_LINE * ctx.limit}
    walked = ctx.walk(sql.FOLLOWUP_WALK, ctx.binds(), big, lambda row: (row[3], row[4]))
    for (due, aftercare), count in counts.items():
        if (due, aftercare) in walked:
            rows = [Followup(*row[:4]) for row in walked[(due, aftercare)]]
        elif due is None:
            rows = [Followup(*row) for row in ctx.db.execute(sql.FOLLOWUP_FIRSTS_OVERDUE,
                                                              ctx.binds(aftercare=aftercare))]
        else:
            rows = [Followup(*row) for row in ctx.db.execute(sql.FOLLOWUP_FIRSTS_OF_DAY,
                                                              ctx.binds(aftercare=aftercare, day=due))]
        _lines(ctx, due or OVERDUE, _kind(aftercare), rows, count)


def _stream(ctx: Context, due: str | None, aftercare: int) -> Iterator[dict[str, Any]]:
    """Every follow-up of a day (None: the overdue ones) of one kind, as items, by name."""
    query = sql.FOLLOWUP_FIRSTS_OVERDUE if due is None else sql.FOLLOWUP_FIRSTS_OF_DAY
    for row in ctx.db.execute(query, ctx.binds(aftercare=aftercare, day=due)):
        yield from _items(ctx, _kind(aftercare), *_placed(ctx, Followup(*row)))


def _placed(ctx: Context, row: Followup) -> tuple[Followup, str, int]:
    """A follow-up with the day its line goes on (today, if overdue) and how overdue it is."""
    overdue = max((ctx.today - _dt.date.fromisoformat(row.due)).days, 0)
    return row, ctx.today.isoformat() if overdue else row.due, overdue


def _kind(aftercare: int) -> str:
    return "aftercare" if aftercare else "followup"


def _lines(ctx: Context, group: str, kind: str, rows: list[Followup], count: int) -> None:
    """A (group, kind)'s first follow-ups as lines, of ``count``."""
    for row in rows:
        _row, date, overdue = _placed(ctx, row)
        key = line_key(kind, date, overdue=overdue, citizen=row.citizen, citizen_id=row.citizen_id)
        ctx.groups.add(group, kind, key, partial(_items, ctx, kind, row, date, overdue))
    hidden = count - len(rows)
    ctx.groups.count(group, items=hidden, lines=hidden)


def _items(ctx: Context, kind: str, row: Followup, date: str, overdue: int) -> list[dict[str, Any]]:
    """The line's one item, worded only if the line is shown."""
    due = _dt.date.fromisoformat(row.due)
    who = ctx.who(row.citizen, row.citizen_id)
    if overdue:
        text = t(f"due.{kind}.overdue", citizen=who, days=overdue, due=due)
    else:
        text = t(f"due.{kind}.due", citizen=who, due=due)
    return [new_item(date, kind, row.citizen_id, row.citizen, row.program, text, overdue)]
