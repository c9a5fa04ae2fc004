"""The agenda's summaries (services/agenda/summaries.py) against their definitions.

`due` reads stored summaries: the spans of days on which each stay's phase is ready, the day each
follow-up is due, the day each placement ends or reaches its limit. Triggers mark the citizen of
every changed row and each transaction remakes the marked ones. Here:

- who is ready, on every date, equals the rule engine (domain/rules.py), the one definition;
- the hours lines' figures equal the monthly hours of the view that defines them;
- the agenda from the summaries kept up change by change equals the agenda from summaries made anew
  from every row, for every kind of item: on random caseloads at many dates, and after each kind of
  change a consultant makes, undo and forget included.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from conftest import Cli, file_digest
from fleksrun.domain.rules import KINDS as RULE_KINDS
from fleksrun.domain.rules import evaluate_phase
from fleksrun.services import open_database
from fleksrun.services.agenda import KINDS, Context, agenda, agenda_lines, context, rules, summaries
from fleksrun.services.facts import active_rows, gather_facts_many
from fleksrun.store.db import open_db
from fleksrun.store.queries import monthly_hours
from random_caseload import TODAYS, random_caseload, random_program
from test_due import SCENARIO


def rebuilt(path: Path):
    """A second connection to the file, reading summaries made anew from every row (temporary)."""
    db = open_db(path)
    summaries.prepare_read(db, rebuild=True)
    return db


def assert_same_agenda(db, path: Path, days, *, weeks: int = 1) -> int:
    """The agenda of each day's week, from the stored summaries and from summaries made anew; how many
    items it had."""
    fresh = rebuilt(path)
    seen = 0
    for today in days:
        end = today + dt.timedelta(days=7 * weeks - 1)
        kept = agenda(db, today, today, end)
        assert kept == agenda(fresh, today, today, end), today
        # The table's first lines too, read only in part; and a window that ended before today.
        for start, stop in ((today, end), (today - dt.timedelta(days=20), today - dt.timedelta(days=14))):
            for limit, names in ((1, 1), (3, 2), (40, 12)):
                assert (agenda_lines(db, today, start, stop, limit=limit, names=names)
                        == agenda_lines(fresh, today, start, stop, limit=limit, names=names)), (today, start, limit)
        seen += len(kept["items"])
    today = days[0]
    end = today + dt.timedelta(days=7 * weeks - 1)
    citizens = [row[0] for row in db.execute("SELECT id FROM citizens ORDER BY id LIMIT 8")]
    companies = [row[0] for row in db.execute("SELECT id FROM companies ORDER BY id LIMIT 3")]
    for filters in [{"citizen_id": c} for c in citizens] + [{"company_id": c} for c in companies]:
        for limit, names in ((2, 1), (40, 12)):
            assert (agenda_lines(db, today, today, end, limit=limit, names=names, **filters)
                    == agenda_lines(fresh, today, today, end, limit=limit, names=names, **filters)), filters
    fresh.close()
    return seen


def engine(db, programs, today):
    """Per citizen, how many of her enrollments the rule engine finds ready; and the stays waiting on
    a monthly hours target, with their figures from the view ``monthly_hours``."""
    wanted = [(row, programs[row["program_def"]].phase(row["phase"])) for row in active_rows(db) if row["phase"]]
    facts = gather_facts_many(db, wanted, today)
    ready: Counter[int] = Counter()
    waiting = []
    month, last_month = today.strftime("%Y-%m"), (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    for row, phase in wanted:
        if evaluate_phase(phase, facts[row["enrollment_id"]]).ready:
            ready[row["citizen_id"]] += 1
            continue
        rule = next((r for r in phase.rules if r.kind == "ordinary_hours_month"), None)
        if rule is not None:
            figures = monthly_hours(db, row["citizen_id"], last_month, month)
            waiting.append((row["citizen_id"], float(rule.min or 0), figures.get(month, {}).get("ordinary", 0.0),
                            last_month not in figures))
    return ready, sorted(waiting)


def test_the_random_programmes_use_every_rule_kind():
    import random

    text = "".join(random_program(random.Random(seed)) for seed in range(30))
    assert all(f'kind = "{kind}"' in text for kind in RULE_KINDS)


@pytest.mark.parametrize("seed", range(6))
def test_who_is_ready_agrees_with_the_rule_engine(tmp_path: Path, seed: int):
    db, programs = random_caseload(tmp_path, seed)
    assert not summaries.is_fresh(db)  # rows written straight to the tables are marked
    with db.conn:
        summaries.refresh(db)
    assert summaries.is_fresh(db)
    for today in TODAYS:
        items = agenda(db, today, today, today, kinds={"ready_to_advance"})["items"]
        ready, waiting = engine(db, programs, today)
        assert Counter(item["citizen_id"] for item in items) == ready, (seed, today)
        ctx = Context(db, today, today, today)
        got = sorted((w.citizen_id, w.target, w.have, w.no_figure_last_month) for w in rules.waiting_on_hours(ctx))
        assert got == waiting, (seed, today)


@pytest.mark.parametrize("seed", range(3))
def test_the_whole_agenda_agrees_on_random_caseloads(tmp_path: Path, seed: int):
    db, _programs = random_caseload(tmp_path, seed)
    with db.conn:
        summaries.refresh(db)
    assert assert_same_agenda(db, tmp_path / "r.db", TODAYS, weeks=2) > 0


@pytest.mark.parametrize("big_line", [0, 10**9])  # every line's names from the walk; every line read whole
def test_the_booked_days_agree_whichever_way_their_names_are_found(tmp_path: Path, monkeypatch, big_line: int):
    today = dt.date(2026, 11, 24)
    Cli(tmp_path / "demo.db", today=today.isoformat())("demo", "--size", "150")
    monkeypatch.setattr(context, "BIG_LINE", big_line)
    for module in ("followups", "days"):
        monkeypatch.setattr(f"fleksrun.services.agenda.{module}.BIG_LINE", big_line)
    db = open_db(tmp_path / "demo.db")
    assert assert_same_agenda(db, tmp_path / "demo.db", [today + dt.timedelta(days=n) for n in range(-14, 60, 4)]) > 0


def test_the_demo_agrees_at_every_date(tmp_path: Path):
    today = dt.date(2026, 11, 24)
    Cli(tmp_path / "demo.db", today=today.isoformat())("demo", "--size", "150")
    db = open_db(tmp_path / "demo.db")
    assert summaries.is_fresh(db)  # the demo makes its summaries before it commits
    kinds = {item["kind"] for item in agenda(db, today, today, today + dt.timedelta(days=6))["items"]}
    assert kinds == set(KINDS)
    assert assert_same_agenda(db, tmp_path / "demo.db", [today + dt.timedelta(days=n) for n in range(-60, 120, 5)]) > 0
    triggers = db.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'agenda_stale_%'").fetchone()[0]
    assert triggers == 30  # the bulk load put back every trigger it set aside


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
    ("company", "close", "Bageriet", "2026-04-14"),  # a closing day keeps continuous practice going
    ("company", "close", "Bageriet", "2026-04-14", "--remove"),
    ("config", "days-off", "grundlovsdag,juleaftensdag"),  # days off keep continuous practice going too
]
DAYS = [dt.date(2026, 3, 30) + dt.timedelta(days=n) for n in range(-35, 140, 6)]


def week(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "week.db", today="2026-03-30")
    for args in SCENARIO:
        cli(*args)
    return cli


def test_every_change_keeps_the_summaries_true(tmp_path: Path):
    cli = week(tmp_path)
    seen = 0
    for args in CHANGES:
        result = cli(*args, code=None)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        db = open_db(cli.db)
        assert summaries.is_fresh(db), args  # the command remade what it changed before it committed
        seen += assert_same_agenda(db, cli.db, DAYS, weeks=2)
        db.close()
    assert seen > 0


def test_forget_leaves_no_summary_of_the_citizen(tmp_path: Path):
    cli = Cli(tmp_path / "f.db", today="2026-03-30")
    cli("enroll", "Per Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    cli("schedule", "Per", "--company", "Bageriet", "--start", "2026-03-03", "--weeks", "4", "--days", "tue")
    db = open_db(cli.db)
    counts = "SELECT (SELECT COUNT(*) FROM {}) ".format(") + (SELECT COUNT(*) FROM ".join(summaries.TABLES))
    assert db.execute(counts).fetchone()[0] == 3
    cli("end", "Per", "--outcome", "other", "--on", "2026-03-30")
    cli("forget", "Per", "--yes")
    assert db.execute(counts).fetchone()[0] == 0


def test_summaries_of_another_version_are_remade_on_open(tmp_path: Path):
    cli = week(tmp_path)
    db = open_db(cli.db)
    with db.conn:
        db.execute("UPDATE agenda_version SET version = version - 1")
        db.execute("DELETE FROM ready_state")
    assert not summaries.is_fresh(db)
    today = dt.date(2026, 3, 30)
    read = agenda(db, today, today, today + dt.timedelta(days=6))  # worked out, not written
    assert not summaries.is_fresh(db)
    db.close()
    db = open_database(cli.db)  # as a command opens it: remade once, under the write lock
    assert summaries.is_fresh(db)
    assert agenda(db, today, today, today + dt.timedelta(days=6)) == read
    assert assert_same_agenda(db, cli.db, DAYS) > 0


def test_a_read_works_stale_summaries_out_without_writing(tmp_path: Path):
    cli = week(tmp_path)
    with sqlite3.connect(cli.db) as conn:  # a change written behind fleksrun's back: its citizen is marked
        conn.execute("UPDATE followups SET next_due = '2026-03-29' WHERE id = (SELECT MAX(id) FROM followups)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    wal = Path(f"{cli.db}-wal")
    before = (file_digest(cli.db), wal.exists() and wal.stat().st_size)
    items = cli.json("due")["items"]  # the stale citizen's summaries worked out in memory
    assert any(i["kind"] in ("followup", "aftercare") and i["overdue_days"] == 1 for i in items)
    assert (file_digest(cli.db), wal.exists() and wal.stat().st_size) == before  # nothing was written
    db = open_db(cli.db)
    assert not summaries.is_fresh(db)


def test_a_read_never_waits_for_the_write_lock(tmp_path: Path):
    cli = week(tmp_path)
    with sqlite3.connect(cli.db) as conn:
        conn.execute("UPDATE followups SET next_due = '2026-03-29' WHERE id = (SELECT MAX(id) FROM followups)")
    other = sqlite3.connect(cli.db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another window holds the write lock
    try:
        import time

        began = time.monotonic()
        items = cli.json("due")["items"]
        assert time.monotonic() - began < 5  # the busy timeout is 10 s
        assert any(i["overdue_days"] == 1 for i in items if i["kind"] in ("followup", "aftercare"))
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_summary_that_cannot_be_made_never_stops_a_change(tmp_path: Path, monkeypatch):
    cli = week(tmp_path)

    def broken(*_args, **_kwargs):
        raise ValueError("a rule this version cannot work out")

    monkeypatch.setattr("fleksrun.services.agenda.remake.ready_spans", broken)
    cli("followup", "Ahmed", "--on", "2026-03-30")  # written, with Ahmed marked
    db = open_db(cli.db)
    assert db.execute("SELECT COUNT(*) FROM followups WHERE date = '2026-03-30'").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM agenda_stale").fetchone()[0] == 1
    assert summaries.problem(db) == "ValueError: a rule this version cannot work out"
    doctor = cli("doctor", code=None)
    assert "a rule this version cannot work out" in doctor.stdout + doctor.stderr
    monkeypatch.undo()
    assert summaries.problem(db) is None
    today = dt.date(2026, 3, 30)
    read = agenda(db, today, today, today + dt.timedelta(days=6))["items"]  # worked out from the rows
    cli("followup", "Omar", "--on", "2026-03-30")  # the next change remakes Ahmed's too
    assert summaries.is_fresh(db)
    assert [i for i in agenda(db, today, today, today + dt.timedelta(days=6))["items"] if "Omar" not in i["citizen"]] \
        == [i for i in read if "Omar" not in i["citizen"]]


def test_the_summaries_of_a_fixed_caseload_are_pinned(tmp_path: Path):
    """Change what the summaries hold, or how they are worked out, and this fails: then bump
    summaries.VERSION (so files made before are remade) and pin the new digest. A change of the
    demo's own rows changes the digest too; that needs no new VERSION."""
    cli = Cli(tmp_path / "demo.db", today="2026-11-24")
    cli("demo", "--size", "60", "--seed", "7")
    db = open_db(cli.db)
    digest = hashlib.sha256()
    for table, order in (("ready_state", "phase_id, ready_from"), ("followup_state", "id"),
                         ("placement_state", "placement_id"), ("hours_state", "citizen_id, month, kind")):
        for row in db.execute(f"SELECT * FROM {table} ORDER BY {order}"):
            digest.update(repr(row).encode())
    assert (summaries.VERSION, digest.hexdigest()[:16]) == (3, "e4e6bde4f6272013")


@pytest.mark.parametrize("seed", range(4))
def test_the_continuous_practice_kpi_agrees_with_the_rule_engine(tmp_path: Path, seed: int):
    """The report's count of citizens with N weeks of continuous practice, against the rule engine's
    own reading (the exit rule on a phase that began with the enrollment)."""
    from fleksrun.domain.programs import Rule
    from fleksrun.domain.rules import evaluate_rule
    from fleksrun.services.facts import active_rows, gather_facts_many
    from fleksrun.services.kpis import continuous_practice

    db, programs = random_caseload(tmp_path, seed)
    with db.conn:  # one enrollment each, in one phase since its start: the rule then reads what the KPI does
        db.execute("DELETE FROM phases WHERE left IS NOT NULL")
        db.execute("UPDATE phases SET entered = (SELECT start FROM enrollments e WHERE e.id = phases.enrollment_id)")
        db.execute("UPDATE enrollments SET program_id = 'other', status = 'ended', end = start"
                   " WHERE id NOT IN (SELECT MIN(id) FROM enrollments GROUP BY citizen_id)")
    for last in ("2026-03-31", "2026-12-31"):
        to = dt.date.fromisoformat(last)
        rows = [row for row in active_rows(db) if row["start"] <= last]
        for weeks in (1, 2, 4):
            rule = Rule("continuous_practice_weeks", min=weeks)
            wanted = [(row, programs[row["program_def"]].phase(row["phase"])._replace(rules=(rule,))) for row in rows]
            facts = gather_facts_many(db, wanted, to)
            expected = sum(1 for row, phase in wanted if evaluate_rule(rule, phase, facts[row["enrollment_id"]]).met)
            binds = {"program": "random", "from": "2025-01-01", "to": last}
            assert continuous_practice(db, binds, weeks) == expected, (seed, last, weeks)


def test_a_write_after_a_read_that_worked_summaries_out_keeps_them_true(tmp_path: Path):
    """A read that stood temporary tables in for stale summaries must not hide the stored ones from a
    later write, or from a later read, on the same connection."""
    from fleksrun.store.tx import transaction

    cli = week(tmp_path)
    db = open_database(cli.db)
    today = dt.date(2026, 3, 30)
    ahmed = db.execute("SELECT id FROM citizens WHERE name LIKE 'Ahmed%'").fetchone()[0]
    with db.conn:
        db.execute("INSERT INTO agenda_stale (citizen_id) VALUES (?)", [ahmed])
    before = agenda(db, today, today, today + dt.timedelta(days=6), citizen_id=ahmed)["items"]
    assert any(item["kind"] in ("followup", "aftercare") for item in before)
    with transaction(db, "followup") as tx:  # a contact today moves the next one a month on
        enrollment = db.execute("SELECT id FROM enrollments WHERE citizen_id = ? AND status = 'active'",
                                [ahmed]).fetchone()[0]
        tx.insert("followups", {"enrollment_id": enrollment, "date": "2026-03-30", "kind": "talk",
                                "with_whom": "citizen", "next_due": "2026-04-29", "next_due_rule": "manual"})
    assert summaries.is_fresh(db)
    after = agenda(db, today, today, today + dt.timedelta(days=6), citizen_id=ahmed)["items"]
    assert not any(item["kind"] in ("followup", "aftercare") for item in after)
    assert after == agenda(open_database(cli.db), today, today, today + dt.timedelta(days=6), citizen_id=ahmed)["items"]
