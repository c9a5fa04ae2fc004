"""The one date parser: every accepted form, and the edges where dates go wrong."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

import fleksrun
from fleksrun.domain.dates import (
    iso_week_monday,
    month_bounds,
    parse_date,
    parse_month,
    parse_week,
    parse_weekdays,
)
from fleksrun.errors import InputError
from fleksrun.i18n import t

TODAY = date(2026, 3, 31)  # a Tuesday, in ISO week 14
D = date


# -- parse_date: accepted forms ----------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        # ISO
        ("2026-03-31", D(2026, 3, 31)),
        ("2026-3-1", D(2026, 3, 1)),
        ("2027-01-15", D(2027, 1, 15)),
        # Danish day first, with and without year
        ("31-03-2026", D(2026, 3, 31)),
        ("31.3.2026", D(2026, 3, 31)),
        ("31.03.2026.", D(2026, 3, 31)),
        ("31/3/2026", D(2026, 3, 31)),
        ("1/1", D(2026, 1, 1)),
        ("31/3", D(2026, 3, 31)),
        ("31.3", D(2026, 3, 31)),
        ("5-4", D(2026, 4, 5)),
        ("31-03-26", D(2026, 3, 31)),
        ("1.1.27", D(2027, 1, 1)),
        # day first, always: never 4 March
        ("03/04/2026", D(2026, 4, 3)),
        ("03.04.2026", D(2026, 4, 3)),
        # day and month name
        ("31. marts 2026", D(2026, 3, 31)),
        ("5 maj", D(2026, 5, 5)),
        ("5 May 2027", D(2027, 5, 5)),
        ("1. okt.", D(2026, 10, 1)),
        # surrounding space and case
        ("  31-03-2026  ", D(2026, 3, 31)),
        # full-width digits (NFKC) still mean digits
        ("０３/０４/２０２６", D(2026, 4, 3)),
    ],
)
def test_parse_date_calendar_forms(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", D(2026, 3, 31)),
        ("Today", D(2026, 3, 31)),
        ("i dag", D(2026, 3, 31)),
        ("idag", D(2026, 3, 31)),
        ("I  DAG", D(2026, 3, 31)),
        ("tomorrow", D(2026, 4, 1)),
        (" Tomorrow ", D(2026, 4, 1)),
        ("i morgen", D(2026, 4, 1)),
        ("imorgen", D(2026, 4, 1)),
        ("yesterday", D(2026, 3, 30)),
        ("i går", D(2026, 3, 30)),
        ("igår", D(2026, 3, 30)),
        ("I GÅR", D(2026, 3, 30)),
        ("i ga\u030ar", D(2026, 3, 30)),  # "å" typed as a + combining ring
        ("i gaar", D(2026, 3, 30)),
        ("i overmorgen", D(2026, 4, 2)),
        ("i forgårs", D(2026, 3, 29)),
    ],
)
def test_parse_date_relative_words(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text, today, expected",
    [
        ("+3d", TODAY, D(2026, 4, 3)),
        ("+ 3 d", TODAY, D(2026, 4, 3)),
        ("+0d", TODAY, TODAY),
        ("-1d", TODAY, D(2026, 3, 30)),
        ("-1w", TODAY, D(2026, 3, 24)),
        ("+2w", TODAY, D(2026, 4, 14)),
        ("+2u", TODAY, D(2026, 4, 14)),
        ("+2U", TODAY, D(2026, 4, 14)),
        ("+1m", TODAY, D(2026, 4, 30)),  # 31 March + 1 month: April has 30 days
        ("-1m", TODAY, D(2026, 2, 28)),
        # year ends
        ("+1d", D(2026, 12, 31), D(2027, 1, 1)),
        ("tomorrow", D(2026, 12, 31), D(2027, 1, 1)),
        ("-1d", D(2027, 1, 1), D(2026, 12, 31)),
        ("+1w", D(2026, 12, 28), D(2027, 1, 4)),
        ("+1m", D(2026, 12, 15), D(2027, 1, 15)),
        ("-1m", D(2027, 1, 15), D(2026, 12, 15)),
        # month ends clamp; leap years respected
        ("+1m", D(2026, 1, 31), D(2026, 2, 28)),
        ("+1m", D(2028, 1, 31), D(2028, 2, 29)),
        ("+12m", D(2028, 2, 29), D(2029, 2, 28)),
        ("+1m", D(2026, 2, 28), D(2026, 3, 28)),
        ("+13m", D(2026, 1, 31), D(2027, 2, 28)),
    ],
)
def test_parse_date_offsets(text, today, expected):
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    "text, expected",  # today is Tuesday 31-03-2026
    [
        ("wed", D(2026, 4, 1)),
        ("ons", D(2026, 4, 1)),
        ("thursday", D(2026, 4, 2)),
        ("tor", D(2026, 4, 2)),
        ("Fredag", D(2026, 4, 3)),
        ("sat", D(2026, 4, 4)),
        ("lør", D(2026, 4, 4)),
        ("lørdag", D(2026, 4, 4)),
        ("LØRDAG", D(2026, 4, 4)),
        ("lordag", D(2026, 4, 4)),
        ("søn", D(2026, 4, 5)),
        ("søndag", D(2026, 4, 5)),
        ("sunday", D(2026, 4, 5)),
        ("mon", D(2026, 4, 6)),
        ("mandag", D(2026, 4, 6)),
        # today's own weekday means next week
        ("tue", D(2026, 4, 7)),
        ("tir", D(2026, 4, 7)),
        ("tirsdag", D(2026, 4, 7)),
    ],
)
def test_parse_date_weekday_is_next_strictly_after_today(text, expected):
    assert parse_date(text, TODAY) == expected


WEEKDAY_NAMES = [
    ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    ("man", "tir", "ons", "tor", "fre", "lør", "søn"),
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
]


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("names", WEEKDAY_NAMES, ids=lambda names: names[0])
def test_weekday_word_on_that_weekday_is_a_week_later(weekday, names):
    today = D(2026, 3, 30) + timedelta(days=weekday)  # Mon 30-03 … Sun 05-04
    assert today.weekday() == weekday
    assert parse_date(names[weekday], today) == today + timedelta(days=7)


@pytest.mark.parametrize(
    "text, today, expected",
    [
        ("2026-W14", TODAY, D(2026, 3, 30)),
        ("2026w14", TODAY, D(2026, 3, 30)),
        ("2026 W14", TODAY, D(2026, 3, 30)),
        ("uge 14", TODAY, D(2026, 3, 30)),
        ("Uge 14", TODAY, D(2026, 3, 30)),
        ("uge14", TODAY, D(2026, 3, 30)),
        ("week 14", TODAY, D(2026, 3, 30)),
        ("w14", TODAY, D(2026, 3, 30)),
        ("uge 14 2027", TODAY, D(2027, 4, 5)),
        ("uge 14-2027", TODAY, D(2027, 4, 5)),
        ("week 14, 2027", TODAY, D(2027, 4, 5)),
        ("uge 1 2026", TODAY, D(2025, 12, 29)),  # week 1 can start in December
        ("2026-W53", TODAY, D(2026, 12, 28)),  # 2026 is a long ISO year
        ("2020-W53", TODAY, D(2020, 12, 28)),
        # a week without a year is the nearest of that number: 1 January 2027 is in 2026-W53
        ("uge 53", D(2027, 1, 1), D(2026, 12, 28)),
        ("uge 2", D(2027, 1, 1), D(2027, 1, 11)),  # not 2026-W02, a year back
        ("uge 2", D(2027, 1, 4), D(2027, 1, 11)),
        ("uge 2", D(2026, 12, 28), D(2027, 1, 11)),
        ("uge 52", D(2027, 1, 4), D(2026, 12, 21)),  # not 2027-W52, a year ahead
        ("uge 30", D(2026, 6, 15), D(2026, 7, 20)),
    ],
)
def test_parse_date_iso_week_gives_its_monday(text, today, expected):
    assert parse_date(text, today) == expected


def test_leap_day_exists_only_in_leap_years():
    assert parse_date("29-02-2028", TODAY) == D(2028, 2, 29)
    assert parse_date("2028-02-29", TODAY) == D(2028, 2, 29)
    with pytest.raises(InputError) as caught:
        parse_date("29-02-2026", TODAY)
    assert caught.value.key == "date.impossible"
    assert caught.value.params["day"] == 29
    assert "February 2026 has no day 29" in str(caught.value)


@pytest.mark.parametrize(
    "text, day, month_words, last",
    [
        ("31-02-2026", 31, "February 2026", "28-02-2026"),
        ("29-02-2025", 29, "February 2025", "28-02-2025"),
        ("2026-04-31", 31, "April 2026", "30-04-2026"),
        ("31/6", 31, "June 2026", "30-06-2026"),
        ("31. november 2026", 31, "November 2026", "30-11-2026"),
    ],
)
def test_impossible_dates_name_day_and_month(text, day, month_words, last):
    with pytest.raises(InputError) as caught:
        parse_date(text, TODAY)
    assert caught.value.key == "date.impossible"
    message = str(caught.value)
    assert f"{month_words} has no day {day}" in message
    assert message.endswith(f"for example {last}.")  # the month's real last day
    assert text.lower() in message


@pytest.mark.parametrize(
    "text",
    [
        "next tuesdy",
        "2026-13-01",
        "32-01-2026",
        "00-01-2026",
        "31-00-2026",
        "0000-01-01",
        "31-03-202",
        "31-03/2026",  # mixed separators
        "2026-03",
        "tuesdy",
        "+3",
        "3d",
        "+3x",
        "-999999d",  # before year 1
        "+99999m",  # after year 9999
        "uge",
        "31 foo",
        "marts",
    ],
)
def test_unreadable_dates_raise_date_invalid(text):
    with pytest.raises(InputError) as caught:
        parse_date(text, TODAY)
    assert caught.value.key == "date.invalid"
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_date_says_none_was_given(text):
    with pytest.raises(InputError) as caught:
        parse_date(text, TODAY)
    assert caught.value.key == "date.missing"


@pytest.mark.parametrize(
    "text, year, last",
    [("uge 54", 2026, 53), ("2025-W53", 2025, 52), ("uge 53 2025", 2025, 52), ("uge 0", 2026, 53)],
)
def test_week_outside_the_year_is_refused(text, year, last):
    with pytest.raises(InputError) as caught:
        parse_date(text, TODAY)
    assert caught.value.key == "week.impossible"
    assert caught.value.params["year"] == year
    assert caught.value.params["last"] == last
    assert f"from 1 to {last}" in str(caught.value)


def test_next_tuesdy_message_is_one_plain_sentence_with_examples():
    with pytest.raises(InputError) as caught:
        parse_date("next tuesdy", TODAY)
    message = str(caught.value)
    assert message.startswith("Could not read 'next tuesdy' as a date")
    assert "31-03-2026" in message and "tomorrow" in message and "uge 14" in message
    assert message.endswith(".") and message.count(".") == 1
    for noise in ("Traceback", "Error", "Exception", "{", "date.invalid", "\n"):
        assert noise not in message


# -- parse_week ---------------------------------------------------------------------------------

WEEK_14 = (D(2026, 3, 30), D(2026, 4, 5))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-W14", WEEK_14),
        ("uge 14", WEEK_14),
        ("week 14", WEEK_14),
        ("14", WEEK_14),
        (" 14 ", WEEK_14),
        ("uge 14 2026", WEEK_14),
        ("31-03-2026", WEEK_14),
        ("30-03-2026", WEEK_14),  # its Monday
        ("2026-04-05", WEEK_14),  # its Sunday
        ("tomorrow", WEEK_14),
        ("fre", WEEK_14),
        ("+1w", (D(2026, 4, 6), D(2026, 4, 12))),
        ("uge 14 2027", (D(2027, 4, 5), D(2027, 4, 11))),
        ("2026-W53", (D(2026, 12, 28), D(2027, 1, 3))),
        ("53", (D(2026, 12, 28), D(2027, 1, 3))),
        ("1-1-2027", (D(2026, 12, 28), D(2027, 1, 3))),
        ("uge 1", (D(2025, 12, 29), D(2026, 1, 4))),
    ],
)
def test_parse_week(text, expected):
    assert parse_week(text, TODAY) == expected


@pytest.mark.parametrize(
    "text, today, monday",
    [
        ("uge 2", D(2026, 12, 28), D(2027, 1, 11)),  # today in 2026-W53: 2027-W02, two weeks on
        ("2", D(2026, 12, 28), D(2027, 1, 11)),
        ("uge 52", D(2027, 1, 4), D(2026, 12, 21)),  # today in 2027-W01: 2026-W52, two weeks back
        ("52", D(2027, 1, 4), D(2026, 12, 21)),
        ("uge 30", D(2026, 6, 15), D(2026, 7, 20)),
        ("uge 1", D(2026, 12, 28), D(2027, 1, 4)),
        ("uge 53", D(2027, 1, 4), D(2026, 12, 28)),  # last week, not an impossible 2027-W53
        ("uge 53", D(2027, 6, 1), D(2026, 12, 28)),  # the nearest week 53 there is
        ("uge 53", D(2026, 3, 31), D(2026, 12, 28)),
        ("uge 14", D(2026, 3, 31), D(2026, 3, 30)),  # this week
        ("uge 1", D(2025, 12, 29), D(2025, 12, 29)),  # 2026-W01 starts in December
    ],
)
def test_a_week_without_a_year_is_the_nearest_of_that_number(text, today, monday):
    assert parse_week(text, today) == (monday, monday + timedelta(days=6))
    assert parse_date(text if not text.isdigit() else f"uge {text}", today) == monday


def test_a_week_halfway_between_two_is_the_later():
    # 2025-W01 and 2026-W01 start 52 weeks apart: from 2025-W27, week 1 is 26 weeks either way.
    today = D(2025, 6, 30)
    assert today.isocalendar()[:2] == (2025, 27)
    assert parse_week("uge 1", today)[0] == D(2025, 12, 29)


def test_every_bare_week_is_within_half_a_year():
    day = D(2025, 11, 3)
    while day < D(2028, 2, 1):
        for week in range(1, 53):
            monday = parse_week(str(week), day)[0]
            assert monday.isocalendar().week == week
            assert abs((monday - (day - timedelta(days=day.weekday()))).days) <= 26 * 7, (day, week)
        day += timedelta(days=5)


def test_bare_week_53_in_a_short_year_is_refused():
    with pytest.raises(InputError) as caught:
        parse_week("53", D(2025, 6, 1))
    assert caught.value.key == "week.impossible"
    assert caught.value.params == {"week": 53, "year": 2025, "last": 52}


@pytest.mark.parametrize("text", ["", "next week-ish", "uge fjorten", "2026", "100"])
def test_unreadable_week_shows_week_forms(text):
    with pytest.raises(InputError) as caught:
        parse_week(text, TODAY)
    assert caught.value.key == "week.invalid"
    assert "uge 14" in str(caught.value)


def test_parse_week_keeps_the_specific_date_error():
    with pytest.raises(InputError) as caught:
        parse_week("31-02-2026", TODAY)
    assert caught.value.key == "date.impossible"


# -- parse_month and month_bounds ---------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-04", "2026-04"),
        ("2026-4", "2026-04"),
        ("04-2026", "2026-04"),
        ("4/2026", "2026-04"),
        ("4.2026", "2026-04"),
        ("april 2026", "2026-04"),
        ("April 2026", "2026-04"),
        ("apr 2026", "2026-04"),
        ("apr. 2026", "2026-04"),
        ("maj 2026", "2026-05"),
        ("okt 2026", "2026-10"),
        ("oktober 2027", "2027-10"),
        ("marts 2026", "2026-03"),
        ("december, 2025", "2025-12"),
        ("januar-2027", "2027-01"),
        ("maj", "2026-05"),  # alone: today's year
        (" Dec ", "2026-12"),
        ("sept", "2026-09"),
    ],
)
def test_parse_month(text, expected):
    assert parse_month(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    ["", "2026-13", "13/2026", "0-2026", "2026-00", "april 26", "mayday", "2026", "foo 2026",
     "0000-04", "man"],
)
def test_parse_month_rejects(text):
    with pytest.raises(InputError) as caught:
        parse_month(text, TODAY)
    assert caught.value.key == "month.invalid"
    assert "april 2026" in str(caught.value)


@pytest.mark.parametrize(
    "month, first, last",
    [
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28)),
        ("2028-02", D(2028, 2, 1), D(2028, 2, 29)),
        ("2026-04", D(2026, 4, 1), D(2026, 4, 30)),
        ("2026-12", D(2026, 12, 1), D(2026, 12, 31)),
    ],
)
def test_month_bounds(month, first, last):
    assert month_bounds(month) == (first, last)


@pytest.mark.parametrize("month", ["2026-13", "2026-4", "april", "", "0000-01"])
def test_month_bounds_rejects(month):
    with pytest.raises(InputError) as caught:
        month_bounds(month)
    assert caught.value.key == "month.invalid"


# -- parse_weekdays -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("tue,thu", (1, 3)),
        ("thu,tue", (1, 3)),
        ("tue, thu, tue", (1, 3)),
        ("Tue+Thu", (1, 3)),
        ("tir og tor", (1, 3)),
        ("Tirsdag Torsdag", (1, 3)),
        ("mon-fri", (0, 1, 2, 3, 4)),
        ("man - fre", (0, 1, 2, 3, 4)),
        ("mandag-onsdag, fredag", (0, 1, 2, 4)),
        ("lør,søn", (5, 6)),
        ("sat-sun", (5, 6)),
        ("wed", (2,)),
        ("mon-wed,tue", (0, 1, 2)),
        ("søndag", (6,)),
    ],
)
def test_parse_weekdays(text, expected):
    assert parse_weekdays(text) == expected


@pytest.mark.parametrize("text", ["", ",", "fri-mon", "mon-", "tue,thu,xyz", "1,3", "mon-tue-wed"])
def test_parse_weekdays_rejects(text):
    with pytest.raises(InputError) as caught:
        parse_weekdays(text)
    assert caught.value.key == "weekdays.invalid"
    assert "tue,thu" in str(caught.value)


# -- iso_week_monday ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "year, week, monday",
    [
        (2026, 1, D(2025, 12, 29)),
        (2026, 14, D(2026, 3, 30)),
        (2026, 53, D(2026, 12, 28)),
        (2020, 53, D(2020, 12, 28)),
        (2025, 52, D(2025, 12, 22)),
        (2027, 1, D(2027, 1, 4)),
    ],
)
def test_iso_week_monday(year, week, monday):
    assert iso_week_monday(year, week) == monday
    assert monday.weekday() == 0


@pytest.mark.parametrize("year, week", [(2026, 0), (2026, 54), (2025, 53), (2027, 53), (2026, -1)])
def test_iso_week_monday_rejects_weeks_outside_the_year(year, week):
    with pytest.raises(InputError) as caught:
        iso_week_monday(year, week)
    assert caught.value.key == "week.impossible"


def test_iso_week_monday_rejects_year_zero():
    with pytest.raises(InputError) as caught:
        iso_week_monday(0, 1)
    assert caught.value.key == "week.year"


# -- messages and imports -----------------------------------------------------------------------

CATALOGUE = Path(fleksrun.__file__).parent / "i18n" / "en" / "dates.toml"
SAMPLE = {"text": "next tuesdy", "day": 31, "month": "2026-02", "week": 54, "year": 2025, "first": 1900}


def _keys(table: dict, prefix: str = "") -> list[str]:
    keys: list[str] = []
    for name, value in table.items():
        keys += _keys(value, f"{prefix}{name}.") if isinstance(value, dict) else [prefix + name]
    return keys


@pytest.mark.parametrize("key", _keys(tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))))
def test_every_message_is_one_sentence_with_an_example(key):
    last = D(2026, 2, 28) if key == "date.impossible" else 52
    message = t(key, **SAMPLE, last=last)
    assert message.endswith(".")
    assert ". " not in message and "\n" not in message  # one sentence
    assert any(word in message for word in ("like", "for example", "such as", "DDMMYY"))


@pytest.mark.parametrize(
    "key", ["date.missing", "date.invalid", "date.impossible", "week.invalid", "week.impossible",
            "week.year", "month.invalid", "weekdays.invalid", "cpr.format", "cpr.date", "cpr.future",
            "date.implausible"],
)
def test_every_key_raised_has_a_message(key):
    assert t(key, **SAMPLE, last=D(2026, 2, 28))


def test_importing_dates_does_not_load_dateutil():
    code = "import sys, fleksrun.domain.dates; print('dateutil' in sys.modules)"
    src = str(Path(fleksrun.__file__).parent.parent)
    env = {**os.environ, "PYTHONPATH": src}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    "today, week, first, last",
    [
        ("2026-12-28", "uge 2", "2027-01-11", "2027-01-17"),
        ("2027-01-04", "uge 52", "2026-12-21", "2026-12-27"),
        ("2026-06-15", "uge 30", "2026-07-20", "2026-07-26"),
        ("2026-12-28", "2", "2027-01-11", "2027-01-17"),
    ],
)
def test_due_week_without_a_year_is_the_nearest_through_the_cli(cli, today, week, first, last):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    doc = cli.json("--today", today, "due", "--week", week)
    assert (doc["from"], doc["to"]) == (first, last)
    # A start date given as a week without a year reads the same way.
    cli.today = today
    assert cli.json("enroll", "Mette Hansen", "--program", "rampen", "--start", f"uge {week.split()[-1]}")[
        "start"] == first
