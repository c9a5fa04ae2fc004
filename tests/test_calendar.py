"""Planning practice days around Danish public holidays and closing days."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from fleksrun.domain.calendar import (
    MetDay,
    PlannedDay,
    customary_day,
    danish_holidays,
    days_off,
    holiday_name,
    iso_week_days,
    parse_customary,
    plan_days,
    weeks_between,
)
from fleksrun.errors import InputError
from fleksrun.i18n import t

TUE, THU, FRI = 1, 3, 4
START = date(2026, 3, 31)  # Tuesday, ISO week 14


def met_summary(plan):
    return [(m.date, m.name, m.outcome, m.replacement) for m in plan.met]


# -- holidays ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2024, 3, 28), "Skærtorsdag"),
        (date(2025, 4, 17), "Skærtorsdag"),
        (date(2026, 4, 2), "Skærtorsdag"),
        (date(2027, 3, 25), "Skærtorsdag"),
        (date(2026, 4, 3), "Langfredag"),
        (date(2026, 4, 6), "Anden påskedag"),
        (date(2026, 5, 14), "Kristi himmelfartsdag"),
        (date(2026, 5, 25), "Anden pinsedag"),
        (date(2023, 5, 5), "Store bededag"),
        (date(2026, 12, 25), "Juledag"),
        (date(2026, 12, 26), "Anden juledag"),
        (date(2027, 1, 1), "Nytårsdag"),
    ],
)
def test_holiday_name(day, name):
    assert holiday_name(day) == name


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 3, 27),  # Wednesday before Skærtorsdag 2024
        date(2026, 4, 1),  # Wednesday before Skærtorsdag 2026
        date(2024, 4, 26),  # would have been Store Bededag: abolished from 2024
        date(2025, 5, 16),  # likewise in 2025
        date(2026, 5, 1),  # 1 May: not a public holiday
        date(2026, 6, 5),  # Grundlovsdag: not a public holiday
        date(2026, 12, 24),  # Juleaften
        date(2026, 12, 31),  # Nytårsaften
        date(2026, 5, 15),  # Friday after Ascension: a bridge day, not a holiday
    ],
)
def test_not_a_holiday(day):
    assert holiday_name(day) is None


@pytest.mark.parametrize(("year", "has_store_bededag"), [(2022, True), (2023, True), (2024, False), (2025, False)])
def test_store_bededag_abolished_from_2024(year, has_store_bededag):
    assert ("Store bededag" in danish_holidays(year).values()) is has_store_bededag


def test_danish_holidays_2026_complete():
    assert danish_holidays(2026) == {
        date(2026, 1, 1): "Nytårsdag",
        date(2026, 4, 2): "Skærtorsdag",
        date(2026, 4, 3): "Langfredag",
        date(2026, 4, 5): "Påskedag",
        date(2026, 4, 6): "Anden påskedag",
        date(2026, 5, 14): "Kristi himmelfartsdag",
        date(2026, 5, 24): "Pinsedag",
        date(2026, 5, 25): "Anden pinsedag",
        date(2026, 12, 25): "Juledag",
        date(2026, 12, 26): "Anden juledag",
    }


def test_danish_holidays_returns_a_copy():
    first = danish_holidays(2026)
    first[date(2026, 6, 5)] = "Grundlovsdag"
    assert date(2026, 6, 5) not in danish_holidays(2026)
    assert holiday_name(date(2026, 6, 5)) is None


def test_import_loads_neither_holidays_nor_dateutil():
    src = Path(__file__).resolve().parents[1] / "src"
    code = (
        "import sys, fleksrun.domain.calendar, fleksrun.domain.law; "
        "print(sorted(m for m in ('holidays', 'dateutil') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"


# -- ISO weeks -----------------------------------------------------------------------------------

def test_iso_week_53():
    days = iso_week_days(date(2026, 12, 28))
    assert days == [date(2026, 12, 28) + timedelta(days=i) for i in range(7)]
    assert days[-1] == date(2027, 1, 3)
    assert {d.isocalendar()[:2] for d in days} == {(2026, 53)}


def test_iso_week_days_from_a_mid_week_day():
    assert iso_week_days(date(2026, 4, 2))[0] == date(2026, 3, 30)


@pytest.mark.parametrize(
    ("a", "b", "weeks"),
    [
        (date(2026, 3, 31), date(2026, 3, 31), 1),
        (date(2026, 3, 31), date(2026, 4, 5), 1),  # Sunday of the same week
        (date(2026, 3, 31), date(2026, 4, 6), 2),
        (date(2026, 3, 31), date(2026, 6, 25), 13),
        (date(2026, 3, 31), date(2026, 6, 29), 14),
        (date(2026, 12, 28), date(2027, 1, 3), 1),  # week 53 is one week
        (date(2026, 12, 21), date(2027, 1, 4), 3),
        (date(2026, 4, 6), date(2026, 3, 31), 0),
    ],
)
def test_weeks_between(a, b, weeks):
    assert weeks_between(a, b) == weeks


# -- the known answer: Tue+Thu from 31-03-2026 for 13 weeks --------------------------------------

def test_tue_thu_13_weeks_skip():
    plan = plan_days(START, (TUE, THU), weeks=13)
    assert len(plan.days) == 26
    assert len(plan.booked) == 24
    assert plan.booked[0] == date(2026, 3, 31)
    assert plan.booked[-1] == date(2026, 6, 25)
    assert date(2026, 4, 2) not in plan.booked
    assert date(2026, 5, 14) not in plan.booked
    assert met_summary(plan) == [
        (date(2026, 4, 2), "Skærtorsdag", "skipped", None),
        (date(2026, 5, 14), "Kristi himmelfartsdag", "skipped", None),
    ]
    assert [d for d in plan.days if d.status == "skipped"] == [
        PlannedDay(date(2026, 4, 2), "skipped", "Skærtorsdag"),
        PlannedDay(date(2026, 5, 14), "skipped", "Kristi himmelfartsdag"),
    ]


def test_tue_thu_13_weeks_extend():
    plan = plan_days(START, (TUE, THU), weeks=13, policy="extend")
    assert len(plan.booked) == 26
    assert plan.booked[-2:] == [date(2026, 6, 30), date(2026, 7, 2)]
    assert met_summary(plan) == [
        (date(2026, 4, 2), "Skærtorsdag", "extended", date(2026, 6, 30)),
        (date(2026, 5, 14), "Kristi himmelfartsdag", "extended", date(2026, 7, 2)),
    ]


def test_tue_thu_13_weeks_shift():
    plan = plan_days(START, (TUE, THU), weeks=13, policy="shift")
    assert len(plan.booked) == 26
    # 3 Apr Langfredag, 6 Apr Anden påskedag, 7 Apr already a pattern Tuesday: so Wednesday 8 Apr.
    assert date(2026, 4, 8) in plan.booked
    assert date(2026, 5, 15) in plan.booked
    assert date(2026, 4, 2) not in plan.booked
    assert date(2026, 5, 14) not in plan.booked
    assert [d for d in plan.days if d.status == "shifted"] == [
        PlannedDay(date(2026, 4, 8), "shifted", "Skærtorsdag", original=date(2026, 4, 2)),
        PlannedDay(date(2026, 5, 15), "shifted", "Kristi himmelfartsdag", original=date(2026, 5, 14)),
    ]
    assert met_summary(plan) == [
        (date(2026, 4, 2), "Skærtorsdag", "shifted", date(2026, 4, 8)),
        (date(2026, 5, 14), "Kristi himmelfartsdag", "shifted", date(2026, 5, 15)),
    ]


def test_tue_thu_13_weeks_keep():
    plan = plan_days(START, (TUE, THU), weeks=13, policy="keep")
    assert len(plan.booked) == 26
    assert date(2026, 4, 2) in plan.booked
    assert [(d.date, d.reason) for d in plan.days if d.status == "flagged"] == [
        (date(2026, 4, 2), "Skærtorsdag"),
        (date(2026, 5, 14), "Kristi himmelfartsdag"),
    ]
    assert [m.outcome for m in plan.met] == ["flagged", "flagged"]


def test_weeks_do_not_include_days_before_start_in_the_first_week():
    # Thursday start, Tue+Thu: the Tuesday of the first week is before the start.
    plan = plan_days(date(2026, 4, 9), (TUE, THU), weeks=2)
    assert plan.booked == [date(2026, 4, 9), date(2026, 4, 14), date(2026, 4, 16)]


def test_days_are_in_date_order():
    plan = plan_days(START, (TUE, THU), weeks=13, policy="shift")
    dates = [d.date for d in plan.days]
    assert dates == sorted(dates)


# -- Easter moving, Store Bededag ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("start", "maundy_thursday"),
    [
        (date(2024, 3, 21), date(2024, 3, 28)),
        (date(2025, 4, 10), date(2025, 4, 17)),
        (date(2026, 3, 26), date(2026, 4, 2)),
        (date(2027, 3, 18), date(2027, 3, 25)),
    ],
)
def test_thursday_track_meets_easter(start, maundy_thursday):
    plan = plan_days(start, (THU,), count=3)
    assert plan.booked == [start, maundy_thursday + timedelta(days=7)]
    assert met_summary(plan) == [(maundy_thursday, "Skærtorsdag", "skipped", None)]


def test_friday_track_may_2023_skips_store_bededag():
    plan = plan_days(date(2023, 5, 1), (FRI,), count=3)
    assert plan.booked == [date(2023, 5, 12), date(2023, 5, 19)]
    assert met_summary(plan) == [(date(2023, 5, 5), "Store bededag", "skipped", None)]


def test_friday_track_2024_books_former_store_bededag():
    plan = plan_days(date(2024, 4, 22), (FRI,), count=2)
    assert plan.booked == [date(2024, 4, 26), date(2024, 5, 3)]
    assert plan.met == []


# -- year end, week 53, leap day -----------------------------------------------------------------

def test_year_end_skip():
    # 2025: 24 Dec Wed, 25 Thu, 26 Fri, 31 Wed, 1 Jan 2026 Thu, 2 Jan Fri.
    plan = plan_days(date(2025, 12, 22), (2, 3, 4), weeks=2)
    assert plan.booked == [date(2025, 12, 24), date(2025, 12, 31), date(2026, 1, 2)]
    assert met_summary(plan) == [
        (date(2025, 12, 25), "Juledag", "skipped", None),
        (date(2025, 12, 26), "Anden juledag", "skipped", None),
        (date(2026, 1, 1), "Nytårsdag", "skipped", None),
    ]


def test_year_end_with_closing_days():
    closed = {date(2025, 12, 24): "Juleaften", date(2025, 12, 31): "Nytårsaften"}
    plan = plan_days(date(2025, 12, 22), (2, 3, 4), weeks=2, closed=closed)
    assert plan.booked == [date(2026, 1, 2)]
    assert [(m.date, m.name) for m in plan.met] == [
        (date(2025, 12, 24), "Juleaften"),
        (date(2025, 12, 25), "Juledag"),
        (date(2025, 12, 26), "Anden juledag"),
        (date(2025, 12, 31), "Nytårsaften"),
        (date(2026, 1, 1), "Nytårsdag"),
    ]


def test_year_end_shift_crosses_the_weekend():
    # Wed+Thu: Thursday 25 Dec → 26 Dec holiday, weekend → Monday 29 Dec.
    # Thursday 1 Jan → Friday 2 Jan.
    plan = plan_days(date(2025, 12, 24), (2, 3), count=4, policy="shift")
    assert plan.booked == [date(2025, 12, 24), date(2025, 12, 29), date(2025, 12, 31), date(2026, 1, 2)]
    assert met_summary(plan) == [
        (date(2025, 12, 25), "Juledag", "shifted", date(2025, 12, 29)),
        (date(2026, 1, 1), "Nytårsdag", "shifted", date(2026, 1, 2)),
    ]


def test_week_53_track():
    plan = plan_days(date(2026, 12, 28), (0, 1, 2, 3, 4), weeks=1)
    assert plan.booked == [date(2026, 12, 28), date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]
    assert met_summary(plan) == [(date(2027, 1, 1), "Nytårsdag", "skipped", None)]


def test_weeks_count_across_week_53():
    plan = plan_days(date(2026, 12, 21), (0,), weeks=3)
    assert plan.booked == [date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4)]


def test_leap_day_is_booked():
    plan = plan_days(date(2028, 2, 22), (TUE,), count=3)
    assert plan.booked == [date(2028, 2, 22), date(2028, 2, 29), date(2028, 3, 7)]


# -- closing days, count, until ------------------------------------------------------------------

def test_closing_day_skipped_with_its_reason():
    closed = {date(2026, 6, 5): "Grundlovsdag"}
    plan = plan_days(date(2026, 5, 29), (FRI,), count=3, closed=closed)
    assert plan.booked == [date(2026, 5, 29), date(2026, 6, 12)]
    assert plan.days[1] == PlannedDay(date(2026, 6, 5), "skipped", "Grundlovsdag")


def test_closing_day_extend_keeps_the_count():
    closed = {date(2026, 6, 5): "Grundlovsdag"}
    plan = plan_days(date(2026, 5, 29), (FRI,), count=3, closed=closed, policy="extend")
    assert plan.booked == [date(2026, 5, 29), date(2026, 6, 12), date(2026, 6, 19)]


@pytest.mark.parametrize(
    ("count", "booked"),
    [
        (1, [date(2026, 3, 31)]),
        (2, [date(2026, 3, 31)]),  # the second pattern day is Skærtorsdag
        (5, [date(2026, 3, 31), date(2026, 4, 7), date(2026, 4, 9), date(2026, 4, 14)]),
    ],
)
def test_count_is_pattern_days(count, booked):
    plan = plan_days(START, (TUE, THU), count=count)
    assert len(plan.days) == count
    assert plan.booked == booked


@pytest.mark.parametrize(
    ("until", "booked"),
    [
        (date(2026, 3, 31), [date(2026, 3, 31)]),
        (date(2026, 4, 8), [date(2026, 3, 31), date(2026, 4, 7)]),
        (date(2026, 4, 9), [date(2026, 3, 31), date(2026, 4, 7), date(2026, 4, 9)]),  # included
    ],
)
def test_until_is_inclusive(until, booked):
    assert plan_days(START, (TUE, THU), until=until).booked == booked


def test_until_with_extend_goes_past_the_end_date():
    plan = plan_days(START, (TUE, THU), until=date(2026, 4, 9), policy="extend")
    assert plan.booked == [date(2026, 3, 31), date(2026, 4, 7), date(2026, 4, 9), date(2026, 4, 14)]


def test_extend_skips_an_added_day_that_is_a_holiday():
    # Thursdays from 26 Mar 2026: 2 Apr is Skærtorsdag; the added day 14 May is Ascension, so 21 May.
    plan = plan_days(date(2026, 3, 26), (THU,), count=7, policy="extend")
    assert len(plan.booked) == 7
    assert plan.booked[-2:] == [date(2026, 5, 7), date(2026, 5, 21)]
    assert met_summary(plan) == [
        (date(2026, 4, 2), "Skærtorsdag", "extended", date(2026, 5, 14)),
        (date(2026, 5, 14), "Kristi himmelfartsdag", "extended", date(2026, 5, 21)),
    ]


def test_shift_when_the_rest_of_the_week_is_blocked():
    # Mondays; the whole week of 1 June is closed, and Monday 8 June is a pattern day: Tuesday 9 June.
    closed = {date(2026, 6, 1) + timedelta(days=i): "Sommerlukning" for i in range(5)}
    plan = plan_days(date(2026, 6, 1), (0,), count=2, policy="shift", closed=closed)
    assert plan.booked == [date(2026, 6, 8), date(2026, 6, 9)]
    assert met_summary(plan) == [(date(2026, 6, 1), "Sommerlukning", "shifted", date(2026, 6, 9))]


def test_shift_does_not_reuse_a_day_already_taken():
    # Tue+Wed with Tue and Wed both closed: Tue → Thu, Wed → Fri.
    closed = {date(2026, 6, 9): "Lukket", date(2026, 6, 10): "Lukket"}
    plan = plan_days(date(2026, 6, 9), (1, 2), count=2, policy="shift", closed=closed)
    assert plan.booked == [date(2026, 6, 11), date(2026, 6, 12)]


def test_holiday_name_wins_over_closing_reason():
    plan = plan_days(START, (THU,), count=1, closed={date(2026, 4, 2): "Lukket"})
    assert plan.met == [MetDay(date(2026, 4, 2), "Skærtorsdag", "skipped", None)]


def test_met_messages_render():
    plan = plan_days(START, (TUE, THU), weeks=13, policy="shift")
    assert [t(m.key, **m.params) for m in plan.met] == [
        "Skærtorsdag on 02-04-2026: the practice day is moved to 08-04-2026.",
        "Kristi himmelfartsdag on 14-05-2026: the practice day is moved to 15-05-2026.",
    ]


# -- bad input -----------------------------------------------------------------------------------

def test_unknown_policy():
    with pytest.raises(InputError) as caught:
        plan_days(START, (TUE,), weeks=1, policy="later")
    assert caught.value.key == "schedule.policy"
    assert caught.value.params == {"policy": "later"}
    assert str(caught.value) == 'Unknown holiday policy "later": use skip, shift, extend or keep.'


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({}, "schedule.length"),
        ({"weeks": 2, "count": 3}, "schedule.length"),
        ({"weeks": 2, "until": date(2026, 5, 1)}, "schedule.length"),
        ({"weeks": 0}, "schedule.weeks"),
        ({"count": 0}, "schedule.count"),
        ({"until": date(2026, 3, 30)}, "schedule.until"),
    ],
)
def test_bad_length(kwargs, key):
    with pytest.raises(InputError) as caught:
        plan_days(START, (TUE,), **kwargs)
    assert caught.value.key == key
    assert str(caught.value) != key  # the catalogue has a sentence for it


@pytest.mark.parametrize("weekdays", [(), (7,), (-1, 2)])
def test_bad_weekdays(weekdays):
    with pytest.raises(InputError) as caught:
        plan_days(START, weekdays, weeks=1)
    assert caught.value.key == "schedule.weekdays"
    assert str(caught.value).startswith("Weekdays ")


# -- holidays on the dates of the customary days ---------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2022, 6, 5), "Pinsedag"),  # Whit Sunday on Grundlovsdag
        (date(2028, 6, 5), "Anden pinsedag"),  # Whit Monday on Grundlovsdag
        (date(2033, 6, 5), "Pinsedag"),
        (date(2008, 5, 1), "Kristi himmelfartsdag"),  # Ascension on 1 May
        (date(2015, 5, 1), "Store bededag"),  # Store Bededag on 1 May
    ],
)
def test_a_public_holiday_on_a_customary_days_date_is_kept(day, name):
    assert holiday_name(day) == name
    assert danish_holidays(day.year)[day] == name


def test_the_customary_days_are_never_public_holidays():
    for year in range(2000, 2041):
        names = " ".join(danish_holidays(year).values())
        for word in ("Grundlovsdag", "Juleaften", "Nytårsaften", "Arbejdernes kampdag", "1. maj"):
            assert word not in names, (year, word)


def test_public_holidays_2020_to_2035_agree_with_workalendar():
    """A second, independent source: workalendar's Denmark calendar.

    workalendar (17.0) differs from Danish law in two ways, so only the real public holidays are
    compared: it counts Juleaftensdag (24 Dec, a customary day off, not a helligdag) and it still has
    Store Bededag after 2023 (abolished from 2024 by law). Both are taken out of its list here.
    """
    workalendar_europe = pytest.importorskip("workalendar.europe")
    denmark = workalendar_europe.Denmark()
    for year in range(2020, 2036):
        theirs = {day for day, name in denmark.holidays(year)
                  if (day.month, day.day) != (12, 24) and not (name == "Store Bededag" and year >= 2024)}
        ours = set(danish_holidays(year))
        assert ours == theirs, (year, sorted(ours ^ theirs))
        assert len(ours) == (11 if year <= 2023 else 10)


# -- customary days off (Grundlovsdag, 1 May, Juleaftensdag, Nytårsaftensdag) --------------------------

@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("grundlovsdag", ("grundlovsdag",)),
        ("Grundlovsdag,juleaftensdag", ("grundlovsdag", "juleaftensdag")),
        ("1maj", ("1maj",)),
        ("1. maj", ("1maj",)),
        ("forste-maj", ("1maj",)),
        ("første maj", ("1maj",)),
        ("juleaften, nytårsaften", ("juleaftensdag", "nytaarsaftensdag")),
        ("nytaarsaftensdag,grundlovsdag,1maj", ("1maj", "grundlovsdag", "nytaarsaftensdag")),
        ("christmas-eve", ("juleaftensdag",)),
        ("alle", ("1maj", "grundlovsdag", "juleaftensdag", "nytaarsaftensdag")),
        ("none", ()),
        ("ingen", ()),
    ],
)
def test_parse_customary_takes_danish_and_english_words(text, codes):
    assert parse_customary(text) == codes


def test_parse_customary_refuses_an_unknown_day():
    with pytest.raises(InputError) as caught:
        parse_customary("grundlovsdag,sankthans")
    assert caught.value.key == "settings.unknown_day"
    assert "sankthans" in str(caught.value) and "grundlovsdag" in str(caught.value)


def test_customary_day():
    assert customary_day(date(2026, 6, 5)).code == "grundlovsdag"
    assert customary_day(date(2026, 5, 1)).name == "1. maj"
    assert customary_day(date(2026, 6, 4)) is None


def test_days_off_are_the_holidays_plus_the_chosen_customary_days():
    assert days_off(range(2026, 2027)) == danish_holidays(2026)
    off = days_off(range(2026, 2028), {"grundlovsdag", "juleaftensdag"})
    assert off[date(2026, 6, 5)] == "Grundlovsdag" and off[date(2027, 12, 24)] == "Juleaftensdag"
    assert date(2026, 5, 1) not in off and date(2026, 12, 31) not in off
    # A public holiday keeps its own name on a customary day's date.
    assert days_off([2028], {"grundlovsdag"})[date(2028, 6, 5)] == "Anden pinsedag"
    with pytest.raises(KeyError):
        days_off([2026], {"sankthans"})


def test_plan_days_treats_chosen_customary_days_like_holidays():
    # Fri 5 June 2026 (Grundlovsdag) and Fri 1 May 2026.
    free = plan_days(date(2026, 5, 1), (FRI,), count=6)
    assert date(2026, 6, 5) in free.booked and date(2026, 5, 1) in free.booked
    off = plan_days(date(2026, 5, 1), (FRI,), count=6, customary={"grundlovsdag"})
    assert date(2026, 6, 5) not in off.booked and date(2026, 5, 1) in off.booked
    assert met_summary(off) == [(date(2026, 6, 5), "Grundlovsdag", "skipped", None)]
    shifted = plan_days(date(2026, 6, 1), (FRI,), count=1, customary={"grundlovsdag"}, policy="shift")
    assert shifted.booked == [date(2026, 6, 8)]


def test_the_public_holidays_worked_out_from_easter_are_the_packages():
    """``is_public_holiday`` and ``public_holiday_name`` (for readers that should not load the holidays
    package) against the package's Danish public holidays and their names, every day of 1950–2100."""
    from fleksrun.domain.calendar import danish_holidays, is_public_holiday, public_holiday_name

    for year in range(1950, 2101):
        expected = danish_holidays(year)
        day, found = date(year, 1, 1), {}
        while day.year == year:
            if is_public_holiday(day):
                found[day] = public_holiday_name(day)
            else:
                assert public_holiday_name(day) is None
            day += timedelta(days=1)
        assert found == expected, (year, sorted(set(found.items()) ^ set(expected.items())))
