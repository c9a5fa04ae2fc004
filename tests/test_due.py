"""`fleksrun due`: the consultant's week, built through the front door on a small, known caseload."""

from __future__ import annotations

import pytest

from conftest import Cli

SCENARIO = [
    ("company", "add", "Bageriet", "--employees", "12"),
    ("company", "add", "Lagerhuset", "--employees", "60"),
    # øvebane: practice days this week (Tuesday; Skærtorsdag is skipped)
    ("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-30"),
    ("schedule", "Mette", "--company", "Bageriet", "--start", "2026-03-31", "--weeks", "13", "--days", "tue,thu",
     "--hours", "4"),
    # Virksomhedscenter: a 20-week track that passes the 13-week limit in week 15; missing attendance
    ("enroll", "Jens Nielsen", "--program", "virksomhedscenter", "--start", "2026-01-05"),
    ("schedule", "Jens", "--company", "Lagerhuset", "--start", "2026-01-05", "--weeks", "20", "--days", "mon,wed",
     "--hours", "5"),
    ("followup", "Jens", "--on", "2026-03-27"),
    # a track that ends within 14 days
    ("enroll", "Kim Larsen", "--program", "virksomhedscenter", "--start", "2026-03-02"),
    ("schedule", "Kim", "--company", "Bageriet", "--start", "2026-03-02", "--weeks", "6", "--days", "mon,wed",
     "--hours", "3"),
    ("followup", "Kim", "--on", "2026-03-27"),
    # Jobgaranti: an overdue follow-up; a citizen ready to leave trin 1; one close to 30 hours in March
    ("enroll", "Ahmed Ali", "--program", "jobgaranti", "--start", "2026-01-05"),
    ("followup", "Ahmed", "--on", "2026-02-01"),
    ("enroll", "Omar Berg", "--program", "jobgaranti", "--start", "2026-03-02"),
    ("mark", "Omar", "visitation", "--on", "2026-03-10"),
    ("mark", "Omar", "cv", "--on", "2026-03-10"),
    ("mark", "Omar", "job_goal", "--on", "2026-03-10"),
    ("mark", "Omar", "jobformidler", "--on", "2026-03-10"),
    ("followup", "Omar", "--on", "2026-03-27", "--next", "2026-04-02"),
    ("enroll", "Sara Holm", "--program", "jobgaranti", "--start", "2026-01-05"),
    ("advance", "Sara", "--force", "--reason", "agreement signed on paper", "--on", "2026-01-12"),
    ("advance", "Sara", "--force", "--reason", "agreement signed on paper", "--on", "2026-01-19"),
    ("hours", "Sara", "--month", "2026-03", "--ordinary", "20", "--practice", "10"),
    ("followup", "Sara", "--on", "2026-03-20"),
    # Rampen: a per-citizen cadence of 14 days
    ("enroll", "Bente Dahl", "--program", "rampen", "--start", "2026-02-02"),
    ("edit", "Bente", "--followup-every", "14"),
    ("followup", "Bente", "--on", "2026-03-20"),
    # øvebane after a flex job: after-care
    ("enroll", "Sofie Lund", "--program", "ovebane", "--start", "2025-11-03"),
    ("end", "Sofie", "--outcome", "flexjob", "--on", "2026-03-02"),
    ("followup", "Sofie", "--on", "2026-03-02"),
    # Aalborg: enrolled, first contact today
    ("enroll", "Per Holm", "--program", "fleksjob_aalborg", "--start", "2026-03-30", "--group", "newly_approved"),
]


@pytest.fixture
def week(tmp_path) -> Cli:
    cli = Cli(tmp_path / "week.db", today="2026-03-30")
    for args in SCENARIO:
        cli(*args)
    return cli


def kinds_of(items, citizen):
    return sorted({i["kind"] for i in items if i["citizen"] == citizen})


def test_every_kind_of_item_with_the_right_citizen_and_date(week):
    doc = week.json("due", "--week", "2026-W14")
    items = doc["items"]
    assert {i["kind"] for i in items} == {
        "followup", "aftercare", "practice_day", "attendance_missing", "ready_to_advance", "hours_at_risk",
        "placement_ending", "practice_limit", "data_missing",
    }
    by = {(i["kind"], i["citizen"], i["date"]) for i in items}
    assert ("practice_day", "Mette Hansen", "2026-03-31") in by
    assert ("followup", "Ahmed Ali", "2026-03-30") in by  # overdue items are listed today
    assert ("followup", "Omar Berg", "2026-04-02") in by  # the date set by hand
    assert ("followup", "Bente Dahl", "2026-04-01") in by  # 14 days after 20-03 is Langfredag: moved back
    assert ("aftercare", "Sofie Lund", "2026-04-01") in by
    assert ("ready_to_advance", "Omar Berg", "2026-03-30") in by
    assert ("hours_at_risk", "Sara Holm", "2026-03-30") in by
    assert ("data_missing", "Sara Holm", "2026-03-30") in by  # nothing recorded for February
    assert ("attendance_missing", "Jens Nielsen", "2026-03-25") in by
    assert any(k == "placement_ending" and c == "Kim Larsen" for k, c, _ in by)
    assert any(k == "practice_limit" and c == "Jens Nielsen" for k, c, _ in by)
    ahmed = next(i for i in items if i["citizen"] == "Ahmed Ali" and i["kind"] == "followup")
    assert ahmed["overdue_days"] == (30 + 15)  # due 13-02 (14 days after 01-02 is a Sunday), today 30-03
    sara = next(i for i in items if i["kind"] == "hours_at_risk")
    assert "20 of 30 ordinary hours in March 2026" in sara["text"] and "10 to go" in sara["text"]


def test_overdue_items_come_first(week):
    items = week.json("due", "--week", "2026-W14")["items"]
    overdue = [i["overdue_days"] > 0 for i in items]
    assert overdue == sorted(overdue, reverse=True)
    assert overdue[0] is True
    assert [i["overdue_days"] for i in items if i["overdue_days"]] == sorted(
        [i["overdue_days"] for i in items if i["overdue_days"]], reverse=True)


def test_week_forms_agree_and_span_monday_to_sunday(week):
    a = week.json("due", "--week", "2026-W14")
    b = week.json("due", "--week", "uge 14")
    assert a == b
    assert (a["from"], a["to"], a["today"]) == ("2026-03-30", "2026-04-05", "2026-03-30")


def test_the_table_groups_by_day_with_overdue_first(week):
    text = week("due", "--week", "uge 14").stdout
    assert text.index("Overdue") < text.index("Monday 30-03-2026") < text.index("Tuesday 31-03-2026")
    assert "Follow up with Ahmed Ali: due 13-02-2026, 45 days overdue." in text
    assert "Bageriet (1): Mette Hansen 4 h" in " ".join(text.split())


def test_items_disappear_once_done(week):
    before = week.json("due", "--week", "2026-W14")["items"]
    assert ("attendance_missing", "2026-03-25") in {(i["kind"], i["date"]) for i in before if i["citizen"] == "Jens Nielsen"}
    week("attend", "Jens", "2026-03-25", "--hours", "5")
    week("followup", "Ahmed", "--on", "2026-03-30")
    week("advance", "Omar")
    after = week.json("due", "--week", "2026-W14")["items"]
    assert ("attendance_missing", "2026-03-25") not in {(i["kind"], i["date"]) for i in after if i["citizen"] == "Jens Nielsen"}
    assert not any(i["citizen"] == "Ahmed Ali" and i["kind"] == "followup" and i["overdue_days"] for i in after)
    assert not any(i["kind"] == "ready_to_advance" and i["citizen"] == "Omar Berg" for i in after)


def test_json_contract(week):
    doc = week.json("due", "--week", "2026-W14")
    assert set(doc) == {"today", "from", "to", "days_off", "items"}
    for item in doc["items"]:
        assert set(item) == {"date", "kind", "citizen_id", "citizen", "company", "program", "text", "overdue_days"}
        assert isinstance(item["overdue_days"], int)
    day = next(i for i in doc["items"] if i["kind"] == "practice_day" and i["citizen"] == "Mette Hansen")
    assert day == {"date": "2026-03-31", "kind": "practice_day", "citizen_id": 1, "citizen": "Mette Hansen",
                   "company": "Bageriet", "program": "ovebane", "text": "Mette Hansen 4 h", "overdue_days": 0}


def test_filters(week):
    only_jens = week.json("due", "--week", "2026-W14", "--citizen", "Jens")["items"]
    assert only_jens and {i["citizen"] for i in only_jens} == {"Jens Nielsen"}
    bageriet = week.json("due", "--week", "2026-W14", "--company", "Bageriet")["items"]
    assert bageriet and {i["company"] for i in bageriet} == {"Bageriet"}
    followups = week.json("due", "--week", "2026-W14", "--kind", "followup,aftercare")["items"]
    assert {i["kind"] for i in followups} == {"followup", "aftercare"}
    result = week("due", "--kind", "nonsense", code=2)
    assert "nonsense" in result.stderr


def test_an_empty_week_is_one_sentence(cli):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    result = cli("due")
    assert result.stdout.strip().startswith("Nothing is due from 30-03-2026 to 05-04-2026")
    assert result.stdout.strip().count("\n") == 0
    assert cli.json("due")["items"] == []


def test_week_and_days_together_are_refused(cli):
    assert cli("due", "--week", "uge 14", "--days", "3", code=2).stderr


def _sara_in_trin3(cli: Cli) -> None:
    cli("company", "add", "Bageriet", "--employees", "12")
    cli("enroll", "Sara Holm", "--program", "jobgaranti", "--start", "2026-01-05")
    cli("advance", "Sara", "--force", "--reason", "agreement signed on paper", "--on", "2026-01-12")
    cli("advance", "Sara", "--force", "--reason", "agreement signed on paper", "--on", "2026-01-19")
    cli("hours", "Sara", "--month", "2026-02", "--ordinary", "26")


def _risk(cli: Cli) -> list[str]:
    return [i["text"] for i in cli.json("due")["items"] if i["kind"] == "hours_at_risk"]


def test_hours_at_risk_early_when_the_days_planned_cannot_reach_the_target(tmp_path):
    cli = Cli(tmp_path / "early.db", today="2026-03-03")
    _sara_in_trin3(cli)
    # Ordinary work on Mondays and Wednesdays, 3 h: one day worked, 8 more planned in March (24 h).
    cli("schedule", "Sara", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-03-02",
        "--weeks", "5", "--days", "mon,wed", "--hours", "3")
    cli("attend", "Sara", "2026-03-02", "--hours", "3")
    assert _risk(cli) == ["Sara Holm has 3 of 30 ordinary hours in March 2026, and the days planned add 24 h — "
                          "3 h short: plan more hours or renegotiate the agreement."]
    cli("schedule", "Sara", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-03-06",
        "--weeks", "1", "--days", "fri", "--hours", "4")
    assert _risk(cli) == []  # 3 + 24 + 4 h reach the target
    # A figure recorded for the month stands in for its days (1 + 28 h would reach the target):
    # then only the month's end tells, and 1 h is not yet half-way.
    cli("hours", "Sara", "--month", "2026-03", "--ordinary", "1")
    assert _risk(cli) == []


def test_hours_at_risk_stays_once_the_months_last_planned_day_is_worked(tmp_path):
    cli = Cli(tmp_path / "done.db", today="2026-03-09")
    _sara_in_trin3(cli)
    cli("schedule", "Sara", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-03-02",
        "--weeks", "1", "--days", "mon-fri", "--hours", "3")
    for day in ("02", "03", "04", "05", "06"):
        cli("attend", "Sara", f"2026-03-{day}", "--hours", "3")
    assert _risk(cli) == ["Sara Holm has 15 of 30 ordinary hours in March 2026, and the days planned add 0 h — "
                          "15 h short: plan more hours or renegotiate the agreement."]


def test_late_in_the_month_a_plan_with_no_day_to_spare_is_a_risk_and_a_spare_day_ends_it(tmp_path):
    cli = Cli(tmp_path / "spare.db", today="2026-03-23")  # 9 days of March left
    _sara_in_trin3(cli)
    # Mondays, Wednesdays and Fridays at 5 h from 16 March: 6 days, exactly 30 h; three worked.
    cli("schedule", "Sara", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-03-16",
        "--weeks", "2", "--days", "mon,wed,fri", "--hours", "5")
    for day in ("16", "18", "20"):
        cli("attend", "Sara", f"2026-03-{day}", "--hours", "5")
    assert _risk(cli) == ["Sara Holm reaches 30 ordinary hours in March 2026 only if every planned day is worked "
                          "(15 h so far, 15 h planned, 9 days left): plan a spare day."]
    cli("company", "add", "Kantinen")
    cli("schedule", "Sara", "--company", "Kantinen", "--kind", "ordinary", "--start", "2026-03-24",
        "--count", "1", "--days", "tue", "--hours", "5")
    assert _risk(cli) == []  # 35 h planned: one day may be missed


def test_a_plan_with_no_day_to_spare_is_not_a_risk_early_in_the_month(tmp_path):
    cli = Cli(tmp_path / "early_spare.db", today="2026-03-16")  # 16 days left: time to plan more
    _sara_in_trin3(cli)
    cli("schedule", "Sara", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-03-16",
        "--weeks", "2", "--days", "mon,wed,fri", "--hours", "5")
    assert _risk(cli) == []


def test_a_past_day_not_yet_recorded_still_counts_as_planned(tmp_path):
    cli = Cli(tmp_path / "late.db", today="2026-03-03")
    _sara_in_trin3(cli)
    # Mondays and Wednesdays at 3.5 h: 9 days, 31.5 h in March; 02-03 is not recorded yet.
    cli("schedule", "Sara", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-03-02",
        "--weeks", "5", "--days", "mon,wed", "--hours", "3.5")
    assert _risk(cli) == []


def test_planned_days_without_hours_foretell_nothing(tmp_path):
    cli = Cli(tmp_path / "nohours.db", today="2026-03-03")
    _sara_in_trin3(cli)
    cli("schedule", "Sara", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-03-02",
        "--weeks", "5", "--days", "mon,wed")
    assert _risk(cli) == []


def test_days_of_an_ended_enrollment_foretell_nothing(tmp_path):
    cli = Cli(tmp_path / "ended.db", today="2026-03-03")
    cli("company", "add", "Bageriet", "--employees", "12")
    cli("enroll", "Sara Holm", "--program", "rampen", "--start", "2026-01-05")
    # 16 days at 4 h in March, still planned after the end: they are not this enrollment's work.
    cli("schedule", "Sara", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-03-02",
        "--weeks", "5", "--days", "mon,tue,thu,fri", "--hours", "4")
    cli("end", "Sara", "--outcome", "other", "--on", "2026-03-02")
    cli("enroll", "Sara Holm", "--existing", "--program", "jobgaranti", "--start", "2026-01-05")
    cli("advance", "Sara", "--force", "--reason", "agreement signed on paper", "--on", "2026-01-12")
    cli("advance", "Sara", "--force", "--reason", "agreement signed on paper", "--on", "2026-01-19")
    cli("schedule", "Sara", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-03-04",
        "--weeks", "1", "--days", "wed", "--hours", "4")
    assert _risk(cli) == ["Sara Holm has 0 of 30 ordinary hours in March 2026, and the days planned add 4 h — "
                          "26 h short: plan more hours or renegotiate the agreement."]


def test_days_in_agenda_texts_are_counted_in_the_right_number(tmp_path):
    cli = Cli(tmp_path / "one.db", today="2026-03-31")
    cli("enroll", "Bente Dahl", "--program", "rampen", "--start", "2026-02-02")
    cli("edit", "Bente", "--followup-every", "14")
    cli("followup", "Bente", "--on", "2026-03-16")
    texts = [i["text"] for i in cli.json("due")["items"] if i["kind"] == "followup"]
    assert texts == ["Follow up with Bente Dahl: due 30-03-2026, 1 day overdue."]
