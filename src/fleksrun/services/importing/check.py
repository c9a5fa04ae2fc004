"""Each row of the sheet checked on its own, by the rules the commands use: a Record, or its problems."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fleksrun.domain.cpr import contains_cpr, parse_cpr
from fleksrun.domain.dates import parse_weekdays
from fleksrun.domain.placements import check_day_hours, check_kind
from fleksrun.domain.programs import Program
from fleksrun.errors import InputError
from fleksrun.services.companies import clean_company_name, clean_cvr
from fleksrun.services.enrollment import check_group, clean_name
from fleksrun.services.followups import check_contact
from fleksrun.services.importing.cells import as_date, as_number, as_text, cpr_text, is_empty, shown
from fleksrun.services.importing.fields import DATE_FIELDS, Column

# The citizen's own fields as the citizens table names them.
CITIZEN_FIELDS = {"cpr": "cpr", "case_ref": "case_ref", "group": "citizen_group", "phone": "phone",
                  "email": "email", "job_goal": "job_goal", "accommodations": "accommodations", "notes": "notes"}
FREE_TEXT = ("case_ref", "notes", "job_goal", "accommodations")  # kept as typed and shown: no CPR in them


@dataclass
class Problem:
    """What is wrong with one cell (or one row, when ``column`` is empty)."""

    row: int
    column: str
    message: str


@dataclass
class Record:
    """One row, checked: every value as fleksrun keeps it."""

    row: int
    cells: list[Any]
    name: str | None = None
    citizen: dict[str, Any] = field(default_factory=dict)  # citizens columns → values (only those given)
    program: Program | None = None
    phase: str | None = None
    start: _dt.date | None = None
    last_followup: _dt.date | None = None
    next_followup: _dt.date | None = None
    company: str | None = None
    cvr: str | None = None
    placement: dict[str, Any] | None = None  # kind, start, end, weekdays, hours


class RowChecker:
    """Checks rows against the placed columns; programmes are looked up once each."""

    def __init__(self, columns: list[Column], today: _dt.date, program: Callable[[str], Program]) -> None:
        self.columns = [c for c in columns if c.field is not None]
        self.header = {str(c.field): c.header for c in self.columns}
        self.today = today
        self._program = program
        self._programs: dict[str, Program] = {}

    def column(self, field_id: str) -> str:
        return self.header.get(field_id, field_id)

    def values(self, cells: list[Any]) -> dict[str, Any]:
        """The row's non-empty cells by field."""
        found: dict[str, Any] = {}
        for c in self.columns:
            value = cells[c.index] if c.index < len(cells) else None
            if not is_empty(value):
                found[str(c.field)] = value
        return found

    def check(self, number: int, cells: list[Any]) -> tuple[Record | None, list[Problem]]:
        """The row as a Record, or None and what is wrong with it (every cell, not just the first)."""
        raw = self.values(cells)
        record = Record(row=number, cells=cells)
        problems: list[Problem] = []

        def cell(field_id: str, read: Callable[[Any], Any]) -> Any:
            if field_id not in raw:
                return None
            try:
                return read(raw[field_id])
            except InputError as exc:
                problems.append(Problem(number, self.column(field_id), exc.message()))
                return None

        def date_reader(field_id: str) -> Callable[[Any], _dt.date]:
            return lambda value: as_date(value, self.today, field_id)

        dates = {f: cell(f, date_reader(f)) for f in DATE_FIELDS}
        record.name = cell("name", lambda v: clean_name(as_text(v)))
        record.citizen = self._citizen(raw, cell)
        program = record.program = cell("program", self._find_program)
        if program is not None:
            record.phase = cell("phase", lambda v: self._phase(program, as_text(v)))
            cell("group", lambda v: check_group(program, as_text(v)))
        record.start = dates["start"]
        record.last_followup, record.next_followup = dates["last_followup"], dates["next_followup"]
        record.company = cell("company", lambda v: clean_company_name(as_text(v)))
        record.cvr = cell("cvr", lambda v: clean_cvr(as_text(v)))
        placement = {"kind": cell("placement_kind", lambda v: check_kind(as_text(v))),
                     "start": dates["placement_start"], "end": dates["placement_end"],
                     "weekdays": cell("weekdays", lambda v: parse_weekdays(as_text(v))),
                     "hours": cell("hours", lambda v: check_day_hours(as_number(v, "hours")))}
        self._whole_row(record, raw, placement, problems)
        return (None, problems) if problems else (record, [])

    def _citizen(self, raw: dict[str, Any], cell: Callable[[str, Callable[[Any], Any]], Any]) -> dict[str, Any]:
        def free_text(field_id: str) -> Callable[[Any], str]:
            def read(value: Any) -> str:
                text = as_text(value)
                if field_id in FREE_TEXT and contains_cpr(text):
                    raise InputError("import.cpr_in_text")
                return text
            return read

        values = {column: cell(field_id, free_text(field_id)) for field_id, column in CITIZEN_FIELDS.items()
                  if field_id not in ("cpr", "group")}
        values["citizen_group"] = cell("group", as_text)
        values["cpr"] = cell("cpr", self._cpr)
        return {k: v for k, v in values.items() if v is not None}

    def _cpr(self, value: Any) -> str:
        """A CPR number by the domain's rules; its message shows the cell masked, so the row is found."""
        try:
            return parse_cpr(cpr_text(value), self.today)
        except InputError as exc:
            raise InputError("import.bad_cpr", value=shown(value, "cpr"), reason=exc.message()) from None

    def _find_program(self, value: Any) -> Program:
        key = as_text(value).lower()
        if key not in self._programs:
            self._programs[key] = self._program(key)
        return self._programs[key]

    @staticmethod
    def _phase(program: Program, text: str) -> str:
        """A phase by its id or its name (English or Danish), case and spaces aside."""
        wanted = "".join(text.casefold().split())
        for phase in program.phases:
            if wanted in {"".join(n.casefold().split()) for n in (phase.id, phase.name, phase.name_da)}:
                return phase.id
        return program.phase(text).id  # unknown: its own message, with the phases there are

    def _whole_row(self, record: Record, raw: dict[str, Any], placement: dict[str, Any],
                   problems: list[Problem]) -> None:
        """What a row needs as a whole, once its cells read: a name or a company; for a placement,
        a company and its dates; contacts inside the enrollment."""
        number = record.row
        if "name" not in raw and "company" not in raw:
            problems.append(Problem(number, "", _message("import.no_name", column=self.column("name"))))
            return
        if record.last_followup is not None or record.next_followup is not None:
            on = record.last_followup or record.start  # only a next date: the first contact is the start
            if on is not None and record.start is not None:
                try:
                    check_contact(on, self.today, record.start, record.next_followup, record.name or "")
                except InputError as exc:
                    column = "last_followup" if record.last_followup is not None else "next_followup"
                    problems.append(Problem(number, self.column(column), exc.message()))
        if any(k in raw for k in ("placement_start", "placement_end", "weekdays", "hours", "placement_kind")):
            if "company" not in raw:
                problems.append(Problem(number, self.column("company"), _message("import.placement_no_company")))
            for needed in ("placement_start", "placement_end"):
                if needed not in raw:
                    problems.append(Problem(number, self.column(needed), _message("import.missing")))
            if placement["start"] and placement["end"] and placement["end"] < placement["start"]:
                problems.append(Problem(number, self.column("placement_end"),
                                        _message("import.end_before_start", start=placement["start"])))
            record.placement = placement


def _message(key: str, **params: Any) -> str:
    return InputError(key, **params).message()
