"""followup: contacts, the next due date and the rule that produced it; followups_due for the agenda."""

from __future__ import annotations

import datetime as dt
import pytest

from conftest import Cli, file_digest

from fleksrun.services.followups import followups_due
from fleksrun.services.phases import evaluate_enrollment
from fleksrun.store.db import open_db


def due_list(cli: Cli, today: str, until: str) -> list[dict]:
    db = open_db(cli.db)
    try:
        return followups_due(db, dt.date.fromisoformat(today), dt.date.fromisoformat(until))
    finally:
        db.close()


def latest_followup(cli: Cli, name: str) -> tuple[str | None, str]:
    f = cli.json("show", name)["followups"][-1]
    return f["next_due"], f["next_due_rule"]


def test_jobgaranti_contact_on_1_february_is_overdue_on_5_march(cli):
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-01-01")
    result = cli("followup", "Nina", "--on", "2026-02-01", "--kind", "phone", "--note", "CV ready")
    assert "Next contact due 03-03-2026 (the programme's cadence)." in result.stdout
    [item] = due_list(cli, "2026-03-05", "2026-03-05")
    assert item == {"enrollment_id": 1, "citizen_id": 1, "citizen": "Nina Holm", "program": "jobgaranti",
                    "phase": "trin1", "last_contact": "2026-02-01", "due": "2026-03-03", "rule": "cadence",
                    "overdue_days": 2}
    assert due_list(cli, "2026-02-20", "2026-03-01") == []  # not yet due in that window


@pytest.mark.parametrize("on, due", [
    ("2026-01-10", "2026-01-23"),  # in the first 4 weeks: every 14 days (24-01 is a Saturday)
    ("2026-01-29", "2026-02-27"),  # from week 4 on: every 30 days (28-02 is a Saturday)
    ("2026-12-01", "2026-12-31"),  # the last due date within the first 52 weeks
])
def test_jobgaranti_cadence_in_the_first_year(tmp_path, on, due):
    cli = Cli(tmp_path / "f.db", today="2026-12-31")
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-01-01")
    cli("followup", "Nina", "--on", on)
    assert latest_followup(cli, "Nina") == (due, "cadence")


def test_before_the_employment_the_monthly_contact_has_no_end(tmp_path):
    """Trin 1 and 2 keep the monthly cadence however long they last: the year is the employment's."""
    cli = Cli(tmp_path / "f.db", today="2027-03-31")
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-01-01")
    cli("followup", "Nina", "--on", "2027-03-01")
    assert latest_followup(cli, "Nina") == ("2027-03-31", "cadence")


def test_no_due_date_after_the_first_year_of_the_employment(tmp_path):
    cli = Cli(tmp_path / "f.db", today="2027-01-10")
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-01-01")
    cli("advance", "Nina", "--to", "trin3", "--force", "--reason", "agreement signed", "--on", "2026-01-05")
    result = cli("followup", "Nina", "--on", "2026-12-20")
    assert "No next contact is due" in result.stdout  # 19-01-2027 is past 52 weeks from 05-01-2026
    assert latest_followup(cli, "Nina") == (None, "cadence")
    assert due_list(cli, "2027-01-10", "2027-12-31") == []


@pytest.mark.parametrize("every", [7, 14, 21])
def test_a_rampen_citizen_with_her_own_cadence_is_due_that_many_days_after_the_last_contact(cli, every):
    cli("enroll", "Ole Berg", "--program", "rampen", "--start", "2026-02-01")
    cli("edit", "Ole", "--followup-every", str(every))
    result = cli("followup", "Ole", "--on", "2026-03-02", "--with", "both", "--kind", "meeting")
    due = (dt.date(2026, 3, 2) + dt.timedelta(days=every)).isoformat()
    assert "(this citizen's own cadence)" in result.stdout
    assert latest_followup(cli, "Ole") == (due, "citizen")
    assert [(i["due"], i["rule"]) for i in due_list(cli, "2026-03-02", "2026-12-31")] == [(due, "citizen")]


def test_changing_the_citizens_cadence_recomputes_but_never_a_manual_date(cli):
    cli("enroll", "Ole Berg", "--program", "rampen", "--start", "2026-02-01")
    cli("enroll", "Eva Lund", "--program", "rampen", "--start", "2026-02-01")
    cli("followup", "Ole", "--on", "2026-03-02")
    cli("followup", "Eva", "--on", "2026-03-02", "--next", "2026-03-05")
    assert latest_followup(cli, "Ole") == ("2026-03-16", "cadence")  # Rampen's default, every 14 days
    cli("edit", "Ole", "--followup-every", "7")
    cli("edit", "Eva", "--followup-every", "7")
    assert latest_followup(cli, "Ole") == ("2026-03-09", "citizen")
    assert latest_followup(cli, "Eva") == ("2026-03-05", "manual")
    cli("edit", "Ole", "--followup-every", "0")  # back to the programme's cadence
    assert latest_followup(cli, "Ole") == ("2026-03-16", "cadence")
    # a phase change recomputes too, and still leaves the manual date alone
    cli("advance", "Eva", "--force", "--reason", "met the company early")
    assert latest_followup(cli, "Eva") == ("2026-03-05", "manual")


def test_followup_json_and_an_enrollment_without_contacts_is_due_on_its_start(cli):
    cli("enroll", "Ole Berg", "--program", "rampen", "--start", "2026-03-20")
    assert [(i["due"], i["rule"], i["overdue_days"], i["last_contact"]) for i in due_list(cli, "2026-03-30", "2026-03-30")] \
        == [("2026-03-20", "start", 10, None)]
    doc = cli.json("followup", "Ole", "--with", "company", "--kind", "visit", "--next", "+3d")
    assert doc == {"id": 1, "citizen_id": 1, "citizen": "Ole Berg", "enrollment_id": 1, "program": "rampen",
                   "phase": "opstart", "date": "2026-03-30", "kind": "visit", "with": "company", "note": None,
                   "next_due": "2026-04-02", "next_due_rule": "manual",  # Skærtorsdag: kept, and said
                   "warnings": [{"key": "followup.next_on_holiday", "message":
                                 "The next contact, 02-04-2026, is a public holiday: kept as you chose it."}]}
    assert due_list(cli, "2026-03-30", "2026-04-01") == []


def test_ended_enrollments_are_never_due(cli):
    cli("enroll", "Ole Berg", "--program", "rampen", "--start", "2026-03-20")
    cli("end", "Ole", "--outcome", "moved")
    assert due_list(cli, "2026-03-30", "2027-01-01") == []


@pytest.mark.parametrize("args, words", [
    (("--kind", "letter"), "talk, phone, visit, mail or meeting"),
    (("--with", "mother"), "citizen, company or both"),
    (("--on", "2026-04-01"), "after today"),
    (("--on", "2026-03-01"), "before Ole Berg's enrollment began"),
    (("--on", "2026-03-25", "--next", "2026-03-25"), "must come after"),
])
def test_wrong_followup_input_exits_2_and_writes_nothing(cli, args, words):
    cli("enroll", "Ole Berg", "--program", "rampen", "--start", "2026-03-20")
    before = file_digest(cli.db)
    result = cli("followup", "Ole", *args, code=2)
    assert words in result.stderr and result.stderr.count("\n") == 1
    assert file_digest(cli.db) == before


def test_evaluate_enrollment_for_the_agenda(cli):
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    for item in ("visitation", "cv", "job_goal", "jobformidler"):
        cli("mark", "Nina", item)
    db = open_db(cli.db)
    try:
        result = evaluate_enrollment(db, 1, dt.date(2026, 3, 30))
    finally:
        db.close()
    assert (result["phase"], result["ready"], result["citizen"]) == ("trin1", True, "Nina Holm")
    assert result["rules"] == [{"kind": "checklist", "met": True, "detail": "all 4 checklist items ticked"}]


def test_evaluate_enrollment_of_an_ended_enrollment_is_not_ready(cli):
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    cli("end", "Nina", "--outcome", "moved")
    db = open_db(cli.db)
    try:
        result = evaluate_enrollment(db, 1, dt.date(2026, 3, 30))
    finally:
        db.close()
    assert (result["phase"], result["ready"], result["rules"]) == (None, False, [])


# -- Jobgaranti: the first year is the employment's, counted from the day trin 3 began ---------------

def due_followups(cli: Cli, today: str, kind: str = "followup") -> list[tuple[str, str]]:
    """(citizen, due date) of the follow-up lines of `due --json --today TODAY`."""
    doc = cli.json("--today", today, "due")
    return [(item["citizen"], item["date"]) for item in doc["items"] if item["kind"] == kind]


def trin3_from_september(tmp_path) -> Cli:
    """Enrolled 05-01-2026, in trin 3 from 01-09-2026 (the agreement took eight months)."""
    cli = Cli(tmp_path / "f.db", today="2026-09-01")
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-01-05")
    cli("advance", "Nina", "--to", "trin3", "--force", "--reason", "agreement signed", "--on", "2026-09-01")
    return cli


def test_jobgaranti_follow_up_runs_for_a_year_from_the_start_of_trin3(tmp_path):
    cli = trin3_from_september(tmp_path)
    cli.today = "2026-12-30"
    result = cli("followup", "Nina", "--on", "2026-12-30")
    # counted from the enrollment's start the year would have ended on 04-01-2027
    assert "Next contact due 29-01-2027 (the programme's cadence)." in result.stdout
    assert due_followups(cli, "2027-01-29") == [("Nina Holm", "2027-01-29")]
    assert due_followups(cli, "2027-03-15") == [("Nina Holm", "2027-03-15")]  # overdue: listed today
    cli.today = "2027-07-30"
    cli("followup", "Nina", "--on", "2027-07-30")
    assert latest_followup(cli, "Nina") == ("2027-08-27", "cadence")  # within the year; 29-08 is a Sunday
    assert due_followups(cli, "2027-08-25") == [("Nina Holm", "2027-08-27")]  # in the week ahead
    assert due_followups(cli, "2027-08-31") == [("Nina Holm", "2027-08-31")]  # overdue on the year's last day
    cli.today = "2027-08-31"
    result = cli("followup", "Nina", "--on", "2027-08-31")
    assert "No next contact is due" in result.stdout  # the employment's first year is over
    assert due_followups(cli, "2027-09-01") == []
    assert due_followups(cli, "2027-10-01") == []


def test_jobgaranti_trin3_is_intensive_in_its_own_first_four_weeks(tmp_path):
    cli = trin3_from_september(tmp_path)
    cli.today = "2026-09-10"
    cli("followup", "Nina", "--on", "2026-09-10")
    assert latest_followup(cli, "Nina") == ("2026-09-24", "cadence")  # every 14 days at the start
    cli.today = "2026-10-05"
    cli("followup", "Nina", "--on", "2026-10-05")
    assert latest_followup(cli, "Nina") == ("2026-11-04", "cadence")  # then every 30


def test_entering_trin3_recomputes_the_due_date_from_its_start(tmp_path):
    cli = Cli(tmp_path / "f.db", today="2027-01-20")
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-01-05")
    cli("followup", "Nina", "--on", "2027-01-15")
    assert latest_followup(cli, "Nina") == ("2027-02-12", "cadence")  # 14-02 is a Sunday
    cli("advance", "Nina", "--to", "trin3", "--force", "--reason", "agreement signed", "--on", "2027-01-20")
    assert latest_followup(cli, "Nina") == ("2027-01-29", "cadence")  # intensive: trin 3 has just begun


def test_a_new_stay_in_trin3_after_a_dropout_starts_a_new_year(tmp_path):
    cli = trin3_from_september(tmp_path)
    cli.today = "2027-06-01"
    cli("end", "Nina", "--outcome", "dropout", "--on", "2027-05-01")  # back to trin 2
    cli("advance", "Nina", "--to", "trin3", "--force", "--reason", "new agreement", "--on", "2027-06-01")
    cli("followup", "Nina", "--on", "2027-06-01")
    assert latest_followup(cli, "Nina") == ("2027-06-15", "cadence")  # intensive again: a new employment
    cli.today = "2027-12-01"
    cli("followup", "Nina", "--on", "2027-12-01")
    assert latest_followup(cli, "Nina") == ("2027-12-31", "cadence")  # well past 01-09-2027


@pytest.mark.parametrize("leave", [("end", "Nina", "--outcome", "job", "--on", "2026-11-02"),
                                   ("advance", "Nina", "--on", "2026-11-02")])
def test_a_job_in_trin3_goes_on_into_after_care_and_the_contact_goes_on(tmp_path, leave):
    cli = trin3_from_september(tmp_path)
    cli.today = "2026-11-02"
    cli("hours", "Nina", "--month", "2026-10", "--ordinary", "32")
    cli("followup", "Nina", "--on", "2026-10-20")
    result = cli(*leave)
    assert "After-care" in result.stdout
    card = cli.json("show", "Nina")
    [enrollment] = card["enrollments"]
    assert (enrollment["status"], enrollment["phase"]) == ("active", "eftervaern")
    assert latest_followup(cli, "Nina") == ("2026-11-19", "cadence")  # the same monthly cadence
    assert due_followups(cli, "2026-11-16", "aftercare") == [("Nina Holm", "2026-11-19")]
    assert due_followups(cli, "2026-11-16") == []
    cli.today = "2027-07-30"
    cli("followup", "Nina", "--on", "2027-07-30")
    assert latest_followup(cli, "Nina") == ("2027-08-27", "cadence")  # the year still counts from trin 3
    cli.today = "2027-08-31"
    cli("followup", "Nina", "--on", "2027-08-31")
    assert latest_followup(cli, "Nina") == (None, "cadence")
    assert due_followups(cli, "2027-09-01", "aftercare") == []
