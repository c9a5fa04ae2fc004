"""`report --team`: three demo files read together, read-only; a citizen in two files counted once."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import Cli, file_digest

PERIOD = ("--from", "2025-10-01", "--to", "2026-03-30")


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> list[Cli]:
    folder = tmp_path_factory.mktemp("team")
    clis = [Cli(folder / f"consultant{seed}.db") for seed in (1, 2, 3)]
    for seed, cli in zip((1, 2, 3), clis, strict=True):
        cli("demo", "--size", "30", "--seed", str(seed))
    # The same citizen in Rampen in the first two files: the case number matches (in another case).
    for cli, ref in zip(clis[:2], ("SAG-4711", "sag-4711"), strict=True):
        first = cli.json("citizens", "--program", "rampen")["items"][0]
        cli("edit", str(first["id"]), "--ref", ref)
    return clis


def test_team_totals_are_the_sum_of_the_single_reports_minus_the_overlaps(team):
    before = [file_digest(cli.db) for cli in team]
    doc = team[0].json("report", *PERIOD, "--team", str(team[0].db), "--team", str(team[1].db),
                       "--team", str(team[2].db))
    assert [file_digest(cli.db) for cli in team] == before  # read only
    assert [c["name"] for c in doc["consultants"]] == ["consultant1", "consultant2", "consultant3"]
    assert doc["overlaps"] == 1
    singles = [{i["program"]: i for i in cli.json("report", *PERIOD)["items"]} for cli in team]
    assert {i["program"] for i in doc["items"]} == set().union(*singles)
    for item in doc["items"]:
        program = item["program"]
        mine = [s.get(program) for s in singles]
        in_files = sum(m["participants"] for m in mine if m)
        assert item["team"]["participants"] == in_files - item["overlaps"], program
        assert item["overlaps"] == (1 if program == "rampen" else 0), program
        # enrollments are each consultant's own work: they add up
        assert item["team"]["enrolled"] == sum(m["enrolled"] for m in mine if m)
        assert item["team"]["active"] == sum(m["active"] for m in mine if m)
        # each consultant's column is that file's own report, the same numbers
        for column, single in zip(item["columns"], mine, strict=True):
            assert (column is None) == (single is None)
            if single:
                assert column["kpis"] == single["kpis"] and column["participants"] == single["participants"]


def test_a_folder_of_files_and_the_table(team):
    result = team[0]("report", *PERIOD, "--team", str(team[0].db.parent), "--program", "rampen")
    assert "Team report over 3 files: consultant1, consultant2, consultant3" in result.stdout
    assert "Citizens in more than one file: 1" in result.stdout
    assert "In more than one file here: 1" in result.stdout


def test_a_file_fleksrun_cannot_read_is_refused_with_a_sentence(team, tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.commit()
    result = team[0]("report", "--team", str(team[0].db), "--team", str(other), code=2)
    assert f"The file {other} is no fleksrun database: leave it out of --team." in result.stderr
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.executescript(f"ATTACH '{team[0].db}' AS src; CREATE TABLE _sqlite_migrations AS SELECT * FROM "
                       "src._sqlite_migrations; CREATE TABLE enrollments (id INTEGER PRIMARY KEY, citizen_id INTEGER);")
    conn.close()
    result = team[0]("report", "--team", str(team[0].db), "--team", str(old), code=2)
    assert f"The file {old} was written by a fleksrun this one cannot read it with (citizens is missing)" in \
        result.stderr
    result = team[0]("report", "--team", str(team[0].db), code=2)
    assert "needs at least two files" in result.stderr
    result = team[0]("report", "--team", str(team[0].db), "--team", str(team[1].db), "--html", "x.html", code=2)
    assert "--team gives the table or --json" in result.stderr
