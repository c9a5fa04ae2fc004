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
    as_json: JsonOpt = False,
) -> None:
    """Key figures per programme for a period (default: this year so far)."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import aside, out, print_json, say
    from fleksrun.services.exports import report_csv
    from fleksrun.services.reports import build_report, hours_chart_data

    chart = choice_arg("--chart", "chart", chart)
    # A bad place for the file is said before any work, and before the database is even opened.
    csv_path = output_path(csv_file, "report.csv", state().db_path) if csv_file is not None else None
    db = db_as_of_today()
    doc = build_report(db, today(), start=date_arg(start), end=date_arg(end), program_id=program)
    if csv_path is not None:
        data, count = report_csv(doc, excel=excel)
        written = write_whole(csv_path, data)
        if not as_json:
            (say if written else aside)(t("report.csv_written", count=count, path=str(csv_path)))
    if as_json:
        print_json(doc)
    elif chart == "hours":
        from fleksrun.cli.charts import hours_chart
        from fleksrun.services.reports import ORDINARY_HOURS_MONTH

        hours_chart(out(), hours_chart_data(db, doc), line=ORDINARY_HOURS_MONTH, start=doc["from"], end=doc["to"])
    elif not doc["items"]:
        say(t("report.none", start=doc["from"], end=doc["to"]))
    else:
        from fleksrun.cli.names import Names

        names = Names(db)
        if chart == "funnel":
            from fleksrun.cli.charts import funnel_chart

            funnel_chart(out(), doc, names.phase)
        else:
            for item in doc["items"]:
                _print_program(item, doc, names)


def _print_program(item: dict[str, Any], doc: dict[str, Any], names: Names) -> None:
    from fleksrun.i18n import format_number, label, t
    from fleksrun.render import out, print_table, say

    console = out()
    console.print(t("report.title", name=item["name"], program=item["program"], start=doc["from"], end=doc["to"]),
                  style="bold", markup=False)
    say(t("report.summary", enrolled=item["enrolled"], active=item["active"], participants=item["participants"]))
    outcomes = ", ".join(f"{label('outcome', k)} {v}" for k, v in item["outcomes"].items())
    say(t("report.outcomes", outcomes=outcomes) if outcomes else t("report.no_outcomes"))
    print_table(t("report.phases_title"), [
        ("phase", t("report.col.phase")), ("reached", t("report.col.reached"), "right"),
        ("now", t("report.col.now"), "right"), ("median", t("report.col.median_days"), "right"),
    ], [{**p, "phase": names.phase(item["program"], p["phase"]),
         "median": None if p["median_days"] is None else format_number(round(p["median_days"], 1))}
        for p in item["phases"]])
    rows = []
    for k in item["kpis"]:
        unit = "%" if k["unit"] == "pct" else ""
        if k["numerator"] is None:  # a median: the denominator is how many it is the median of
            measured = t("report.median_of", count=k["denominator"] or 0)
        elif k["denominator"] is None:  # a plain count
            measured = format_number(k["numerator"])
        else:
            measured = f"{k['numerator']} / {k['denominator']}"
        target = None
        if k["target"] is not None:
            target = (f"{format_number(k['baseline'])}{unit} → " if k["baseline"] is not None else "") + \
                f"{format_number(k['target'])}{unit}"
        value = None if k["value"] is None else f"{format_number(k['value'])}{unit}"
        rows.append({"label": k["label"], "measured": measured, "value": value, "target": target})
    print_table(t("report.kpis_title"), [
        ("label", t("report.col.kpi")), ("measured", t("report.col.measured"), "right"),
        ("value", t("report.col.value"), "right"), ("target", t("report.col.target"), "right"),
    ], rows)
    console.print()


@export_app.command("csv")
def export_csv(
    name: Annotated[str, typer.Argument(metavar="TABLE-OR-VIEW",
                                        help="citizens, companies, enrollments, phases, checklist, placements, days, "
                                             "hours, followups or attendance.")],
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
