"""How the agenda picks the lines it shows without asking SQLite to sort every row, and when a
placement ends: the pieces the table's speed at 100,000 citizens rests on, held to what they replace."""

from __future__ import annotations

import random
import sqlite3

import pytest

from conftest import Cli
from fleksrun.services.agenda.lines import Firsts, name_key


@pytest.mark.parametrize("k", [None, 0, 1, 3, 12])
def test_firsts_are_the_smallest_keys_of_each_bucket_whatever_order_the_rows_come_in(k):
    rng = random.Random(k)
    rows = [(rng.choice("abc"), (rng.randrange(50), n), f"row {n}") for n in range(5_000)]
    expected = {}
    for bucket, key, value in sorted(rows, key=lambda row: row[1]):
        expected.setdefault(bucket, []).append(value)
    for _ in range(3):
        rng.shuffle(rows)
        firsts = Firsts(k)
        for bucket, key, value in rows:
            firsts.add(bucket, key, value)
        assert sorted(firsts.buckets()) == sorted(expected)
        for bucket, values in expected.items():
            assert firsts.counts[bucket] == len(values)
            assert firsts.firsts(bucket) == (values if k is None else values[:k])


NAMES = ["Ali", "ali", "ALI", "Åse", "åse", "Æble", "æble", "Øster", "Oscar", "oscar", "Zoë", "zoe", "Zoe",
         "Ümit", "umit", "Mette", "mette-Marie", "Mette Marie", "Émile", "emile", "Ib", "IB", "", "Aage", "aage"]


def test_the_name_key_orders_and_ties_names_as_sqlite_nocase_does():
    """Python's line order must be SQLite's: NOCASE folds ASCII letters only, so Å and å stay apart."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE n (name TEXT)")
    db.executemany("INSERT INTO n VALUES (?)", [(name,) for name in NAMES])
    in_sql = [row[0] for row in db.execute("SELECT name FROM n ORDER BY name COLLATE NOCASE")]
    assert [name_key(name) for name in in_sql] == sorted(name_key(name) for name in NAMES)
    for a in NAMES:
        for b in NAMES:
            same = db.execute("SELECT ? = ? COLLATE NOCASE", [a, b]).fetchone()[0]
            assert (name_key(a) == name_key(b)) == bool(same), (a, b)


@pytest.fixture
def mette(tmp_path) -> Cli:
    """Practice Tuesdays and Thursdays from 31-03-2026 to 25-06-2026; the agenda is asked on 20-05-2026,
    so the horizon for placements ending (its week and 14 days more) is 09-06-2026."""
    cli = Cli(tmp_path / "ending.db", today="2026-05-20")
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-31")
    cli("company", "add", "Bageriet")
    cli("schedule", "Mette", "--company", "Bageriet", "--start", "2026-03-31", "--weeks", "13", "--days", "tue,thu")
    return cli


def _ending(cli: Cli) -> list[str]:
    return [i["text"] for i in cli.json("due")["items"] if i["kind"] == "placement_ending"]


def test_a_placement_whose_days_past_the_horizon_are_cancelled_ends_on_its_last_day_left(mette):
    assert _ending(mette) == []
    for day in ("2026-06-11", "2026-06-16", "2026-06-18", "2026-06-23", "2026-06-25"):
        mette("cancel", "Mette", day)
    assert mette.json("show", "Mette")["placements"][0]["end"] == "2026-06-25"  # the end date itself stays
    assert _ending(mette) == ["Mette Hansen's placement at Bageriet ends 09-06-2026: plan what comes next."]


def test_one_day_left_past_the_horizon_keeps_a_placement_from_ending_soon(mette):
    for day in ("2026-06-11", "2026-06-16", "2026-06-18", "2026-06-23"):
        mette("cancel", "Mette", day)
    assert _ending(mette) == []


def test_two_placements_at_one_company_ending_soon_go_by_the_day_each_ends(tmp_path):
    """Both lines are dated today (ending within 14 days) with equal keys; the sooner end comes first,
    whichever placement was booked first."""
    cli = Cli(tmp_path / "two.db", today="2026-05-20")
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-04-01")
    cli("company", "add", "Bageriet")
    cli("schedule", "Mette", "--company", "Bageriet", "--start", "2026-05-04", "--until", "2026-06-03", "--days", "mon,wed")
    cli("schedule", "Mette", "--company", "Bageriet", "--start", "2026-05-05", "--until", "2026-05-28", "--days", "tue,thu")
    ends = [i["text"] for i in cli.json("due")["items"] if i["kind"] == "placement_ending"]
    assert ends == ["Mette Hansen's placement at Bageriet ends 28-05-2026: plan what comes next.",
                    "Mette Hansen's placement at Bageriet ends 03-06-2026: plan what comes next."]


@pytest.mark.parametrize("year, limited", [(2019, False), (2024, True)])
def test_practice_begun_before_the_law_table_has_no_limit_to_warn_of(tmp_path, year, limited):
    """The table of the law starts in 2020: older practice gets no limit line, and the agenda still works;
    the same practice in 2024 reaches its 13-week limit in the week of the 14th."""
    cli = Cli(tmp_path / "old.db", today=f"{year}-03-20")
    cli("enroll", "Test Person", "--program", "ovebane", "--start", f"{year}-01-02")
    cli("company", "add", "Bageriet")
    cli("schedule", "Test", "--company", "Bageriet", "--start", f"{year}-01-02", "--weeks", "14", "--days", "tue,thu")
    kinds = {i["kind"] for i in cli.json("due")["items"]}
    assert "practice_day" in kinds
    assert ("practice_limit" in kinds) is limited
    assert "Bageriet" in cli("due").stdout
