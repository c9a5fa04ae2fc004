"""What each checked row will do: whom it matches, and what it adds or changes. Nothing is written here.

A row is the same citizen as one fleksrun has when the CPR number or the case number matches; else
when the name matches exactly, which the consultant confirms (a question, or --update). A row may
also be the same citizen as an earlier row of the sheet (a second programme): it joins that row.
Companies match by CVR number, else by name as every COMPANY argument does (services.lookup).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from fleksrun.domain.calendar import Plan, plan_days
from fleksrun.errors import Ambiguous, InputError, NotFound
from fleksrun.services import settings
from fleksrun.services.importing.check import Problem, Record
from fleksrun.services.lookup import find_company
from fleksrun.services.scheduling import clashes, company_closures
from fleksrun.store.connection import Database


@dataclass
class CompanyPlan:
    key: str  # the same company across rows: "id:3" for a known one, "new:<name>" for one to add
    name: str
    company_id: int | None = None  # None: added by this import
    cvr: str | None = None
    set_cvr: bool = False  # a known company without a CVR number gets the sheet's


@dataclass
class Item:
    """One row's part of the import."""

    record: Record
    action: str = "unchanged"  # "new", "updated", "unchanged" (for the citizen); "company" for a company row
    citizen_id: int | None = None  # a citizen fleksrun has
    joins: int | None = None  # the earlier row whose new citizen this row is too
    matched_by: str | None = None  # "cpr", "case_ref", "name", "row"
    changes: dict[str, Any] = field(default_factory=dict)
    enroll: bool = False
    enrollment_id: int | None = None  # the active enrollment a placement goes into, when she has it
    followup: bool = False
    company: CompanyPlan | None = None
    placement: Plan | None = None

    @property
    def row(self) -> int:
        return self.record.row

    @property
    def asks(self) -> bool:
        """A match by name alone that would change her: the consultant says whether it is her."""
        return self.matched_by == "name" and self.action == "updated"


class Planner:
    """Matches rows in sheet order, so a later row sees what earlier rows will add."""

    def __init__(self, db: Database, today: _dt.date, header: dict[str, str]) -> None:
        self.db = db
        self.header = header  # field → the sheet's own header, for the problems
        self.today = today
        self.days_off = settings.days_off(db)
        self.by_cpr: dict[str, list[dict[str, Any]]] = {}
        self.by_case: dict[str, list[dict[str, Any]]] = {}
        self.by_name: dict[str, list[dict[str, Any]]] = {}
        # One read of every citizen: matching 5,000 rows one query each would read the table 15,000 times.
        for row in db.query("SELECT * FROM citizens WHERE erased_at IS NULL ORDER BY id"):
            for index, key in ((self.by_cpr, row["cpr"]), (self.by_case, row["case_ref"]),
                               (self.by_name, row["name"].casefold())):
                if key:
                    index.setdefault(key, []).append(row)
        self.active = {(c, p): e for e, c, p in db.execute(
            "SELECT id, citizen_id, program_id FROM enrollments WHERE status = 'active'")}
        self.new_by_key: dict[tuple[str, str], Item] = {}  # ("cpr"|"case_ref"|"name", value) → first row
        self.new_enrollments: dict[tuple[int, str], int] = {}  # (first row, programme) → the row enrolling
        self.companies: dict[str, CompanyPlan] = {}  # new companies by name (casefold) and by "cvr:…"

    def plan(self, record: Record) -> tuple[Item | None, list[Problem]]:
        item = Item(record)
        problems: list[Problem] = []
        try:
            if record.company is not None:
                item.company = self._company(record)
            if record.name is None:
                item.action = "company"
                return item, []
            self._citizen(item)
            self._enrollment(item)
            if record.placement is not None and item.company is not None:
                self._placement(item)
        except _RowProblem as exc:
            problems.append(Problem(record.row, self.header.get(exc.column, exc.column), exc.message))
            return None, problems
        self._remember(item)
        return item, []

    def _remember(self, item: Item) -> None:
        """A row that passed: later rows may join its new citizen, its enrollment and its company."""
        record = item.record
        if item.action == "new":
            assert record.name is not None
            for key, value in (("cpr", record.citizen.get("cpr")), ("case_ref", record.citizen.get("case_ref")),
                               ("name", record.name.casefold())):
                if value:
                    self.new_by_key.setdefault((key, value), item)
        if item.enroll and record.program is not None:
            self.new_enrollments[(item.joins or item.row, record.program.id)] = item.row
        company = item.company
        if company is not None and company.company_id is None:
            self.companies.setdefault(company.name.casefold(), company)
            if company.cvr:
                self.companies.setdefault(f"cvr:{company.cvr}", company)

    # -- citizens ------------------------------------------------------------------------------------

    def _citizen(self, item: Item) -> None:
        record = item.record
        known, how = self._known(record)
        if known is not None:
            item.citizen_id, item.matched_by = known["id"], how
            item.changes = self._changes(known, record, how)
            item.action = "updated" if item.changes else "unchanged"
            return
        first = self._earlier(record)
        if first is not None:
            item.joins, item.matched_by, item.action = first.joins or first.row, "row", "unchanged"
            return
        item.action = "new"

    def _known(self, record: Record) -> tuple[dict[str, Any] | None, str | None]:
        assert record.name is not None
        for how, index, value in (("cpr", self.by_cpr, record.citizen.get("cpr")),
                                  ("case_ref", self.by_case, record.citizen.get("case_ref")),
                                  ("name", self.by_name, record.name.casefold())):
            found = index.get(value, []) if value else []
            if len(found) > 1:
                shown = ", ".join(f"{r['id']} {r['name']}" for r in found)
                raise _RowProblem(self._column(how), "import.matches_several", candidates=shown)
            if found:
                return found[0], how
        return None, None

    @staticmethod
    def _column(how: str) -> str:
        return {"cpr": "cpr", "case_ref": "case_ref"}.get(how, "name")

    def _changes(self, known: dict[str, Any], record: Record, how: str | None) -> dict[str, Any]:
        """The sheet's values that differ from hers; a CPR number she has already is never replaced."""
        assert record.name is not None
        wanted = {"name": record.name, **record.citizen}
        if known["cpr"] and wanted.get("cpr") and wanted["cpr"] != known["cpr"]:
            raise _RowProblem("cpr", "import.cpr_differs", id=known["id"], name=known["name"])
        return {k: v for k, v in wanted.items() if known.get(k) != v}

    def _earlier(self, record: Record) -> Item | None:
        assert record.name is not None
        for key, value in (("cpr", record.citizen.get("cpr")), ("case_ref", record.citizen.get("case_ref")),
                           ("name", record.name.casefold())):
            if value and (key, value) in self.new_by_key:
                return self.new_by_key[(key, value)]
        return None

    # -- enrollments and contacts ---------------------------------------------------------------------

    def _enrollment(self, item: Item) -> None:
        record = item.record
        if record.program is None:
            if item.action == "new":
                raise _RowProblem("program", "import.missing")
            return
        if item.citizen_id is not None and (item.citizen_id, record.program.id) in self.active:
            item.enrollment_id = self.active[(item.citizen_id, record.program.id)]
            return  # enrolled already: the sheet's phase and start do not move her (`advance` does)
        owner = item.joins or item.row
        if (owner, record.program.id) in self.new_enrollments:
            raise _RowProblem("program", "import.same_enrollment", row=self.new_enrollments[(owner, record.program.id)])
        if record.start is None:
            raise _RowProblem("start", "import.missing")
        item.enroll = True
        item.followup = record.last_followup is not None or record.next_followup is not None
        if item.action == "unchanged":
            item.action = "updated" if item.citizen_id is not None else item.action

    # -- companies and placements -------------------------------------------------------------------------

    def _company(self, record: Record) -> CompanyPlan:
        assert record.company is not None
        if record.cvr:
            row = self.db.execute("SELECT id, name, cvr FROM companies WHERE cvr = ? ORDER BY id LIMIT 1",
                                  [record.cvr]).fetchone()
            if row is not None:
                return CompanyPlan(f"id:{row[0]}", row[1], row[0], row[2])
            if f"cvr:{record.cvr}" in self.companies:
                return self.companies[f"cvr:{record.cvr}"]
        try:
            found = find_company(self.db, record.company)
        except Ambiguous as exc:
            raise _RowProblem("company", exc.key, **exc.params) from None
        except NotFound:
            found = None
        if found is not None:
            if record.cvr and found["cvr"] and found["cvr"] != record.cvr:
                raise _RowProblem("cvr", "import.cvr_differs", company=found["name"], id=found["id"])
            return CompanyPlan(f"id:{found['id']}", found["name"], found["id"], found["cvr"] or record.cvr,
                               set_cvr=bool(record.cvr and not found["cvr"]))
        planned = self.companies.get(record.company.casefold())
        return planned or CompanyPlan(f"new:{record.company.casefold()}", record.company, None, record.cvr)

    def _placement(self, item: Item) -> None:
        record, company = item.record, item.company
        assert record.placement is not None and company is not None and record.program is not None
        if not item.enroll and item.enrollment_id is None:
            raise _RowProblem("program", "import.placement_no_enrollment")
        if item.enrollment_id is not None and company.company_id is not None and self.db.execute(
                "SELECT 1 FROM placements WHERE enrollment_id = ? AND company_id = ? AND start = ?",
                [item.enrollment_id, company.company_id, record.placement["start"].isoformat()]).fetchone():
            return  # booked already: importing the sheet again books nothing twice
        phase = record.program.phase(record.phase) if record.phase else record.program.first_phase
        sessions = phase.sessions
        spec = record.placement
        if spec["weekdays"] is None:
            if sessions is None:
                raise _RowProblem("weekdays", "import.missing")
            spec["weekdays"] = sessions.weekdays
        if spec["hours"] is None and sessions is not None and sessions.hours is not None:
            spec["hours"] = float(sessions.hours)
        spec["kind"] = spec["kind"] or (sessions.kind if sessions is not None else "practice")
        closed = company_closures(self.db, company.company_id) if company.company_id is not None else {}
        plan = plan_days(spec["start"], spec["weekdays"], until=spec["end"], policy="skip", closed=closed,
                         customary=self.days_off)
        if not plan.booked:
            raise _RowProblem("placement_start", "scheduling.nothing_to_book")
        if item.citizen_id is not None:
            clash = clashes(self.db, item.citizen_id, plan.booked)
            if clash:
                raise _RowProblem("placement_start", "import.clash", date=clash[0]["date"],
                                  company=clash[0]["company"])
        item.placement = plan
        if item.action == "unchanged" and item.citizen_id is not None:
            item.action = "updated"


class _RowProblem(Exception):
    """A problem with one row found while matching it; ``column`` is the field it belongs to."""

    def __init__(self, field_id: str, key: str, **params: Any) -> None:
        super().__init__(key)
        self.column = field_id
        self.message = InputError(key, **params).message()
