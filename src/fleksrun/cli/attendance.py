"""Commands that record what happened: attend, missing, hours."""

from __future__ import annotations

from typing import Annotated

import typer

from fleksrun.cli.options import DECIMAL, JsonOpt, choice_arg, date_arg, today

HoursOpt = Annotated[float | None, typer.Option(click_type=DECIMAL, help="Hours (from the timesheet or payslip).")]


def attend(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    day: Annotated[str | None, typer.Argument(metavar="[DATE]", help="The day (default today).")] = None,
    hours: Annotated[float | None, typer.Option("--hours", click_type=DECIMAL,
                                                help="Hours attended, 0-24 (default: the planned hours).")] = None,
    absent: Annotated[str | None, typer.Option(
        "--absent", help="Absent instead: sick, other or no-show (or syg, …).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the day.")] = None,
    company: Annotated[str | None, typer.Option("--company", "-c",
                                                help="The company, for an extra day or two placements.")] = None,
    week: Annotated[str | None, typer.Option(
        "--week", help="A normal week: every planned day of it (to today) attended with its planned hours.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --week: do not ask for confirmation.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record a booked (or an extra) day as attended with hours, or absent with a reason."""
    from fleksrun.cli.scheduling import warnings_out
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.attendance import attend as do_attend

    if week is not None:
        if day is not None or hours is not None or absent is not None or note is not None or company is not None:
            from fleksrun.errors import InputError

            raise InputError("attendance.week_alone")
        _attend_week(citizen, week, yes=yes, as_json=as_json)
        return
    result = do_attend(state().db(), citizen, date_arg(day, today()), today(), hours=hours,
                       absent=choice_arg("--absent", "absence", absent), note=note, company_ref=company)
    warnings = warnings_out(result.pop("warnings"))
    if as_json:
        print_json({**result, "warnings": warnings, "today": today()})
        return
    if result["status"] == "absent":
        key = "attendance.absent"
    else:
        key = "attendance.attended_extra" if result["extra"] and result["previous"] is None else "attendance.attended"
    say(t(key, **result, why=t(f"attendance.reason.{result['reason']}") if result["reason"] else ""))


def _attend_week(citizen: str, week: str, *, yes: bool, as_json: bool) -> None:
    """`attend --week`: the week's planned days listed, confirmed, then recorded in one change."""
    from fleksrun.cli.scheduling import warnings_out
    from fleksrun.cli.state import state
    from fleksrun.domain.dates import parse_week, plausible
    from fleksrun.i18n import format_date, format_number, t, weekday_name
    from fleksrun.render import print_json, say

    first, last = parse_week(week, today())
    plausible(first, week)

    def confirm(listing: dict) -> None:
        if as_json:
            if not yes:  # a JSON run has no one to ask
                from fleksrun.errors import InputError

                raise InputError("attendance.week_json_needs_yes")
            return
        say(t("attendance.week_listing", citizen=listing["citizen"], count=len(listing["days"])))
        for d in listing["days"]:
            say(f"  {weekday_name(d['date'])} {format_date(d['date'])}  {d['company']}  {format_number(d['hours'])} h")
        if not yes:
            typer.confirm(t("attendance.week_confirm", count=len(listing["days"])), abort=True, err=True)

    from fleksrun.services.attendance import attend_week

    result = attend_week(state().db(), citizen, first, last, today(), confirm)
    warnings = warnings_out(result.pop("warnings"))
    if as_json:
        print_json({**result, "warnings": warnings, "today": today()})
        return
    if result["days"]:
        one = "_one" if len(result["days"]) == 1 else ""
        say(t(f"attendance.week_done{one}", citizen=result["citizen"], count=len(result["days"])))
    else:
        say(t("attendance.week_nothing", citizen=result["citizen"], start=first, end=last))
    if result["later"]:
        say(t("attendance.week_later", count=result["later"]))


def missing(
    citizen: Annotated[str | None, typer.Argument(help="Only this citizen.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only days from this date on.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List past booked days with no attendance recorded (record them with `attend`)."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import format_date, format_number, label, t, weekday_name
    from fleksrun.render import print_json, print_table, say
    from fleksrun.services.lookup import find_citizen
    from fleksrun.store.queries import missing_attendance

    db = state().db()
    citizen_id = find_citizen(db, citizen)["id"] if citizen else None
    rows = missing_attendance(db, today(), citizen_id=citizen_id, since=date_arg(since))
    if as_json:
        print_json({"today": today(), "items": rows})
    elif not rows:
        say(t("attendance.none_missing"))
    else:
        print_table(t("attendance.missing_title", count=len(rows)), [
            ("date", t("col.date")), ("day", t("col.weekday")), ("citizen", t("col.name")),
            ("company", t("col.company")), ("kind", t("col.kind")), ("hours", t("col.planned_hours"), "right"),
            ("overdue_days", t("col.overdue_days"), "right")],
            [{**r, "date": format_date(r["date"]), "day": weekday_name(r["date"]),
              "kind": label("placement_kind", r["kind"]),
              "hours": format_number(r["planned_hours"]) if r["planned_hours"] is not None else None} for r in rows])


def hours(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    month: Annotated[str, typer.Option("--month", help="The calendar month: 2026-04, 04-2026 or april.")],
    ordinary: HoursOpt = None,
    practice: HoursOpt = None,
    subsidised: HoursOpt = None,
    flexjob: HoursOpt = None,
    source: Annotated[str | None, typer.Option("--source", help="Where the figures come from, e.g. payslip.")] = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", help="Remove the recorded figure of this kind: ordinary, practice, subsidised or flexjob "
                   "(the days count again).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a month's hours by kind from a timesheet or payslip; they replace that kind's attended days."""
    from fleksrun.cli.state import state
    from fleksrun.domain.dates import month_bounds, parse_month, plausible
    from fleksrun.i18n import format_number, t
    from fleksrun.render import print_json, print_table, say
    from fleksrun.services.hours import record_hours
    from fleksrun.store.queries import HOUR_KINDS

    figures = {k: v for k, v in (("ordinary", ordinary), ("practice", practice), ("subsidised", subsidised),
                                 ("flexjob", flexjob)) if v is not None}
    month_key = parse_month(month, today())
    plausible(month_bounds(month_key)[0], month)
    result = record_hours(state().db(), citizen, month_key, figures, today=today(),
                          source=source, clear=tuple(choice_arg("--clear", "work_kind", c) for c in clear or ()))
    if as_json:
        print_json({**result, "today": today()})
        return
    if figures or result["cleared"]:
        say(t("hours.recorded", **result))
    for r in result["replaced"]:
        say(t("hours.replaced", month=result["month"], **{**r, "kind": t(f"hours.kind.{r['kind']}")}))
    month_row = result["hours"]
    rows = [{"kind": t(f"hours.kind.{k}"), "hours": format_number(month_row[k]),
             "source": t(f"hours.source.{month_row['sources'].get(k, 'none')}")} for k in HOUR_KINDS]
    print_table(t("hours.title", citizen=result["citizen"], month=result["month"]),
                [("kind", t("col.kind")), ("hours", t("col.hours"), "right"), ("source", t("col.source"))], rows)
    say(t("hours.ordinary_line", ordinary=month_row["ordinary"], other=month_row["other"]))


def register(app: typer.Typer) -> None:
    app.command()(attend)
    app.command()(missing)
    app.command()(hours)
