"""The agenda's placements: those ending soon, and practice reaching its legal limit in weeks."""

from __future__ import annotations

import datetime as _dt
from typing import Any, NamedTuple

from fleksrun.i18n import t
from fleksrun.services.agenda import sql
from fleksrun.services.agenda.context import Context
from fleksrun.services.agenda.lines import json_ids, line_key, new_item

ENDING_WITHIN_DAYS = 14


class Found(NamedTuple):
    placement_id: int
    date: _dt.date       # the day the line is shown on
    kind: str
    when: _dt.date       # the day it ends, or reaches the limit
    params: dict[str, Any]


def collect(ctx: Context) -> None:
    """Placements ending soon and practice reaching its limit in weeks soon: every placement that
    may have a line, with only what decides whether it has one, then the names of those few."""
    horizon = ctx.end + _dt.timedelta(days=ENDING_WITHIN_DAYS)
    today, start, horizon_s = ctx.today.isoformat(), ctx.start.isoformat(), horizon.isoformat()
    found: list[Found] = []
    for placement_id, kind, end_s, limit_weeks, limit_s in ctx.db.execute(sql.PLACEMENTS_DUE,
                                                                         ctx.binds(horizon=horizon_s)):
        # A line from two weeks ahead until the day itself: shown where that overlaps the window.
        if ctx.wants("placement_ending") and end_s is not None and max(today, start) <= end_s <= horizon_s:
            end = _dt.date.fromisoformat(end_s)
            found.append(Found(placement_id, _shown_on(ctx, end), "placement_ending", end, {"end": end}))
        # Practice reaching its limit while it still runs (not after it ended).
        if (ctx.wants("practice_limit") and kind == "practice" and limit_s is not None
                and (end_s is None or end_s >= limit_s) and max(today, start) <= limit_s <= horizon_s):
            limit = _dt.date.fromisoformat(limit_s)
            found.append(Found(placement_id, _shown_on(ctx, limit), "practice_limit", limit,
                               {"weeks": limit_weeks, "limit": limit}))
    who = {row[0]: row[1:] for row in ctx.db.execute(sql.PLACEMENT_PEOPLE,
                                                     {"ids": json_ids(f.placement_id for f in found)})}
    # Equal keys (one citizen, two placements at one company) go by the day they end or reach the
    # limit, then by placement.
    keyed = []
    for f in found:
        if f.placement_id in who:
            citizen_id, name, _program, company = who[f.placement_id]
            key = line_key(f.kind, f.date.isoformat(), company=company, citizen=name, citizen_id=citizen_id)
            keyed.append((key, f.when, f.placement_id, f))
    for key, _when, _id, f in sorted(keyed, key=lambda entry: entry[:3]):
        if ctx.groups.wanted(f.date.isoformat(), f.kind):
            citizen_id, name, program, company = who[f.placement_id]
            text = t(f"due.{f.kind}", citizen=ctx.who(name, citizen_id), company=company, **f.params)
            ctx.groups.add(f.date.isoformat(), f.kind, key,
                           [new_item(f.date, f.kind, citizen_id, name, program, text, company=company)])
        else:
            ctx.groups.count(f.date.isoformat())


def _shown_on(ctx: Context, day: _dt.date) -> _dt.date:
    """A placement's line shows two weeks ahead of its day, but never before the window or today."""
    return max(day - _dt.timedelta(days=ENDING_WITHIN_DAYS), ctx.start, ctx.today)
