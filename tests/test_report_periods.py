"""A programme's own period and targets per part of it, and the outcomes by kind: counted by hand."""

from __future__ import annotations

import pytest

from conftest import Cli

PROGRAMME = """
id = "toaar"
name = "Two years"
period_from = 2025-03-01
period_to = 2026-02-28

[followup]
every_days = 14

[targets]
job_share_pct = 40

[[periods]]
name = "2025"
from = 2025-03-01
to = 2025-12-31
[periods.targets]
job_share_pct = 20

[[phases]]
id = "forloeb"
name = "Course"
"""


@pytest.fixture
def two_years(tmp_path) -> Cli:
    cli = Cli(tmp_path / "f.db", today="2026-04-15")
    (tmp_path / "toaar.toml").write_text(PROGRAMME, encoding="utf-8")
    cli("program", "add", str(tmp_path / "toaar.toml"))
    # Before the period (ended 20-02-2025), in it from 2025 into 2026, and after it (from 10-03-2026).
    cli("enroll", "Alma Før", "--program", "toaar", "--start", "2025-02-01")
    cli("end", "Alma", "--outcome", "job", "--on", "2025-02-20")
    cli("enroll", "Bent Midt", "--program", "toaar", "--start", "2025-06-01")
    cli("enroll", "Cecilie Skifte", "--program", "toaar", "--start", "2025-12-15")
    cli("end", "Cecilie", "--outcome", "job", "--on", "2026-01-10")
    cli("enroll", "Dorit Efter", "--program", "toaar", "--start", "2026-03-10")
    return cli


def _kpis(item: dict) -> dict:
    return {k["id"]: k for k in item["kpis"]}


def test_without_dates_the_report_is_the_programmes_own_period_across_two_years(two_years):
    doc = two_years.json("report")
    (item,) = doc["items"]
    assert (item["from"], item["to"], item["period"]) == ("2025-03-01", "2026-02-28", "program")
    # Bent (from June 2025) and Cecilie (Dec 2025 – Jan 2026); Alma ended before, Dorit began after.
    assert (item["participants"], item["enrolled"], item["active"]) == (2, 2, 1)
    job = _kpis(item)["job_share"]
    assert (job["numerator"], job["denominator"], job["value"], job["target"]) == (1, 2, 50.0, 40)
    days = _kpis(item)["job_days"]  # 15-12-2025 to 10-01-2026
    assert (days["numerator"], days["denominator"], days["value"], days["unit"]) == (None, 1, 26.0, "days")
    text = two_years("report").stdout
    assert "Two years (toaar): 01-03-2025 to 28-02-2026, the programme's own period" in text


def test_a_part_of_the_period_reports_its_own_target(two_years):
    (item,) = two_years.json("report", "--from", "2025-03-01", "--to", "2025-12-31")["items"]
    job = _kpis(item)["job_share"]
    # Cecilie's job came on 10-01-2026, after this part: none of the 2 participants yet.
    assert (item["period"], job["numerator"], job["denominator"], job["target"]) == ("given", 0, 2, 20)
    (item,) = two_years.json("report", "--from", "2025-03-01", "--to", "2026-01-31")["items"]
    assert _kpis(item)["job_share"]["target"] == 40  # not a part of its own: the whole period's target


def test_a_programme_with_no_enrollment_in_its_period_is_named_not_hidden(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-02")
    doc = cli.json("report")
    assert doc["items"] == [] and [s["program"] for s in doc["skipped"]] == ["ovebane"]
    assert "has no enrollment in its own period, 01-03-2021 to 31-12-2022" in cli("report").stdout


@pytest.mark.parametrize(("extra", "key", "problem"), [
    ('[[periods]]\nfrom = 2025-05-01\nto = 2025-04-01\n', "periods[1].to", "must not be before from"),
    ('[[periods]]\nfrom = 2025-12-01\nto = 2026-03-31\n', "periods[1].to", "must lie within period_from and period_to"),
    ('[[periods]]\nfrom = 2025-12-31\nto = 2026-01-31\n', "periods[1].from", "overlaps periods[0]"),
])
def test_a_wrong_part_of_the_period_is_one_sentence(tmp_path, cli, extra, key, problem):
    text = PROGRAMME.replace("[[phases]]", extra + "\n[[phases]]")
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    result = cli("program", "add", str(tmp_path / "bad.toml"), code=2)
    assert f"key {key}: {problem}" in result.stderr


def test_virksomhedscenter_outcomes_by_kind_with_median_days(cli):
    cli("enroll", "Vera Flex", "--program", "virksomhedscenter", "--start", "2026-01-05")
    cli("end", "Vera", "--outcome", "flexjob", "--on", "2026-03-02")
    cli("enroll", "Vagn Bliver", "--program", "virksomhedscenter", "--start", "2026-01-05")
    cli("enroll", "Vibe Ud", "--program", "virksomhedscenter", "--start", "2026-02-02")
    cli("end", "Vibe", "--outcome", "dropout", "--on", "2026-03-16")
    (item,) = cli.json("report", "--from", "2026-01-01", "--to", "2026-03-31")["items"]
    k = _kpis(item)
    assert (k["flexjob_share"]["numerator"], k["flexjob_share"]["denominator"], k["flexjob_share"]["value"]) == \
        (1, 3, 33.3)
    assert (k["flexjob_days"]["denominator"], k["flexjob_days"]["value"]) == (1, 56.0)  # 05-01 → 02-03
    assert (k["dropout_share"]["numerator"], k["dropout_days"]["value"]) == (1, 42.0)  # 02-02 → 16-03
    assert (k["education_share"]["numerator"], k["education_days"]["denominator"], k["education_days"]["value"]) \
        == (0, 0, None)
    assert k["flexjob_share"]["explanation"].startswith("Participants whose enrollment has the outcome flex job")
    # A report to before Vera's job: she had not gone on to it yet.
    (item,) = cli.json("report", "--from", "2026-01-01", "--to", "2026-02-28")["items"]
    assert _kpis(item)["flexjob_share"]["numerator"] == 0
