"""hours: monthly figures replace the attended days of their kind; show and the month function agree."""

from __future__ import annotations

import pytest

from conftest import Cli, file_digest
from fleksrun.services.hours import hours_in_month
from fleksrun.store.db import open_db
from fleksrun.store.queries import monthly_hours


@pytest.fixture
def mette(tmp_path):
    cli = Cli(tmp_path / "f.db", today="2026-04-30")
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-31")
    cli("company", "add", "Bageriet")
    cli("schedule", "Mette", "--company", "Bageriet", "--start", "2026-03-31", "--weeks", "13", "--days", "tue,thu",
        "--hours", "4")
    for date in ("2026-03-31", "2026-04-07", "2026-04-09"):
        cli("attend", "Mette", date)
    return cli


def month_from_db(cli, month: str) -> dict:
    db = open_db(cli.db)
    try:
        card_id = cli.json("show", "Mette")["id"]
        return {"function": monthly_hours(db, card_id, month, month)[month], "service": hours_in_month(db, card_id, month)}
    finally:
        db.close()


def test_recorded_hours_and_show_agree_with_the_month_function(mette):
    result = mette("hours", "Mette", "--month", "2026-04", "--ordinary", "28.5", "--practice", "16")
    assert "Recorded the hours of Mette Hansen for April 2026." in result.stdout
    assert "the recorded 16 practice hours replace the 8 hours of attended days" in result.stdout
    assert "Ordinary hours: 28.5; other hours (practice, subsidised, flex job): 16." in result.stdout
    found = month_from_db(mette, "2026-04")
    assert found["function"] == {"ordinary": 28.5, "practice": 16.0, "subsidised": 0.0, "flexjob": 0.0}
    assert (found["service"]["ordinary"], found["service"]["other"]) == (28.5, 16.0)
    card = mette.json("show", "Mette")
    april = next(m for m in card["hours"] if m["month"] == "2026-04")
    assert {k: april[k] for k in ("ordinary", "practice", "subsidised", "flexjob", "other")} == \
        {"ordinary": 28.5, "practice": 16.0, "subsidised": 0.0, "flexjob": 0.0, "other": 16.0}
    assert april["sources"] == {"ordinary": "recorded", "practice": "recorded"}
    shown = mette("show", "Mette").stdout
    assert "April 2026" in shown and "28.5*" in shown and "16*" in shown


def test_attended_days_count_until_a_figure_replaces_them(mette):
    assert month_from_db(mette, "2026-04")["function"]["practice"] == 8.0
    assert month_from_db(mette, "2026-03")["function"]["practice"] == 4.0
    mette("hours", "Mette", "--month", "april", "--practice", "10")
    assert month_from_db(mette, "2026-04")["function"]["practice"] == 10.0  # replaced, never 18
    assert month_from_db(mette, "2026-03")["function"]["practice"] == 4.0  # other months untouched
    mette("hours", "Mette", "--month", "2026-04", "--clear", "practice")
    assert month_from_db(mette, "2026-04")["function"]["practice"] == 8.0


def test_practice_and_subsidised_hours_are_never_ordinary(mette):
    mette("hours", "Mette", "--month", "2026-05", "--practice", "30", "--subsidised", "40", "--flexjob", "12")
    found = month_from_db(mette, "2026-05")["service"]
    assert found["ordinary"] == 0.0 and found["other"] == 82.0


def test_recording_again_replaces_the_figure(mette):
    mette("hours", "Mette", "--month", "2026-04", "--ordinary", "20", "--source", "timesheet")
    doc = mette.json("hours", "Mette", "--month", "2026-04", "--ordinary", "31", "--source", "payslip")
    assert doc["hours"]["ordinary"] == 31.0 and doc["recorded"] == {"ordinary": 31.0}
    db = open_db(mette.db)
    try:
        rows = list(db.query("SELECT hours, source FROM hours WHERE month = '2026-04'"))
    finally:
        db.close()
    assert rows == [{"hours": 31.0, "source": "payslip"}]


def test_without_figures_it_only_shows_the_month(mette):
    before = file_digest(mette.db)
    result = mette("hours", "Mette", "--month", "2026-04")
    assert "Recorded" not in result.stdout and "attended days" in result.stdout
    assert file_digest(mette.db) == before


@pytest.mark.parametrize("args, words", [
    (("--month", "2026-04", "--ordinary", "-1"), "0 to 720"),
    (("--month", "2026-02", "--practice", "700"), "0 to 672"),
    (("--month", "2026-13", "--ordinary", "1"), "2026-13"),
    (("--month", "2026-04", "--ordinary", "1", "--clear", "ordinary"), "not both"),
    (("--month", "2026-04", "--clear", "overtime"), "overtime"),
])
def test_bad_hours_exit_2_and_write_nothing(mette, args, words):
    before = file_digest(mette.db)
    result = mette("hours", "Mette", *args, code=2)
    assert words in result.stderr
    assert file_digest(mette.db) == before


def test_hours_written_with_a_decimal_comma_are_read_as_danes_mean_them(mette):
    recorded = mette.json("hours", "Mette", "--month", "2026-04", "--ordinary", "12,5")
    assert recorded["hours"]["ordinary"] == 12.5
    assert mette.json("attend", "Mette", "2026-04-14", "--hours", "3,75")["hours"] == 3.75
    mette("company", "add", "Kantinen")
    plan = mette.json("schedule", "Mette", "--company", "Kantinen", "--start", "2026-06-01", "--weeks", "1",
                      "--days", "mon", "--hours", "2,5", "--dry-run")
    assert plan["hours_per_day"] == 2.5 and plan["booked"] == 1


@pytest.mark.parametrize("value, lang, words", [
    ("1,5,5", "en", "'1,5,5' is not a number; write e.g. 7.5 or 7,5"),
    ("mange", "da", "'mange' er ikke et tal; skriv fx 7,5 eller 7.5"),
    ("1_0", "en", "'1_0' is not a number"),  # Python's float() reads it as 10
])
def test_hours_that_are_no_number_say_how_to_write_one_and_write_nothing(mette, value, lang, words):
    before = file_digest(mette.db)
    result = mette("hours", "Mette", "--month", "2026-04", "--ordinary", value, code=2,
                   env={"FLEKSRUN_LANG": lang})
    assert words in result.stderr and "float" not in result.stderr
    assert file_digest(mette.db) == before
