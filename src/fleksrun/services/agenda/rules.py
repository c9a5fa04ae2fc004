"""The agenda's exit rules and hours: who may move on, whose month's ordinary hours are in doubt, and
whose hours are missing. Whether a phase is ready comes from the summaries, which the rule engine
made (``domain.rules.ready_spans``); nothing here knows a rule."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from functools import partial
from typing import Any, NamedTuple

from fleksrun.i18n import t
from fleksrun.services.agenda import sql
from fleksrun.services.agenda.context import Context
from fleksrun.services.agenda.lines import json_ids, line_key, new_item

HOURS_AT_RISK_SHARE = 0.5    # at least half-way to the month's target …
HOURS_AT_RISK_DAYS_LEFT = 10  # … with at most this many days of the month left


class Ready(NamedTuple):
    enrollment_id: int
    citizen_id: int
    citizen: str
    program: str
    program_def: int
    phase: str


class Waiting(NamedTuple):
    """A stay with a monthly ordinary-hours target, not ready, and what the agenda asks of it."""

    citizen_id: int
    citizen: str
    program: str
    phase_entered: str
    target: float
    have: float                # ordinary hours this month so far
    no_figure_last_month: bool
    booked: float | None       # planned hours of this month's ordinary days still to come; None:
                               # nothing foretells the month (a recorded figure, a day without hours)
    smallest_day: float | None  # the fewest hours of one of those days


def collect_ready(ctx: Context) -> None:
    """Citizens whose phase's exit rules are met today, in name order: a screen's worth read, the
    rest counted from the summaries' index."""
    group, kind = ctx.today.isoformat(), "ready_to_advance"
    binds = ctx.binds()
    total = ctx.db.execute(sql.READY_COUNT, binds).fetchone()[0]
    if not total:
        return
    # Walking the names in order meets limit × citizens / ready of them before it has a screen's worth;
    # sorting the ready ones costs about as many steps as there are: the cheaper way is taken.
    if ctx.limit is None:  # a listing: read while it is written
        ctx.groups.add_stream(group, partial(_ready_stream, ctx), total)
        return
    citizens = ctx.db.execute("SELECT COALESCE(MAX(id), 0) FROM citizens").fetchone()[0]
    walk = ctx.limit is not None and ctx.citizen_id is None and total * total > ctx.limit * citizens
    rows = [Ready(*row) for row in ctx.db.execute(sql.READY_WALKED if walk else sql.READY_SORTED, binds)]
    for row in rows:
        ctx.groups.add(group, kind, line_key(kind, group, citizen=row.citizen, citizen_id=row.citizen_id),
                       [_ready_item(ctx, row)])
    if total > len(rows):
        ctx.groups.count(group, items=total - len(rows), lines=total - len(rows))


def _ready_item(ctx: Context, row: Ready) -> dict[str, Any]:
    program = ctx.programs[row.program_def]
    last = program.next_phase(row.phase) is None
    text = t("due.ready_last" if last else "due.ready", citizen=ctx.who(row.citizen, row.citizen_id),
             phase=program.phase(row.phase).title())
    return new_item(ctx.today, "ready_to_advance", row.citizen_id, row.citizen, row.program, text)


def _ready_stream(ctx: Context) -> Iterator[dict[str, Any]]:
    """Everyone ready today, as items, by name."""
    for row in ctx.db.execute(sql.READY_SORTED, ctx.binds()):
        yield _ready_item(ctx, Ready(*row))


def collect_hours(ctx: Context) -> None:
    """Missing hours that block a rule, and hours close to a month's target, for those not ready."""
    group = ctx.today.isoformat()
    found = []
    for row in waiting_on_hours(ctx):
        for kind, message, params in _hours_lines(ctx, row):
            found.append((line_key(kind, group, citizen=row.citizen, citizen_id=row.citizen_id), kind, row,
                          message, params))
    for key, kind, row, message, params in sorted(found, key=lambda line: line[0]):
        ctx.groups.add(group, kind, key, [new_item(ctx.today, kind, row.citizen_id, row.citizen, row.program,
                                                   t(message, **params))])


def waiting_on_hours(ctx: Context) -> list[Waiting]:
    """Every stay with a monthly ordinary-hours target that is not ready today, with its figures,
    in name order."""
    month, last_month = _month(ctx.today), _month(ctx.today.replace(day=1) - _dt.timedelta(days=1))
    stays = ctx.db.execute(sql.WAITING_ON_HOURS, ctx.binds(month=month, last_month=last_month)).fetchall()
    planned = {row[0]: row[1:] for row in ctx.db.execute(sql.ORDINARY_DAYS, {
        "ids": json_ids(stay[1] for stay in stays), "first": f"{month}-01", "last": f"{month}-31"})}
    out = []
    for _id, citizen_id, name, program, entered, target, have, recorded, last_month_seen in stays:
        booked = smallest = None
        days = planned.get(citizen_id)
        # The month's ordinary days foretell it while no recorded figure stands in for them, and each
        # planned one has its hours.
        if not recorded and days is not None and days[0] > 0 and not days[1]:
            booked, smallest = float(days[2]), None if days[3] is None else float(days[3])
        out.append(Waiting(citizen_id, name, program, entered, float(target), float(have or 0.0),
                           not last_month_seen, booked, smallest))
    return out


def _month(day: _dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _days_left(today: _dt.date) -> int:
    """Days of today's month from today on."""
    next_month = (today.replace(day=1) + _dt.timedelta(days=32)).replace(day=1)
    return (next_month - today).days


def _hours_lines(ctx: Context, row: Waiting) -> list[tuple[str, str, dict[str, Any]]]:
    """The lines a citizen waiting on hours has: ``(kind, message, its parameters)``."""
    month = _month(ctx.today)
    out: list[tuple[str, str, dict[str, Any]]] = []
    if ctx.wants("data_missing") and row.phase_entered < f"{month}-01" and row.no_figure_last_month:
        last_month = _month(ctx.today.replace(day=1) - _dt.timedelta(days=1))
        out.append(("data_missing", "due.data_missing", {"citizen": ctx.who(row.citizen, row.citizen_id),
                                                         "month": last_month}))
    if not ctx.wants("hours_at_risk"):
        return out
    days_left = _days_left(ctx.today)
    figures: dict[str, Any] = {"citizen": ctx.who(row.citizen, row.citizen_id), "have": row.have,
                               "target": row.target, "month": month}
    if row.booked is not None:  # the planned days foretell the month: known early, while more can be planned
        if row.have + row.booked < row.target:
            out.append(("hours_at_risk", "due.hours_short_booked",
                        {**figures, "booked": row.booked, "missing": row.target - row.have - row.booked}))
        elif (row.have < row.target and days_left <= HOURS_AT_RISK_DAYS_LEFT and row.smallest_day is not None
              and row.have + row.booked - row.smallest_day < row.target - 1e-9):
            # Reached, but one missed day would undo it: late in the month, that is a risk too.
            out.append(("hours_at_risk", "due.hours_no_spare_day",
                        {**figures, "booked": row.booked, "days": days_left}))
    elif HOURS_AT_RISK_SHARE * row.target <= row.have < row.target and days_left <= HOURS_AT_RISK_DAYS_LEFT:
        out.append(("hours_at_risk", "due.hours_at_risk",
                    {**figures, "missing": row.target - row.have, "days": days_left}))
    return out
