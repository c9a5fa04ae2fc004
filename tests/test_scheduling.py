"""schedule, extend, cancel, move and company closing days, through the front door."""

from __future__ import annotations

import pytest

from conftest import Cli, file_digest

BASE = ("schedule", "Mette", "--company", "Bageriet", "--start", "2026-03-31")
TRACK = (*BASE, "--weeks", "13", "--days", "tue,thu")


@pytest.fixture
def mette(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-31")
    cli("company", "add", "Bageriet", "--employees", "12")
    return cli


def booked_dates(cli) -> list[str]:
    return [d["date"] for d in cli.json("show", "Mette")["days"] if d["status"] != "cancelled"]


def test_tue_thu_13_weeks_books_24_days_and_names_the_holidays(mette):
    result = mette(*TRACK)
    assert result.stdout.startswith("Booked 24 days for Mette Hansen at Bageriet (practice) from 31-03-2026 to 25-06-2026")
    assert "Skærtorsdag on 02-04-2026: no practice that day" in result.stdout
    assert "Kristi himmelfartsdag on 14-05-2026: no practice that day" in result.stdout
    dates = booked_dates(mette)
    assert len(dates) == 24 and "2026-04-02" not in dates and "2026-05-14" not in dates


def test_json_of_schedule_pins_its_keys(mette):
    doc = mette.json(*TRACK)
    assert doc["booked"] == 24 and doc["placement_id"] == 1 and doc["dry_run"] is False
    assert doc["start"] == "2026-03-31" and doc["end"] == "2026-06-25" and doc["weekdays"] == [1, 3]
    assert doc["met"] == [
        {"date": "2026-04-02", "name": "Skærtorsdag", "outcome": "skipped", "replacement": None},
        {"date": "2026-05-14", "name": "Kristi himmelfartsdag", "outcome": "skipped", "replacement": None},
    ]
    assert doc["warnings"] == [] and doc["today"] == "2026-03-30"


def test_holidays_extend_books_26_ending_2_july(mette):
    doc = mette.json(*TRACK, "--holidays", "extend")
    assert doc["booked"] == 26 and doc["end"] == "2026-07-02"
    dates = booked_dates(mette)
    assert len(dates) == 26 and dates[-1] == "2026-07-02"


def test_holidays_shift_books_26_with_the_days_after_the_holidays(mette):
    mette(*TRACK, "--holidays", "shift")
    dates = booked_dates(mette)
    assert len(dates) == 26
    assert {"2026-04-08", "2026-05-15"} <= set(dates)
    assert not {"2026-04-02", "2026-05-14"} & set(dates)


def test_holidays_keep_books_the_holiday_and_flags_it(mette):
    doc = mette.json(*TRACK, "--holidays", "keep")
    assert doc["booked"] == 26
    days = {d["date"]: d for d in mette.json("show", "Mette")["days"]}
    assert days["2026-04-02"]["holiday"] == "Skærtorsdag"


def test_dry_run_shows_the_plan_and_writes_nothing(mette):
    before = file_digest(mette.db)
    result = mette(*TRACK, "--dry-run")
    assert "Dry run: 24 days" in result.stdout and "nothing was written" in result.stdout
    assert "week 14, 2026" in result.stdout and "Tue 31-03-2026" in result.stdout
    assert file_digest(mette.db) == before
    assert mette.json("show", "Mette")["placements"] == []


def test_defaults_come_from_the_phase_session_pattern(mette):
    doc = mette.json(*BASE)
    assert (doc["booked"], doc["weekdays"], doc["kind"]) == (24, [1, 3], "practice")


def test_a_phase_without_a_pattern_needs_a_length(cli):
    cli("enroll", "Ole", "--program", "jobgaranti")
    cli("company", "add", "Bageriet")
    result = cli("schedule", "Ole", "--company", "Bageriet", "--start", "2026-04-06", code=2)
    assert "--weeks" in result.stderr
    cli("schedule", "Ole", "--company", "Bageriet", "--start", "2026-04-06", "--count", "3", "--days", "mon",
        "--kind", "ordinary")


def test_friday_track_in_may_2023_skips_store_bededag(tmp_path):
    cli = Cli(tmp_path / "f.db", today="2023-04-28")
    cli("enroll", "Mette", "--program", "ovebane", "--start", "2023-05-01")
    cli("company", "add", "Bageriet")
    doc = cli.json(*BASE[:4], "--start", "2023-05-01", "--weeks", "4", "--days", "fri")
    assert [(m["date"], m["name"]) for m in doc["met"]] == [("2023-05-05", "Store bededag")]
    assert doc["booked"] == 3


def test_friday_track_in_april_2024_books_the_former_store_bededag(tmp_path):
    cli = Cli(tmp_path / "f.db", today="2024-04-01")
    cli("enroll", "Mette", "--program", "ovebane", "--start", "2024-04-01")
    cli("company", "add", "Bageriet")
    doc = cli.json(*BASE[:4], "--start", "2024-04-01", "--until", "2024-04-30", "--days", "fri")
    assert doc["met"] == [] and doc["booked"] == 4
    assert "2024-04-26" in [d["date"] for d in doc["days"]]


def test_double_booking_is_refused_naming_the_other_placement(mette):
    mette("company", "add", "Byggemarkedet")
    mette(*TRACK)
    before = file_digest(mette.db)
    result = mette("schedule", "Mette", "--company", "Bygge", "--start", "2026-04-07", "--count", "1",
                   "--days", "tue", code=3)
    assert "already booked on 07-04-2026 at Bageriet (practice, placement 1)" in result.stderr
    assert file_digest(mette.db) == before


def test_twenty_weeks_of_practice_warns_and_still_books(mette):
    result = mette(*BASE, "--weeks", "20", "--days", "tue,thu")
    assert result.stdout.startswith("Booked 38 days")
    assert "beyond the 13-week limit" in result.stderr and "--extension-reason" in result.stderr
    assert len(booked_dates(mette)) == 38


def test_extension_reason_is_recorded_and_silences_the_warning(mette):
    result = mette(*BASE, "--weeks", "20", "--days", "tue,thu", "--extension-reason", "Team 24-03: needs more time")
    assert result.stderr == ""
    placement = mette.json("show", "Mette")["placements"][0]
    assert placement["extensions"] == 1 and placement["extension_reason"] == "Team 24-03: needs more time"


def test_more_than_37_practice_hours_a_week_warns(mette):
    result = mette(*BASE[:4], "--start", "2026-04-21", "--count", "9", "--days", "mon-fri", "--hours", "8")
    # Week 17 from Tuesday has 32 hours; only week 18 (five days, 40 hours) passes the limit.
    assert result.stderr.count("37-hour weekly limit") == 1 and "week 18 adds up to 40 hours" in result.stderr
    assert result.stdout.startswith("Booked 9 days")


def test_company_capacity_warns_when_exceeded(cli):
    cli("company", "add", "Lille", "--employees", "4")  # capacity 1
    for name in ("Anna", "Bo"):
        cli("enroll", name, "--program", "ovebane")
    assert cli("schedule", "Anna", "--company", "Lille", "--start", "2026-04-06", "--weeks", "2").stderr == ""
    result = cli("schedule", "Bo", "--company", "Lille", "--start", "2026-04-06", "--weeks", "2")
    assert "above the reasonable limit of 1" in result.stderr


def test_bad_policy_exits_2(mette):
    assert "skip, shift, extend or keep" in mette(*TRACK, "--holidays", "sometimes", code=2).stderr


def test_company_closing_day_is_skipped_by_name(mette):
    result = mette("company", "close", "Bageriet", "2026-04-09", "--reason", "Lagersalg")
    assert "Recorded 1 closing day for Bageriet" in result.stdout
    result = mette(*TRACK)
    assert "Lagersalg on 09-04-2026" in result.stdout
    assert "2026-04-09" not in booked_dates(mette)


def test_closing_a_booked_day_warns_and_lists(mette):
    mette(*TRACK)
    result = mette("company", "close", "Bageriet", "2026-04-21", "--until", "2026-04-23", "--reason", "Ferie")
    assert "Mette Hansen is booked at Bageriet on 21-04-2026" in result.stderr
    items = mette.json("company", "closures")["items"]
    assert [(i["date"], i["reason"]) for i in items] == [("2026-04-21", "Ferie"), ("2026-04-22", "Ferie"),
                                                         ("2026-04-23", "Ferie")]
    assert mette("company", "close", "Bageriet", "2026-05-02", "--until", "2026-05-01", code=2).stderr


def test_cancel_and_move_one_day(mette):
    mette(*TRACK)
    assert mette("cancel", "Mette", "2026-04-07").stdout.strip() == "Cancelled Mette Hansen's day at Bageriet on 07-04-2026."
    mette("move", "Mette", "2026-04-09", "2026-04-10")
    days = {d["date"]: d["status"] for d in mette.json("show", "Mette")["days"]}
    assert days["2026-04-07"] == "cancelled" and days["2026-04-10"] == "planned" and "2026-04-09" not in days
    assert "no booked day on 09-04-2026" in mette("cancel", "Mette", "2026-04-09", code=2).stderr


def test_move_onto_a_holiday_warns(mette):
    mette(*TRACK)
    result = mette("move", "Mette", "2026-04-07", "2026-04-06")
    assert "06-04-2026 is Anden påskedag" in result.stderr


def test_move_onto_a_booked_day_is_refused(mette):
    mette(*TRACK)
    before = file_digest(mette.db)
    result = mette("move", "Mette", "2026-04-07", "2026-04-09", code=3)
    assert "already booked on 09-04-2026 at Bageriet" in result.stderr
    assert file_digest(mette.db) == before


def test_plan_changes_never_touch_recorded_days(tmp_path):
    cli = Cli(tmp_path / "f.db", today="2026-04-20")
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-31")
    cli("company", "add", "Bageriet")
    cli(*TRACK, "--hours", "4")
    cli("attend", "Mette", "2026-04-07")
    assert "already recorded as attended" in cli("cancel", "Mette", "2026-04-07", code=3).stderr
    assert cli("move", "Mette", "2026-04-07", "2026-04-08", code=3).stderr
    cli("attend", "Mette", "2026-04-16", "--absent", "sick")
    doc = cli.json("cancel", "Mette", "2026-04-07", "--rest")
    assert "2026-04-07" not in doc["cancelled"] and doc["kept"] == ["2026-04-07", "2026-04-16"]
    assert doc["end"] == "2026-04-16"
    days = {d["date"]: d["status"] for d in cli.json("show", "Mette")["days"]}
    assert days["2026-04-07"] == "attended" and days["2026-04-16"] == "absent" and days["2026-04-09"] == "cancelled"
    assert cli.json("show", "Mette")["placements"][0]["end"] == "2026-04-16"


def test_extend_continues_the_pattern_after_the_last_day(mette):
    mette(*TRACK)
    doc = mette.json("extend", "Mette", "--weeks", "2")
    assert doc["booked"] == 4 and doc["end"] == "2026-07-09"
    assert [d["date"] for d in doc["days"]] == ["2026-06-30", "2026-07-02", "2026-07-07", "2026-07-09"]
    assert "beyond the 13-week limit" in mette("extend", "Mette", "--count", "1").stderr
    placement = mette.json("show", "Mette")["placements"][0]
    assert placement["end"] == "2026-07-14"


def test_extend_after_cancelling_the_rest_books_the_days_again(mette):
    mette(*TRACK)
    mette("cancel", "Mette", "2026-06-16", "--rest")
    doc = mette.json("extend", "Mette", "--count", "2")
    assert [d["date"] for d in doc["days"]] == ["2026-06-16", "2026-06-18"]
    assert len(booked_dates(mette)) == 22


def test_extend_dry_run_writes_nothing(mette):
    mette(*TRACK)
    before = file_digest(mette.db)
    assert "nothing was written" in mette("extend", "Mette", "--weeks", "1", "--dry-run").stdout
    assert file_digest(mette.db) == before


@pytest.mark.parametrize("lang, words", [
    ("en", "The first day, 24-03-2026, is before Mette Hansen's enrollment began on 31-03-2026: days in a phase "
           "count for its rules only from its start."),
    ("da", "Den første dag, 24-03-2026, ligger før starten på forløbet for Mette Hansen den 31-03-2026: dage i en "
           "fase tæller først med i dens regler fra fasens start."),
])
def test_a_placement_begun_before_the_enrollment_is_booked_with_a_warning(mette, lang, words):
    result = mette("schedule", "Mette", "--company", "Bageriet", "--start", "2026-03-24", "--weeks", "2",
                   "--days", "tue", env={"FLEKSRUN_LANG": lang})
    assert words in " ".join(result.stderr.split())
    assert booked_dates(mette) == ["2026-03-24", "2026-03-31"]


def test_the_warning_looks_at_the_first_booked_day_not_the_start_given(mette):
    # From Monday 30 March, on Tuesdays: the first day booked is the 31st, the enrollment's first day.
    doc = mette.json("schedule", "Mette", "--company", "Bageriet", "--start", "2026-03-30", "--weeks", "2",
                     "--days", "tue", "--dry-run")
    assert doc["days"][0]["date"] == "2026-03-31"
    assert "scheduling.before_start" not in [w["key"] for w in doc["warnings"]]


# -- public holidays on a customary day's date, and the customary days off ----------------------------------

def test_anden_pinsedag_on_5_june_2028_is_not_booked(mette):
    result = mette("schedule", "Mette", "--company", "Bageriet", "--start", "2028-05-29", "--weeks", "2",
                   "--days", "mon", "--dry-run")
    assert "Anden pinsedag on 05-06-2028: no practice that day" in result.stdout
    assert "05-06-2028" not in result.stdout.split("The plan")[1]
    doc = mette.json("schedule", "Mette", "--company", "Bageriet", "--start", "2028-05-29", "--weeks", "2",
                     "--days", "mon", "--dry-run")
    assert [d["date"] for d in doc["days"] if d["status"] != "skipped"] == ["2028-05-29"]
    assert doc["met"] == [{"date": "2028-06-05", "name": "Anden pinsedag", "outcome": "skipped", "replacement": None}]
    # A public holiday, not a customary day: no "many workplaces close" warning.
    assert "settings.customary_day" not in [w["key"] for w in doc["warnings"]]


FRIDAYS_JUNE = ("schedule", "Mette", "--company", "Bageriet", "--start", "2026-06-01", "--weeks", "2", "--days", "fri")


@pytest.mark.parametrize("lang, words", [
    ("en", "05-06-2026 is Grundlovsdag: not a public holiday, but many workplaces are closed."),
    ("da", "05-06-2026 er Grundlovsdag: ikke en helligdag, men mange arbejdspladser holder lukket."),
])
def test_a_customary_day_is_booked_with_a_warning_that_names_it(mette, lang, words):
    result = mette(*FRIDAYS_JUNE, env={"FLEKSRUN_LANG": lang})
    assert words in " ".join(result.stderr.split())
    assert booked_dates(mette) == ["2026-06-05", "2026-06-12"]


def test_the_warning_is_in_the_json_too(mette):
    doc = mette.json(*FRIDAYS_JUNE, "--dry-run")
    assert [w["key"] for w in doc["warnings"]] == ["settings.customary_day"]
    assert doc["met"] == []


@pytest.mark.parametrize("policy, booked", [
    ("skip", ["2026-06-12"]),
    ("shift", ["2026-06-08", "2026-06-12"]),
    ("extend", ["2026-06-12", "2026-06-19"]),
    ("keep", ["2026-06-05", "2026-06-12"]),
])
def test_a_customary_day_set_as_day_off_is_treated_like_a_holiday(mette, policy, booked):
    """--holidays skip/shift/extend/keep on Grundlovsdag once it is set as a day off for the file."""
    mette("config", "days-off", "grundlovsdag")
    result = mette(*FRIDAYS_JUNE, "--holidays", policy)
    assert result.stderr == ""  # a day off is met like a holiday: no customary-day warning
    assert "Grundlovsdag on 05-06-2026" in result.stdout
    assert booked_dates(mette) == booked


def test_the_days_off_setting_outcome_per_policy(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-31")
    cli("company", "add", "Bageriet")
    cli("config", "days-off", "grundlovsdag")
    for policy, outcome, replacement in [("skip", "skipped", None), ("shift", "shifted", "2026-06-08"),
                                         ("extend", "extended", "2026-06-19"), ("keep", "flagged", None)]:
        doc = cli.json(*FRIDAYS_JUNE, "--holidays", policy, "--dry-run")
        assert doc["met"] == [{"date": "2026-06-05", "name": "Grundlovsdag", "outcome": outcome,
                               "replacement": replacement}], policy
        assert doc["warnings"] == []


def test_a_company_closing_on_a_customary_day_leaves_it_out_without_a_warning(mette):
    mette("company", "close", "Bageriet", "05-06-2026", "--reason", "Grundlovsdag")
    result = mette(*FRIDAYS_JUNE)
    assert result.stderr == ""
    assert booked_dates(mette) == ["2026-06-12"]


def test_extend_warns_on_a_customary_day_too(mette):
    mette("schedule", "Mette", "--company", "Bageriet", "--start", "2026-12-14", "--weeks", "1", "--days", "thu")
    result = mette("extend", "Mette", "--weeks", "2")
    assert "24-12-2026 is Juleaftensdag" in " ".join(result.stderr.split())
    assert "31-12-2026 is Nytårsaftensdag" in " ".join(result.stderr.split())
    mette("config", "days-off", "juleaften,nytårsaften")
    doc = mette.json("extend", "Mette", "--weeks", "2")
    assert doc["warnings"] == [] and [m["name"] for m in doc["met"]] == []  # 7 and 14 January: ordinary days


# -- company closing days can be removed again ------------------------------------------------------------

def test_a_closing_day_can_be_removed_and_is_booked_again(mette):
    mette("company", "close", "Bageriet", "01-04-2026", "--until", "03-04-2026")
    result = mette("company", "close", "Bageriet", "02-04-2026", "--remove")
    assert result.stdout.startswith("Removed 1 closing day of Bageriet from 02-04-2026 to 02-04-2026")
    assert [r["date"] for r in mette.json("company", "closures")["items"]] == ["2026-04-01", "2026-04-03"]
    doc = mette.json("company", "close", "Bageriet", "01-04-2026", "--until", "30-04-2026", "--remove")
    assert doc["removed"] == ["2026-04-01", "2026-04-03"] and doc["company"] == "Bageriet"
    assert mette.json("company", "closures")["items"] == []
    mette("undo")  # the removal is in the journal: undo brings the days back
    assert len(mette.json("company", "closures")["items"]) == 2


def test_removing_a_closing_day_that_is_not_there_says_so(mette):
    result = mette("company", "close", "Bageriet", "24-12-2026", "--remove", code=2)
    assert "Bageriet has no closing day from 24-12-2026 to 24-12-2026" in result.stderr
    result = mette("company", "close", "Bageriet", "24-12-2026", "--remove", "--reason", "x", code=2)
    assert "--reason" in result.stderr
    result = mette("--lang", "da", "company", "close", "Bageriet", "24-12-2026", "--remove", code=2)
    assert "Bageriet har ingen lukkedag fra 24-12-2026 til 24-12-2026" in result.stderr
