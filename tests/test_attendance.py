"""attend and missing, through the front door; missing_attendance as the agenda will call it."""

from __future__ import annotations

import datetime as dt
import pytest

from conftest import Cli, file_digest
from fleksrun.store.queries import missing_attendance
from fleksrun.store.db import open_db


@pytest.fixture
def mette(tmp_path):
    cli = Cli(tmp_path / "f.db", today="2026-04-20")
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-31")
    cli("company", "add", "Bageriet")
    cli("schedule", "Mette", "--company", "Bageriet", "--start", "2026-03-31", "--weeks", "13", "--days", "tue,thu",
        "--hours", "5")
    return cli


def day(cli, date: str) -> dict:
    return next(d for d in cli.json("show", "Mette")["days"] if d["date"] == date)


def test_attended_with_hours_and_absent_sick(mette):
    result = mette("attend", "Mette", "31-03-2026", "--hours", "4")
    assert result.stdout.strip() == "Mette Hansen attended 4 hours at Bageriet on 31-03-2026."
    result = mette("attend", "Mette", "2026-04-07", "--absent", "sick", "--note", "called in")
    assert result.stdout.strip() == "Mette Hansen was absent from Bageriet on 07-04-2026 (sick)."
    assert {k: day(mette, "2026-03-31")[k] for k in ("status", "hours", "state")} == \
        {"status": "attended", "hours": 4.0, "state": "attended"}
    absent = day(mette, "2026-04-07")
    assert (absent["status"], absent["reason"], absent["hours"], absent["note"]) == ("absent", "sick", None, "called in")


def test_planned_hours_are_the_default(mette):
    doc = mette.json("attend", "Mette", "2026-04-09")
    assert (doc["status"], doc["hours"], doc["extra"], doc["previous"]) == ("attended", 5.0, False, "planned")


def test_a_booked_past_day_with_nothing_recorded_is_missing(mette):
    mette("attend", "Mette", "2026-03-31", "--hours", "4")
    mette("attend", "Mette", "2026-04-07", "--absent", "no-show")
    doc = mette.json("missing")
    assert doc["today"] == "2026-04-20"
    assert [(i["date"], i["citizen"], i["company"], i["overdue_days"]) for i in doc["items"]] == [
        ("2026-04-09", "Mette Hansen", "Bageriet", 11), ("2026-04-14", "Mette Hansen", "Bageriet", 6),
        ("2026-04-16", "Mette Hansen", "Bageriet", 4)]
    assert "09-04-2026" in mette("missing", "Mette").stdout
    assert [i["date"] for i in mette.json("missing", "--since", "2026-04-15")["items"]] == ["2026-04-16"]
    assert day(mette, "2026-04-09")["state"] == "missing" and day(mette, "2026-04-21")["state"] == "booked"
    assert "missing" in mette("show", "Mette").stdout


def test_nothing_missing_says_so(tmp_path):
    cli = Cli(tmp_path / "f.db")
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    assert cli("missing").stdout.strip() == "Every past booked day has its attendance recorded."


@pytest.mark.parametrize("args, words", [
    (("2026-04-09", "--hours", "25"), "give 0 to 24 hours"),
    (("2026-04-09", "--hours", "-1"), "give 0 to 24 hours"),
    (("2026-04-09", "--hours", "4", "--absent", "sick"), "not both"),
    (("2026-04-09", "--absent", "tired"), "sick, other or no-show"),
    (("2026-04-23",), "has not come yet"),
    (("2026-04-09", "--company", "Nowhere"), "Nowhere"),
])
def test_bad_attendance_exits_2_and_writes_nothing(mette, args, words):
    before = file_digest(mette.db)
    result = mette("attend", "Mette", *args, code=2)
    assert words in result.stderr and result.stdout == ""
    assert file_digest(mette.db) == before


def test_an_extra_unbooked_day_can_be_recorded(mette):
    doc = mette.json("attend", "Mette", "2026-04-08", "--hours", "3")
    assert (doc["extra"], doc["status"], doc["hours"], doc["company"]) == (True, "attended", 3.0, "Bageriet")
    assert day(mette, "2026-04-08")["extra"] is True
    assert "(extra)" in mette("show", "Mette").stdout


def test_an_extra_day_without_a_placement_is_refused(tmp_path):
    cli = Cli(tmp_path / "f.db")
    cli("enroll", "Ole", "--program", "ovebane")
    assert "no placement running on 27-03-2026" in cli("attend", "Ole", "2026-03-27", "--hours", "2", code=3).stderr


def test_a_day_booked_elsewhere_is_not_recorded_at_another_company(mette):
    mette("company", "add", "Byggemarkedet")
    result = mette("attend", "Mette", "2026-04-09", "--company", "Bygge", "--hours", "2", code=3)
    assert "already booked on 09-04-2026 at Bageriet" in result.stderr


def test_attendance_can_be_corrected(mette):
    mette("attend", "Mette", "2026-04-09", "--absent", "other")
    doc = mette.json("attend", "Mette", "2026-04-09", "--hours", "2.5")
    assert (doc["previous"], doc["status"], doc["hours"]) == ("absent", "attended", 2.5)
    assert day(mette, "2026-04-09")["reason"] is None


def test_a_long_day_warns_about_the_weekly_limit_but_is_recorded(mette):
    mette("attend", "Mette", "2026-04-14", "--hours", "24")
    result = mette("attend", "Mette", "2026-04-15", "--hours", "14")
    assert "above the 37-hour weekly limit" in result.stderr
    assert day(mette, "2026-04-15")["hours"] == 14.0


def test_missing_attendance_service_filters(mette, tmp_path):
    mette("enroll", "Ole Olsen", "--program", "ovebane")
    mette("schedule", "Ole", "--company", "Bageriet", "--start", "2026-04-13", "--count", "1", "--days", "mon")
    db = open_db(mette.db)
    try:
        today = dt.date(2026, 4, 20)
        everyone = missing_attendance(db, today)
        assert [(r["date"], r["citizen_id"]) for r in everyone][:2] == [("2026-03-31", 1), ("2026-04-07", 1)]
        assert ("2026-04-13", 2) in [(r["date"], r["citizen_id"]) for r in everyone]
        assert all(r["citizen_id"] == 2 for r in missing_attendance(db, today, citizen_id=2))
        assert missing_attendance(db, today, since=dt.date(2026, 4, 16)) == [
            {"date": "2026-04-16", "day_id": 5, "placement_id": 1, "citizen_id": 1, "citizen": "Mette Hansen",
             "company_id": 1, "company": "Bageriet", "kind": "practice", "planned_hours": 5.0, "program": "ovebane",
             "overdue_days": 4}]
        # Today's own day is not missing yet.
        assert missing_attendance(db, dt.date(2026, 3, 31)) == []
    finally:
        db.close()
