"""Exports that leave the machine: CSV for (Danish) Excel and an iCalendar file for Outlook.

CSV cells can never become formulas, and no CPR number is ever exported. The calendar holds no
health data: only the first name, the company and the kind of day.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from fleksrun.errors import InputError
from fleksrun.i18n import t
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
             k["baseline"], k["unit"], report["from"], report["to"], k["explanation"])
            for item in report["items"] for k in item["kpis"]]
    return csv_bytes(KPI_COLUMNS, rows, excel=excel), len(rows)


# -- iCalendar (RFC 5545), written by hand: no dependency for ~60 lines ------------------------------

def ics_escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuation lines start with one space), never inside a
    UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def first_name(name: str | None) -> str:
    """Only the first name leaves in a calendar; an erased or missing name becomes '?'."""
    parts = (name or "").split()
    return parts[0] if parts else "?"


def calendar_items(db: Database, start: _dt.date, end: _dt.date) -> dict[str, list[dict[str, Any]]]:
    """Booked (planned or attended) days and due follow-ups in the period, without any health data."""
    binds = {"from": start.isoformat(), "to": end.isoformat()}
    days = list(db.query("""
        SELECT d.id, d.date, d.planned_hours, p.kind, co.name AS company, c.name AS citizen
        FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
        JOIN citizens c ON c.id = e.citizen_id JOIN companies co ON co.id = p.company_id
        WHERE d.status IN ('planned', 'attended') AND d.date >= :from AND d.date <= :to AND c.erased_at IS NULL
        ORDER BY d.date, d.id""", binds))
    # The due follow-up of an active enrollment is the latest follow-up's next due date.
    followups = list(db.query("""
        WITH latest AS (
            SELECT f.enrollment_id, f.next_due,
                   ROW_NUMBER() OVER (PARTITION BY f.enrollment_id ORDER BY f.date DESC, f.id DESC) AS rn
            FROM followups f
        )
        SELECT l.enrollment_id, l.next_due AS date, c.name AS citizen, e.program_id AS program
        FROM latest l JOIN enrollments e ON e.id = l.enrollment_id JOIN citizens c ON c.id = e.citizen_id
        WHERE l.rn = 1 AND e.status = 'active' AND c.erased_at IS NULL
          AND l.next_due >= :from AND l.next_due <= :to
        ORDER BY l.next_due, l.enrollment_id""", binds))
    return {"days": days, "followups": followups}


def _event(uid: str, day: str, summary: str, stamp: str, location: str | None = None,
           description: str | None = None) -> list[str]:
    start = _dt.date.fromisoformat(day)
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}",
             f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{start + _dt.timedelta(days=1):%Y%m%d}",
             f"SUMMARY:{ics_escape(summary)}", "TRANSP:TRANSPARENT"]
    if location:
        lines.append(f"LOCATION:{ics_escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{ics_escape(description)}")
    return lines + ["END:VEVENT"]


def ics_text(db: Database, today: _dt.date, start: _dt.date, end: _dt.date) -> tuple[str, int]:
    """The calendar as RFC 5545 text (CRLF line ends, folded lines), and how many events it holds.

    UIDs are stable (``day-<id>@fleksrun``, ``followup-<enrollment>-<date>@fleksrun``), so importing a
    newer file updates the events instead of adding them twice. DTSTAMP is the run's today, which
    keeps the file reproducible.
    """
    if start > end:
        raise InputError("export.bad_period", start=start, end=end)
    items = calendar_items(db, start, end)
    stamp = f"{today:%Y%m%d}T000000Z"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fleksrun//fleksrun//EN", "CALSCALE:GREGORIAN"]
    for day in items["days"]:
        summary = t(f"export.ics.{day['kind']}", who=first_name(day["citizen"]))
        description = t("export.ics.hours", hours=day["planned_hours"]) if day["planned_hours"] else None
        lines += _event(f"day-{day['id']}@fleksrun", day["date"], summary, stamp, day["company"], description)
    for due in items["followups"]:
        summary = t("export.ics.followup", who=first_name(due["citizen"]))
        lines += _event(f"followup-{due['enrollment_id']}-{due['date']}@fleksrun", due["date"], summary, stamp,
                        description=due["program"])
    lines.append("END:VCALENDAR")
    text = "".join(fold(line) + "\r\n" for line in lines)
    return text, len(items["days"]) + len(items["followups"])
