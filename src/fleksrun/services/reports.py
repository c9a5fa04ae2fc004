"""`report`: per programme, who came, who is here, how they left, the funnel and the KPIs.

One plain dict serves the table, ``--json`` and ``--csv``. Every number comes from SQL in
``services.kpis``; this module only picks the programmes, names the KPIs and sets them beside the
targets of each programme's ``[targets]`` table.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from fleksrun.domain.programs import Program, builtin_programs
from fleksrun.errors import InputError
from fleksrun.i18n import t
from fleksrun.services import kpis
from fleksrun.services.programs import get_program
from fleksrun.store.connection import Database


def default_period(today: _dt.date) -> tuple[_dt.date, _dt.date]:
    """This year so far: 1 January of today's year to today."""
    return _dt.date(today.year, 1, 1), today


def _share(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def kpi(kpi_id: str, numerator: int | float | None, denominator: int | None, *, unit: str = "pct",
        target: float | None = None, baseline: float | None = None, value: float | None = None,
        definition: str | None = None, **params: Any) -> dict[str, Any]:
    """One KPI as the JSON contract has it; a share's value is a percentage of the denominator.
    ``definition`` names the label and explanation when a family of KPIs shares one (default: the id)."""
    words = definition or kpi_id
    if value is None and unit == "pct" and numerator is not None and denominator is not None:
        value = _share(int(numerator), denominator)
    elif value is None and unit != "pct":
        value = numerator
    return {
        "id": kpi_id, "label": t(f"report.kpi.{words}.label", **params), "numerator": numerator,
        "denominator": denominator, "value": value, "target": target, "baseline": baseline, "unit": unit,
        "explanation": t(f"report.kpi.{words}.explain", **params),
    }


def _common(db: Database, binds: dict[str, Any]) -> list[dict[str, Any]]:
    kept, active = kpis.followup_compliance(db, binds)
    attended, recorded = kpis.attendance(db, binds)
    return [kpi("followup_compliance", kept, active), kpi("attendance_rate", attended, recorded)]


# The outcomes every programme reports, each as a share of the participants and the median days to it.
OUTCOME_KPIS = ("flexjob", "job", "education", "rehab", "dropout")


def _outcomes(db: Database, binds: dict[str, Any], program: Program, participants: int) -> list[dict[str, Any]]:
    from fleksrun.i18n import label

    out = []
    for outcome in OUTCOME_KPIS:
        citizens, median_days, enrollments = kpis.outcome_reached(db, binds, outcome)
        word = label("outcome", outcome)
        out += [kpi(f"{outcome}_share", citizens, participants, definition="outcome_share",
                    target=program.targets.get(f"{outcome}_share_pct"), outcome=word),
                kpi(f"{outcome}_days", None, enrollments, unit="days", definition="days_to_outcome",
                    value=None if median_days is None else round(median_days, 1), outcome=word)]
    return out


def _participants(program: Program, participants: int) -> dict[str, Any]:
    return kpi("participants", participants, None, unit="count", target=program.targets.get("participants"))


def kpi_cells(k: dict[str, Any]) -> dict[str, str]:
    """A KPI as words for a table (terminal or page): what was counted, its value, its target."""
    from fleksrun.i18n import format_number

    unit = "%" if k["unit"] == "pct" else ""
    if k["numerator"] is None:  # a median: the denominator is how many it is the median of
        measured = t("report.median_of", count=k["denominator"] or 0)
    elif k["denominator"] is None:  # a plain count
        measured = format_number(k["numerator"])
    else:
        measured = f"{k['numerator']} / {k['denominator']}"
    target = "—"
    if k["target"] is not None:
        target = (f"{format_number(k['baseline'])}{unit} → " if k["baseline"] is not None else "") + \
            f"{format_number(k['target'])}{unit}"
    value = "—" if k["value"] is None else f"{format_number(k['value'])}{unit}"
    return {"label": k["label"], "measured": measured, "value": value, "target": target}


def outcome_rows(item: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A programme's outcome KPIs as ``[{outcome, share, days}]``, and its other KPIs, in order."""
    by_id = {k["id"]: k for k in item["kpis"]}
    outcomes = [{"outcome": o, "share": by_id[f"{o}_share"], "days": by_id[f"{o}_days"]}
                for o in OUTCOME_KPIS if f"{o}_share" in by_id]
    taken = {k["id"] for o in outcomes for k in (o["share"], o["days"])}
    return outcomes, [k for k in item["kpis"] if k["id"] not in taken]


def _ovebane(db: Database, binds: dict[str, Any], program: Program, participants: int) -> list[dict[str, Any]]:
    return [_participants(program, participants)]


def _rampen(db: Database, binds: dict[str, Any], program: Program, participants: int) -> list[dict[str, Any]]:
    start_done, start_of = kpis.checklist_done(db, binds, "start_questionnaire")
    end_done, end_of = kpis.checklist_done_on_leaving(db, binds, "end_questionnaire")
    return [_participants(program, participants), kpi("start_questionnaire", start_done, start_of),
            kpi("end_questionnaire", end_done, end_of)]


CONTINUOUS_WEEKS = 13


def _virksomhedscenter(db: Database, binds: dict[str, Any], program: Program,
                       participants: int) -> list[dict[str, Any]]:
    reached = kpis.continuous_practice(db, binds, CONTINUOUS_WEEKS)
    return [kpi("continuous_practice", reached, participants, weeks=CONTINUOUS_WEEKS,
                target=program.targets.get("continuous_practice_13w_pct")),
            kpi("companies_used", kpis.companies_used(db, binds), None, unit="count")]


ORDINARY_HOURS_MONTH = 30


def _jobgaranti(db: Database, binds: dict[str, Any], program: Program, participants: int) -> list[dict[str, Any]]:
    reached, median_months = kpis.ordinary_hours_reached(db, binds, ORDINARY_HOURS_MONTH)
    return [kpi("ordinary_hours", reached, participants, hours=ORDINARY_HOURS_MONTH),
            kpi("months_to_hours", None, reached, unit="months", value=median_months,
                hours=ORDINARY_HOURS_MONTH)]


# "ansat i fleksjob på ti timer eller derunder": at most this many effective hours a week, inclusive.
SMALL_FLEXJOB_WEEKLY = 10
# Aalborg: a citizen is approved for a flex job once in phase 3 (tidlig_indsats: "når borgeren er
# visiteret til fleksjob") or phase 4; phase 4 (opfoelgning: "når fleksjobbet er fundet") is in a flex job.
AALBORG_APPROVED_FROM = "tidlig_indsats"
AALBORG_FLEXJOB_PHASE = "opfoelgning"


def _fleksjob_aalborg(db: Database, binds: dict[str, Any], program: Program, participants: int) -> list[dict[str, Any]]:
    phases = list(program.phase_ids)
    approved_phases = phases[phases.index(AALBORG_APPROVED_FROM):] if AALBORG_APPROVED_FROM in phases else []
    without, approved = kpis.on_ledighedsydelse(db, binds, approved_phases, AALBORG_FLEXJOB_PHASE)
    increased, small = kpis.flexjob_hours_increase(db, binds, SMALL_FLEXJOB_WEEKLY)
    targets = program.targets
    return [
        kpi("ledighedsydelse_share", without, approved, target=targets.get("ledighedsydelse_share_pct"),
            baseline=targets.get("ledighedsydelse_share_pct_baseline")),
        kpi("hours_increase", increased, small, weekly=SMALL_FLEXJOB_WEEKLY, increase=kpis.MIN_WEEKLY_INCREASE,
            target=targets.get("hours_increase_share_pct"), baseline=targets.get("hours_increase_share_pct_baseline")),
    ]


# The seeds' own KPIs, by programme id; a user programme gets the common KPIs only.
PROGRAM_KPIS: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "ovebane": _ovebane,
    "rampen": _rampen,
    "virksomhedscenter": _virksomhedscenter,
    "jobgaranti": _jobgaranti,
    "fleksjob_aalborg": _fleksjob_aalborg,
}


def programs_with_enrollments(db: Database) -> list[str]:
    """Programme ids with any enrollment, built-ins first in seed order."""
    found = [row[0] for row in db.execute("SELECT DISTINCT program_id FROM enrollments")]
    order = list(builtin_programs())
    return sorted(found, key=lambda pid: (order.index(pid) if pid in order else len(order), pid))


def _has_enrollment(db: Database, program_id: str, start: _dt.date, end: _dt.date) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM enrollments WHERE program_id = ? AND start <= ? "
                      "AND (end IS NULL OR end >= ?))", [program_id, end.isoformat(), start.isoformat()]).fetchone()[0]


def program_period(program: Program, today: _dt.date) -> tuple[_dt.date, _dt.date, str]:
    """The period a report without dates shows for ``program``, and which it is: ``program`` (its own
    period, up to today while it runs) or ``year`` (this year so far, for a programme without one)."""
    if program.period_from is None and program.period_to is None:
        return (*default_period(today), "year")
    start = program.period_from or _dt.date(today.year, 1, 1)
    end = program.period_to or today
    if start <= today < end:  # still running: so far
        end = today
    return start, end, "program"


def program_report(db: Database, program: Program, start: _dt.date, end: _dt.date,
                   period: str = "given") -> dict[str, Any]:
    """One programme's part of the report, for the period ``start`` to ``end`` (``period`` says which)."""
    binds = {"program": program.id, "from": start.isoformat(), "to": end.isoformat(),
             "aftercare": program.aftercare_phase}
    program = program._replace(targets=program.targets_for(start, end))
    counts = kpis.counts(db, binds)
    funnel = kpis.funnel(db, binds)
    phase_ids = list(program.phase_ids) + [p for p in funnel if p not in program.phase_ids]
    phases = [{"phase": pid, **funnel.get(pid, {"reached": 0, "now": 0, "median_days": None})} for pid in phase_ids]
    own = PROGRAM_KPIS.get(program.id)
    program_kpis = own(db, binds, program, counts["participants"]) if own else []
    return {
        "program": program.id, "name": program.title(), "from": start, "to": end, "period": period,
        "enrolled": counts["enrolled"], "active": counts["active"],
        "participants": counts["participants"], "outcomes": counts["outcomes"], "phases": phases,
        "kpis": _common(db, binds) + program_kpis + _outcomes(db, binds, program, counts["participants"]),
    }


def build_report(db: Database, today: _dt.date, *, start: _dt.date | None = None, end: _dt.date | None = None,
                 program_id: str | None = None) -> dict[str, Any]:
    """The whole report: ``{today, from, to, items: [programme reports], skipped: [...]}``.

    With neither ``start`` nor ``end`` each programme is reported over its own period when it has one
    (``program_period``); a programme with enrollments, none of them in its own period, is listed in
    ``skipped`` with that period. ``from``/``to`` are then this year so far; each item has its own.
    """
    default_start, default_end = default_period(today)
    given = start is not None or end is not None
    start = start or default_start
    end = end or default_end
    if start > end:
        raise InputError("report.bad_period", start=start, end=end)
    programs = [get_program(db, program_id)] if program_id else \
        [get_program(db, pid) for pid in programs_with_enrollments(db)]
    items, skipped = [], []
    for program in programs:
        first, last, period = (start, end, "given") if given else program_period(program, today)
        if program_id or _has_enrollment(db, program.id, first, last):
            items.append(program_report(db, program, first, last, period))
        elif period == "program":
            skipped.append({"program": program.id, "name": program.title(), "from": first, "to": last})
    return {"today": today, "from": start, "to": end, "items": items, "skipped": skipped}


def hours_chart_data(db: Database, report: dict[str, Any], *, kind: str = "ordinary") -> list[dict[str, Any]]:
    """Monthly hours of ``kind`` per participant of the reported programmes, over the period's months
    (``report`` is the whole report or any ``{from, to, items}`` part of it)."""
    first, last = report["from"].isoformat()[:7], report["to"].isoformat()[:7]
    program_ids = [item["program"] for item in report["items"]]
    if not program_ids:
        return []
    marks = ", ".join("?" for _ in program_ids)
    citizens = db.execute(
        f"SELECT DISTINCT c.id, c.name FROM enrollments e JOIN citizens c ON c.id = e.citizen_id "
        f"WHERE e.program_id IN ({marks}) AND e.start <= ? AND (e.end IS NULL OR e.end >= ?) "
        f"AND c.erased_at IS NULL ORDER BY c.name COLLATE NOCASE, c.id",
        [*program_ids, report["to"].isoformat(), report["from"].isoformat()]).fetchall()
    hours = kpis.monthly_hours_all(db, kind, first, last)
    months = month_list(first, last)
    return [{"citizen_id": cid, "name": name, "months": [(m, hours.get((cid, m), 0.0)) for m in months]}
            for cid, name in citizens]


def by_period(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's items in parts that share one period: ``[{from, to, items}]``, in order."""
    parts: list[dict[str, Any]] = []
    for item in report["items"]:
        if parts and (parts[-1]["from"], parts[-1]["to"]) == (item["from"], item["to"]):
            parts[-1]["items"].append(item)
        else:
            parts.append({"from": item["from"], "to": item["to"], "items": [item]})
    return parts


def compliance_by_month(db: Database, item: dict[str, Any]) -> list[tuple[str, int, int]]:
    """Follow-up compliance (``kpis.followup_compliance``) at the end of each month of the item's
    period (its last day for the last month): ``[(month, kept, active)]``."""
    out = []
    for month in month_list(item["from"].isoformat()[:7], item["to"].isoformat()[:7]):
        first = _dt.date.fromisoformat(month + "-01")
        last = min(item["to"], (first + _dt.timedelta(days=32)).replace(day=1) - _dt.timedelta(days=1))
        binds = {"program": item["program"], "from": max(first, item["from"]).isoformat(), "to": last.isoformat()}
        out.append((month, *kpis.followup_compliance(db, binds)))
    return out


def month_list(first: str, last: str) -> list[str]:
    """The months ``first`` to ``last`` (YYYY-MM), both included."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))  # as numbers: after "9999-12" the text "10000-01" sorts first
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
