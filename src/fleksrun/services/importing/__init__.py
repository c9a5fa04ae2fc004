"""`import`: the caseload from the spreadsheet a consultant keeps, all or nothing, safe to repeat.

The steps, each its own module: read the sheet (source), place its columns by their headers (fields),
check every row by the commands' own rules (check), match rows to the citizens and companies
fleksrun has and plan what each adds (plan), and only then write everything in one transaction
(write). ``prepare`` does all but the writing, so a dry run, the list of problems and the question
about matches by name come before anything is written.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fleksrun.errors import InputError
from fleksrun.services.importing.cells import is_empty
from fleksrun.services.importing.check import Problem, RowChecker
from fleksrun.services.importing.fields import Column, header_score, parse_maps, place_columns
from fleksrun.services.importing.plan import Item, Planner
from fleksrun.services.importing.source import Sheet, read_sheet
from fleksrun.services.programs import get_program
from fleksrun.store.connection import Database

HEADER_SEARCH = 30  # rows above the header (a title, a date, merged cells) that are passed over


@dataclass
class Prepared:
    """The sheet read, its columns placed, every row checked and planned; nothing written yet."""

    sheet: Sheet
    header_row: int
    columns: list[Column]
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # rows with data below the header

    @property
    def unplaced(self) -> list[Column]:
        return [c for c in self.columns if c.how == "unplaced"]

    @property
    def asks(self) -> list[Item]:
        return [i for i in self.items if i.asks]

    def refuse_asks(self) -> None:
        """Matches by name alone that nobody confirmed become problems of their rows."""
        from fleksrun.i18n import t

        for item in self.asks:
            header = next((c.header for c in self.columns if c.field == "name"), "name")
            self.problems.append(Problem(item.row, header, t("import.name_only", id=item.citizen_id)))
        self.items = [i for i in self.items if not i.asks]
        self.problems.sort(key=lambda p: p.row)

    def bad_rows(self) -> list[tuple[list[Any], str]]:
        """The cells of each row with a problem, and its problems in one text."""
        by_row: dict[int, list[str]] = {}
        for p in self.problems:
            by_row.setdefault(p.row, []).append(f"{p.column}: {p.message}" if p.column else p.message)
        cells = dict(self.sheet.rows)
        return [(cells[row], "; ".join(texts)) for row, texts in sorted(by_row.items())]

    def header(self) -> list[Any]:
        return dict(self.sheet.rows)[self.header_row]

    def counts(self) -> dict[str, int]:
        """Citizens by what happens to them, and what is added besides (as planned)."""
        counts = dict.fromkeys(("new", "updated", "unchanged"), 0)
        for item in self.items:
            if item.action in counts and item.joins is None:
                counts[item.action] += 1
        companies = {i.company.key for i in self.items if i.company is not None and i.company.company_id is None}
        counts.update(companies=len(companies), enrollments=sum(i.enroll for i in self.items),
                      placements=sum(i.placement is not None for i in self.items),
                      days=sum(len(i.placement.booked) for i in self.items if i.placement is not None),
                      bad=len({p.row for p in self.problems}))
        return counts


def prepare(db: Database, path: Path, *, today: _dt.date, sheet: str | None = None,
            maps: list[str] | None = None) -> Prepared:
    """Read, place, check and plan: everything but the writing."""
    chosen = parse_maps(maps or [])
    read = read_sheet(path, sheet)
    header_row = next((number for number, cells in read.rows[:HEADER_SEARCH] if header_score(cells, chosen) >= 2),
                      None)
    if header_row is None:
        raise InputError("import.no_header", path=str(path))
    header = dict(read.rows)[header_row]
    below = [(n, cells) for n, cells in read.rows if n > header_row and not all(is_empty(c) for c in cells)]
    has_data = [any(i < len(cells) and not is_empty(cells[i]) for _, cells in below) for i in range(len(header))]
    columns = place_columns(header, chosen, has_data)
    prepared = Prepared(read, header_row, columns, rows=len(below))
    if prepared.unplaced:
        return prepared  # said before any row is read: the consultant maps them first
    fields = {c.field for c in columns}
    if "name" not in fields and "company" not in fields:
        raise InputError("import.no_name_column", columns=", ".join(c.header for c in columns))
    checker = RowChecker(columns, today, lambda program_id: get_program(db, program_id))
    planner = Planner(db, today, checker.header)
    for number, cells in below:
        record, problems = checker.check(number, cells)
        if record is not None:
            item, problems = planner.plan(record)
            if item is not None:
                prepared.items.append(item)
        prepared.problems.extend(problems)
    return prepared
