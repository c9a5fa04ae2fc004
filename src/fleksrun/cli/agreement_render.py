"""The written agreement as Markdown or HTML, from ``services.agreement.agreement_data``.

A template is plain text with ``$name`` fields (Python's ``string.Template``), not a template
language: a municipality's own template (``agreement --template FILE``) can move, drop and reword
anything around the fields, and holds no code, so a template file passed around cannot make
fleksrun read or run anything. The lists (tasks, sub-goals, dates) are made here in the format's own
markup, every value escaped for HTML. The words come from the message catalogue, in the run's
language; ``--print-template`` gives the built-in template to start from.
"""

from __future__ import annotations

import html
import string
from typing import Any

from fleksrun.errors import InputError
from fleksrun.i18n import format_date, format_number, label, language, t, weekday_name

FORMATS = ("md", "html")

MARKDOWN = """# $title

$intro

## $h_parties

$parties

## $h_placement

$placement

## $h_tasks

$tasks

## $h_goals

$goals

## $h_considerations

$considerations

## $h_followup

$followup

## $h_contacts

$contacts

## $h_signatures

$signatures

_${made}_
"""

HTML = """<!DOCTYPE html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<title>$title</title>
<style>
  @page { size: A4; margin: 18mm 18mm 20mm 18mm; }
  body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.4;
         color: #111; max-width: 174mm; margin: 0 auto; }
  h1 { font-size: 17pt; margin: 0 0 4mm 0; }
  h2 { font-size: 12pt; margin: 6mm 0 2mm 0; padding-bottom: 1mm; border-bottom: 0.3mm solid #999; }
  section { break-inside: avoid; page-break-inside: avoid; }
  table.fields { border-collapse: collapse; width: 100%; }
  table.fields th { text-align: left; font-weight: 600; width: 38%; vertical-align: top; padding: 1mm 2mm 1mm 0; }
  table.fields td { vertical-align: top; padding: 1mm 0; }
  ul { margin: 1mm 0; padding-left: 6mm; }
  .intro { color: #333; }
  .signatures { display: flex; gap: 8mm; margin-top: 14mm; }
  .signature { flex: 1; }
  .line { border-top: 0.3mm solid #111; margin-top: 16mm; padding-top: 1mm; font-size: 9.5pt; }
  .made { margin-top: 8mm; font-size: 9pt; color: #555; }
</style>
</head>
<body>
<h1>$title</h1>
<p class="intro">$intro</p>
<section><h2>$h_parties</h2>
$parties</section>
<section><h2>$h_placement</h2>
$placement</section>
<section><h2>$h_tasks</h2>
$tasks</section>
<section><h2>$h_goals</h2>
$goals</section>
<section><h2>$h_considerations</h2>
$considerations</section>
<section><h2>$h_followup</h2>
$followup</section>
<section><h2>$h_contacts</h2>
$contacts</section>
<section><h2>$h_signatures</h2>
$signatures</section>
<p class="made">$made</p>
</body>
</html>
"""

TEMPLATES = {"md": MARKDOWN, "html": HTML}
BLANK = "______________________"


class _Writer:
    """The format's markup for the few shapes an agreement has: fields, a list, a paragraph."""

    def __init__(self, fmt: str) -> None:
        self.html = fmt == "html"

    def text(self, value: str) -> str:
        return html.escape(value) if self.html else value

    def fields(self, rows: list[tuple[str, str | None]]) -> str:
        rows = [(name, value if value not in (None, "") else BLANK) for name, value in rows]
        if self.html:
            body = "".join(f"<tr><th>{self.text(n)}</th><td>{self.text(str(v))}</td></tr>" for n, v in rows)
            return f'<table class="fields">{body}</table>'
        return "\n".join(f"- **{n}:** {v}" for n, v in rows)

    def items(self, values: list[str], empty: str) -> str:
        if not values:
            return self.para(empty)
        if self.html:
            return "<ul>" + "".join(f"<li>{self.text(v)}</li>" for v in values) + "</ul>"
        return "\n".join(f"- {v}" for v in values)

    def para(self, value: str) -> str:
        return f"<p>{self.text(value)}</p>" if self.html else value

    def signatures(self, names: list[str]) -> str:
        if self.html:
            cells = "".join(f'<div class="signature"><div class="line">{self.text(n)}</div></div>' for n in names)
            return f'<div class="signatures">{cells}</div>'
        return "\n\n".join(f"{BLANK}\n{n}" for n in names)


def _days(weekdays: list[int]) -> str:
    return ", ".join(weekday_name(d + 1) for d in weekdays)


def fields(data: dict[str, Any], fmt: str) -> dict[str, str]:
    """The template's fields for ``data`` in format ``fmt``, worded in the run's language."""
    w = _Writer(fmt)
    company, placement = data["company"], data["placement"]
    program = data["program_name_da"] if language() == "da" and data["program_name_da"] else data["program_name"]
    mentor = data["mentor"]
    if mentor and data["mentor_strengths"]:
        mentor = t("agreement.mentor_good_at", mentor=mentor, strengths=data["mentor_strengths"])
    place = [(t("agreement.company"), company["name"]), (t("agreement.address"), company["address"]),
             (t("agreement.mentor"), mentor)]
    if placement:
        hours = placement["hours_per_day"]
        weekly = None if hours is None else hours * len(placement["weekdays"])
        place += [(t("agreement.kind"), label("placement_kind", placement["kind"])),
                  (t("agreement.period"), t("agreement.from_to", start=_date(placement["start"]),
                                            end=_date(placement["end"]))),
                  (t("agreement.days"), _days(placement["weekdays"])),
                  (t("agreement.hours"), None if hours is None else t(
                      "agreement.hours_value", hours=format_number(hours), weekly=format_number(weekly)))]
    else:
        place += [(t("agreement.period"), None), (t("agreement.days"), None), (t("agreement.hours"), None)]
    goals = [t("agreement.goal", text=g["text"], review=_date(g["review_on"]) if g["review_on"] else "—",
               status=label("goal_status", g["status"])) for g in data["goals"]]
    if placement and placement["goals"]:
        goals.insert(0, placement["goals"])
    considered = data["considerations"]
    if considered["agreed_wording"]:
        considerations = w.para(considered["agreed_wording"])
    elif considered["needs"]:
        considerations = w.para(t("agreement.avoids", needs=", ".join(considered["needs"])))
    else:
        considerations = w.para(t("agreement.no_considerations"))
    contacts = [(t("agreement.company_contact"), ", ".join(
        v for v in (company["contact"], company["phone"], company["email"]) if v) or None),
        (t("agreement.mentor"), data["mentor"]), (t("agreement.consultant"), data["consultant"])]
    parties = [(t("agreement.citizen"), data["citizen"]),
               (t("agreement.company"), company["name"] + (f" (CVR {company['cvr']})" if company["cvr"] else "")),
               (t("agreement.consultant"), data["consultant"]), (t("agreement.program"), program),
               (t("agreement.job_goal"), data["job_goal"])]
    return {
        "lang": language(),
        "title": w.text(t("agreement.title")),
        "intro": w.text(t("agreement.intro", citizen=data["citizen"], company=company["name"])),
        **{f"h_{key}": w.text(t(f"agreement.h.{key}")) for key in (
            "parties", "placement", "tasks", "goals", "considerations", "followup", "contacts", "signatures")},
        "parties": w.fields(parties),
        "placement": w.fields(place),
        "tasks": w.items(data["tasks"], t("agreement.none_yet")),
        "goals": w.items(goals, t("agreement.none_yet")),
        "considerations": considerations,
        "followup": w.para(t("agreement.followup_intro")) + ("\n\n" if fmt == "md" else "") + w.items(
            [_date(d) for d in data["followups"]], t("agreement.none_yet")),
        "contacts": w.fields(contacts),
        "signatures": w.signatures([t("agreement.sign", who=who) for who in (
            data["citizen"], company["name"], data["consultant"] or t("agreement.consultant"))]),
        "made": w.text(t("agreement.made", day=_date(data["made_on"]))),
    }


def _date(value: str) -> str:
    return format_date(value)


def render(data: dict[str, Any], fmt: str, template: str | None = None) -> str:
    """The agreement in ``fmt`` from the built-in template, or from ``template`` (its text)."""
    values = fields(data, fmt)
    try:
        return string.Template(TEMPLATES[fmt] if template is None else template).substitute(values)
    except KeyError as exc:
        raise InputError("agreement.template_field", field=str(exc.args[0]), fields=", ".join(sorted(values))) from exc
    except ValueError as exc:
        raise InputError("agreement.template_bad", problem=str(exc)) from exc
