"""The `due` command: the consultant's week, grouped by day, overdue first."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from fleksrun.cli.options import JsonOpt, date_arg, today

GROUP_LIMIT = 40  # lines per group in the table; --json always has every item
NAMES_PER_COMPANY = 12  # citizens named on a company's line for one day


def due(
    week: Annotated[Optional[str], typer.Option(help="An ISO week: 2026-W14, \"uge 14\", or a date in it.")] = None,
    days: Annotated[Optional[int], typer.Option(min=1, max=366, help="The window: this many days from today (default 7).")] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="Start the window on this day instead of today.")] = None,
    citizen: Annotated[Optional[str], typer.Option(help="Only this citizen.")] = None,
    company: Annotated[Optional[str], typer.Option(help="Only this company.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="Only these kinds, comma-separated (followup, practice_day, …).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The agenda: overdue and coming follow-ups, booked days, missing attendance, who may move on, limits near."""
    import datetime as _dt

    from fleksrun.cli.state import state
    from fleksrun.domain.dates import parse_week
    from fleksrun.errors import InputError
    from fleksrun.render import print_json
    from fleksrun.services.agenda import KINDS, agenda
    from fleksrun.services.lookup import find_citizen, find_company

    if week is not None and (days is not None or start is not None):
        raise InputError("due.week_or_days")
    if week is not None:
        first, last = parse_week(week, today())
    else:
        first = date_arg(start, today())
        last = first + _dt.timedelta(days=(days or 7) - 1)
    kinds = None
    if kind:
        kinds = {k.strip() for k in kind.split(",") if k.strip()}
        unknown = kinds - set(KINDS)
        if unknown:
            raise InputError("due.bad_kind", kind=", ".join(sorted(unknown)), kinds=", ".join(KINDS))
    db = state().db()
    citizen_id = find_citizen(db, citizen)["id"] if citizen else None
    company_id = find_company(db, company)["id"] if company else None
    doc = agenda(db, today(), first, last, citizen_id=citizen_id, company_id=company_id, kinds=kinds)
    if as_json:
        print_json(doc)
    else:
        render(doc)


def _groups(doc: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Overdue first, then one group per day in date order."""
    from fleksrun.i18n import format_date, t, weekday_name

    overdue = [i for i in doc["items"] if i["overdue_days"] > 0]
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    if overdue:
        groups.append((t("due.overdue_heading", count=len(overdue)), overdue))
    by_day: dict[str, list[dict[str, Any]]] = {}
    for item in doc["items"]:
        if item["overdue_days"] <= 0:
            by_day.setdefault(item["date"], []).append(item)
    for day in sorted(by_day):
        groups.append((f"{weekday_name(day)} {format_date(day)}", by_day[day]))
    return groups


def render(doc: dict[str, Any]) -> None:
    import datetime as _dt

    import textwrap

    from rich.text import Text

    from fleksrun.i18n import format_week, t
    from fleksrun.render import out, say

    start, end = _dt.date.fromisoformat(doc["from"]), _dt.date.fromisoformat(doc["to"])
    console = out()
    heading = t("due.heading", week=format_week(start), start=start, end=end)
    if not doc["items"]:
        say(t("due.nothing", start=start, end=end))
        return
    console.print(Text(heading, style="bold"))
    for title, items in _groups(doc):
        console.print()
        console.print(Text(title, style="bold red" if items and items[0]["overdue_days"] > 0 else "bold"))
        lines = _lines(items)
        # Wrapped by hand so that a long line continues under its own text, not under the bullet
        # (cheaper than a Rich table per group).
        width = max(console.width - 4, 20)
        for line, style in lines[:GROUP_LIMIT]:
            wrapped = textwrap.wrap(line, width) or [""]
            console.print(Text("  • " + "\n    ".join(wrapped), style=style), soft_wrap=True)
        if len(lines) > GROUP_LIMIT:
            console.print(Text("  " + t("due.more", count=len(lines) - GROUP_LIMIT), style="dim"))


STYLE = {"followup": "", "aftercare": "", "practice_day": "cyan", "attendance_missing": "yellow",
         "ready_to_advance": "green", "hours_at_risk": "yellow", "placement_ending": "magenta",
         "practice_limit": "magenta", "data_missing": "yellow"}


def _lines(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """One line per item, except that a day's bookings are gathered per company and the missing
    attendance of one citizen at one company becomes one line with its dates."""
    from fleksrun.i18n import format_date, t

    lines: list[tuple[str, str]] = []
    per_company: dict[str, list[dict[str, Any]]] = {}
    missing: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in items:
        if item["kind"] == "practice_day":
            per_company.setdefault(item["company"] or "", []).append(item)
        elif item["kind"] == "attendance_missing":
            key = (item["citizen"] or "", item["company"] or "")
            if key not in missing:
                lines.append(("", ""))  # placeholder: keeps the first missing day's place in the order
                missing[key] = [{"_slot": len(lines) - 1}]
            missing[key].append(item)
        else:
            lines.append((item["text"], STYLE.get(item["kind"], "")))
    for (citizen, company), group in missing.items():
        slot, days = group[0]["_slot"], group[1:]
        if len(days) == 1:
            lines[slot] = (days[0]["text"], STYLE["attendance_missing"])
        else:
            dates = ", ".join(format_date(d["date"]) for d in sorted(days, key=lambda d: d["date"]))
            lines[slot] = (t("due.attendance_missing_many", citizen=citizen, company=company, count=len(days),
                             dates=dates), STYLE["attendance_missing"])
    for company in sorted(per_company):
        booked = per_company[company]
        texts = "; ".join(i["text"] for i in booked[:NAMES_PER_COMPANY])
        if len(booked) > NAMES_PER_COMPANY:
            texts += " " + t("due.and_more", count=len(booked) - NAMES_PER_COMPANY)
        lines.append((t("due.company_day", company=company, count=len(booked), texts=texts), "cyan"))
    return lines


def register(app: typer.Typer) -> None:
    app.command()(due)
