"""`export ics`: a calendar file that updates a calendar (stable UIDs, SEQUENCE, LAST-MODIFIED,
STATUS:CANCELLED), read back with the ``icalendar`` package, and that carries no personal details."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import icalendar
import pytest

from conftest import Cli
from fleksrun.domain.dates import parse_clock
from fleksrun.errors import InputError
from prepared_db import build_prepared

PERIOD = ("--from", "2026-03-23", "--to", "2026-04-30")
SECRETS = ("Andersen", "0101801234", "Bad back", "sick", "HYPERLINK")


def events(path: Path) -> dict[str, icalendar.Event]:
    """The file's events by UID (each UID once)."""
    found = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    by_uid = {str(e["UID"]): e for e in found}
    assert len(by_uid) == len(found), "a UID twice in one file"
    return by_uid


def start_of(event: icalendar.Event) -> dt.date | dt.datetime:
    return event.decoded("DTSTART")


class Plan:
    """Anna (CPR, note) with a placement at Bageriet, Tuesdays and Thursdays at 08:30 for 4 hours,
    exported again and again into numbered files."""

    def __init__(self, cli: Cli, tmp_path: Path, *, at: str | None = "08:30") -> None:
        self.cli, self.folder, self.made = cli, tmp_path, 0
        cli("enroll", "Anna Andersen", "--program", "ovebane", "--start", "2026-03-02", "--cpr", "0101801234",
            "--note", "Bad back")
        cli("company", "add", "Bageriet")
        cli("schedule", "Anna", "--company", "Bageriet", "--start", "2026-03-24", "--weeks", "4", "--days", "tue,thu",
            "--hours", "4", *(("--at", at) if at else ()))

    def export(self, *period: str) -> dict[str, icalendar.Event]:
        self.made += 1
        self.last = self.folder / f"{self.made}.ics"
        self.cli("export", "ics", "--out", str(self.last), *(period or PERIOD))
        return events(self.last)

    def day_uid(self, date: str) -> str:
        conn = sqlite3.connect(self.cli.db)
        try:
            (day_id,) = conn.execute("SELECT id FROM days WHERE date = ?", [date]).fetchone()
        finally:
            conn.close()
        return f"day-{day_id}@fleksrun"


@pytest.fixture
def plan(cli, tmp_path) -> Plan:
    return Plan(cli, tmp_path)


def test_an_unchanged_plan_keeps_its_uids_and_sequences_and_gives_the_same_file(plan):
    first = plan.export()
    raw = plan.last.read_bytes()
    second = plan.export()
    # Tue/Thu from 24-03 for 4 weeks, but Skærtorsdag (02-04) is a holiday: 7 days; and the follow-up
    # due on the enrollment's first day (02-03), which is before the period, so not in it.
    assert sorted(first) == sorted(second)
    assert len([u for u in first if u.startswith("day-")]) == 7
    assert all(int(e["SEQUENCE"]) == 0 and e["STATUS"] == "CONFIRMED" for e in second.values())
    assert hashlib.sha256(raw).digest() == hashlib.sha256(plan.last.read_bytes()).digest()


def test_a_cancelled_day_goes_out_cancelled_with_the_next_sequence_and_the_rest_unchanged(plan):
    before = plan.export()
    uid = plan.day_uid("2026-04-07")
    plan.cli("cancel", "Anna", "2026-04-07")
    after = plan.export()
    assert sorted(after) == sorted(before)
    assert after[uid]["STATUS"] == "CANCELLED" and int(after[uid]["SEQUENCE"]) == 1
    assert after[uid].decoded("LAST-MODIFIED") > before[uid].decoded("LAST-MODIFIED")
    for other in set(after) - {uid}:
        assert int(after[other]["SEQUENCE"]) == 0 and after[other]["STATUS"] == "CONFIRMED"
        assert after[other].decoded("LAST-MODIFIED") == before[other].decoded("LAST-MODIFIED")
    again = plan.export()  # cancelled and sent: still in the file, no new sequence
    assert again[uid]["STATUS"] == "CANCELLED" and int(again[uid]["SEQUENCE"]) == 1


def test_undoing_the_cancel_sends_the_day_again_confirmed(plan):
    plan.export()
    uid = plan.day_uid("2026-04-07")
    plan.cli("cancel", "Anna", "2026-04-07")
    plan.export()
    plan.cli("undo")
    event = plan.export()[uid]
    assert event["STATUS"] == "CONFIRMED" and int(event["SEQUENCE"]) == 2


def test_a_moved_day_is_the_same_event_on_its_new_date(plan):
    before = plan.export()
    uid = plan.day_uid("2026-04-07")
    plan.cli("move", "Anna", "2026-04-07", "2026-04-08")
    after = plan.export()
    assert sorted(after) == sorted(before)
    assert start_of(after[uid]).date() == dt.date(2026, 4, 8) and int(after[uid]["SEQUENCE"]) == 1


def test_a_day_moved_out_of_the_period_still_goes_out_on_its_new_date(plan):
    plan.export()
    uid = plan.day_uid("2026-04-16")
    plan.cli("move", "Anna", "2026-04-16", "2026-05-20")
    moved = plan.export()[uid]
    assert start_of(moved).date() == dt.date(2026, 5, 20) and int(moved["SEQUENCE"]) == 1
    assert uid not in plan.export()  # sent, and outside the period: left alone from then on


def test_a_new_follow_up_date_updates_the_one_follow_up_event(plan):
    first = plan.export("--from", "2026-03-01", "--to", "2026-04-30")
    followups = [u for u in first if u.startswith("followup-")]
    assert followups == ["followup-1@fleksrun"] and start_of(first[followups[0]]) == dt.date(2026, 3, 2)
    plan.cli("followup", "Anna", "--on", "2026-03-30", "--next", "2026-04-20")
    second = plan.export("--from", "2026-03-01", "--to", "2026-04-30")
    assert [u for u in second if u.startswith("followup-")] == followups
    event = second["followup-1@fleksrun"]
    assert start_of(event) == dt.date(2026, 4, 20) and int(event["SEQUENCE"]) == 1
    assert event["STATUS"] == "CONFIRMED" and str(event["SUMMARY"]) == "Anna: follow-up due"


def test_ending_the_enrollment_cancels_its_follow_up_and_its_later_days(plan):
    plan.cli("followup", "Anna", "--on", "2026-03-30", "--next", "2026-04-20")
    before = plan.export()
    plan.cli("end", "Anna", "--outcome", "moved", "--on", "2026-03-30")
    after = plan.export()
    assert sorted(after) == sorted(before)
    assert after["followup-1@fleksrun"]["STATUS"] == "CANCELLED"
    for uid, event in after.items():
        if uid.startswith("day-"):
            later = start_of(event).date() > dt.date(2026, 3, 30)
            assert event["STATUS"] == ("CANCELLED" if later else "CONFIRMED"), uid
            assert int(event["SEQUENCE"]) == int(later)


def test_a_forgotten_citizens_events_go_out_cancelled_without_a_name(plan):
    plan.cli("followup", "Anna", "--on", "2026-03-30", "--next", "2026-04-20")
    sent = plan.export()
    plan.cli("end", "Anna", "--outcome", "moved", "--on", "2026-03-30")
    plan.cli("forget", "Anna", "--yes")
    conn = sqlite3.connect(plan.cli.db)
    try:  # the digests were made from her first name: forget clears them at once
        assert conn.execute("SELECT COUNT(*) FROM calendar_sent WHERE digest IS NOT NULL").fetchone()[0] == 0
    finally:
        conn.close()
    after = plan.export()
    assert sorted(after) == sorted(sent)
    assert {str(e["STATUS"]) for e in after.values()} == {"CANCELLED"}
    assert all(int(e["SEQUENCE"]) == 1 for e in after.values())
    raw = plan.last.read_bytes()
    assert b"Anna" not in raw and b"(forgotten)" in raw
    assert not any(secret.encode() in raw for secret in SECRETS)


def test_an_undone_schedule_sends_its_days_cancelled_and_nameless(plan):
    sent = plan.export()
    plan.cli("undo")  # the schedule: its days are deleted
    after = plan.export()
    days = [u for u in sent if u.startswith("day-")]
    assert all(after[u]["STATUS"] == "CANCELLED" and str(after[u]["SUMMARY"]) == "Cancelled" for u in days)
    assert all(start_of(after[u]) == start_of(sent[u]).date() for u in days)  # on the day they were


def test_a_day_cancelled_before_it_was_ever_sent_is_left_out(plan):
    uid = plan.day_uid("2026-04-07")
    plan.cli("cancel", "Anna", "2026-04-07")
    assert uid not in plan.export()


def test_timed_days_are_in_copenhagen_time_across_the_change_to_summer_time(plan):
    sent = plan.export()
    raw = plan.last.read_bytes()
    assert b"BEGIN:VTIMEZONE" in raw and b"TZID:Europe/Copenhagen" in raw
    winter, summer = (sent[plan.day_uid(d)] for d in ("2026-03-26", "2026-03-31"))
    for event in (winter, summer):
        start, end = start_of(event), event.decoded("DTEND")
        assert str(start.tzinfo) == "Europe/Copenhagen" and event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
        assert (start.hour, start.minute, end - start) == (8, 30, dt.timedelta(hours=4))
    assert start_of(winter).utcoffset() == dt.timedelta(hours=1)  # CET before 29 March
    assert start_of(summer).utcoffset() == dt.timedelta(hours=2)  # CEST after


def test_days_without_a_start_time_are_all_day_with_their_hours_in_the_description(cli, tmp_path):
    plan = Plan(cli, tmp_path, at=None)
    event = plan.export()[plan.day_uid("2026-03-31")]
    assert start_of(event) == dt.date(2026, 3, 31) and event.decoded("DTEND") == dt.date(2026, 4, 1)
    assert str(event["DESCRIPTION"]) == "4 h planned" and b"VTIMEZONE" not in plan.last.read_bytes()


@pytest.mark.parametrize("text, clock", [("08:30", "08:30"), ("8.30", "08:30"), ("kl. 9", "09:00"),
                                         ("23:59", "23:59"), ("0:00", "00:00")])
def test_a_time_of_day_is_read_danish_or_international(text, clock):
    assert parse_clock(text) == clock


@pytest.mark.parametrize("text", ["24:00", "8:60", "half past eight", "8:5", ""])
def test_a_time_of_day_that_is_none_is_refused(text):
    with pytest.raises(InputError):
        parse_clock(text)


def test_schedule_at_an_impossible_time_is_one_sentence_and_writes_nothing(cli):
    from conftest import file_digest

    cli("enroll", "Anna Andersen", "--program", "ovebane")
    cli("company", "add", "Bageriet")
    before = file_digest(cli.db)
    result = cli("schedule", "Anna", "--company", "Bageriet", "--start", "2026-04-07", "--weeks", "2", "--days", "tue",
                 "--at", "25:00", code=2)
    assert result.stderr.strip() == "Could not read '25:00' as a time of day: write it like 08:30, 8.30 or 9."
    assert file_digest(cli.db) == before


def test_a_write_that_fails_remembers_nothing(plan):
    from fleksrun.services import open_database
    from fleksrun.services.calendar_export import export_calendar

    def fail(data: bytes) -> None:
        raise OSError("disk full")

    db = open_database(plan.cli.db)
    try:
        with pytest.raises(OSError):
            export_calendar(db, dt.date(2026, 3, 23), dt.date(2026, 4, 30), fail)
        assert db.execute("SELECT COUNT(*) FROM calendar_sent").fetchone()[0] == 0
    finally:
        db.close()


# -- on the prepared database (tests/prepared_db.py) --------------------------------------------------

@pytest.fixture
def prepared(tmp_path) -> Cli:
    return Cli(build_prepared(tmp_path / "prepared.db"), today="2026-01-01")


def test_ics_has_one_event_per_booked_day_with_the_company_as_location(prepared, tmp_path):
    target = tmp_path / "cal.ics"
    prepared("export", "ics", "--out", str(target), "--from", "2026-01-01", "--to", "2026-01-31")
    days = [e for uid, e in events(target).items() if uid.startswith("day-")]
    # Booked (planned or attended) in January 2026, counted in prepared_db.py: Anna 6, 13 and 15 Jan
    # (the absence on 8 Jan and the cancelled 20 Jan were never sent, so they are left out), Karin 6,
    # 13, 20, 27, Lars 7, 14, 21, 28, Ole 6, 8, 13, 15.
    assert len(days) == 15
    assert {str(e["LOCATION"]) for e in days} == {"Bageriet", "Cykelsmeden", "Elektrikeren"}
    anna = sorted((start_of(e).isoformat(), str(e["SUMMARY"]), str(e["LOCATION"]))
                  for e in days if str(e["SUMMARY"]).startswith("Anna"))
    assert anna == [("2026-01-06", "Anna: practice", "Bageriet"), ("2026-01-13", "Anna: practice", "Bageriet"),
                    ("2026-01-15", "Anna: practice", "Bageriet")]


def test_ics_holds_due_followups_and_no_personal_details(prepared, tmp_path):
    target = tmp_path / "cal.ics"
    prepared("export", "ics", "--out", str(target), "--from", "2026-03-01", "--to", "2026-05-31")
    followups = {uid: start_of(e).isoformat() for uid, e in events(target).items() if uid.startswith("followup-")}
    # As `due` has them: the latest contact's next due date (Anna 15 March, Carl 5 April, Finn 19
    # April), or the first day while there is none (Eva 2 April, Jens 1 March).
    assert followups == {"followup-1@fleksrun": "2026-03-15", "followup-3@fleksrun": "2026-04-05",
                         "followup-6@fleksrun": "2026-04-19", "followup-5@fleksrun": "2026-04-02",
                         "followup-10@fleksrun": "2026-03-01"}
    raw = target.read_bytes()
    assert not any(secret.encode() in raw for secret in (*SECRETS, "private"))


def test_ics_lines_end_in_crlf_and_are_folded_at_75_octets(prepared, tmp_path):
    target = tmp_path / "cal.ics"
    prepared("export", "ics", "--out", str(target), "--from", "2026-01-01", "--to", "2026-03-31")
    raw = target.read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_ics_with_nothing_booked_prints_a_sentence_and_writes_no_file(cli, tmp_path):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    target = tmp_path / "cal.ics"
    result = cli("export", "ics", "--out", str(target))
    assert result.stdout.startswith("Nothing booked") and not target.exists()
