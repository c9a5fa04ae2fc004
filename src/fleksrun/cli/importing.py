"""The command `import`: the caseload from a spreadsheet or CSV file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from fleksrun.services.importing import Prepared

PROGRESS_FROM = 200  # rows: below this the import is over before a bar would be worth drawing


def import_file(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="An .xlsx, .ods or .csv file, one citizen a row.")],
    sheet: Annotated[str | None, typer.Option("--sheet", metavar="NAME",
                                              help="The sheet to read (default: the first).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")] = False,
    maps: Annotated[list[str] | None, typer.Option(
        "--map", metavar="COLUMN=FIELD", help="Place a column by hand (FIELD - leaves it out); repeatable.")] = None,
    skip_bad: Annotated[str | None, typer.Option(
        "--skip-bad", metavar="FILE", help="Import the good rows and write the bad ones to FILE.")] = None,
    update: Annotated[bool, typer.Option(
        "--update", help="A row that matches a citizen by name alone updates her without asking.")] = False,
) -> None:
    """Import citizens, enrollments, companies and placements from a spreadsheet; all or nothing."""
    from fleksrun.cli.state import state
    from fleksrun.errors import InputError
    from fleksrun.i18n import t
    from fleksrun.render import say
    from fleksrun.services.importing import prepare

    db = state().db()
    prepared = prepare(db, file, today=state().today, sheet=sheet, maps=maps)
    _show_source(file, prepared)
    _show_columns(prepared)
    if prepared.unplaced:
        names = ", ".join(f"'{c.header}'" for c in prepared.unplaced)
        raise InputError("import.unplaced", columns=names, example=prepared.unplaced[0].header)
    _settle_name_matches(prepared, update)
    if prepared.problems:
        _show_problems(prepared)
        if skip_bad is None:
            raise InputError("import.bad_rows", rows=prepared.counts()["bad"])
    if dry_run:
        _show_plan(prepared)
        say(t("import.would", **prepared.counts()))
        return
    bad_path = _bad_rows_path(skip_bad) if skip_bad is not None and prepared.problems else None
    added = _write(prepared)
    if bad_path is not None:  # after the import: a failed import leaves no file beside it
        _write_bad_rows(prepared, bad_path)
    counts = {**prepared.counts(), **added}
    changed = counts["new"] or counts["updated"] or any(added.values())
    say(t("import.done" if changed else "import.nothing", **counts))


def _show_source(file: Path, prepared: Prepared) -> None:
    from fleksrun.i18n import t
    from fleksrun.render import say

    sheet = prepared.sheet
    if sheet.kind == "csv":
        dialect = t("import.dialect_excel") if sheet.delimiter == ";" else t("import.dialect_plain")
        say(t("import.read_csv", file=file.name, delimiter=sheet.delimiter, encoding=sheet.encoding,
              dialect=dialect, row=prepared.header_row, rows=prepared.rows))
    else:
        say(t("import.read_book", file=file.name, sheet=sheet.sheet, sheets=len(sheet.sheets),
              row=prepared.header_row, rows=prepared.rows))


def _show_columns(prepared: Prepared) -> None:
    from fleksrun.i18n import t
    from fleksrun.render import print_table

    rows = [{"column": c.header, "field": c.field or "—", "how": t(f"import.how.{c.how}")} for c in prepared.columns]
    print_table(t("import.columns_title"), [("column", t("import.col.column")), ("field", t("import.col.field")),
                                            ("how", t("import.col.how"))], rows)


def _settle_name_matches(prepared: Prepared, update: bool) -> None:
    """Rows that match a citizen by name alone: --update takes them, a person at a terminal is asked,
    and otherwise they become problems of their rows."""
    import sys

    from fleksrun.i18n import t
    from fleksrun.render import say

    asks = prepared.asks
    if not asks or update:
        return
    if sys.stdin.isatty():
        for item in asks:
            say(t("import.name_match", row=item.row, name=item.record.name, id=item.citizen_id))
        if typer.confirm(t("import.name_confirm", count=len(asks)), default=False, err=True):
            return
    prepared.refuse_asks()


def _show_problems(prepared: Prepared) -> None:
    from fleksrun.i18n import t
    from fleksrun.render import warn

    for p in prepared.problems:
        key = "import.problem" if p.column else "import.problem_row"
        warn(t(key, row=p.row, column=p.column, message=p.message))


def _show_plan(prepared: Prepared) -> None:
    from fleksrun.i18n import format_date, t
    from fleksrun.render import print_table

    rows = []
    for item in prepared.items:
        record = item.record
        placement = item.placement
        rows.append({
            "row": item.row, "name": record.name or "—",
            "citizen": t(f"import.action.{item.action}") + (t(f"import.by.{item.matched_by}", row=item.joins)
                                                            if item.matched_by else ""),
            "program": f"{record.program.id} / {record.phase or record.program.first_phase.id}"
                       if item.enroll and record.program is not None else None,
            "start": format_date(record.start) if item.enroll and record.start else None,
            "company": None if item.company is None else item.company.name + (
                t("import.new_mark") if item.company.company_id is None else ""),
            "placement": None if placement is None else t("import.days", count=len(placement.booked)),
        })
    print_table(t("import.plan_title"), [
        ("row", t("import.col.row"), "right"), ("name", t("col.name")), ("citizen", t("import.col.citizen")),
        ("program", t("import.col.program")), ("start", t("import.col.start")), ("company", t("import.col.company")),
        ("placement", t("import.col.placement"))], rows)


def _bad_rows_path(target: str) -> Path:
    from fleksrun.cli.files import output_path
    from fleksrun.cli.state import state

    return output_path(target, "bad-rows.csv", state().db_path)


def _write_bad_rows(prepared: Prepared, path: Path) -> None:
    from fleksrun.cli.files import write_whole
    from fleksrun.i18n import t
    from fleksrun.render import say
    from fleksrun.services.exports import csv_bytes

    excel = prepared.sheet.kind != "csv" or prepared.sheet.delimiter == ";"
    bad = prepared.bad_rows()
    header = [*prepared.header(), t("import.problem_column")]
    write_whole(path, csv_bytes(header, [[*cells, problem] for cells, problem in bad], excel=excel))
    say(t("import.bad_written", rows=len(bad), path=str(path)))


def _write(prepared: Prepared) -> dict[str, int]:
    import sys

    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.services.importing.write import write_items

    note = t("import.followup_note")
    kinds = ("companies", "enrollments", "placements", "days")
    if not sys.stdout.isatty() or len(prepared.items) < PROGRESS_FROM:
        added = write_items(state().db(), prepared.items, followup_note=note)
        return {kind: added[kind] for kind in kinds}
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task(t("import.progress"), total=len(prepared.items))
        added = write_items(state().db(), prepared.items, followup_note=note, step=lambda: progress.advance(task))
    return {kind: added[kind] for kind in kinds}


def register(app: typer.Typer) -> None:
    app.command("import")(import_file)
