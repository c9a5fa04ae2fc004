"""Pure helpers for placements and plans: plain parametrized cases, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksrun.domain.calendar import plan_days
from fleksrun.domain.placements import (
    add_week_hours, check_day_hours, day_state, extensions_needed, next_monday, week_monday, weeks_view,
)
from fleksrun.errors import InputError

D = dt.date


@pytest.mark.parametrize(("day", "monday"), [
    (D(2026, 3, 31), D(2026, 3, 30)),
    (D(2021, 1, 3), D(2020, 12, 28)),   # a Sunday in ISO week 53 of 2020
    (D(2020, 12, 31), D(2020, 12, 28)),
    (D(2025, 1, 1), D(2024, 12, 30)),   # ISO week 1 of 2025 starts in 2024
    (D(2024, 2, 29), D(2024, 2, 26)),   # leap day
    (D(2026, 3, 30), D(2026, 3, 30)),
])
def test_week_monday(day, monday):
    assert week_monday(day) == monday
    assert next_monday(day) == monday + dt.timedelta(weeks=1)


@pytest.mark.parametrize(("start", "end", "needed"), [
    (D(2026, 3, 31), D(2026, 6, 25), 0),   # 13 ISO weeks
    (D(2026, 3, 31), D(2026, 7, 2), 1),    # 14 weeks: one extension (to 26)
    (D(2026, 3, 31), D(2026, 9, 24), 1),   # 26 weeks
    (D(2026, 3, 31), D(2026, 10, 1), 2),   # 27 weeks: a further 13
    (D(2026, 3, 31), D(2027, 3, 25), 3),   # 52 weeks
    (D(2019, 1, 1), D(2019, 12, 31), 0),   # before the rule table: no limit known
])
def test_extensions_needed(start, end, needed):
    assert extensions_needed(start, end) == needed


@pytest.mark.parametrize("hours", [0, 0.5, 24])
def test_day_hours_within_0_and_24(hours):
    assert check_day_hours(hours) == float(hours)


@pytest.mark.parametrize("hours", [-0.1, 24.01, 25])
def test_day_hours_outside_0_and_24(hours):
    with pytest.raises(InputError):
        check_day_hours(hours)


@pytest.mark.parametrize(("status", "date", "state"), [
    ("planned", "2026-03-29", "missing"),
    ("planned", "2026-03-30", "booked"),   # today is not missing yet
    ("planned", "2026-04-01", "booked"),
    ("attended", "2026-03-01", "attended"),
    ("absent", "2026-03-01", "absent"),
    ("cancelled", "2026-03-01", "cancelled"),
])
def test_day_state(status, date, state):
    assert day_state({"status": status, "date": date}, D(2026, 3, 30)) == state


def test_week_hours_add_per_iso_week_across_the_year_end():
    totals = add_week_hours({D(2020, 12, 28): 30.0}, [(D(2021, 1, 1), 8), (D(2021, 1, 4), 8), (D(2021, 1, 5), None)])
    assert totals == {D(2020, 12, 28): 38.0, D(2021, 1, 4): 8.0}


def test_weeks_view_groups_by_iso_week_53():
    days = [{"date": "2021-01-04", "status": "planned"}, {"date": "2020-12-31", "status": "attended"},
            {"date": "2021-01-01", "status": "planned"}]
    view = weeks_view(days, D(2021, 1, 2))
    assert [(w["year"], w["week"], [d["state"] for d in w["days"]]) for w in view] == [
        (2020, 53, ["attended", "missing"]), (2021, 1, ["booked"])]


@pytest.mark.parametrize(("easter_monday", "tuesday_after"), [
    (D(2024, 4, 1), D(2024, 4, 2)),
    (D(2025, 4, 21), D(2025, 4, 22)),
    (D(2026, 4, 6), D(2026, 4, 7)),
    (D(2027, 3, 29), D(2027, 3, 30)),
    (D(2035, 3, 26), D(2035, 3, 27)),
])
def test_monday_track_shifts_easter_monday_to_tuesday_whatever_the_year(easter_monday, tuesday_after):
    plan = plan_days(easter_monday - dt.timedelta(weeks=1), (0,), weeks=3, policy="shift")
    assert easter_monday not in plan.booked and tuesday_after in plan.booked
    assert len(plan.booked) == 3
    assert [(m.name, m.outcome) for m in plan.met] == [("Anden påskedag", "shifted")]


@pytest.mark.parametrize("start", [D(2026, 12, 21), D(2020, 12, 21)])  # 2020 runs through ISO week 53
def test_thu_fri_track_across_the_year_end(start):
    # 24 and 31 Dec are no public holidays (companies add them as closing days); 25 Dec and 1 Jan are.
    plan = plan_days(start, (3, 4), weeks=3)
    year = start.year
    assert plan.booked == [D(year, 12, 24), D(year, 12, 31), D(year + 1, 1, 7), D(year + 1, 1, 8)]
    assert [(m.date, m.name) for m in plan.met] == [(D(year, 12, 25), "Juledag"), (D(year + 1, 1, 1), "Nytårsdag")]


def test_leap_day_track_books_29_february():
    plan = plan_days(D(2028, 2, 28), (1,), count=1)
    assert plan.booked == [D(2028, 2, 29)]
