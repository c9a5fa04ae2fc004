"""The agenda's sub-goals (delmål) to review: an open goal whose review date is overdue or in the window."""

from __future__ import annotations

import datetime as _dt

from fleksrun.i18n import t
from fleksrun.services.agenda import sql
from fleksrun.services.agenda.context import Context
from fleksrun.services.agenda.lines import OVERDUE, line_key, new_item

KIND = "goal_review"


def collect(ctx: Context) -> None:
    """One line per goal: how many each day has, then the first of each day by name (a listing: all)."""
    today, start = ctx.today.isoformat(), ctx.start.isoformat()
    counts: dict[str | None, int] = {}
    for review_on, count in ctx.db.execute(sql.GOAL_COUNTS, ctx.binds()):
        # The overdue ones make one group, shown only in a window that holds today.
        if ctx.includes_today if review_on < today else review_on >= start:
            day = None if review_on < today else review_on
            counts[day] = counts.get(day, 0) + count
    for day, count in counts.items():
        query = sql.GOAL_FIRSTS_OVERDUE if day is None else sql.GOAL_FIRSTS_OF_DAY
        rows = ctx.db.execute(query, ctx.binds(day=day)).fetchall()
        for _goal_id, citizen_id, name, program, review_on, text in rows:
            due = _dt.date.fromisoformat(review_on)
            overdue = max((ctx.today - due).days, 0)
            date = today if overdue else review_on
            who = ctx.who(name, citizen_id)
            words = t(f"due.goal_review.{'overdue' if overdue else 'due'}", citizen=who, goal=text, due=due,
                      days=overdue)
            key = line_key(KIND, date, overdue=overdue, citizen=name, citizen_id=citizen_id)
            ctx.groups.add(day or OVERDUE, KIND, key, [new_item(date, KIND, citizen_id, name, program, words, overdue)])
        hidden = count - len(rows)
        ctx.groups.count(day or OVERDUE, items=hidden, lines=hidden)
