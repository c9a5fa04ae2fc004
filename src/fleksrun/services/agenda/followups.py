"""The agenda's follow-ups and after-care check-ins, overdue or due in the window."""

from __future__ import annotations

import datetime as _dt
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
        if ctx.wants(_kind(aftercare)):
            day = None if due < today else due  # the overdue ones are one group
            counts[(day, aftercare)] = counts.get((day, aftercare), 0) + count
    big = {} if ctx.limit is None else {
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


def _kind(aftercare: int) -> str:
    return "aftercare" if aftercare else "followup"


def _lines(ctx: Context, group: str, kind: str, rows: list[Followup], count: int) -> None:
    """A (group, kind)'s first follow-ups as lines, of ``count``."""
    for row in rows:
        overdue = max((ctx.today - _dt.date.fromisoformat(row.due)).days, 0)
        date = ctx.today.isoformat() if overdue else row.due
        key = line_key(kind, date, overdue=overdue, citizen=row.citizen, citizen_id=row.citizen_id)
        ctx.groups.add(group, kind, key, partial(_items, kind, row, date, overdue))
    hidden = count - len(rows)
    ctx.groups.count(group, items=hidden, lines=hidden)


def _items(kind: str, row: Followup, date: str, overdue: int) -> list[dict[str, Any]]:
    """The line's one item, worded only if the line is shown."""
    return [_item(kind, row, date, overdue)]


def _item(kind: str, row: Followup, date: str, overdue: int) -> dict[str, Any]:
    due = _dt.date.fromisoformat(row.due)
    if overdue:
        text = t(f"due.{kind}.overdue", citizen=row.citizen, days=overdue, due=due)
    else:
        text = t(f"due.{kind}.due", citizen=row.citizen, due=due)
    return new_item(date, kind, row.citizen_id, row.citizen, row.program, text, overdue)
