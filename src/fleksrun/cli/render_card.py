"""Print a citizen's card (the dict from services.card) as Rich text and tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleksrun.i18n import format_date, format_month, format_number, label, language, t, weekday_name
from fleksrun.render import out, print_table

if TYPE_CHECKING:
    from fleksrun.cli.names import Names


def render_card(card: dict[str, Any]) -> None:
    console = out()
    console.print(f"[bold]{card['name']}[/bold]  (#{card['id']})", highlight=False)
    details = [("cpr", "CPR"), ("case_ref", t("col.case_ref")), ("citizen_group", t("col.group")),
               ("phone", t("col.phone")), ("email", t("col.email")), ("job_goal", t("col.job_goal")),
               ("accommodations", t("col.accommodations")), ("notes", t("col.notes")),
               ("followup_every", t("col.followup_every"))]
    for key, heading in details:
        if card.get(key) not in (None, ""):
            console.print(f"{heading}: {card[key]}", markup=False, highlight=False)
    from fleksrun.cli.names import Names
    from fleksrun.cli.state import state

    names = Names(state().db())
    for enrollment in card["enrollments"]:
        _enrollment(enrollment, names)
    for section in SECTIONS:
        section(card)


def _reason(text: str | None) -> str:
    """A stay's reason: what the user wrote, or the outcome that moved the citizen (stored as its code)."""
    from fleksrun.domain.programs.model import OUTCOMES

    return label("outcome", text) if text in OUTCOMES else text or ""


def _enrollment(e: dict[str, Any], names: Names) -> None:
    console = out()
    console.print()
    if e["status"] == "active":
        status = t("card.active")
    else:
        status = t("card.ended", end=e["end"], outcome=label("outcome", e["outcome"]))
    name = e.get("program_name_da") if language() == "da" and e.get("program_name_da") else e["program_name"]
    console.print(f"[bold]{name}[/bold] ({e['program']}) — {format_date(e['start'])} — {status}",
                  highlight=False)
    # The phase story in order: how each stay began, what was ticked in it, and why.
    program = e["program"]
    rows = [{"n": i, "phase": names.phase(program, ph["phase"]), "how": t(f"story.how_{ph['how']}"),
             "entered": format_date(ph["entered"]),
             "left": format_date(ph["left"]) if ph["left"] else None,
             "ticked": ", ".join(f"{names.item(program, c['item'])} ({format_date(c['done_on'])})"
                                 for c in ph["ticked"]) or None,
             "reason": _reason(ph["reason"]) + (" " + t("card.forced") if ph["forced"] else "") or None}
            for i, ph in enumerate(e["phases"], 1)]
    print_table(None, [("n", "#", "right"), ("phase", t("col.phase")), ("how", t("story.how")),
                       ("entered", t("col.entered")), ("left", t("col.left")), ("ticked", t("story.ticked")),
                       ("reason", t("col.reason"))], rows)
    if e["outcome"]:
        console.print(t("story.outcome", outcome=label("outcome", e["outcome"])), markup=False, highlight=False)


def _placements(card: dict[str, Any]) -> None:
    if not card["placements"]:
        return
    rows = [{"id": p["id"], "company": p["company"], "kind": label("placement_kind", p["kind"]),
             "start": format_date(p["start"]), "end": format_date(p["end"]),
             "hours": format_number(p["hours_per_day"]) if p["hours_per_day"] is not None else None}
            for p in card["placements"]]
    out().print()
    print_table(t("card.placements"), [("id", "#", "right"), ("company", t("col.company")), ("kind", t("col.kind")),
                                       ("start", t("col.start")), ("end", t("col.end")),
                                       ("hours", t("col.hours_per_day"), "right")], rows)


def _followups(card: dict[str, Any]) -> None:
    if not card["followups"]:
        return
    rows = [{"date": format_date(f["date"]), "kind": label("followup_kind", f["kind"]),
             "with": label("with", f["with_whom"]) if f["with_whom"] else None, "note": f["note"],
             "next": format_date(f["next_due"]) if f["next_due"] else None} for f in card["followups"]]
    out().print()
    print_table(t("card.followups"), [("date", t("col.date")), ("kind", t("col.kind")), ("with", t("col.with")),
                                      ("note", t("col.note")), ("next", t("col.next_due"))], rows)


def _calendar(card: dict[str, Any]) -> None:
    """Booked, attended, absent and missing days by ISO week (Danes plan by "uge")."""
    from fleksrun.domain.placements import weeks_view

    if not card["days"]:
        return
    weeks = weeks_view(card["days"], card["today"])
    weekdays = sorted({_date(d["date"]).weekday() for w in weeks for d in w["days"]})
    rows = []
    for w in weeks:
        row: dict[str, Any] = {"week": t("scheduling.week_label", monday=w["monday"], year=w["year"])}
        for d in w["days"]:
            key = str(_date(d["date"]).weekday())
            cell = f"{_date(d['date']).strftime('%d-%m')} {_day_text(d)}"
            row[key] = f"{row[key]}; {cell}" if key in row else cell
        rows.append(row)
    counts = {s: sum(1 for d in card["days"] if d["state"] == s) for s in ("booked", "attended", "absent", "missing")}
    out().print()
    print_table(t("card_schedule.calendar"), [("week", t("col.week"))] + [
        (str(wd), weekday_name(wd + 1, short=True)) for wd in weekdays], rows)
    out().print(t("card_schedule.summary", **counts), markup=False, highlight=False)


def _date(text: str) -> Any:
    import datetime as _dt

    return _dt.date.fromisoformat(text)


def _day_text(day: dict[str, Any]) -> str:
    state = day["state"]
    if state == "attended":
        text = t("card_schedule.attended", hours=day["hours"] or 0)
    elif state == "absent":
        text = t("card_schedule.absent", why=t(f"attendance.reason.{day['reason']}") if day["reason"] else "—")
    else:
        text = t(f"card_schedule.{state}")
    return text + (f" ({t('card_schedule.extra')})" if day.get("extra") else "")


def _hours(card: dict[str, Any]) -> None:
    """Hours by calendar month and kind; * marks a recorded figure that replaces the attended days."""
    if not card["hours"]:
        return
    kinds = ("ordinary", "practice", "subsidised", "flexjob")
    rows = []
    for month in card["hours"]:
        row = {"month": format_month(month["month"]), "other": format_number(month["other"])}
        for kind in kinds:
            mark = "*" if month["sources"].get(kind) == "recorded" else ""
            row[kind] = format_number(month[kind]) + mark
        rows.append(row)
    out().print()
    print_table(t("card_schedule.hours"), [("month", t("col.month"))] + [
        (kind, t(f"col.{kind}"), "right") for kind in kinds] + [("other", t("col.other"), "right")], rows)
    if any("recorded" in m["sources"].values() for m in card["hours"]):
        out().print(t("card_schedule.recorded_mark"), markup=False, highlight=False)


# Card sections after the enrollments, in order; later capabilities add theirs here.
SECTIONS = [_placements, _calendar, _hours, _followups]
