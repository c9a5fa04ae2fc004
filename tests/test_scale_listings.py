"""The `check` and `citizens` tables read only the rows they show and count the rest: the title's
total, the rows and the "… and N more" sentence are still those of the whole listing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Cli

ROW = re.compile(r"^│\s*(\d+) │", re.MULTILINE)  # a table row's first line: its number
MORE = re.compile(r"… and (\d+) more rows?")


def shown(stdout: str) -> list[int]:
    return [int(n) for n in ROW.findall(stdout)]


def more(stdout: str) -> int | None:
    found = MORE.search(stdout)
    return int(found.group(1)) if found else None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """A demo caseload of more enrollments than a table shows (200 unless --limit says)."""
    cli = Cli(Path(tmp_path_factory.mktemp("scale")) / "demo.db")
    cli("demo", "--size", "260")
    return cli


def test_citizens_shows_the_first_200_by_name_and_counts_the_rest(demo):
    items = demo.json("citizens")["items"]
    assert len(items) > 200
    result = demo("citizens")
    assert f"Citizens ({len(items)})" in result.stdout
    assert shown(result.stdout) == [i["id"] for i in items[:200]]
    assert more(result.stdout) == len(items) - 200


def test_check_shows_the_first_200_by_name_and_counts_the_rest(demo):
    items = demo.json("check")["items"]
    assert len(items) > 200
    result = demo("check")
    assert f"Exit rules ({len(items)})" in result.stdout
    assert shown(result.stdout) == [i["citizen_id"] for i in items[:200]]
    assert more(result.stdout) == len(items) - 200


@pytest.mark.parametrize("options", [(), ("--all",), ("--program", "rampen"), ("--phase", "opstart"),
                                     ("--ended-before", "2026-12-31")])
def test_a_limit_with_the_filters_counts_what_they_leave(demo, options):
    items = demo.json("citizens", *options)["items"]
    assert len(items) > 3, options
    result = demo("citizens", *options, "-n", "3")
    assert f"Citizens ({len(items)})" in result.stdout
    assert shown(result.stdout) == [i["id"] for i in items[:3]]
    assert more(result.stdout) == len(items) - 3


def test_a_limit_as_large_as_the_list_or_none_says_nothing_more(demo):
    items = demo.json("citizens", "--program", "rampen")["items"]
    for limit in (str(len(items)), str(len(items) + 1), "0"):
        result = demo("citizens", "--program", "rampen", "-n", limit)
        assert shown(result.stdout) == [i["id"] for i in items]
        assert more(result.stdout) is None
    result = demo("check", "-n", "0")
    assert len(shown(result.stdout)) == len(demo.json("check")["items"]) and more(result.stdout) is None


def test_check_of_one_citizen_counts_only_hers(demo):
    first = demo.json("check")["items"][0]
    result = demo("check", str(first["citizen_id"]), "-n", "1")
    assert shown(result.stdout) == [first["citizen_id"]]
    assert "Exit rules (1)" in result.stdout and more(result.stdout) is None


def test_check_evaluates_only_the_rows_it_shows(demo, monkeypatch):
    import fleksrun.services.phases as phases

    evaluated: list[int] = []
    real = phases.gather_facts_many

    def counting(db, wanted, today):
        evaluated.extend(row["enrollment_id"] for row, _phase in wanted)
        return real(db, wanted, today)

    monkeypatch.setattr(phases, "gather_facts_many", counting)
    items = demo.json("check")["items"]
    evaluated.clear()
    result = demo("check", "-n", "5")
    assert evaluated == [i["enrollment_id"] for i in items[:5]]
    assert more(result.stdout) == len(items) - 5


def test_the_page_keeps_the_listings_order_among_equal_names(cli):
    """Names compare without case; in `citizens` equal names go by number, then by start."""
    for name, program, start in (("Bo Ek", "rampen", "2026-02-01"), ("anna Holm", "rampen", "2026-03-01"),
                                 ("Anna Holm", "jobgaranti", "2026-03-02"), ("ANNA HOLM", "ovebane", "2026-01-05")):
        cli("enroll", name, "--program", program, "--start", start)
    cli("enroll", "2", "--existing", "--program", "ovebane", "--start", "2026-01-10")
    listing = [(i["id"], i["program"]) for i in cli.json("citizens")["items"]]
    assert listing == [(2, "ovebane"), (2, "rampen"), (3, "jobgaranti"), (4, "ovebane"), (1, "rampen")]
    for limit in range(1, 6):
        result = cli("citizens", "-n", str(limit))
        assert shown(result.stdout) == [n for n, _ in listing[:limit]]
        assert more(result.stdout) == (len(listing) - limit or None)
    checked = [(i["citizen_id"], i["program"]) for i in cli.json("check")["items"]]
    # check has always ordered equal names by the enrollment's start, whoever's it is
    assert checked == [(4, "ovebane"), (2, "ovebane"), (2, "rampen"), (3, "jobgaranti"), (1, "rampen")]
    for limit in range(1, 6):
        result = cli("check", "-n", str(limit))
        assert shown(result.stdout) == [n for n, _ in checked[:limit]]
        assert f"Exit rules ({len(checked)})" in result.stdout
