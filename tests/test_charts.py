"""The terminal charts fit an 80-column terminal: every line at most 80 cells, nothing wrapped."""

from __future__ import annotations

import io

import pytest

from conftest import Cli
from prepared_db import build_prepared
from rich.console import Console
from rich.text import Text

from fleksrun.cli.charts import funnel_chart, hours_chart
from fleksrun.services.reports import build_report, hours_chart_data
from fleksrun.store.db import open_db

PERIOD = ("--from", "2026-01-01", "--to", "2026-03-31")


@pytest.fixture
def prepared(tmp_path) -> Cli:
    return Cli(build_prepared(tmp_path / "prepared.db"), today="2026-04-15")


def console80() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=80, color_system=None, soft_wrap=False), buffer


def assert_fits(text: str, width: int = 80) -> list[str]:
    lines = text.rstrip("\n").split("\n")
    assert lines, "the chart drew nothing"
    too_long = [line for line in lines if Text(line).cell_len > width]
    assert not too_long, too_long
    return lines


@pytest.fixture
def doc(prepared):
    db = open_db(prepared.db)
    import datetime as dt

    report = build_report(db, dt.date(2026, 4, 15), start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    yield db, report
    db.close()


def test_hours_chart_fits_80_columns_and_marks_the_30_hour_line(doc):
    db, report = doc
    console, buffer = console80()
    data = hours_chart_data(db, report)
    hours_chart(console, data, line=30, start=report["from"], end=report["to"])
    lines = assert_fits(buffer.getvalue())
    # Nina: 12 in January, 31 (recorded) in February: one bar per month, the bar of February past the line.
    nina = lines.index("Nina Nørgaard")
    jan, feb, mar = lines[nina + 1:nina + 4]
    assert jan.startswith("  2026-01 ") and jan.endswith("12") and "│" in jan
    assert feb.startswith("  2026-02 ") and feb.endswith("31") and "│" not in feb
    assert feb.count("█") > jan.count("█") > 0
    assert mar.rstrip().endswith(" 0")


def test_funnel_chart_fits_80_columns(doc):
    _, report = doc
    console, buffer = console80()
    funnel_chart(console, report)
    lines = assert_fits(buffer.getvalue())
    ovebane = next(line for line in lines if line.startswith("  ovebane "))
    jobsogning = next(line for line in lines if line.startswith("  jobsogning "))
    assert ovebane.endswith("4 (now 1, 50 d)") and jobsogning.endswith("3 (now 1, 23.5 d)")
    assert ovebane.count("█") > jobsogning.count("█") > 0


@pytest.mark.parametrize("chart", ["hours", "funnel"])
def test_charts_through_the_cli_in_an_80_column_terminal(prepared, chart):
    result = prepared("report", *PERIOD, "--chart", chart, env={"COLUMNS": "80"})
    lines = assert_fits(result.stdout)
    assert any("█" in line for line in lines)


def test_hours_chart_for_one_programme(prepared):
    text = prepared("report", *PERIOD, "--chart", "hours", "--program", "jobgaranti", env={"COLUMNS": "80"}).stdout
    assert "Per Poulsen" in text and "Vera Vind" not in text
    assert_fits(text)


def test_the_report_table_fits_80_columns_too(prepared):
    assert_fits(prepared("report", *PERIOD, env={"COLUMNS": "80"}).stdout)
