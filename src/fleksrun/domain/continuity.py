"""Continuous practice ("sammenhængende praktik"): how the weeks of a citizen's practice run together.

The one definition, read by the exit rule ``continuous_practice_weeks`` (``domain.rules``) and by the
report's KPI. Weeks are ISO weeks (Monday to Sunday) from a first day. A week with an attended
practice day counts. A week in which a practice placement ran but no day could be attended because
each of its days was a public holiday, a closing day of the company, or recorded as sick keeps the
run going and counts, and so does a single week with no attendance and no such reason. A week with
no practice placement at all, or two such unexplained weeks in a row, breaks the run. A run begins
and ends with an attended week; a week is judged once it is over (the running week only when
attended), so the longest run never shrinks as the days pass.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import NamedTuple


def week_monday(day: _dt.date) -> _dt.date:
    return day - _dt.timedelta(days=day.weekday())


class PracticeSpan(NamedTuple):
    """A practice placement as continuity reads it: its first and last day, the weekdays of its
    pattern (Monday = 0) and its company's closing days."""

    start: _dt.date
    end: _dt.date
    weekdays: frozenset[int]
    closed: frozenset[_dt.date] = frozenset()


# The state of a week of practice.
ATTENDED, EXCUSED, UNEXPLAINED, NO_PLACEMENT = "attended", "excused", "unexplained", "none"


def practice_week_state(monday: _dt.date, attended: set[_dt.date], placements: Iterable[PracticeSpan],
                        sick: frozenset[_dt.date], since: _dt.date) -> str:
    """What a week (its Monday) was for continuous practice; ``attended`` holds the Mondays of weeks
    with an attended practice day."""
    if monday in attended:
        return ATTENDED
    from fleksrun.domain.calendar import is_public_holiday

    days = [(day, span) for span in placements for day in (monday + _dt.timedelta(days=n) for n in range(7))
            if span.start <= day <= span.end and day >= since and day.weekday() in span.weekdays]
    if not days:
        return NO_PLACEMENT
    if all(day in sick or day in span.closed or is_public_holiday(day) for day, span in days):
        return EXCUSED
    return UNEXPLAINED


def practice_run(since: _dt.date, today: _dt.date, practice: Iterable[_dt.date], placements: Iterable[PracticeSpan],
                 sick: frozenset[_dt.date] = frozenset()) -> tuple[int, _dt.date | None, _dt.date | None]:
    """The longest run of continuous practice from ``since`` up to ``today``: (weeks, first Monday,
    last Monday). The one definition, for the exit rule and the report."""
    spans = tuple(placements)
    attended = {week_monday(day) for day in practice if since <= day <= today}
    # The weeks that are not "no placement": attended, or with a placement's day in them.
    weeks = set(attended)
    for span in spans:
        monday = week_monday(max(span.start, since))
        while monday <= min(span.end, today):
            weeks.add(monday)
            monday += _dt.timedelta(days=7)
    best: tuple[int, _dt.date | None, _dt.date | None] = (0, None, None)
    first: _dt.date | None = None
    unexplained = 0
    previous: _dt.date | None = None
    for monday in sorted(weeks):
        if previous is not None and (monday - previous).days > 7:  # a week with no placement between
            first, unexplained = None, 0
        previous = monday
        over = monday + _dt.timedelta(days=6) <= today
        if not over and monday not in attended:
            continue  # the running week is judged once it is over, unless attended
        state = practice_week_state(monday, attended, spans, sick, since)
        if state == ATTENDED:
            first = first or monday
            unexplained = 0
            length = (monday - first).days // 7 + 1
            if length > best[0]:
                best = (length, first, monday)
        elif state == EXCUSED:
            unexplained = 0
        elif state == UNEXPLAINED:
            unexplained += 1
            if unexplained >= 2:
                first = None
        else:  # no placement day in the week after all (its days fell before ``since``)
            first, unexplained = None, 0
    return best
