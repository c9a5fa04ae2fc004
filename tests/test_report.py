"""`report` on a prepared database: every KPI equals a count worked out by hand (see prepared_db.py)."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import Cli
from prepared_db import build_prepared

from fleksrun.services.kpis import monthly_hours_all
from fleksrun.store.db import open_db
from fleksrun.store.tx import transaction
from fleksrun.store.queries import HOUR_KINDS, monthly_hours

PERIOD = ("--from", "2026-01-01", "--to", "2026-03-31")


def _aalborg_phases(path):
    """The Aalborg enrollments of the prepared database get the phase history their KPIs read:
    Sara and Ulla in phase 3 (approved, finding the flex job), Tom in phase 3 then 4 from March,
    Vera, Willy and Xenia in phase 4 (in a flex job), Yrsa in phase 1 (not yet approved)."""
    stays = {"Sara Sørensen": [("tidlig_indsats", "2026-01-10", None)],
             "Tom Thomsen": [("tidlig_indsats", "2025-12-01", "2026-03-01"), ("opfoelgning", "2026-03-01", None)],
             "Ulla Ulriksen": [("tidlig_indsats", "2025-11-01", "2026-02-15")],
             "Vera Vind": [("opfoelgning", "2026-01-01", None)],
             "Willy Winther": [("opfoelgning", "2026-01-01", None)],
             "Xenia Xu": [("opfoelgning", "2026-01-01", None)],
             "Yrsa Yde": [("tidlig_italesaettelse", "2026-02-01", None)]}
    db = open_db(path)
    try:
        with transaction(db, "test fixture") as tx:
            for name, rows in stays.items():
                (enrollment,) = db.execute("SELECT e.id FROM enrollments e JOIN citizens c ON c.id = e.citizen_id "
                                           "WHERE c.name = ? AND e.program_id = 'fleksjob_aalborg'", [name]).fetchone()
                for phase, entered, left in rows:
                    tx.insert("phases", {"enrollment_id": enrollment, "phase": phase, "entered": entered, "left": left})
    finally:
        db.close()
    return path


@pytest.fixture
def prepared(tmp_path) -> Cli:
    return Cli(_aalborg_phases(build_prepared(tmp_path / "prepared.db")), today="2026-04-15")


@pytest.fixture
def report(prepared) -> dict:
    doc = prepared.json("report", *PERIOD)
    return {item["program"]: item for item in doc["items"]}


def kpi(report: dict, program: str, kpi_id: str) -> tuple:
    found = {k["id"]: k for k in report[program]["kpis"]}[kpi_id]
    return found["numerator"], found["denominator"], found["value"], found["target"]


def test_json_is_wrapped_with_today_and_the_period(prepared):
    doc = prepared.json("report", *PERIOD)
    assert (doc["today"], doc["from"], doc["to"]) == ("2026-04-15", "2026-01-01", "2026-03-31")
    assert [i["program"] for i in doc["items"]] == ["ovebane", "rampen", "virksomhedscenter", "jobgaranti",
                                                    "fleksjob_aalborg"]
    item = doc["items"][0]
    assert {"program", "enrolled", "active", "outcomes", "phases", "kpis"} <= set(item)
    for k in item["kpis"]:
        assert set(k) == {"id", "label", "numerator", "denominator", "value", "target", "baseline", "unit",
                          "explanation"}
    assert set(item["phases"][0]) == {"phase", "reached", "now", "median_days"}


def test_ovebane_counts_outcomes_and_funnel(report):
    o = report["ovebane"]
    # Overlapping the period: Anna, Bo, Carl, Finn (Dorte ended before, Eva starts after).
    # Started in it: Bo, Carl, Finn. Active on 31 March: Anna, Carl, Finn. Ended in it: Bo (flexjob).
    assert (o["enrolled"], o["active"], o["participants"]) == (3, 3, 4)
    assert o["outcomes"] == {"flexjob": 1}
    phases = {p["phase"]: p for p in o["phases"]}
    # ovebane stays that ended in the period: Anna 92, Bo 50, Finn 36 days → median 50; Carl is in it now.
    assert phases["ovebane"] == {"phase": "ovebane", "reached": 4, "now": 1, "median_days": 50}
    # jobsogning: Bo 19 and Finn 28 days → median 23.5; Anna is in it now.
    assert phases["jobsogning"] == {"phase": "jobsogning", "reached": 3, "now": 1, "median_days": 23.5}
    assert phases["eftervaern"] == {"phase": "eftervaern", "reached": 1, "now": 1, "median_days": None}


def test_ovebane_kpis(report):
    assert kpi(report, "ovebane", "participants") == (4, None, 4, 180)
    # Bo ended with a flex job; Finn got one and went on into after-care. Of Anna, Bo, Carl, Finn.
    assert kpi(report, "ovebane", "flexjob_share") == (2, 4, 50.0, None)
    # Active at the end: Anna (latest follow-up due 15 March: overdue), Carl and Finn (due in April).
    assert kpi(report, "ovebane", "followup_compliance") == (2, 3, 66.7, None)
    # Anna's days in the period: attended 6 and 13 January, absent 8 January; planned and cancelled
    # days and the day in December do not count.
    assert kpi(report, "ovebane", "attendance_rate") == (2, 3, 66.7, None)


def test_rampen_kpis(report):
    assert kpi(report, "rampen", "participants") == (4, None, 4, 100)
    # Start questionnaire by 31 March: Gitte, Hans, Jens (Ida's came in April).
    assert kpi(report, "rampen", "start_questionnaire") == (3, 4, 75.0, None)
    # Left in the period (ended 1 March and 1 February): Hans and Ida; only Hans answered the end
    # questionnaire (ticked in the phase fastholdelse; the phase does not matter).
    assert kpi(report, "rampen", "end_questionnaire") == (1, 2, 50.0, None)


def test_virksomhedscenter_kpis(report):
    # Karin: 13 weeks in a row across new year. Lars: 12 in the period (the 13th is in April).
    # Mona: 7 + 7 weeks with a sick week between, which keeps continuous practice going: 15.
    assert kpi(report, "virksomhedscenter", "continuous_practice") == (2, 3, 66.7, 75)
    # Placements overlapping the period: Bageriet (Karin), Cykelsmeden (Lars), Dyrlægen (Mona).
    assert kpi(report, "virksomhedscenter", "companies_used") == (3, None, 3, None)


def test_jobgaranti_kpis(report):
    # Nina 31 recorded in Feb (month 2), Ole 32 from days in Jan (month 3 from Nov), Rikke 35 in Aug 2025
    # (month 3). Per's 40 hours of days are replaced by the payslip's 29.5; Søren's 40 come in April.
    assert kpi(report, "jobgaranti", "ordinary_hours") == (3, 5, 60.0, None)
    months = {k["id"]: k for k in report["jobgaranti"]["kpis"]}["months_to_hours"]
    assert (months["numerator"], months["denominator"], months["value"]) == (None, 3, 3)


def test_fleksjob_aalborg_kpis(report):
    # Approved at the end (phase 3 or 4, still active): Sara, Tom, Vera, Willy, Xenia (Ulla left with
    # the outcome job, Yrsa is in phase 1). Without a flex job: Sara only (Tom is in phase 4 with a
    # flex-job placement from March; Vera, Willy and Xenia are in phase 4). The group label plays no part.
    assert kpi(report, "fleksjob_aalborg", "ledighedsydelse_share") == (1, 5, 20.0, 13.0)
    k = {k["id"]: k for k in report["fleksjob_aalborg"]["kpis"]}
    assert k["ledighedsydelse_share"]["baseline"] == 15.3
    # At most 10 h a week in the start month: Vera 26 h in January (5.87), Willy 30 in January (6.77),
    # Yrsa 8 h of days in February (2.0); Xenia's 60 in January (13.5) is not. Increased by at least
    # 1 h a week in two consecutive complete months: nobody. Vera's 35 in March (7.9) has no April in
    # the period, Willy's February 30 (7.5) is only the shorter month and March falls to 25, Yrsa's
    # March 20 (4.5) is followed by April, after the period.
    assert kpi(report, "fleksjob_aalborg", "hours_increase") == (0, 3, 0.0, 35.0)
    assert k["hours_increase"]["baseline"] == 21.0


def test_every_kpi_says_how_it_is_computed(report):
    for item in report.values():
        for k in item["kpis"]:
            assert k["label"], k["id"]
            if k["unit"] == "pct":
                assert " / " in k["explanation"], k["id"]
            else:
                assert k["explanation"], k["id"]
    compliance = {k["id"]: k for k in report["ovebane"]["kpis"]}["followup_compliance"]
    assert "overdue" in compliance["explanation"]


def test_one_programme_and_the_table(prepared):
    doc = prepared.json("report", *PERIOD, "--program", "rampen")
    assert [i["program"] for i in doc["items"]] == ["rampen"]
    text = prepared("report", *PERIOD, "--program", "jobgaranti").stdout
    assert "Reached 30 ordinary hours in a month" in text and "3 / 5" in text and "60%" in text
    text = prepared("report", *PERIOD, "--program", "fleksjob_aalborg").stdout
    assert "15.3% → 13%" in text and "1 / 5" in text


def test_default_period_is_this_year_so_far(prepared):
    doc = prepared.json("report")
    assert (doc["from"], doc["to"]) == ("2026-01-01", "2026-04-15")


def test_bad_period_and_unknown_programme_exit_2(prepared):
    assert "after it ends" in prepared("report", "--from", "2026-03-01", "--to", "2026-02-01", code=2).stderr
    assert "nosuch" in prepared("report", "--program", "nosuch", code=2).stderr
    assert "--chart" in prepared("report", "--chart", "pie", code=2).stderr


def test_empty_period_prints_one_sentence(cli):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    result = cli("report")
    assert result.stdout.startswith("No enrollment overlaps") and result.stdout.count("\n") == 1
    assert cli.json("report")["items"] == []


def test_report_csv_parses_back_with_semicolons_and_decimal_comma(prepared, tmp_path):
    target = tmp_path / "kpis.csv"
    prepared("report", *PERIOD, "--csv", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if r["program"] == "fleksjob_aalborg" and r["kpi"] == "ledighedsydelse_share")
    assert (row["numerator"], row["denominator"], row["value"], row["target"], row["baseline"]) == \
        ("1", "5", "20", "13", "15,3")
    row = next(r for r in rows if r["program"] == "virksomhedscenter" and r["kpi"] == "continuous_practice")
    assert float(row["value"].replace(",", ".")) == 66.7
    assert len(rows) == sum(len(i["kpis"]) for i in prepared.json("report", *PERIOD)["items"])


def test_aggregate_monthly_hours_agree_with_monthly_hours(prepared):
    db = open_db(prepared.db)
    try:
        citizens = [row[0] for row in db.execute("SELECT id FROM citizens")]
        for kind in HOUR_KINDS:
            everyone = monthly_hours_all(db, kind, "2025-01", "2026-12")
            one_by_one = {(cid, month): by_kind[kind]
                          for cid in citizens
                          for month, by_kind in monthly_hours(db, cid, "2025-01", "2026-12").items()
                          if by_kind[kind] or (cid, month) in everyone}
            assert everyone == one_by_one, kind
        assert monthly_hours_all(db, "ordinary", "2026-03", "2026-03")[(16, "2026-03")] == 29.5
    finally:
        db.close()


def test_report_csv_plain_uses_commas_and_points(prepared, tmp_path):
    target = tmp_path / "kpis.csv"
    prepared("report", *PERIOD, "--program", "ovebane", "--csv", str(target), "--plain")
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8")), delimiter=","))
    assert [(r["kpi"], r["value"]) for r in rows][:5] == [
        ("followup_compliance", "66.7"), ("attendance_rate", "66.7"), ("participants", "4"), ("flexjob_share", "50"),
        ("flexjob_days", "66.5")]


def test_the_months_of_a_period_end_in_december_9999_as_any_other_year():
    """As text "10000-01" sorts before "9999-12": the months are counted as numbers, so this ends."""
    from fleksrun.services.reports import month_list

    assert month_list("9999-11", "9999-12") == ["9999-11", "9999-12"]
    assert month_list("2025-12", "2026-02") == ["2025-12", "2026-01", "2026-02"]


def test_end_questionnaire_counts_who_left_in_the_period_ticked_in_any_phase_or_after(tmp_path):
    from prepared_db import Builder

    from fleksrun.services import open_database
    from fleksrun.services.kpis import checklist_done_on_leaving

    db = open_database(tmp_path / "rampen.db")
    with transaction(db, "test fixture") as tx:
        b = Builder(tx)
        a = b.enroll(b.citizen("Asta"), "rampen", "2025-10-01", "2026-02-10", "job")
        b.tick(a, "opstart", "end_questionnaire", "2026-01-05")        # in the first phase: counts
        c = b.enroll(b.citizen("Carl"), "rampen", "2025-10-01", "2026-03-20", "dropout")
        b.tick(c, "fastholdelse", "end_questionnaire", "2026-04-12")   # after the end and the period: counts
        b.enroll(b.citizen("Dina"), "rampen", "2025-10-01", "2026-03-30", "job")  # left, not ticked
        e = b.enroll(b.citizen("Ebbe"), "rampen", "2025-06-01", "2025-12-20", "job")
        b.tick(e, "fastholdelse", "end_questionnaire", "2025-12-20")   # left before the period: neither
        f = b.enroll(b.citizen("Frida"), "rampen", "2026-01-05")
        b.tick(f, "opstart", "end_questionnaire", "2026-02-01")        # has not left: neither
    try:
        binds = {"program": "rampen", "from": "2026-01-01", "to": "2026-03-31"}
        # Left in the period: Asta, Carl, Dina; ticked on that enrollment: Asta and Carl.
        assert checklist_done_on_leaving(db, binds, "end_questionnaire") == (2, 3)
    finally:
        db.close()
