"""`report --html`: the page's numbers parsed back equal `report --json`; no CPR, no external URL."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from conftest import Cli
from prepared_db import build_prepared

PERIOD = ("--from", "2026-01-01", "--to", "2026-03-31")


class Page(HTMLParser):
    """The KPI rows (programme, kpi → data attributes), every attribute, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.program = None
        self.kpis: dict[tuple[str, str], dict[str, str]] = {}
        self.row: tuple[str, str] | None = None
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.attributes += [(tag, k, v) for k, v in attrs]
        if tag == "section" and "data-program" in found:
            self.program = found["data-program"]
        if tag == "tr" and "data-kpi" in found:
            self.row = (self.program, found["data-kpi"])
            self.kpis[self.row] = {}
        if tag == "td" and self.row is not None:
            self.kpis[self.row].update({k.removeprefix("data-"): v for k, v in found.items() if k.startswith("data-")})

    def handle_endtag(self, tag):
        if tag == "tr":
            self.row = None

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def prepared(tmp_path) -> Cli:
    return Cli(build_prepared(tmp_path / "prepared.db"), today="2026-04-15")


def _page(cli: Cli, path, *extra: str) -> Page:
    result = cli("report", *PERIOD, "--html", str(path), *extra)
    assert f"Wrote the report page to {path}." in result.stdout
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _number(text: str | None):
    return None if text is None else float(text)


def test_the_page_holds_the_reports_numbers(prepared, tmp_path):
    doc = prepared.json("report", *PERIOD)
    page = _page(prepared, tmp_path / "r.html")
    checked = 0
    for item in doc["items"]:
        for k in item["kpis"]:
            if k["id"].endswith("_days"):  # shown beside its share, in the outcomes table
                continue
            cells = page.kpis[(item["program"], k["id"])]
            assert _number(cells.get("numerator")) == k["numerator"], k["id"]
            assert _number(cells.get("denominator")) == k["denominator"], k["id"]
            assert _number(cells.get("value")) == k["value"], k["id"]
            assert _number(cells.get("target")) == k["target"], k["id"]
            checked += 1
        days = page.kpis[(item["program"], "flexjob_share")].get("days")
        assert _number(days) == {k["id"]: k for k in item["kpis"]}["flexjob_days"]["value"]
    assert checked > 30
    text = " ".join(page.text)
    assert "Made on 15-04-2026" in text and "Period: 01-01-2026 to 31-03-2026." in text


def test_no_cpr_no_names_and_nothing_from_the_network(prepared, tmp_path):
    page = _page(prepared, tmp_path / "r.html")
    raw = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "0101801234" not in raw and "010180" not in raw  # Anna's CPR number, in any form
    assert "Anna Andersen" not in raw  # counts only by default
    for tag, name, value in page.attributes:
        assert not (name in ("src", "href") and value and "//" in value), (tag, name, value)
    assert "<script" not in raw and "@import" not in raw and "url(" not in raw
    assert "<svg" in raw and "@media print" in raw and "@page" in raw


def test_names_only_when_asked(prepared, tmp_path):
    _page(prepared, tmp_path / "r.html", "--names", "--program", "jobgaranti")
    raw = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Nina Nørgaard" in raw
    result = prepared("report", "--names", code=2)
    assert "--names shows names on the page: give it together with --html FILE." in result.stderr


def test_the_page_is_remembered_for_forget(prepared, tmp_path):
    from fleksrun.store.db import open_db

    _page(prepared, tmp_path / "r.html")
    db = open_db(prepared.db)
    try:
        paths = [row[0] for row in db.execute("SELECT path FROM written_files")]
    finally:
        db.close()
    assert str((tmp_path / "r.html").resolve()) in paths
