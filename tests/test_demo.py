"""The demo database: every programme and phase in use, repeatable, and never over real data."""

from __future__ import annotations

import json

from fleksrun.domain.programs import builtin_programs


def test_demo_fills_every_programme_and_phase(cli):
    result = cli("demo", "--json")
    doc = json.loads(result.stdout)
    assert doc["created"] is True and doc["citizens"] == 60
    rows = cli.json("citizens", "--all")["items"]
    seen = {(r["program"], r["phase"]) for r in rows}
    for program in builtin_programs().values():
        for phase in program.phases:
            assert (program.id, phase.id) in seen, (program.id, phase.id)
    assert any(r["status"] == "ended" for r in rows)
    assert not any("-" in (r.get("name") or "") and r["name"][:6].isdigit() for r in rows)


def test_demo_is_repeatable_with_the_same_seed(tmp_path):
    from conftest import Cli

    a, b = Cli(tmp_path / "a.db"), Cli(tmp_path / "b.db")
    a("demo", "--size", "25", "--seed", "7")
    b("demo", "--size", "25", "--seed", "7")
    assert a.json("citizens", "--all") == b.json("citizens", "--all")


def test_demo_leaves_a_database_with_data_alone(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    result = cli("demo")
    assert "already has data" in result.stdout
    assert [r["name"] for r in cli.json("citizens")["items"]] == ["Mette Hansen"]


def test_demo_has_no_cpr_numbers(cli):
    cli("demo")
    import sqlite3

    conn = sqlite3.connect(cli.db)
    assert conn.execute("SELECT COUNT(*) FROM citizens WHERE cpr IS NOT NULL").fetchone()[0] == 0


def test_demo_then_due_shows_every_kind_of_agenda_item(tmp_path):
    from conftest import Cli

    from fleksrun.services.agenda import KINDS

    late = Cli(tmp_path / "late.db", today="2026-11-23")  # 7 days left of November
    late("demo")
    assert {i["kind"] for i in late.json("due")["items"]} == set(KINDS)
    # Early in a month no month is "nearly over", so no hours are at risk yet; everything else shows.
    early = Cli(tmp_path / "early.db", today="2026-11-02")
    early("demo")
    assert {i["kind"] for i in early.json("due")["items"]} == set(KINDS) - {"hours_at_risk"}
