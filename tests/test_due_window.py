"""A window shows what falls in it: a future week lists that week's items only, and what is overdue
as of today is shown (once, apart) only when the window holds today. Its title names its own dates
and the week(s) they span."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import Cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("window") / "demo.db", today="2026-06-02")
    cli("demo")
    return cli


@pytest.mark.parametrize("window", [("--week", "uge 30"), ("--week", "2026-W53"), ("--from", "2026-08-10"),
                                    ("--from", "2026-06-09", "--days", "14")])
def test_a_future_window_lists_only_its_own_days(demo: Cli, window: tuple[str, ...]):
    doc = demo.json("due", *window)
    first, last = dt.date.fromisoformat(doc["from"]), dt.date.fromisoformat(doc["to"])
    assert first > dt.date(2026, 6, 2)
    for item in doc["items"]:
        assert first <= dt.date.fromisoformat(item["date"]) <= last, item
        assert item["overdue_days"] == 0, item


def test_the_week_of_today_still_shows_what_is_overdue(demo: Cli):
    items = demo.json("due")["items"]
    assert any(item["overdue_days"] > 0 for item in items)
    today = dt.date(2026, 6, 2)
    assert all(item["overdue_days"] > 0 or today <= dt.date.fromisoformat(item["date"]) for item in items)


def test_the_title_names_the_weeks_the_window_spans(tmp_path: Path):
    cli = Cli(tmp_path / "t.db", today="2026-12-06")  # a Sunday
    cli("enroll", "Ida Holm", "--program", "jobgaranti", "--start", "2026-12-08")  # a follow-up due that day
    assert cli("due").stdout.startswith("The agenda for weeks 49–50: 06-12-2026 – 12-12-2026")
    assert cli("--lang", "da", "due").stdout.startswith("Opgaver i uge 49–50: 06-12-2026 – 12-12-2026")
    assert cli("due", "--week", "uge 50").stdout.startswith("The agenda for week 50: 07-12-2026 – 13-12-2026")


def test_two_citizens_with_one_name_are_told_apart(tmp_path: Path):
    cli = Cli(tmp_path / "n.db", today="2026-03-02")
    cli("enroll", "Mette Hansen", "--program", "jobgaranti", "--start", "2026-03-02")
    cli("enroll", "Mette Hansen", "--program", "rampen", "--start", "2026-03-03", "--cpr", "0101901234",
        code=None)
    cli("enroll", "Ole Berg", "--program", "jobgaranti", "--start", "2026-03-02")
    texts = [item["text"] for item in cli.json("due")["items"]]
    assert any("Mette Hansen (#1)" in text for text in texts) and any("Mette Hansen (#2)" in text for text in texts)
    assert any("Ole Berg" in text and "(#" not in text for text in texts)  # a name of one is named alone


def test_names_that_differ_only_in_case_or_spelling_of_a_are_told_apart_too(tmp_path: Path):
    cli = Cli(tmp_path / "a.db", today="2026-03-02")
    cli("enroll", "Åse Holm", "--program", "jobgaranti", "--start", "2026-03-02")
    cli("enroll", "ÅSE HOLM", "--program", "rampen", "--start", "2026-03-02", code=None)
    cli("enroll", "Aase Holm", "--program", "rampen", "--start", "2026-03-02", code=None)
    for args in (("due",), ("due", "--json")):
        page = cli(*args).stdout
        assert "Åse Holm (#1)" in page and "ÅSE HOLM (#2)" in page and "Aase Holm (#3)" in page


def test_end_cancels_the_booked_days_after_it_and_undo_brings_them_back(tmp_path: Path):
    cli = Cli(tmp_path / "e.db", today="2026-03-02")
    cli("enroll", "Ida Holm", "--program", "virksomhedscenter", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-03-03", "--weeks", "4", "--days", "tue",
        "--hours", "4")
    result = cli("end", "Ida", "--outcome", "job", "--on", "2026-03-10", env={"FLEKSRUN_TODAY": "2026-03-10"})
    assert "Cancelled 2 booked days after 10-03-2026" in result.stdout
    planned = [d["date"] for d in cli.json("show", "Ida")["days"] if d["status"] == "planned"]
    assert planned == ["2026-03-03", "2026-03-10"]
    later = json.loads(cli("due", "--from", "2026-03-16", "--json", env={"FLEKSRUN_TODAY": "2026-03-16"}).stdout)
    assert not [item for item in later["items"] if item["kind"] == "practice_day"]
    cli("undo")
    planned = [d["date"] for d in cli.json("show", "Ida")["days"] if d["status"] == "planned"]
    assert planned == ["2026-03-03", "2026-03-10", "2026-03-17", "2026-03-24"]
