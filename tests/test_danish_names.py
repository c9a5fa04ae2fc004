"""Names with æ, ø and å found as a Dane types them: any case, å = aa, æ = ae, ø = oe, through an index."""

from __future__ import annotations

import sqlite3

import pytest

from fleksrun.domain.names import name_key, word_keys
from fleksrun.services import open_database
from fleksrun.services.lookup import find_citizen

NAMES = ["Åse Nielsen", "Lars Østergaard", "Ida Bøgh", "Mette Hansen", "Anne Hansen-Kjær"]


@pytest.fixture
def people(cli):
    for name in NAMES:
        cli("enroll", name, "--program", "ovebane")
    cli("company", "add", "Grønt Køkken")
    cli("company", "add", "Bageriet")
    return cli


@pytest.mark.parametrize(("typed", "expected"), [
    ("åse", "Åse Nielsen"), ("ÅSE", "Åse Nielsen"), ("aase", "Åse Nielsen"), ("AASE nielsen", "Åse Nielsen"),
    ("østergaard", "Lars Østergaard"), ("ØSTERGÅRD", "Lars Østergaard"), ("oestergaard", "Lars Østergaard"),
    ("BØGH", "Ida Bøgh"), ("bögh", "Ida Bøgh"), ("kjær", "Anne Hansen-Kjær"), ("hansen kjaer", "Anne Hansen-Kjær"),
    ("mette", "Mette Hansen"),
])
def test_show_finds_the_citizen_however_the_letters_are_typed(people, typed, expected):
    assert people.json("show", typed)["name"] == expected


def test_schedule_finds_the_company_in_capitals(people):
    result = people("schedule", "Ida", "-c", "GRØNT", "--start", "2026-03-31", "--count", "2", "--days", "tue")
    assert "at Grønt Køkken" in result.stdout


def test_a_part_in_the_middle_of_a_word_finds_nobody_and_a_shared_word_start_asks(people):
    result = people("show", "ette", code=2)
    assert "No citizen matches" in result.stderr or "no citizen" in result.stderr.lower()
    result = people("show", "hansen", code=2)  # Mette Hansen and Anne Hansen-Kjær
    assert "Mette Hansen" in result.stderr and "Anne Hansen-Kjær" in result.stderr


def test_a_whole_name_typed_in_full_wins_over_longer_names(cli):
    cli("enroll", "Bo Berg", "--program", "ovebane")
    cli("enroll", "Bo Bergholt", "--program", "ovebane")
    assert cli.json("show", "bo berg")["name"] == "Bo Berg"
    assert "Bo Bergholt" in cli("show", "bo ber", code=2).stderr


def test_a_company_name_that_differs_only_in_case_is_refused(people):
    result = people("company", "add", "GRØNT KØKKEN", code=3)
    assert "Grønt Køkken" in result.stderr or "GRØNT KØKKEN" in result.stderr


def test_renamed_undone_and_forgotten_names_are_found_by_their_name_now(people):
    people("edit", "Åse", "--name", "Åse Søndergård")
    assert people.json("show", "soendergaard")["name"] == "Åse Søndergård"
    people("show", "nielsen", code=2)
    people("undo")
    assert people.json("show", "aase nielsen")["name"] == "Åse Nielsen"
    people("show", "søndergård", code=2)
    people("end", "Ida", "--outcome", "moved")
    people("forget", "Ida", "--yes")
    people("show", "bøgh", code=2)
    conn = sqlite3.connect(str(people.db))
    assert conn.execute("SELECT COUNT(*) FROM name_keys WHERE key LIKE '%boegh%'").fetchone()[0] == 0
    conn.close()


def test_the_keys_are_those_a_dane_reads_alike():
    assert name_key("Åse") == name_key("Aase") == name_key("ÅSE") == "aase"
    assert name_key("Jørgensen") == name_key("Jörgensen") == name_key("Joergensen")
    assert name_key("Mæhle") == name_key("Mähle") == name_key("Maehle")
    assert name_key("René  Straße") == "rene strasse"
    assert name_key("Kå") != name_key("Ka") and name_key("Kåre").startswith(name_key("Ka"))
    assert word_keys("Anne Hansen-Kjær") == ["anne hansen kjaer", "hansen kjaer", "kjaer"]


SIZE = 100_000
FIRSTS = ["Åse", "Mette", "Lars", "Ida", "Søren", "Anne", "Jens", "Bodil"]
LASTS = ["Østergaard", "Hansen", "Bøgh", "Kjær", "Nielsen", "Aagaard", "Jensen"]


def _big_name(i: int) -> str:
    return f"{FIRSTS[i % len(FIRSTS)]} {LASTS[i % len(LASTS)]} {i}"


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """100,000 citizens written straight into the tables, with their keys as the demo writes them."""
    from fleksrun.store.name_keys import write_keys

    db = open_database(tmp_path_factory.mktemp("names") / "big.db")
    rows = [(i, _big_name(i)) for i in range(1, SIZE + 1)]
    with db.conn:
        db.conn.executemany("INSERT INTO citizens (id, name, created_at) VALUES (?, ?, '2026-01-01')", rows)
        write_keys(db.conn, "citizens", rows)
    db.execute("ANALYZE")
    yield db
    db.close()


def _plans(db, typed: str) -> tuple[object, list[str]]:
    """What find_citizen answers, and the query plan of every statement it ran."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        found: object = find_citizen(db, typed)
    except Exception as exc:  # an ambiguous part: the plans matter here, not the answer
        found = exc
    finally:
        db.conn.set_trace_callback(None)
    return found, [" | ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}")) for sql in statements]


@pytest.mark.parametrize(("typed", "expected"), [
    ("ØSTERGÅRD", None),  # thousands of names: ambiguous, listed from the index
    ("ida østergård 99995", "Ida Østergaard 99995"), ("ØSTERGAARD 99995", "Ida Østergaard 99995"),
    ("aagaard 99995", None),  # her surname is another: nobody
])
def test_the_look_up_at_100000_citizens_searches_an_index_and_scans_nothing(big, typed, expected):
    found, plans = _plans(big, typed)
    if expected is not None:
        assert found["name"] == expected
    else:
        assert isinstance(found, Exception)
    assert plans
    for plan in plans:
        assert "SEARCH name_keys USING COVERING INDEX idx_name_keys_key" in plan, plan
        assert "SCAN" not in plan, plan
