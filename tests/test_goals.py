"""Sub-goals (delmål): review dates in `due`, the goals and hours progression in `show`; wishes and goals
erased by `forget`; an existing database upgraded to m016 with nothing lost."""

from __future__ import annotations

import sqlite3

from fleksrun.store.migrations import migrations


def _mette(cli):
    cli("enroll", "Mette Hansen", "--program", "jobgaranti", "--start", "2026-01-05")


def test_due_shows_a_review_in_the_window_and_an_overdue_one(cli):
    _mette(cli)
    cli("goal", "add", "Mette", "Fire timer om tirsdagen", "--review", "2026-04-01")
    cli("goal", "add", "Mette", "Møde til tiden", "--review", "2026-04-20")
    cli.today = "2026-04-03"  # the first is now two days overdue
    doc = cli.json("due", "--kind", "goal_review")
    assert [(i["date"], i["overdue_days"]) for i in doc["items"]] == [("2026-04-03", 2)]
    assert doc["items"][0]["text"] == 'Mette Hansen: the sub-goal "Fire timer om tirsdagen" was due for review ' \
                                      '01-04-2026 (2 days ago)'
    later = cli.json("due", "--kind", "goal_review", "--days", "21")
    assert [i["kind"] for i in later["items"]] == ["goal_review", "goal_review"]
    cli("goal", "update", "Mette", "1", "--status", "met", "--note", "klaret")
    assert cli.json("due", "--kind", "goal_review")["items"] == []  # reviewed: no longer due
    assert "was due for review" not in cli("due").stdout


def test_goal_mistakes_are_one_sentence(cli):
    _mette(cli)
    assert "is in the past" in cli("goal", "add", "Mette", "x", "--review", "2026-03-01", code=2).stderr
    cli("goal", "add", "Mette", "x")
    assert "not a goal status" in cli("goal", "update", "Mette", "1", "--status", "halfway", code=2).stderr
    assert "no sub-goal number 9" in cli("goal", "update", "Mette", "9", "--status", "met", code=2).stderr


def test_show_has_the_goals_and_the_hours_by_month_as_a_chart(cli):
    _mette(cli)
    cli("goal", "add", "Mette", "Fire timer om tirsdagen", "--review", "2026-04-01")
    cli("hours", "Mette", "--month", "2026-01", "--ordinary", "12")
    cli("hours", "Mette", "--month", "2026-02", "--ordinary", "31.5")
    out = cli("show", "Mette").stdout
    assert "Sub-goals (delmål) of Mette Hansen" in out and "Fire timer om tirsdagen" in out
    assert "Ordinary hours by month against the 30-hour line" in out
    bars = [line for line in out.splitlines() if line.strip().startswith(("2026-01", "2026-02"))]
    assert len(bars) == 2 and bars[0].count("█") < bars[1].count("█")
    card = cli.json("show", "Mette")
    assert [g["text"] for g in card["goals"]] == ["Fire timer om tirsdagen"] and card["wishes"] is None


def test_forget_erases_wishes_and_goals(cli):
    _mette(cli)
    cli("wish", "Mette", "--companies", "Netto Vest", "--tasks", "lager", "--needs", "tunge løft",
        "--agreed", "Løfter ikke tungt")
    cli("goal", "add", "Mette", "Fire timer om tirsdagen")
    cli("end", "Mette", "--outcome", "moved")
    cli("forget", "Mette", "--yes")
    conn = sqlite3.connect(str(cli.db))
    wishes = conn.execute("SELECT companies, tasks, needs, agreed_wording FROM citizen_wishes").fetchall()
    goals = conn.execute("SELECT text, note FROM goals").fetchall()
    conn.close()
    assert wishes == [(None, None, None, None)] and goals == [("", None)]
    raw = cli.db.read_bytes()
    assert "Netto Vest".encode() not in raw and "Fire timer".encode() not in raw


def test_an_existing_database_upgrades_to_m016_with_nothing_lost(cli, monkeypatch):
    import fleksrun.store.db as store_db
    import fleksrun.store.migrations as store_migrations
    from sqlite_utils import Migrations

    names = [m.name for m in migrations._migrations]
    older = Migrations("fleksrun")
    for migration in migrations._migrations[:names.index("m016_match_and_goals")]:
        older(name=migration.name)(migration.fn)
    monkeypatch.setattr(store_db, "MIGRATIONS", tuple(m.name for m in older._migrations))
    monkeypatch.setattr(store_migrations, "migrations", older)
    # What the fleksrun before m016 could write: the demo itself now writes profiles and wishes.
    cli("company", "add", "Zoo-butikken", "--employees", "4", "--contact", "Maja Poulsen")
    cli("enroll", "Laila Jensen", "--program", "jobgaranti", "--start", "2026-01-05", "--note", "kept note")
    cli("edit", "Laila", "--accommodations", "Tåler ikke støj", "--job-goal", "Butik med dyr")
    cli("schedule", "Laila", "--company", "Zoo", "--start", "2026-03-03", "--weeks", "6", "--days", "tue")
    cli("attend", "Laila", "2026-03-10", "--hours", "4")
    cli("followup", "Laila", "--on", "2026-03-20", "--note", "godt i gang")
    conn = sqlite3.connect(str(cli.db))
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    assert "goals" not in tables
    before = {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY 1").fetchall() for t in tables
              if t != "_sqlite_migrations" and not t.startswith("sqlite_")}
    conn.close()
    monkeypatch.undo()

    assert cli.json("match", "Laila")["items"][0]["reasons"][-1]["code"] == "placed_here"  # it migrates
    conn = sqlite3.connect(str(cli.db))
    after = {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY 1").fetchall() for t in before}
    new = {t: conn.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0]
           for t in ("company_profiles", "citizen_wishes", "goals")}
    conn.close()
    for table in ("citizens", "companies", "enrollments", "placements", "days", "followups", "journal"):
        assert after[table] == before[table], table
    assert new == {"company_profiles": 0, "citizen_wishes": 0, "goals": 0}
    assert (cli.db.parent / f"{cli.db.name}.before-m016_match_and_goals.bak").exists()
    cli("goal", "add", "Laila", "Fem timer om dagen", "--review", "+2w")
    assert cli.json("goal", "list", "Laila")["items"][0]["text"] == "Fem timer om dagen"
