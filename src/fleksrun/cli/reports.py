"""Commands for numbers that leave the desk: report, export csv, export ics."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from fleksrun.cli.files import output_path, write_whole
from fleksrun.cli.options import JsonOpt, choice_arg, date_arg, db_as_of_today, today

if TYPE_CHECKING:
    from fleksrun.cli.names import Names

export_app = typer.Typer(help="Export data: csv for Excel, ics for Outlook.", no_args_is_help=True,
                         rich_markup_mode=None)

FromOpt = Annotated[str | None, typer.Option("--from", help="First day of the period.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day of the period.")]
ExcelOpt = Annotated[bool, typer.Option(
    "--excel/--plain", help="Danish Excel (; and decimal comma, UTF-8 with BOM) or plain CSV (, and point).")]


def report(
    start: FromOpt = None,
    end: ToOpt = None,
    program: Annotated[str | None, typer.Option("--program", "-p", help="Only this programme.")] = None,
    chart: Annotated[str | None, typer.Option(
        help="Draw a chart instead: hours (ordinary hours by month) or funnel (or timer, tragt).")] = None,
    csv_file: Annotated[str | None, typer.Option(
        "--csv", metavar="<path>", help="Also write the key figures to this CSV file (or into this folder).")] = None,
    excel: ExcelOpt = True,
    html_file: Annotated[str | None, typer.Option(
        "--html", metavar="<path>", help="Also write the report as one page for a browser (or a folder).")] = None,
    names: Annotated[bool, typer.Option(
        "--names", help="With --html: show each citizen's hours by name (default: counts only).")] = False,
    team: Annotated[list[str] | None, typer.Option(
        "--team", metavar="<path>",
        help="Report across consultants' files, read-only: give it once per file, or a folder of them.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Key figures per programme for a period (default: each programme's own period, else this year so far)."""
    from fleksrun.cli.state import state
    from fleksrun.errors import InputError
    from fleksrun.i18n import t
    from fleksrun.render import aside, out, print_json, say
    from fleksrun.services.exports import report_csv
    from fleksrun.services.reports import build_report, hours_chart_data

    chart = choice_arg("--chart", "chart", chart)
    if team:
        if chart or csv_file is not None or html_file is not None or names:
            raise InputError("report.team_options")
        from fleksrun.services.team_report import build_team_report

        team_doc = build_team_report(team, today(), start=date_arg(start), end=date_arg(end), program_id=program)
        print_json(team_doc) if as_json else _print_team(team_doc)
        return
    # A bad place for the file is said before any work, and before the database is even opened.
    csv_path = output_path(csv_file, "report.csv", state().db_path) if csv_file is not None else None
    html_path = output_path(html_file, "report.html", state().db_path) if html_file is not None else None
    if names and html_path is None:
        raise InputError("report.names_without_html")
    db = db_as_of_today()
    doc = build_report(db, today(), start=date_arg(start), end=date_arg(end), program_id=program)
    if csv_path is not None:
        data, count = report_csv(doc, excel=excel)
        written = write_whole(csv_path, data)
        if not as_json:
            (say if written else aside)(t("report.csv_written", count=count, path=str(csv_path)))
    if html_path is not None:
        from fleksrun.services.report_html import report_page

        written = write_whole(html_path, report_page(db, doc, names=names).encode("utf-8"))
        if not as_json:
            (say if written else aside)(t("report.html_written", path=str(html_path)))
    if as_json:
        print_json(doc)
    elif chart == "hours":
        from fleksrun.cli.charts import hours_chart
        from fleksrun.services.reports import ORDINARY_HOURS_MONTH, by_period

        for part in by_period(doc) or [doc]:
            hours_chart(out(), hours_chart_data(db, part), line=ORDINARY_HOURS_MONTH, start=part["from"],
                        end=part["to"])
    elif not doc["items"] and not doc["skipped"]:
        say(t("report.none", start=doc["from"], end=doc["to"]))
    else:
        from fleksrun.cli.names import Names

        labels = Names(db)
        if chart == "funnel":
            from fleksrun.cli.charts import funnel_chart

            funnel_chart(out(), doc, labels.phase)
        else:
            for item in doc["items"]:
                _print_program(item, labels)
    if not as_json and chart is None:
        for skipped in doc["skipped"]:
            say(t("report.skipped", name=skipped["name"], program=skipped["program"], start=skipped["from"],
                  end=skipped["to"]))


TITLES = {"given": "report.title", "program": "report.title_program", "year": "report.title_year"}


def _print_program(item: dict[str, Any], names: Names) -> None:
    from fleksrun.i18n import format_number, label, t
    from fleksrun.render import out, print_table, say
    from fleksrun.services.reports import kpi_cells, outcome_rows

    console = out()
    console.print(t(TITLES[item["period"]], name=item["name"], program=item["program"], start=item["from"],
                    end=item["to"]),
                  style="bold", markup=False)
    say(t("report.summary", enrolled=item["enrolled"], active=item["active"], participants=item["participants"]))
    ended = ", ".join(f"{label('outcome', k)} {v}" for k, v in item["outcomes"].items())
    say(t("report.outcomes", outcomes=ended) if ended else t("report.no_outcomes"))
    print_table(t("report.phases_title"), [
        ("phase", t("report.col.phase")), ("reached", t("report.col.reached"), "right"),
        ("now", t("report.col.now"), "right"), ("median", t("report.col.median_days"), "right"),
    ], [{**p, "phase": names.phase(item["program"], p["phase"]),
         "median": None if p["median_days"] is None else format_number(round(p["median_days"], 1))}
        for p in item["phases"]])
    outcomes, rows = outcome_rows(item)
    print_table(t("report.kpis_title"), [
        ("label", t("report.col.kpi")), ("measured", t("report.col.measured"), "right"),
        ("value", t("report.col.value"), "right"), ("target", t("report.col.target"), "right"),
    ], [kpi_cells(k) for k in rows])
    print_table(t("report.outcomes_title"), [
        ("outcome", t("report.col.outcome")), ("measured", t("report.col.measured"), "right"),
        ("value", t("report.col.value"), "right"), ("target", t("report.col.target"), "right"),
        ("days", t("report.col.median_days_to"), "right"),
    ], [{"outcome": label("outcome", o["outcome"]), **kpi_cells(o["share"]),
         "days": format_number(o["days"]["value"])} for o in outcomes])
    console.print()


def _team_cell(cells: dict[str, str] | None) -> str | None:
    """One consultant's KPI in one cell: a count alone, a share with what it counts, a median with its n."""
    if cells is None or cells["value"] == cells["measured"]:
        return None if cells is None else cells["value"]
    if cells["measured"][:1].isdigit():
        return f"{cells['measured']} = {cells['value']}"
    return f"{cells['value']} ({cells['measured']})"


def _print_team(doc: dict[str, Any]) -> None:
    """Per programme, a row per figure and a column per consultant, then the team's."""
    from fleksrun.i18n import t
    from fleksrun.render import out, print_table, say
    from fleksrun.services.reports import kpi_cells

    names = [c["name"] for c in doc["consultants"]]
    say(t("report.team_title", count=len(names), names=", ".join(names)))
    say(t("report.team_overlaps", count=doc["overlaps"]))
    counts = (("enrolled", "report.team_enrolled"), ("active", "report.team_active"))
    for item in doc["items"]:
        out().print()
        out().print(t(TITLES[item["period"]], name=item["name"], program=item["program"], start=item["from"],
                      end=item["to"]), style="bold", markup=False)
        say(t("report.team_program_overlaps", count=item["overlaps"]))
        reports = [*item["columns"], item["team"]]
        keys = [f"c{i}" for i in range(len(reports))]
        rows = [{"figure": t(words), **{key: None if r is None else str(r[field]) for key, r in zip(keys, reports,
                                                                                                  strict=True)}}
                for field, words in counts]
        for n, k in enumerate(item["team"]["kpis"]):
            cells = [None if r is None else kpi_cells(r["kpis"][n]) for r in reports]
            rows.append({"figure": k["label"], **{key: _team_cell(c) for key, c in zip(keys, cells, strict=True)}})
        print_table(None, [("figure", t("report.team_col_figure"))]
                    + [(key, name, "right") for key, name in zip(keys, [*names, t("report.team_col_team")],
                                                                   strict=True)], rows)


@export_app.command("csv")
def export_csv(
    name: Annotated[str, typer.Argument(metavar="TABLE-OR-VIEW",
                                        help="citizens, companies, enrollments, phases, checklist, placements, days, "
                                             "hours, followups, attendance or caseload (the columns `import` reads).")],
    out_file: Annotated[str | None, typer.Option("--out", metavar="<path>",
                                                 help="The file (or folder) to write to (default: TABLE.csv).")] = None,
    excel: ExcelOpt = True,
) -> None:
    """Write a table as CSV that Excel opens as columns; never a CPR number, never a formula."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import aside, say
    from fleksrun.services.exports import export_table

    path = output_path(out_file, f"{name.strip().lower()}.csv", state().db_path)
    data, rows = export_table(state().db(), name, excel=excel)
    written = write_whole(path, data)
    (say if written else aside)(t("export.written", rows=rows, path=str(path)))  # a stream: the data alone


@export_app.command("ics")
def export_ics(
    out_file: Annotated[str | None, typer.Option(
        "--out", metavar="<path>", help="The file (or folder) to write to (default: fleksrun.ics).")] = None,
    start: FromOpt = None,
    end: ToOpt = None,
) -> None:
    """Write booked days and due follow-ups as a calendar file (default: today and 13 weeks on)."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import aside, say
    from fleksrun.services.calendar_export import export_calendar

    path = output_path(out_file, "fleksrun.ics", state().db_path)
    first = date_arg(start, today())
    last = date_arg(end, first + _dt.timedelta(weeks=13))
    written: list[bool] = []
    result = export_calendar(state().db(), first, last, lambda data: written.append(write_whole(path, data)))
    if not result["events"]:
        say(t("export.ics_none", start=first, end=last))
        return
    (say if written[0] else aside)(t("export.ics_written", **result, path=str(path)))


def register(app: typer.Typer) -> None:
    app.command()(report)
    app.add_typer(export_app, name="export")
