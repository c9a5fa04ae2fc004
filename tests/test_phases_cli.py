"""mark, check, advance, end and the phase story, through the front door."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import Cli, file_digest
from phase_fixtures import days, monthly, placement

TRIN1 = ("visitation", "cv", "job_goal", "jobformidler")
TRIN2 = ("agreement", "followup_plan", "company_contact")
# Their names, as `check` says what is missing.
AGREEMENT = "Employment and/or practice agreement signed (tasks, working hours, sub-goals, health considerations)"
JOB_GOAL = "Direction set for the wished-for job or job area"
FOLLOWUP_PLAN, CONTACT = "Follow-up plan made", "Fixed contact person at the company named"


def in_trin3(cli: Cli, name: str = "Nina Holm") -> None:
    """A Jobgaranti citizen who went through trin 1 and 2 by the rules and is in trin 3 from 02-02-2026."""
    cli("enroll", name, "--program", "jobgaranti", "--start", "2026-01-05")
    for item in TRIN1:
        cli("mark", name, item, "--on", "2026-01-20")
    cli("advance", name, "--on", "2026-01-21")
    for item in TRIN2:
        cli("mark", name, item, "--on", "2026-02-01")
    cli("advance", name, "--on", "2026-02-02")


def hours_rule(doc: dict) -> dict:
    [item] = doc["items"]
    return next(r for r in item["rules"] if r["kind"] == "ordinary_hours_month")


# -- 1. Jobgaranti trin 3: 30 ordinary hours in one calendar month --------------------------------------

def test_trin3_is_not_yet_at_28_5_ordinary_hours_and_ready_at_30(cli, tmp_path):
    in_trin3(cli)
    monthly(cli.db, 1, "2026-04", ordinary=28.5, practice=16, subsidised=20)
    april = Cli(cli.db, today="2026-04-30")
    result = april("check", "Nina")
    assert "not yet" in result.stdout
    assert "1.5 to go" in result.stdout
    doc = april.json("check")
    assert doc["items"][0]["ready"] is False
    assert hours_rule(doc) == {"kind": "ordinary_hours_month", "met": False, "detail":
                               "28.5 of 30 ordinary hours in April 2026 — 1.5 to go "
                               "(36 practice, subsidised or flex-job hours do not count)"}

    monthly(cli.db, 1, "2026-05", ordinary=30)
    june = Cli(cli.db, today="2026-06-01")
    doc = june.json("check")
    assert doc["items"][0]["ready"] is True
    assert hours_rule(doc) == {"kind": "ordinary_hours_month", "met": True,
                               "detail": "30 of 30 ordinary hours in May 2026"}
    assert "ready to move on" in june("check").stdout


def test_subsidised_and_practice_hours_never_count_as_ordinary(cli):
    in_trin3(cli)
    # 40 subsidised hours from attended days and 35 practice hours from a timesheet, in May
    subsidised = placement(cli.db, 1, "subsidised", "2026-05-01", "2026-05-31")
    days(cli.db, subsidised, [dt.date(2026, 5, d) for d in (5, 7, 12, 14, 19, 21, 26, 28, 29, 30)], hours=4)
    monthly(cli.db, 1, "2026-05", practice=35, ordinary=29)
    doc = Cli(cli.db, today="2026-06-01").json("check")
    assert doc["items"][0]["ready"] is False
    assert hours_rule(doc)["detail"].startswith("29 of 30 ordinary hours in May 2026 — 1 to go (75 ")


def test_ordinary_hours_from_attended_days_count(cli):
    in_trin3(cli)
    ordinary = placement(cli.db, 1, "ordinary", "2026-03-01", "2026-03-31")
    days(cli.db, ordinary, [dt.date(2026, 3, d) for d in (3, 5, 10, 12, 17, 19, 24, 26)], hours=3.75)
    doc = cli.json("check")
    assert hours_rule(doc) == {"kind": "ordinary_hours_month", "met": True,
                               "detail": "30 of 30 ordinary hours in March 2026"}


def test_check_json_keys_are_the_contract(cli):
    in_trin3(cli)
    cli("enroll", "Ole Berg", "--program", "rampen", "--start", "2026-02-01")
    doc = cli.json("check")
    assert doc["today"] == "2026-03-30"
    assert [i["citizen"] for i in doc["items"]] == ["Nina Holm", "Ole Berg"]
    for item in doc["items"]:
        assert {"citizen_id", "citizen", "program", "phase", "ready", "rules"} <= set(item)
        for rule in item["rules"]:
            assert set(rule) == {"kind", "met", "detail"}
    assert doc["items"][1] == {
        "enrollment_id": 2, "citizen_id": 2, "citizen": "Ole Berg", "program": "rampen", "phase": "opstart",
        "phase_entered": "2026-02-01", "mode": "all", "ready": False,
        "rules": [{"kind": "checklist", "met": False,
                   "detail": "missing: Contact person from SIND Erhverv assigned, Start questionnaire answered, "
                             "List of 3–5 companies the citizen can see themselves in"}],
    }


def test_check_with_a_limit_shows_the_first_by_name_and_says_how_many_more(cli):
    in_trin3(cli)
    cli("enroll", "Ole Berg", "--program", "rampen", "--start", "2026-02-01")
    cli("enroll", "Ane Dal", "--program", "rampen", "--start", "2026-03-02")
    result = cli("check", "-n", "1")
    assert result.stdout.startswith("Exit rules (3)")
    assert "Ane Dal" in result.stdout and "Nina Holm" not in result.stdout and "Ole Berg" not in result.stdout
    assert "… and 2 more rows" in result.stdout
    assert "Exit rules (1)" in cli("check", "Ole", "-n", "1").stdout
    everyone = cli("check", "-n", "0").stdout
    assert all(name in everyone for name in ("Ane Dal", "Nina Holm", "Ole Berg")) and "more rows" not in everyone


def test_check_with_nobody_active_prints_one_sentence(cli):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    result = cli("check")
    assert result.stdout.strip() == "No active enrollments to check: enroll a citizen with `fleksrun enroll`."
    assert cli.json("check") == {"today": "2026-03-30", "items": []}


# -- 2. Trin 1: the checklist, a refused advance, and a forced one -------------------------------------------

def test_trin1_is_ready_only_when_all_four_items_are_marked(cli):
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    for item in TRIN1[:3]:
        cli("mark", "Nina", item)
        assert cli.json("check")["items"][0]["ready"] is False
    cli("mark", "Nina", "jobformidler")
    doc = cli.json("check")
    assert doc["items"][0]["ready"] is True
    assert doc["items"][0]["rules"] == [{"kind": "checklist", "met": True, "detail": "all 4 checklist items ticked"}]


def test_advance_before_the_checklist_is_done_exits_3_naming_what_is_missing_and_writes_nothing(cli):
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    cli("mark", "Nina", "visitation")
    cli("mark", "Nina", "jobformidler")
    before = file_digest(cli.db)
    result = cli("advance", "Nina", code=3)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"missing: CV made, {JOB_GOAL}" in result.stderr and "--force --reason" in result.stderr
    assert cli.json("advance", "Nina", code=3)["error"]["code"] == "refused"
    cli("advance", "Nina", "--force", code=2)  # forcing needs a reason
    assert file_digest(cli.db) == before
    assert cli.json("show", "Nina")["enrollments"][0]["phase"] == "trin1"


def test_forced_advance_moves_on_and_records_the_reason_and_that_it_was_forced(cli):
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    result = cli("advance", "Nina", "--force", "--reason", "CV made at the language school", "--on", "2026-03-20")
    assert "forced: CV made at the language school" in result.stdout
    phases = cli.json("show", "Nina")["enrollments"][0]["phases"]
    assert [(p["phase"], p["entered"], p["left"], p["forced"], p["how"], p["reason"]) for p in phases] == [
        ("trin1", "2026-03-02", "2026-03-20", False, "start", None),
        ("trin2", "2026-03-20", None, True, "forced", "CV made at the language school"),
    ]


def test_advance_when_ready_needs_no_force_and_the_last_phase_is_refused(cli):
    in_trin3(cli)
    phases = cli.json("show", "Nina")["enrollments"][0]["phases"]
    assert [(p["phase"], p["how"], p["forced"]) for p in phases] == [
        ("trin1", "start", False), ("trin2", "advance", False), ("trin3", "advance", False)]
    cli("advance", "Nina", "--force", "--reason", "x")  # trin 3 goes on into after-care
    result = cli("advance", "Nina", "--force", "--reason", "x", code=3)
    assert "last phase" in result.stderr and "fleksrun end" in result.stderr


@pytest.mark.parametrize("args, words", [
    (("mark", "Nina", "passport"), "visitation, cv, job_goal, jobformidler"),
    (("mark", "Nina", "cv", "--undo"), "nothing to undo"),
    (("mark", "Nina", "cv", "--on", "2026-04-02"), "after today"),
    (("advance", "Nina", "--to", "trin9", "--force", "--reason", "x"), "trin9"),
    (("advance", "Nina", "--to", "trin1"), "already in Step 1: Clarification"),
    (("advance", "Nina", "--on", "2026-02-01", "--force", "--reason", "x"), "before Nina Holm entered trin1"),
    (("end", "Nina", "--outcome", "holiday"), "flexjob, job, education, dropout, rehab, moved or other"),
    (("end", "Nobody", "--outcome", "job"), "Nobody"),
])
def test_wrong_input_exits_2_with_one_sentence_and_writes_nothing(cli, args, words):
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    before = file_digest(cli.db)
    result = cli(*args, code=2)
    assert words in result.stderr
    assert result.stderr.count("\n") == 1
    assert file_digest(cli.db) == before


def test_mark_accepts_dashes_redates_and_undoes(cli):
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    assert f"Ticked {JOB_GOAL}" in cli("mark", "Nina", "Job-Goal", "--on", "2026-03-10").stdout
    assert "already ticked" in cli("mark", "Nina", "job_goal", "--on", "10-03-2026").stdout
    assert "Changed the date" in cli("mark", "Nina", "job_goal").stdout
    card = cli.json("show", "Nina")
    assert card["enrollments"][0]["checklist"] == [{"phase": "trin1", "item": "job_goal", "done_on": "2026-03-30"}]
    assert f"Unticked {JOB_GOAL}" in cli("mark", "Nina", "job_goal", "--undo").stdout
    assert cli.json("show", "Nina")["enrollments"][0]["checklist"] == []


def test_a_citizen_in_several_programmes_needs_program(cli):
    cli("enroll", "Nina Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    cli("enroll", "Nina", "--existing", "--program", "rampen", "--start", "2026-03-02")
    result = cli("mark", "Nina", "cv", code=2)
    assert "jobgaranti, rampen" in result.stderr and "--program" in result.stderr
    cli("mark", "Nina", "cv", "--program", "jobgaranti")
    assert len(cli.json("check", "Nina")["items"]) == 2


# -- 4. end: dropout back to trin 2, rehab, and after-care -------------------------------------------

def test_dropout_in_trin3_returns_to_trin2_keeps_the_history_and_show_tells_the_story(cli):
    in_trin3(cli)
    result = cli("end", "Nina", "--outcome", "dropout", "--on", "2026-03-10")
    assert "back in Step 2: On the way to a job" in result.stdout
    card = cli.json("show", "Nina")
    [enrollment] = card["enrollments"]
    assert (enrollment["status"], enrollment["outcome"], enrollment["phase"]) == ("active", None, "trin2")
    assert [(p["phase"], p["how"], p["entered"], p["left"]) for p in enrollment["phases"]] == [
        ("trin1", "start", "2026-01-05", "2026-01-21"),
        ("trin2", "advance", "2026-01-21", "2026-02-02"),
        ("trin3", "advance", "2026-02-02", "2026-03-10"),
        ("trin2", "dropout", "2026-03-10", None),
    ]
    # The first stay in trin 2 keeps its ticks in the story; the new stay starts its checklist again.
    assert [t["item"] for t in enrollment["phases"][1]["ticked"]] == ["agreement", "company_contact", "followup_plan"]
    assert enrollment["phases"][3]["ticked"] == []
    rules = cli.json("check", "Nina")["items"][0]["rules"]
    assert rules == [{"kind": "checklist", "met": False,
                      "detail": f"missing: {AGREEMENT}, {FOLLOWUP_PLAN}, {CONTACT}"}]

    text = cli("show", "Nina").stdout
    story = [text.index(word) for word in ("enrolled", "advanced", "back after dropout")]
    assert story == sorted(story)
    assert text.index("10-03-2026") < text.index("back after dropout")


def test_rehab_ends_the_enrollment_for_the_rehabilitation_team(cli):
    in_trin3(cli)
    result = cli("end", "Nina", "--outcome", "rehab")
    assert "Ended Nina Holm's enrollment in jobgaranti on 30-03-2026 with outcome rehabilitation team." in result.stdout
    [enrollment] = cli.json("show", "Nina")["enrollments"]
    assert (enrollment["status"], enrollment["end"], enrollment["outcome"]) == ("ended", "2026-03-30", "rehab")
    assert enrollment["phases"][-1]["left"] == "2026-03-30"
    assert cli.json("check")["items"] == []
    assert "Outcome: rehab" in cli("show", "Nina").stdout
    cli("end", "Nina", "--outcome", "job", code=2)  # nothing active any more


def test_a_flex_job_in_ovebane_moves_on_into_after_care_with_its_own_cadence(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-01-05")
    cli("advance", "Mette", "--force", "--reason", "practice ended early", "--on", "2026-03-02")
    cli("followup", "Mette", "--on", "2026-03-20")
    # 14 days in job search: 03-04 is Langfredag and 02-04 Skærtorsdag, so it moves back to 01-04
    assert cli.json("show", "Mette")["followups"][0]["next_due"] == "2026-04-01"
    result = cli("end", "Mette", "--outcome", "flexjob", "--on", "2026-03-23")
    assert "is now in the phase After-care" in result.stdout
    card = cli.json("show", "Mette")
    [enrollment] = card["enrollments"]
    assert (enrollment["status"], enrollment["outcome"], enrollment["phase"]) == ("active", "flexjob", "eftervaern")
    assert enrollment["phases"][-1]["how"] == "aftercare"
    # the latest contact's due date now follows after-care's cadence (every 30 days)
    latest = card["followups"][0]
    assert (latest["next_due"], latest["next_due_rule"]) == ("2026-04-17", "cadence")  # 19-04 is a Sunday
    cli("end", "Mette", "--outcome", "job")
    assert cli.json("show", "Mette")["enrollments"][0]["status"] == "ended"


# -- 5. Virksomhedscenter: 13 consecutive weeks of attended practice ------------------------------------

def practice_weeks(cli: Cli, absent_weeks: tuple[int, ...] = (), reason: str = "sick") -> None:
    """Tue and Thu practice for 13 weeks from Tue 31-03-2026; in ``absent_weeks`` only absences."""
    pid = placement(cli.db, 1, "practice", "2026-03-31", "2026-06-25")
    for week in range(13):
        tue = dt.date(2026, 3, 31) + dt.timedelta(weeks=week)
        days(cli.db, pid, [tue, tue + dt.timedelta(days=2)], status="absent" if week in absent_weeks else "attended",
             reason=reason)


def continuous_rule(cli: Cli) -> dict:
    doc = Cli(cli.db, today="2026-06-30").json("check")
    return next(r for r in doc["items"][0]["rules"] if r["kind"] == "continuous_practice_weeks")


def test_virksomhedscenter_13_consecutive_weeks_of_attended_practice_meet_the_rule(cli):
    cli("enroll", "Ali Kaya", "--program", "virksomhedscenter", "--start", "2026-03-30")
    practice_weeks(cli)
    assert continuous_rule(cli) == {"kind": "continuous_practice_weeks", "met": True,
                                    "detail": "practice in 13 consecutive weeks, week 14 to week 26"}
    cli("mark", "Ali", "mentor_match")
    cli("mark", "Ali", "clear_goals")
    assert Cli(cli.db, today="2026-06-30").json("check")["items"][0]["ready"] is True


def test_a_sick_week_keeps_the_run_going(cli):
    cli("enroll", "Ali Kaya", "--program", "virksomhedscenter", "--start", "2026-03-30")
    practice_weeks(cli, absent_weeks=(6,))
    assert continuous_rule(cli) == {"kind": "continuous_practice_weeks", "met": True,
                                    "detail": "practice in 13 consecutive weeks, week 14 to week 26"}


def test_two_unexplained_weeks_in_a_row_break_the_run(cli):
    cli("enroll", "Ali Kaya", "--program", "virksomhedscenter", "--start", "2026-03-30")
    practice_weeks(cli, absent_weeks=(6, 7), reason="no-show")
    assert continuous_rule(cli) == {"kind": "continuous_practice_weeks", "met": False,
                                    "detail": "practice in 6 consecutive weeks of 13, week 14 to week 19"}


# -- 6. ticks belong to a stay; Rampen's end questionnaire in any phase and after the end ---------------

def ticks(cli: Cli, name: str) -> list[tuple[str, str, str, int | None]]:
    import sqlite3

    conn = sqlite3.connect(cli.db)
    try:
        return conn.execute("SELECT phase, item, done_on, stay FROM checklist ORDER BY id").fetchall()
    finally:
        conn.close()


def test_re_ticking_after_a_dropout_adds_a_tick_for_the_new_stay_and_keeps_the_first(cli):
    in_trin3(cli)
    cli("end", "Nina", "--outcome", "dropout", "--on", "2026-03-10")  # back in trin 2 (phase row 4)
    assert cli.json("mark", "Nina", "agreement", "--on", "2026-03-20")["action"] == "done"
    assert cli.json("mark", "Nina", "agreement", "--on", "2026-03-21")["action"] == "redated"  # same stay
    trin2 = [t for t in ticks(cli, "Nina") if t[0] == "trin2"]
    assert trin2 == [("trin2", "agreement", "2026-02-01", 2), ("trin2", "followup_plan", "2026-02-01", 2),
                     ("trin2", "company_contact", "2026-02-01", 2), ("trin2", "agreement", "2026-03-21", 4)]
    [enrollment] = cli.json("show", "Nina")["enrollments"]
    assert len(enrollment["phases"][1]["ticked"]) == 3  # the first stay keeps its ticks
    rules = cli.json("check", "Nina")["items"][0]["rules"]
    assert rules == [{"kind": "checklist", "met": False, "detail": f"missing: {FOLLOWUP_PLAN}, {CONTACT}"}]
    cli("mark", "Nina", "agreement", "--undo")  # unticks the new stay's tick only
    assert [t[3] for t in ticks(cli, "Nina") if t[:2] == ("trin2", "agreement")] == [2]


def test_rampen_end_questionnaire_can_be_ticked_in_any_phase_and_after_the_end(cli):
    cli("enroll", "Ole Berg", "--program", "rampen", "--start", "2026-03-02")
    cli("enroll", "Eva Lund", "--program", "rampen", "--start", "2026-03-02")
    # Ole leaves from the first phase and answers the end questionnaire before he goes
    doc = cli.json("mark", "Ole", "end-questionnaire", "--on", "2026-03-10")
    assert (doc["phase"], doc["action"]) == ("fastholdelse", "done")
    cli("end", "Ole", "--outcome", "moved", "--on", "2026-03-12")
    assert cli.json("mark", "Ole", "end_questionnaire", "--on", "2026-03-10")["action"] == "already"
    # Eva ends first and answers it afterwards
    cli("end", "Eva", "--outcome", "dropout", "--on", "2026-03-12")
    doc = cli.json("mark", "Eva", "end_questionnaire", "--on", "2026-03-20")
    assert (doc["phase"], doc["action"], doc["program"]) == ("fastholdelse", "done", "rampen")
    assert ticks(cli, "Eva")[-1] == ("fastholdelse", "end_questionnaire", "2026-03-20", 2)  # Eva's last stay
    # only an anytime item: any other item is not to be ticked after the end
    result = cli("mark", "Eva", "company_list", code=2)
    assert "no active enrollment" in result.stderr
    cli("mark", "Eva", "end_questionnaire", "--undo")
    assert [t for t in ticks(cli, "Eva") if t[1] == "end_questionnaire"] == [
        ("fastholdelse", "end_questionnaire", "2026-03-10", 1)]  # Ole's stays


def test_an_item_of_another_phase_that_is_not_anytime_is_still_refused(cli):
    cli("enroll", "Ole Berg", "--program", "rampen", "--start", "2026-03-02")
    result = cli("mark", "Ole", "initial_meeting", code=2)
    assert "contact_person, start_questionnaire, company_list" in result.stderr


def test_m008_gives_the_ticks_of_an_older_file_their_stays(cli):
    import sqlite3

    in_trin3(cli)
    cli("end", "Nina", "--outcome", "dropout", "--on", "2026-03-10")  # trin2 again: phase row 4
    conn = sqlite3.connect(cli.db)
    try:  # the file as m007 left it: one tick per (enrollment, phase, item), no stay
        conn.executescript("""
            DROP TABLE checklist;
            CREATE TABLE checklist (id INTEGER PRIMARY KEY, enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
                phase TEXT NOT NULL, item TEXT NOT NULL, done_on TEXT NOT NULL, UNIQUE (enrollment_id, phase, item));
            INSERT INTO checklist VALUES (1, 1, 'trin1', 'cv', '2026-01-03');
            INSERT INTO checklist VALUES (2, 1, 'trin2', 'agreement', '2026-02-01');
            INSERT INTO checklist VALUES (3, 1, 'trin2', 'followup_plan', '2026-03-15');
            DELETE FROM _sqlite_migrations WHERE name = 'm008_checklist_stays';
        """)
        conn.commit()
    finally:
        conn.close()
    cli("mark", "Nina", "agreement", "--on", "2026-03-16")  # applies m008, then adds the new stay's tick
    assert ticks(cli, "Nina") == [
        ("trin1", "cv", "2026-01-03", 1),  # before the first stay began: the first stay's
        ("trin2", "agreement", "2026-02-01", 2), ("trin2", "followup_plan", "2026-03-15", 4),
        ("trin2", "agreement", "2026-03-16", 4)]
    rules = cli.json("check", "Nina")["items"][0]["rules"]
    assert rules[0]["detail"] == f"missing: {CONTACT}"
