"""CSV exports that leave the machine, for (Danish) Excel or the evaluator.

CSV cells can never become formulas, and no CPR number is ever exported. The calendar file for
Outlook is services.calendar_export.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from fleksrun.errors import InputError
from fleksrun.store.connection import Database

# What `export csv` offers: tables with the columns that may leave (never cpr, never the journal),
# and a few joined views that are easier to read in a spreadsheet.
EXPORTS: dict[str, str] = {
    "citizens": "SELECT id, name, case_ref, citizen_group, phone, email, job_goal, followup_every, created_at "
                "FROM citizens WHERE erased_at IS NULL ORDER BY id",
    "companies": "SELECT id, name, cvr, contact, phone, email, employees, notes FROM companies ORDER BY id",
    "enrollments": "SELECT id, citizen_id, program_id, start, end, status, outcome FROM enrollments ORDER BY id",
    "phases": "SELECT id, enrollment_id, phase, entered, left, reason, forced FROM phases ORDER BY id",
    "checklist": "SELECT id, enrollment_id, phase, item, done_on FROM checklist ORDER BY id",
    "placements": "SELECT id, enrollment_id, company_id, kind, start, end, weekdays, hours_per_day, holiday_policy, "
                  "contact, tasks, goals FROM placements ORDER BY id",
    "days": "SELECT id, placement_id, date, planned_hours, status, hours, reason, note, holiday FROM days ORDER BY id",
    "hours": "SELECT id, citizen_id, month, kind, hours, source, recorded_on FROM hours ORDER BY id",
    "followups": "SELECT id, enrollment_id, date, kind, with_whom, note, next_due FROM followups ORDER BY id",
    "attendance": """SELECT d.date, c.name AS citizen, e.program_id AS program, co.name AS company, p.kind,
                            d.status, d.planned_hours, d.hours, d.reason, d.note
                     FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
                     JOIN citizens c ON c.id = e.citizen_id JOIN companies co ON co.id = p.company_id
                     WHERE c.erased_at IS NULL ORDER BY d.date, c.name, d.id""",
    # The caseload in exactly the columns `import` reads (services.importing.fields), one row per
    # active enrollment with its current phase, latest contact and latest placement: exported and
    # imported into an empty file, it exports the same again. As from `citizens`, no CPR number,
    # no accommodations (skånehensyn: health) and no notes leave this way.
    "caseload": """
        SELECT c.name, c.case_ref, e.program_id AS program, ph.phase, e.start, c.citizen_group AS "group",
               c.phone, c.email, c.job_goal,
               f.date AS last_followup, f.next_due AS next_followup,
               co.name AS company, co.cvr, p.kind AS placement_kind, p.start AS placement_start,
               p.end AS placement_end,
               replace(replace(replace(replace(replace(replace(replace(p.weekdays, '0', 'mon'), '1', 'tue'),
                       '2', 'wed'), '3', 'thu'), '4', 'fri'), '5', 'sat'), '6', 'sun') AS weekdays,
               p.hours_per_day AS hours
        FROM enrollments e
        JOIN citizens c ON c.id = e.citizen_id AND c.erased_at IS NULL
        LEFT JOIN phases ph ON ph.id = (SELECT id FROM phases WHERE enrollment_id = e.id AND left IS NULL
                                        ORDER BY id DESC LIMIT 1)
        LEFT JOIN followups f ON f.id = (SELECT id FROM followups WHERE enrollment_id = e.id
                                         ORDER BY date DESC, id DESC LIMIT 1)
        LEFT JOIN placements p ON p.id = (SELECT id FROM placements WHERE enrollment_id = e.id
                                          ORDER BY start DESC, id DESC LIMIT 1)
        LEFT JOIN companies co ON co.id = p.company_id
        WHERE e.status = 'active'
        ORDER BY c.id, e.id""",
}

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any, *, decimal_comma: bool) -> str:
    """One cell as text: numbers with the chosen decimal mark, text that can never become a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        text = repr(value) if isinstance(value, float) else str(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, excel: bool = True) -> bytes:
    """CSV for Danish Excel (``;``, decimal comma, UTF-8 with BOM, CRLF) or plain (``,``, point, no BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(h, decimal_comma=False) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v, decimal_comma=excel) for v in row])
    return ("\ufeff" if excel else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def export_table(db: Database, name: str, *, excel: bool = True) -> tuple[bytes, int]:
    """A table or view as CSV bytes, and how many rows it holds."""
    key = name.strip().lower()
    if key not in EXPORTS:
        raise InputError("export.bad_table", name=name, known=", ".join(EXPORTS))
    cursor = db.execute(EXPORTS[key])
    header = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    return csv_bytes(header, rows, excel=excel), len(rows)


KPI_COLUMNS = ("program", "kpi", "label", "numerator", "denominator", "value", "target", "baseline", "unit",
               "from", "to", "explanation")


def report_csv(report: dict[str, Any], *, excel: bool = True) -> tuple[bytes, int]:
    """The report's KPIs, one row each, with how they were computed."""
    rows = [(item["program"], k["id"], k["label"], k["numerator"], k["denominator"], k["value"], k["target"],
             k["baseline"], k["unit"], item.get("from", report["from"]), item.get("to", report["to"]),
             k["explanation"])
            for item in report["items"] for k in item["kpis"]]
    return csv_bytes(KPI_COLUMNS, rows, excel=excel), len(rows)
