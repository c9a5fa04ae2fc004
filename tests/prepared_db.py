"""A prepared database for report and export tests, written row by row through the journalled
transaction, with numbers small enough to count by hand (the counts are worked out in test_report.py).

The period under test is 2026-01-01 to 2026-03-31.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from fleksrun.domain.programs import builtin_programs
from fleksrun.services.programs import definition_row
from fleksrun.services import open_database as open_db  # as commands open it: summaries kept up
from fleksrun.store.tx import Tx, transaction

NOW = "2026-01-01T00:00:00+00:00"


class Builder:
    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.defs: dict[str, int] = {}
        self.companies: dict[str, int] = {}

    def citizen(self, name: str, group: str | None = None, **extra: Any) -> int:
        return self.tx.insert("citizens", {"name": name, "citizen_group": group, "created_at": NOW, **extra})

    def company(self, name: str) -> int:
        if name not in self.companies:
            self.companies[name] = self.tx.insert("companies", {"name": name, "created_at": NOW})
        return self.companies[name]

    def enroll(self, citizen: int, program: str, start: str, end: str | None = None, outcome: str | None = None,
               status: str | None = None) -> int:
        if program not in self.defs:
            self.defs[program] = definition_row(self.tx.db, self.tx, builtin_programs()[program], "builtin")
        return self.tx.insert("enrollments", {
            "citizen_id": citizen, "program_id": program, "program_def": self.defs[program], "start": start,
            "end": end, "status": status or ("ended" if end else "active"), "outcome": outcome})

    def phase(self, enrollment: int, phase: str, entered: str, left: str | None = None) -> None:
        self.tx.insert("phases", {"enrollment_id": enrollment, "phase": phase, "entered": entered, "left": left})

    def tick(self, enrollment: int, phase: str, item: str, done_on: str) -> None:
        self.tx.insert("checklist", {"enrollment_id": enrollment, "phase": phase, "item": item, "done_on": done_on})

    def placement(self, enrollment: int, company: str, kind: str, start: str, end: str) -> int:
        return self.tx.insert("placements", {
            "enrollment_id": enrollment, "company_id": self.company(company), "kind": kind, "start": start,
            "end": end, "weekdays": "tue,thu", "created_at": NOW})

    def day(self, placement: int, date: str, status: str, hours: float | None = None, **extra: Any) -> int:
        return self.tx.insert("days", {"placement_id": placement, "date": date, "status": status,
                                       "planned_hours": extra.pop("planned_hours", hours), "hours": hours, **extra})

    def weekly(self, placement: int, first: str, weeks: int, status: str = "attended", hours: float = 4) -> None:
        day = _dt.date.fromisoformat(first)
        for k in range(weeks):
            self.day(placement, (day + _dt.timedelta(weeks=k)).isoformat(), status, hours)

    def hours(self, citizen: int, month: str, kind: str, hours: float) -> None:
        self.tx.insert("hours", {"citizen_id": citizen, "month": month, "kind": kind, "hours": hours,
                                 "source": "payslip", "recorded_on": NOW})

    def followup(self, enrollment: int, date: str, next_due: str | None, note: str | None = None) -> None:
        self.tx.insert("followups", {"enrollment_id": enrollment, "date": date, "kind": "talk",
                                     "with_whom": "citizen", "next_due": next_due, "note": note})


def _ovebane(b: Builder) -> None:
    anna = b.enroll(b.citizen("Anna Andersen", cpr="0101801234", accommodations="Bad back", notes="private"),
                    "ovebane", "2025-11-01")
    b.phase(anna, "ovebane", "2025-11-01", "2026-02-01")          # 92 days, left in the period
    b.phase(anna, "jobsogning", "2026-02-01")
    b.followup(anna, "2026-01-01", "2026-05-01")
    b.followup(anna, "2026-03-01", "2026-03-15")                  # the latest: overdue at 31 March
    p = b.placement(anna, "Bageriet", "practice", "2025-12-30", "2026-02-28")
    b.day(p, "2025-12-30", "attended", 4)                         # before the period
    b.day(p, "2026-01-06", "attended", 4)
    b.day(p, "2026-01-08", "absent", reason="sick")
    b.day(p, "2026-01-13", "attended", 4, note="=HYPERLINK(\"http://x\")")
    b.day(p, "2026-01-15", "planned", planned_hours=4)             # not recorded: no attendance figure
    b.day(p, "2026-01-20", "cancelled", planned_hours=4)

    bo = b.enroll(b.citizen("Bo Berg"), "ovebane", "2026-01-10", "2026-03-20", "flexjob")
    b.phase(bo, "ovebane", "2026-01-10", "2026-03-01")            # 50 days
    b.phase(bo, "jobsogning", "2026-03-01", "2026-03-20")         # 19 days

    carl = b.enroll(b.citizen("Carl Clausen"), "ovebane", "2026-02-01")
    b.phase(carl, "ovebane", "2026-02-01")
    b.followup(carl, "2026-03-15", "2026-04-05")                  # kept

    dorte = b.enroll(b.citizen("Dorte Dam"), "ovebane", "2025-01-01", "2025-12-15", "flexjob")  # before the period
    b.phase(dorte, "ovebane", "2025-01-01", "2025-12-15")
    b.enroll(b.citizen("Eva Eriksen"), "ovebane", "2026-04-02")   # after the period

    finn = b.enroll(b.citizen("Finn Friis"), "ovebane", "2026-01-05", outcome="flexjob", status="active")
    b.phase(finn, "ovebane", "2026-01-05", "2026-02-10")          # 36 days
    b.phase(finn, "jobsogning", "2026-02-10", "2026-03-10")       # 28 days
    b.phase(finn, "eftervaern", "2026-03-10")                     # after-care after the flex job
    b.followup(finn, "2026-03-20", "2026-04-19")                  # kept


def _rampen(b: Builder) -> None:
    gitte = b.enroll(b.citizen("Gitte Gram"), "rampen", "2026-01-02")
    b.tick(gitte, "opstart", "start_questionnaire", "2026-01-05")
    hans = b.enroll(b.citizen("Hans Holm"), "rampen", "2025-10-01", "2026-03-01", "job")
    b.tick(hans, "opstart", "start_questionnaire", "2025-10-05")
    b.tick(hans, "fastholdelse", "end_questionnaire", "2026-02-20")
    ida = b.enroll(b.citizen("Ida Iversen"), "rampen", "2025-12-01", "2026-02-01", "dropout")
    b.tick(ida, "opstart", "start_questionnaire", "2026-04-10")   # after the period
    jens = b.enroll(b.citizen("Jens Juhl"), "rampen", "2026-03-01")
    b.tick(jens, "opstart", "start_questionnaire", "2026-03-02")


def _virksomhedscenter(b: Builder) -> None:
    karin = b.enroll(b.citizen("Karin Kjær"), "virksomhedscenter", "2025-12-01")
    b.weekly(b.placement(karin, "Bageriet", "practice", "2025-12-01", "2026-03-31"), "2025-12-02", 13)  # over new year
    lars = b.enroll(b.citizen("Lars Lund"), "virksomhedscenter", "2026-01-05")
    p = b.placement(lars, "Cykelsmeden", "practice", "2026-01-05", "2026-04-05")
    b.weekly(p, "2026-01-07", 12)
    b.day(p, "2026-04-01", "attended", 4)                         # the 13th week, after the period
    mona = b.enroll(b.citizen("Mona Mikkelsen"), "virksomhedscenter", "2025-09-01")
    p = b.placement(mona, "Bageriet", "practice", "2025-09-01", "2025-12-15")
    b.weekly(p, "2025-09-01", 7)
    b.day(p, "2025-10-20", "absent", reason="sick")               # week 8: sick, which keeps the run going
    b.weekly(p, "2025-10-27", 7)
    ordinary = b.placement(mona, "Bageriet", "ordinary", "2025-10-21", "2025-10-21")
    b.day(ordinary, "2025-10-21", "attended", 6)                  # not practice: counts for nothing here
    b.placement(mona, "Dyrlægen", "practice", "2026-02-01", "2026-02-28")


def _jobgaranti(b: Builder) -> None:
    nina_c = b.citizen("Nina Nørgaard")
    nina = b.enroll(nina_c, "jobgaranti", "2026-01-05")
    b.hours(nina_c, "2026-01", "ordinary", 12)
    b.hours(nina_c, "2026-02", "ordinary", 31)                    # reached in month 2
    p = b.placement(nina, "Elektrikeren", "ordinary", "2026-02-01", "2026-02-28")
    b.day(p, "2026-02-03", "attended", 5)
    b.day(p, "2026-02-05", "attended", 5)                         # replaced by the recorded 31

    ole_c = b.citizen("Ole Olsen")
    ole = b.enroll(ole_c, "jobgaranti", "2025-11-10")
    p = b.placement(ole, "Elektrikeren", "ordinary", "2026-01-05", "2026-01-31")
    for date in ("2026-01-06", "2026-01-08", "2026-01-13", "2026-01-15"):
        b.day(p, date, "attended", 8)                             # 32 from days: reached in month 3
    b.hours(ole_c, "2026-02", "ordinary", 5)
    b.hours(ole_c, "2025-12", "practice", 40)                     # practice is not ordinary

    per_c = b.citizen("Per Poulsen")
    per = b.enroll(per_c, "jobgaranti", "2026-02-01")
    p = b.placement(per, "Elektrikeren", "ordinary", "2026-03-01", "2026-03-31")
    for date in ("2026-03-03", "2026-03-05", "2026-03-10", "2026-03-12", "2026-03-17"):
        b.day(p, date, "attended", 8)                             # 40 from days ...
    b.hours(per_c, "2026-03", "ordinary", 29.5)                   # ... replaced by the payslip: not reached

    rikke_c = b.citizen("Rikke Rasmussen")
    b.enroll(rikke_c, "jobgaranti", "2025-06-01")
    b.hours(rikke_c, "2025-08", "ordinary", 35)                   # reached in month 3, before the period

    soren_c = b.citizen("Søren Sand")
    b.enroll(soren_c, "jobgaranti", "2026-01-01")
    b.hours(soren_c, "2026-04", "ordinary", 40)                   # after the period
    b.hours(soren_c, "2026-02", "subsidised", 50)                 # wage subsidy is not ordinary


def _aalborg(b: Builder) -> None:
    b.enroll(b.citizen("Sara Sørensen", "ledighedsydelse"), "fleksjob_aalborg", "2026-01-10")
    tom = b.enroll(b.citizen("Tom Thomsen", "ledighedsydelse"), "fleksjob_aalborg", "2025-12-01")
    b.placement(tom, "Kommunen", "flexjob", "2026-03-01", "2027-03-01")      # in a flex job at the end
    b.enroll(b.citizen("Ulla Ulriksen", "ledighedsydelse"), "fleksjob_aalborg", "2025-11-01", "2026-02-15", "job")
    vera = b.citizen("Vera Vind", "small_flexjob")
    b.enroll(vera, "fleksjob_aalborg", "2026-01-01")
    b.hours(vera, "2026-01", "flexjob", 26)                       # 6.0 h a week
    b.hours(vera, "2026-03", "flexjob", 35)                       # increased
    willy = b.citizen("Willy Winther", "small_flexjob")
    b.enroll(willy, "fleksjob_aalborg", "2026-01-01")
    for month, h in (("2026-01", 30), ("2026-02", 30), ("2026-03", 25)):
        b.hours(willy, month, "flexjob", h)                       # 6.9 h a week, then fewer: not increased
    xenia = b.citizen("Xenia Xu", "small_flexjob")
    b.enroll(xenia, "fleksjob_aalborg", "2026-01-01")
    b.hours(xenia, "2026-01", "flexjob", 60)                      # 13.9 h a week: not under 10
    b.hours(xenia, "2026-03", "flexjob", 80)
    yrsa_c = b.citizen("Yrsa Yde", "newly_approved")
    yrsa = b.enroll(yrsa_c, "fleksjob_aalborg", "2026-02-01")
    p = b.placement(yrsa, "Kommunen", "flexjob", "2026-02-01", "2026-02-28")
    b.day(p, "2026-02-03", "attended", 4)
    b.day(p, "2026-02-10", "attended", 4)                         # 8 h from days in February
    b.hours(yrsa_c, "2026-03", "flexjob", 20)                     # increased
    b.hours(yrsa_c, "2026-04", "flexjob", 5)                      # after the period: not the latest


def build_prepared(path: Path) -> Path:
    db = open_db(path)
    with transaction(db, "test fixture") as tx:
        b = Builder(tx)
        for part in (_ovebane, _rampen, _virksomhedscenter, _jobgaranti, _aalborg):
            part(b)
    db.close()
    return path
