"""Print a citizen's card (the dict from services.card) as Rich text and tables."""

from __future__ import annotations

from typing import Any

from fleksrun.i18n import format_date, format_number, label, language, t
from fleksrun.render import out, print_table


def render_card(card: dict[str, Any]) -> None:
    console = out()
    console.print(f"[bold]{card['name']}[/bold]  (#{card['id']})", highlight=False)
    details = [("cpr", "CPR"), ("case_ref", t("col.case_ref")), ("citizen_group", t("col.group")),
               ("phone", t("col.phone")), ("email", t("col.email")), ("job_goal", t("col.job_goal")),
               ("accommodations", t("col.accommodations")), ("notes", t("col.notes")),
               ("followup_every", t("col.followup_every"))]
    for key, label in details:
        if card.get(key) not in (None, ""):
            console.print(f"{label}: {card[key]}", markup=False, highlight=False)
    for enrollment in card["enrollments"]:
        _enrollment(enrollment)
    for section in SECTIONS:
        section(card)


def _enrollment(e: dict[str, Any]) -> None:
    console = out()
    console.print()
    status = t("card.active") if e["status"] == "active" else t("card.ended", end=e["end"], outcome=label("outcome", e["outcome"]))
    name = e.get("program_name_da") if language() == "da" and e.get("program_name_da") else e["program_name"]
    console.print(f"[bold]{name}[/bold] ({e['program']}) — {format_date(e['start'])} — {status}",
                  highlight=False)
    rows = [{"phase": ph["phase"], "entered": format_date(ph["entered"]),
             "left": format_date(ph["left"]) if ph["left"] else None,
             "reason": (ph["reason"] or "") + (" " + t("card.forced") if ph["forced"] else "") or None}
            for ph in e["phases"]]
    print_table(None, [("phase", t("col.phase")), ("entered", t("col.entered")), ("left", t("col.left")),
                       ("reason", t("col.reason"))], rows)
    if e["checklist"]:
        done = ", ".join(f"{c['item']} ({format_date(c['done_on'])})" for c in e["checklist"])
        console.print(t("card.checklist_done", items=done), markup=False, highlight=False)


def _placements(card: dict[str, Any]) -> None:
    if not card["placements"]:
        return
    rows = [{"company": p["company"], "kind": label("placement_kind", p["kind"]), "start": format_date(p["start"]), "end": format_date(p["end"]),
             "hours": format_number(p["hours_per_day"]) if p["hours_per_day"] is not None else None}
            for p in card["placements"]]
    out().print()
    print_table(t("card.placements"), [("company", t("col.company")), ("kind", t("col.kind")),
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


# Card sections after the enrollments, in order; later capabilities add theirs here.
SECTIONS = [_placements, _followups]
