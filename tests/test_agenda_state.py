"""The agenda's summaries (services/agenda_state.py) against the agenda read from every row.

`due` reads stored summaries when they hold for everyone: the first day each phase's exit rules
hold, the day each follow-up is due, the day each placement ends or reaches its limit. Triggers mark
the citizen of every changed row and each transaction remakes the marked ones. Here the agenda from
the summaries must equal the agenda from the rows: on random caseloads at many dates, and after
each kind of change a consultant makes, undo and forget included.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from conftest import Cli
from fleksrun.services import agenda_state, readiness
from fleksrun.services.agenda import Agenda, agenda, agenda_lines
from fleksrun.store.db import open_db
from test_due import SCENARIO
from test_readiness import TODAYS, random_caseload


def assert_same_agenda(db, days, *, weeks: int = 1) -> int:
    """The agenda of each day's week, from the summaries and from the rows; how many items it had."""
    assert agenda_state.make_fresh(db)
    seen = 0
    for today in days:
        end = today + dt.timedelta(days=7 * weeks - 1)
        fast = agenda(db, today, today, end, summaries=True)
        rows = agenda(db, today, today, end, summaries=False)
        assert fast == rows, today
        # The table's first lines too, read only in part; and a window that ended before today.
        for start, stop in ((today, end), (today - dt.timedelta(days=20), today - dt.timedelta(days=14))):
            for limit, names in ((1, 1), (3, 2), (40, 12)):
                assert (agenda_lines(db, today, start, stop, limit=limit, names=names, summaries=True)
                        == agenda_lines(db, today, start, stop, limit=limit, names=names, summaries=False)), (
                    today, start, limit)
        seen += len(rows["items"])
    today = days[0]
    end = today + dt.timedelta(days=7 * weeks - 1)
    citizens = [row[0] for row in db.execute("SELECT id FROM citizens ORDER BY id LIMIT 8")]
    companies = [row[0] for row in db.execute("SELECT id FROM companies ORDER BY id LIMIT 3")]
    for filters in [{"citizen_id": c} for c in citizens] + [{"company_id": c} for c in companies]:
        for limit, names in ((2, 1), (40, 12)):
            assert (agenda_lines(db, today, today, end, limit=limit, names=names, summaries=True, **filters)
                    == agenda_lines(db, today, today, end, limit=limit, names=names, summaries=False, **filters)), filters
    return seen


@pytest.mark.parametrize("seed", range(6))
def test_first_ready_days_agree_with_the_daily_answer(tmp_path: Path, seed: int):
    db, programs = random_caseload(tmp_path, seed)
    assert not agenda_state.is_fresh(db)  # rows written straight to the tables are marked
    assert agenda_state.make_fresh(db)
    for today in TODAYS:
        assert readiness.ready(db, today, programs, summaries=True) == readiness.ready(db, today, programs), today
        assert (readiness.waiting_on_hours(db, today, programs, summaries=True)
                == readiness.waiting_on_hours(db, today, programs)), today


@pytest.mark.parametrize("seed", range(3))
def test_the_whole_agenda_agrees_on_random_caseloads(tmp_path: Path, seed: int):
    db, _programs = random_caseload(tmp_path, seed)
    assert assert_same_agenda(db, TODAYS, weeks=2) > 0


@pytest.mark.parametrize("big_line", [0, 10**9])  # every line's names from the walk; every line read whole
def test_the_booked_days_agree_whichever_way_their_names_are_found(tmp_path: Path, monkeypatch, big_line: int):
    today = dt.date(2026, 11, 24)
    Cli(tmp_path / "demo.db", today=today.isoformat())("demo", "--size", "150")
    monkeypatch.setattr(Agenda, "BIG_LINE", big_line)
    db = open_db(tmp_path / "demo.db")
    assert assert_same_agenda(db, [today + dt.timedelta(days=n) for n in range(-14, 60, 4)]) > 0


def test_the_demo_agrees_at_every_date(tmp_path: Path):
    today = dt.date(2026, 11, 24)
    Cli(tmp_path / "demo.db", today=today.isoformat())("demo", "--size", "150")
    db = open_db(tmp_path / "demo.db")
    assert agenda_state.is_fresh(db)  # the demo makes its summaries before it commits
    kinds = {item["kind"] for item in agenda(db, today, today, today + dt.timedelta(days=6))["items"]}
    assert len(kinds) == 9
    assert assert_same_agenda(db, [today + dt.timedelta(days=n) for n in range(-60, 120, 5)]) > 0
    triggers = db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
    assert triggers == 24  # the bulk load put back every trigger it set aside


# Every kind of change, each followed by the check (the week fixture's today is 2026-03-30).
CHANGES = [
    ("attend", "Jens", "2026-03-23", "--hours", "4"),
    ("attend", "Jens", "2026-03-25", "--absent", "sick"),
    ("followup", "Ahmed", "--on", "2026-03-30"),
    ("followup", "Jens", "--on", "2026-03-30", "--next", "2026-04-01"),
    ("mark", "Mette", "competences"),
    ("mark", "Mette", "job_goal"),
    ("advance", "Omar", "--on", "2026-03-30"),
    ("hours", "Sara", "--month", "2026-03", "--ordinary", "30"),
    ("extend", "Kim", "--weeks", "3"),
    ("cancel", "Kim", "2026-04-06", "--rest"),
    ("move", "Mette", "2026-04-07", "2026-04-08"),
    ("undo",),
    ("edit", "Bente", "--name", "Bente Dahl-Hansen"),
    ("end", "Jens", "--outcome", "dropout", "--on", "2026-03-30"),
    ("undo",),
    ("end", "Per", "--outcome", "other", "--on", "2026-03-30"),
    ("forget", "Per", "--yes"),
    ("enroll", "Lise Mark", "--program", "virksomhedscenter", "--start", "2026-03-30"),
    ("schedule", "Lise", "--company", "Bageriet", "--start", "2026-03-31", "--weeks", "14", "--days", "tue",
     "--hours", "3"),
]
DAYS = [dt.date(2026, 3, 30) + dt.timedelta(days=n) for n in range(-35, 140, 6)]


def test_every_change_keeps_the_summaries_true(tmp_path: Path):
    cli = Cli(tmp_path / "week.db", today="2026-03-30")
    for args in SCENARIO:
        cli(*args)
    seen = 0
    for args in CHANGES:
        result = cli(*args, code=None)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        db = open_db(cli.db)
        assert agenda_state.is_fresh(db), args  # the command remade what it changed before it committed
        seen += assert_same_agenda(db, DAYS, weeks=2)
        db.close()
    assert seen > 0


def test_forget_leaves_no_summary_of_the_citizen(tmp_path: Path):
    cli = Cli(tmp_path / "f.db", today="2026-03-30")
    cli("enroll", "Per Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    cli("schedule", "Per", "--company", "Bageriet", "--start", "2026-03-03", "--weeks", "4", "--days", "tue")
    db = open_db(cli.db)
    counts = "SELECT (SELECT COUNT(*) FROM {}) ".format(") + (SELECT COUNT(*) FROM ".join(agenda_state.TABLES))
    assert db.execute(counts).fetchone()[0] == 3
    cli("end", "Per", "--outcome", "other", "--on", "2026-03-30")
    cli("forget", "Per", "--yes")
    assert db.execute(counts).fetchone()[0] == 0


def test_summaries_of_another_version_are_remade(tmp_path: Path):
    cli = Cli(tmp_path / "week.db", today="2026-03-30")
    for args in SCENARIO:
        cli(*args)
    db = open_db(cli.db)
    with db.conn:
        db.execute("UPDATE agenda_version SET version = version - 1")
        db.execute("DELETE FROM ready_state")
    assert not agenda_state.is_fresh(db)
    assert assert_same_agenda(db, DAYS) > 0  # make_fresh remade every citizen


def test_a_file_we_may_only_read_is_asked_row_by_row(tmp_path: Path):
    cli = Cli(tmp_path / "week.db", today="2026-03-30")
    for args in SCENARIO:
        cli(*args)
    with sqlite3.connect(cli.db) as conn:  # a change written behind fleksrun's back: its citizen is marked
        conn.execute("UPDATE followups SET next_due = '2026-03-29' WHERE id = (SELECT MAX(id) FROM followups)")
    conn.close()
    db = open_db(cli.db)
    db.read_only = True  # as store.db opens a file we may not write
    assert not agenda_state.make_fresh(db)
    today = dt.date(2026, 3, 30)
    items = agenda(db, today, today, today + dt.timedelta(days=6))["items"]
    assert items == agenda(db, today, today, today + dt.timedelta(days=6), summaries=False)["items"]
    assert any(i["kind"] in ("followup", "aftercare") and i["overdue_days"] == 1 for i in items)


def test_a_summary_that_cannot_be_made_never_stops_a_change(tmp_path: Path, monkeypatch):
    cli = Cli(tmp_path / "week.db", today="2026-03-30")
    for args in SCENARIO:
        cli(*args)

    def broken(*_args, **_kwargs):
        raise ValueError("no first day for rule kind 'new'")

    monkeypatch.setattr("fleksrun.services.ready_from.cases", broken)
    cli("followup", "Ahmed", "--on", "2026-03-30")  # written, with Ahmed marked
    db = open_db(cli.db)
    assert db.execute("SELECT COUNT(*) FROM followups WHERE date = '2026-03-30'").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM agenda_stale").fetchone()[0] == 1
    assert not agenda_state.make_fresh(db)
    today = dt.date(2026, 3, 30)
    items = agenda(db, today, today, today + dt.timedelta(days=6))["items"]  # from the rows
    monkeypatch.undo()
    assert agenda_state.make_fresh(db)
    assert items == agenda(db, today, today, today + dt.timedelta(days=6))["items"]
