"""Absurd numbers and dates typed by a user give one sentence and exit 2, never a traceback."""

from __future__ import annotations

import pytest

from conftest import file_digest


@pytest.fixture
def booked(cli):
    cli("enroll", "Anna Berg", "--program", "ovebane")
    cli("company", "add", "Bageriet")
    return cli


@pytest.mark.parametrize("args", [
    ("company", "add", "Café", "--employees", "100000000000000000000"),
    ("schedule", "Anna", "--company", "Bageriet", "--start", "mon", "--count", "100000000000", "--days", "tue"),
    ("schedule", "Anna", "--company", "Bageriet", "--start", "mon", "--weeks", "100000000", "--days", "tue"),
    ("schedule", "Anna", "--company", "Bageriet", "--start", "mon", "--until", "2099-01-01", "--days", "tue"),
    ("attend", "Anna", "--hours", "nan"),
    ("attend", "Anna", "--hours", "inf"),
    ("hours", "Anna", "--month", "2026-03", "--ordinary", "1e300"),
    ("hours", "Anna", "--month", "2026-03", "--ordinary", "-4"),
    ("due", "--days", "100000"),
    ("enroll", "Bo", "--program", "ovebane", "--start", "+99999999d"),
])
def test_absurd_values_exit_2_with_one_short_sentence(booked, args):
    before = file_digest(booked.db)
    result = booked(*args, code=2)
    message = result.stderr.strip()
    assert message and "\n" not in message and "Traceback" not in message
    assert len(message) < 200, message
    assert file_digest(booked.db) == before


@pytest.mark.parametrize("ref", ["²", "١٢", "#", "   "])
def test_odd_citizen_references_are_bad_input(booked, ref):
    result = booked("show", ref, code=2)
    assert "Traceback" not in result.stderr and result.stderr.strip()


def test_a_mistyped_phase_is_named_before_the_date(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-31")  # begins tomorrow
    result = cli("advance", "Mette", "--to", "nowhere", code=2)
    assert "nowhere" in result.stderr


@pytest.mark.parametrize("args, lang, words", [
    (("enroll", "Bo", "--program", "ovebane", "--start", "20-12-9999"), "en",
     "'20-12-9999' is outside the years 1900 to 2199: check the year, for example 31-03-2026."),
    (("enroll", "Bo", "--program", "ovebane", "--start", "01-01-0001"), "da",
     "'01-01-0001' ligger uden for årene 1900 til 2199: tjek årstallet, fx 31-03-2026."),
    (("attend", "Anna", "31-12-1899"), "en", "outside the years 1900 to 2199"),
    (("hours", "Anna", "--month", "9999-12", "--ordinary", "3"), "en", "'9999-12' is outside the years"),
    (("due", "--week", "uge 14 9999"), "en", "'uge 14 9999' is outside the years"),
    (("--today", "2300-01-01", "citizens"), "en", "'2300-01-01' is outside the years"),
    (("--today", "1. januar 1850", "citizens"), "en", "'1. januar 1850' is outside the years"),
])
def test_a_date_far_outside_our_years_is_a_typing_error_and_nothing_is_written(booked, args, lang, words):
    before = file_digest(booked.db)
    result = booked(*args, code=2, env={"FLEKSRUN_LANG": lang})
    assert words in result.stderr
    assert file_digest(booked.db) == before


def test_the_first_and_last_years_are_taken(booked):
    booked("enroll", "Bo", "--program", "ovebane", "--start", "01-01-1900")
    booked("enroll", "Li", "--program", "ovebane", "--start", "31-12-2199")
    for command in ("check", "citizens", "due", "report"):
        booked(command)  # an enrollment at either end breaks no list of the whole caseload
    assert booked("--today", "2199-12-31", "due", "--json").exit_code == 0


def test_the_fast_reading_of_today_keeps_the_same_years_as_the_date_parser():
    from fleksrun.cli.app import _iso_day
    from fleksrun.domain.dates import FIRST_YEAR, LAST_YEAR

    assert _iso_day(f"{FIRST_YEAR}-01-01") and _iso_day(f"{LAST_YEAR}-12-31")
    assert _iso_day(f"{FIRST_YEAR - 1}-12-31") is None and _iso_day(f"{LAST_YEAR + 1}-01-01") is None
