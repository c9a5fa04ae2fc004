"""The table's bounded agenda (first lines of each group, the rest counted) against the whole one.

`due` prints ``agenda_lines`` with a limit; ``--json`` prints every item. Built on the demo (every
kind of item, many citizens a day), the bounded groups must be the first lines of the unbounded ones,
with the same totals, at any limit.
"""

from __future__ import annotations

import datetime as _dt

import pytest

from conftest import Cli
from fleksrun.services.agenda import OVERDUE, agenda, agenda_lines, item_key
from fleksrun.store.db import open_db

TODAY = _dt.date(2026, 11, 24)  # in a month's last ten days: hours at risk show too


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("lines") / "demo.db"
    Cli(path, today=TODAY.isoformat())("demo", "--size", "150")
    return open_db(path)


def _shape(groups):
    """What the table shows of each group: its key, totals, and per line the kind, count and items."""
    return [(g["key"], g["total_lines"], g["total_items"],
             [(line["kind"], line["count"], [i["text"] for i in line["items"]]) for line in g["lines"]])
            for g in groups]


def _window(days=7):
    return TODAY, TODAY + _dt.timedelta(days=days - 1)


@pytest.mark.parametrize("limit, names", [(1, 1), (3, 2), (40, 12)])
def test_bounded_groups_are_the_first_lines_of_the_whole_agenda(demo_db, limit, names):
    start, end = _window()
    whole = agenda_lines(demo_db, TODAY, start, end, limit=10**9, names=None)["groups"]
    bounded = agenda_lines(demo_db, TODAY, start, end, limit=limit, names=names)["groups"]
    assert [g["key"] for g in bounded] == [g["key"] for g in whole]
    expected = []
    for key, lines, items, shown in _shape(whole):
        cut = [(kind, count, texts[:names] if kind == "practice_day" else texts) for kind, count, texts in shown]
        expected.append((key, lines, items, cut[:limit]))
    assert _shape(bounded) == expected
    assert any(len(g["lines"]) < g["total_lines"] for g in bounded)  # the limit did cut something


def test_every_kind_and_the_overdue_group_first(demo_db):
    start, end = _window()
    groups = agenda_lines(demo_db, TODAY, start, end, limit=10**9, names=None)["groups"]
    assert groups[0]["key"] == OVERDUE
    assert [g["key"] for g in groups[1:]] == sorted(g["key"] for g in groups[1:])
    kinds = {line["kind"] for g in groups for line in g["lines"]}
    assert {"followup", "practice_day", "attendance_missing", "ready_to_advance", "hours_at_risk"} <= kinds


def test_the_json_items_are_the_lines_items_in_item_order(demo_db):
    start, end = _window(14)
    doc = agenda(demo_db, TODAY, start, end)
    groups = agenda_lines(demo_db, TODAY, start, end, limit=10**9, names=None)["groups"]
    from_lines = [i for g in groups for line in g["lines"] for i in line["items"]]
    assert doc["items"] == sorted(from_lines, key=item_key)
    assert sum(g["total_items"] for g in groups) == len(doc["items"])
    overdue = [i for i in doc["items"] if i["overdue_days"] > 0]
    assert groups[0]["total_items"] == len(overdue) and overdue == doc["items"][: len(overdue)]


def test_a_citizens_missing_days_make_one_line_however_common_the_name(demo_db):
    start, end = _window()
    groups = agenda_lines(demo_db, TODAY, start, end, limit=10**9, names=None)["groups"]
    missing = [line for line in groups[0]["lines"] if line["kind"] == "attendance_missing"]
    keys = [(line["items"][0]["citizen_id"], line["items"][0]["company"]) for line in missing]
    assert missing and len(keys) == len(set(keys))
    for line in missing:
        assert {(i["citizen_id"], i["company"]) for i in line["items"]} == {keys[missing.index(line)]}
        assert [i["date"] for i in line["items"]] == sorted(i["date"] for i in line["items"])


def test_two_placements_of_one_citizen_at_one_company_ending_the_same_week(tmp_path):
    """Two lines with equal keys (a Tuesday and a Thursday placement, both ending soon) sort fine."""
    path = tmp_path / "tie.db"
    Cli(path, today=TODAY.isoformat())("demo", "--size", "20")
    db = open_db(path)
    soon = (TODAY + _dt.timedelta(days=5)).isoformat()
    row = db.execute("SELECT p.id FROM placements p JOIN enrollments e ON e.id = p.enrollment_id"
                     " WHERE e.status = 'active' ORDER BY p.id LIMIT 1").fetchone()
    with db.conn:
        db.execute("UPDATE placements SET end = ? WHERE id = ?", [soon, row[0]])
        db.execute("DELETE FROM days WHERE placement_id = ? AND date > ?", [row[0], soon])
        db.execute("INSERT INTO placements (enrollment_id, company_id, kind, start, end, weekdays, created_at)"
                   " SELECT enrollment_id, company_id, kind, start, ?, '3', created_at FROM placements WHERE id = ?",
                   [(TODAY + _dt.timedelta(days=9)).isoformat(), row[0]])
    start, end = _window()
    groups = agenda_lines(db, TODAY, start, end, limit=40, names=12)["groups"]
    ending = [line for g in groups for line in g["lines"] if line["kind"] == "placement_ending"]
    assert len(ending) >= 2
    assert Cli(path, today=TODAY.isoformat())("due", code=0).exit_code == 0
