"""`match`: the ranking on a hand-built caseload, each reason and conflict where it should be."""

from __future__ import annotations

import pytest

from fleksrun.domain.matching import ROOM, History, Offer, Room, Wish, assess, ranked


def _codes(item: dict, side: str) -> list[str]:
    return [note["code"] for note in item[side]]


@pytest.fixture
def caseload(cli):
    """Four companies: one wished with room, one full, one not wished with more task fit, one unprofiled."""
    cli("company", "add", "Lagerhuset", "--employees", "12")
    cli("company", "add", "Café Havnen", "--employees", "12")
    cli("company", "add", "Bageriet", "--employees", "12")
    cli("company", "add", "Trælasten")  # no employees, no profile: its room is not known
    cli("company", "profile", "Lagerhuset", "--tasks", "lager", "--places", "2", "--days", "tue,thu",
        "--cannot", "tidlige morgener", "--mentor", "Per Olsen", "--strengths", "ro")
    cli("company", "profile", "Café", "--tasks", "lager,opvask", "--places", "1", "--cannot", "tunge løft")
    cli("company", "profile", "Bageriet", "--tasks", "lager,opvask", "--places", "1", "--days", "mon,wed")
    cli("enroll", "Mette Hansen", "--program", "jobgaranti", "--start", "2026-01-05")
    cli("enroll", "Jens Berg", "--program", "jobgaranti", "--start", "2026-01-05")
    # Jens fills Bageriet's one place: his last day is Wednesday 29-04, so it frees on the 30th.
    cli("schedule", "Jens", "--company", "Bageriet", "--start", "2026-03-02", "--until", "2026-04-30",
        "--days", "mon,wed", "--hours", "4")
    cli("wish", "Mette", "--companies", "Bageriet, Lagerhuset, Netto Vest", "--tasks", "lager,opvask",
        "--needs", "tunge løft", "--days", "tue,thu")
    return cli


def test_companies_come_best_first_with_their_reasons_and_conflicts(caseload):
    doc = caseload.json("match", "Mette")
    order = [item["company"] for item in doc["items"]]
    # Lagerhuset: room + wished. Café: room, not wished, 2 tasks fit. Trælasten: room unknown. Bageriet:
    # wished and 2 tasks fit, but full: never above a company with room.
    assert order == ["Lagerhuset", "Café Havnen", "Trælasten", "Bageriet"]
    by = {item["company"]: item for item in doc["items"]}
    assert _codes(by["Lagerhuset"], "reasons") == ["wished", "tasks_fit", "room", "avoids", "days_fit", "mentor"]
    assert _codes(by["Lagerhuset"], "conflicts") == []
    assert by["Lagerhuset"]["reasons"][1]["text"] == "tasks fit: lager"
    assert by["Lagerhuset"]["reasons"][2]["text"] == "has room: 2 of 2 places free"
    assert by["Lagerhuset"]["reasons"][3]["text"] == "avoids: tunge løft ✓"
    assert _codes(by["Café Havnen"], "conflicts") == ["cannot"]
    assert by["Café Havnen"]["conflicts"][0]["text"] == "cannot accommodate: tunge løft"
    assert _codes(by["Trælasten"], "conflicts") == ["room_unknown"]
    bageriet = by["Bageriet"]
    assert _codes(bageriet, "reasons")[:2] == ["wished", "tasks_fit"]
    assert _codes(bageriet, "conflicts") == ["full_until", "no_common_day"]
    assert bageriet["conflicts"][0]["text"] == "full: a place frees on 30-04-2026"
    assert bageriet["has_room"] is False and bageriet["free_places"] == 0
    assert doc["not_in_file"] == ["Netto Vest"]


def test_the_table_says_the_same_in_words(caseload):
    out = caseload("match", "Mette").stdout
    assert "Wished but not in the file yet: Netto Vest" in out
    assert "+ wished by the citizen" in out and "! full: a place frees on 30-04-2026" in out


def test_a_wished_company_comes_first_among_equals(caseload):
    caseload("company", "profile", "Trælasten", "--tasks", "lager", "--places", "2", "--days", "tue,thu",
             "--cannot", "")
    caseload("wish", "Mette", "--companies", "Trælasten")
    order = [item["company"] for item in caseload.json("match", "Mette")["items"]]
    # Lagerhuset and Trælasten are alike (room, one task, no conflicts); the wished one wins.
    assert order.index("Trælasten") < order.index("Lagerhuset")
    caseload("wish", "Mette", "--companies", "Lagerhuset")
    order = [item["company"] for item in caseload.json("match", "Mette")["items"]]
    assert order.index("Lagerhuset") < order.index("Trælasten")


def test_the_practice_limit_reached_at_a_company_is_a_conflict(caseload):
    caseload("enroll", "Ali Holm", "--program", "virksomhedscenter", "--start", "2025-11-03")
    caseload("schedule", "Ali", "--company", "Lagerhuset", "--start", "2025-12-01", "--weeks", "17",
             "--days", "tue", "--hours", "3")
    by = {item["company"]: item for item in caseload.json("match", "Ali")["items"]}
    limit = [c for c in by["Lagerhuset"]["conflicts"] if c["code"] == "limit_reached"]
    assert limit and limit[0]["text"].startswith("13-week limit reached at this company")
    # Her 17 Tuesdays ended on 24-03: one earlier placement there, and a new one would join it.
    assert by["Lagerhuset"]["reasons"][-1]["text"].startswith("1 earlier placements")
    assert not [c for c in by["Café Havnen"]["conflicts"] if c["code"] == "limit_reached"]


def test_match_company_lists_who_fits_a_company_with_room(caseload):
    caseload("wish", "Jens", "--tasks", "opvask")
    doc = caseload.json("match", "--company", "Café")
    assert doc["has_room"] is True
    assert [item["citizen"] for item in doc["items"]] == ["Mette Hansen", "Jens Berg"]
    assert _codes(doc["items"][0], "conflicts") == ["cannot"]
    # Jens is placed at Bageriet now, so he is not offered it again.
    assert [item["citizen"] for item in caseload.json("match", "--company", "Bageriet")["items"]] == ["Mette Hansen"]


def test_match_needs_a_citizen_or_a_company_not_both(caseload):
    result = caseload("match", "Mette", "--company", "Café", code=2)
    assert "not both" in result.stderr


def _offer(cid: int, name: str, level: int, tasks: tuple[str, ...] = ()) -> Offer:
    return Offer(cid, name, tasks, (), (), None, None, Room(level, 1 if level == ROOM else 0, 1, None, 0, None),
                 History(0, 0, 0, {}))


@pytest.mark.parametrize("seed", range(30))
def test_no_company_without_room_ranks_above_one_with_room(seed):
    import random

    rng = random.Random(seed)
    wish = Wish(("C1", "C3"), ("a", "b", "c"), (), ())
    offers = [_offer(i, f"C{i}", rng.choice((0, 1, 2)), tuple(rng.sample(("a", "b", "c", "d"), rng.randint(0, 4))))
              for i in range(8)]
    levels = [next(o.room.level for o in offers if o.id == a.company_id)
              for a in ranked(assess(wish, o) for o in offers)]
    assert levels == sorted(levels, reverse=True)
