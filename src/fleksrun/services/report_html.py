"""`report --html`: the report as one self-contained page for the team lead.

Drawn from the same report document as the terminal table and ``--json`` (one computation, two
renderings); its charts are inline SVG drawn here, its styles inline: the page asks the network for
nothing. No CPR number is ever in it, and names only when asked (``names``): by default the hours
chart counts citizens per month.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fleksrun.i18n import format_number, label, language, t
from fleksrun.services.reports import (
    ORDINARY_HOURS_MONTH,
    compliance_by_month,
    hours_chart_data,
    kpi_cells,
    outcome_rows,
)
from fleksrun.store.connection import Database

STYLE = """
:root { --ink: #1d2733; --soft: #5b6775; --line: #d5dbe3; --bar: #2f6f9f; --good: #2e7d4f; --low: #c7862b;
        --target: #b3261e; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; padding: 1.2rem; max-width: 62rem; }
h1 { font-size: 1.45rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .3rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
p.meta, p.note { color: var(--soft); margin: .1rem 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: .4rem 1.4rem; }
.scroll { overflow-x: auto; }
.chart { max-width: 34rem; }
table { border-collapse: collapse; width: 100%; margin: .2rem 0 .6rem; }
th, td { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--soft); font-size: .85rem; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ok { color: var(--good); font-weight: 600; } td.short { color: var(--target); font-weight: 600; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
.legend { font-size: .85rem; color: var(--soft); }
section.program { break-before: auto; }
@media (max-width: 40rem) {
  body { padding: .7rem; font-size: 14px; }
  th, td { padding: .2rem .25rem; }
  td.explain, th.explain { display: none; }
  table { font-size: 13px; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  section.program + section.program { break-before: page; }
  table, svg, .keep { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  td.explain, th.explain { display: table-cell; }
}
"""


def report_page(db: Database, doc: dict[str, Any], *, names: bool = False) -> str:
    """The whole page for the report ``doc`` (``build_report``); ``names``: the hours chart by citizen."""
    lang = language()
    parts = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f"<title>{escape(t('report.html.title'))}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
             f"<header><h1>{escape(t('report.html.title'))}</h1>\n"
             f'<p class="meta" data-made="{doc["today"].isoformat()}">'
             f"{escape(t('report.html.made', today=doc['today']))}</p>\n"]
    if not doc["items"]:
        parts.append(f'<p class="note">{escape(t("report.none", start=doc["from"], end=doc["to"]))}</p>\n')
    parts.append("</header>\n")
    for item in doc["items"]:
        parts.append(_program(db, item, names))
    for skipped in doc["skipped"]:
        parts.append(f'<p class="note">{escape(t("report.skipped", name=skipped["name"], program=skipped["program"], start=skipped["from"], end=skipped["to"]))}</p>\n')  # noqa: E501
    parts.append("</body>\n</html>\n")
    return "".join(parts)


_PERIOD_WORDS = {"given": "report.html.period_given", "program": "report.html.period_program",
                 "year": "report.html.period_year"}


def _program(db: Database, item: dict[str, Any], names: bool) -> str:
    outcomes, kpis = outcome_rows(item)
    period = t(_PERIOD_WORDS[item["period"]], start=item["from"], end=item["to"])
    out = [f'<section class="program" data-program="{escape(item["program"])}">\n'
           f'<h2>{escape(item["name"])} ({escape(item["program"])})</h2>\n'
           f'<p class="meta" data-from="{item["from"].isoformat()}" data-to="{item["to"].isoformat()}">'
           f"{escape(period)}</p>\n"
           f'<p>{escape(t("report.summary", enrolled=item["enrolled"], active=item["active"], participants=item["participants"]))}</p>\n',  # noqa: E501
           f"<h3>{escape(t('report.kpis_title'))}</h3>\n", _kpi_table(kpis),
           f"<h3>{escape(t('report.outcomes_title'))}</h3>\n", _outcome_table(outcomes),
           '<div class="grid">\n',
           f'<div class="keep"><h3>{escape(t("report.html.funnel"))}</h3>\n{_funnel(item["phases"])}</div>\n',
           f'<div class="keep"><h3>{escape(t("report.html.compliance"))}</h3>\n'
           f"{_compliance(compliance_by_month(db, item))}</div>\n</div>\n",
           f'<div class="keep"><h3>{escape(t("report.html.hours", line=ORDINARY_HOURS_MONTH))}</h3>\n',
           _hours(hours_chart_data(db, {"from": item["from"], "to": item["to"], "items": [item]}), names),
           "</div>\n</section>\n"]
    return "".join(out)


def _cell(text: object, cls: str = "", **data: object) -> str:
    attrs = "".join(f' data-{k}="{escape(str(v))}"' for k, v in data.items() if v is not None)
    return f'<td{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}{attrs}>{escape(str(text))}</td>'


def _against(k: dict[str, Any]) -> str:
    """ok/short: the value against its target (a share target or a count target), else nothing."""
    if k["target"] is None or k["value"] is None:
        return ""
    lower_is_better = k["baseline"] is not None and k["baseline"] > k["target"]
    met = k["value"] <= k["target"] if lower_is_better else k["value"] >= k["target"]
    return "ok" if met else "short"


def _numbers(k: dict[str, Any]) -> str:
    """The measured, value and target cells of a KPI, with the numbers as data for a reader of the page."""
    cells = kpi_cells(k)
    return (_cell(cells["measured"], "n", numerator=k["numerator"], denominator=k["denominator"])
            + _cell(cells["value"], f"n {_against(k)}".strip(), value=k["value"])
            + _cell(cells["target"], "n", target=k["target"]))


def _head(*columns: tuple[str, str]) -> str:
    return "<thead><tr>" + "".join(f'<th class="{cls}">{escape(text)}</th>' for text, cls in columns) + \
        "</tr></thead>\n"


def _kpi_table(kpis: list[dict[str, Any]]) -> str:
    rows = [f'<tr data-kpi="{escape(k["id"])}">' + _cell(k["label"]) + _numbers(k)
            + _cell(k["explanation"], "explain") + "</tr>\n" for k in kpis]
    return ('<div class="scroll"><table class="kpis">' + _head(
        (t("report.col.kpi"), ""), (t("report.col.measured"), "n"), (t("report.col.value"), "n"),
        (t("report.col.target"), "n"), (t("report.html.how"), "explain"))
        + "<tbody>\n" + "".join(rows) + "</tbody></table></div>\n")


def _outcome_table(outcomes: list[dict[str, Any]]) -> str:
    rows = [f'<tr data-kpi="{escape(o["share"]["id"])}">' + _cell(label("outcome", o["outcome"])) + _numbers(o["share"])
            + _cell(format_number(o["days"]["value"]), "n", days=o["days"]["value"], of=o["days"]["denominator"])
            + "</tr>\n" for o in outcomes]
    return ('<div class="scroll"><table class="outcomes">' + _head(
        (t("report.col.outcome"), ""), (t("report.col.measured"), "n"), (t("report.col.value"), "n"),
        (t("report.col.target"), "n"), (t("report.col.median_days_to"), "n"))
        + "<tbody>\n" + "".join(rows) + "</tbody></table></div>\n")


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
            '>' + "".join(body) + "</svg>\n")


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _funnel(phases: list[dict[str, Any]]) -> str:
    """A bar per phase: how many reached it (light), how many are in it at the period's end (dark)."""
    width, left, row = 360, 100, 24
    top = max([p["reached"] for p in phases] + [1])
    body = []
    for i, p in enumerate(phases):
        y = 6 + i * row
        reach = (width - left - 80) * p["reached"] / top
        now = (width - left - 80) * p["now"] / top
        body += [_text(left - 6, y + 13, p["phase"][:18], "end"),
                 f'<rect x="{left}" y="{y}" width="{reach:.1f}" height="16" fill="#9cc3e0"/>',
                 f'<rect x="{left}" y="{y}" width="{now:.1f}" height="16" fill="#2f6f9f"/>',
                 _text(left + reach + 5, y + 13, f"{p['reached']} ({t('report.html.now', now=p['now'])})")]
    legend = f'<p class="legend">{escape(t("report.html.funnel_legend"))}</p>\n'
    return _svg(width, 10 + len(phases) * row, body, t("report.html.funnel")) + legend


def _month_axis(months: list[str], x0: float, step: float, y: float) -> list[str]:
    every = -(-len(months) // 6)  # at most 6 labels: they stay readable on a phone
    return [_text(x0 + i * step + step / 2, y, month[2:], "middle") for i, month in enumerate(months) if i % every == 0]


def _compliance(series: list[tuple[str, int, int]]) -> str:
    """Bars of the share of active enrollments with their follow-up cadence kept at each month's end."""
    width, height, x0, y0, plot = 360, 170, 34, 10, 130
    step = (width - x0 - 4) / max(len(series), 1)
    body = [_text(x0 - 4, y0 + 4, "100%", "end"), _text(x0 - 4, y0 + plot, "0%", "end"),
            f'<line x1="{x0}" y1="{y0 + plot}" x2="{width}" y2="{y0 + plot}" stroke="#5b6775"/>']
    for i, (_month, kept, active) in enumerate(series):
        share = kept / active if active else 0
        h = plot * share
        colour = "#2e7d4f" if share >= 0.8 else "#c7862b"
        body.append(f'<rect x="{x0 + i * step + 1:.1f}" y="{y0 + plot - h:.1f}" width="{max(step - 2, 1):.1f}" '
                    f'height="{h:.1f}" fill="{colour}"><title>{escape(f"{kept} / {active}")}</title></rect>')
    body += _month_axis([m for m, _k, _a in series], x0, step, y0 + plot + 14)
    rows = "".join(f'<tr data-month="{m}"><td>{m}</td>{_cell(f"{k} / {a}", "n", kept=k, active=a)}</tr>'
                   for m, k, a in series)
    table = (f'<details><summary class="legend">{escape(t("report.html.compliance_legend"))}</summary>'
             f'<table class="compliance">{rows}</table></details>\n')
    return _svg(width, height, body, t("report.html.compliance")) + table


def _hours(data: list[dict[str, Any]], names: bool) -> str:
    """Per month: participants at or over the line, with some ordinary hours below it, with none;
    with ``names`` also each citizen's hours in a table."""
    line = ORDINARY_HOURS_MONTH
    if not data:
        return f'<p class="note">{escape(t("report.chart.hours_none"))}</p>\n'
    months = [m for m, _h in data[0]["months"]]
    counts = [(sum(1 for r in data if r["months"][i][1] >= line),
               sum(1 for r in data if 0 < r["months"][i][1] < line)) for i in range(len(months))]
    width, x0, y0, plot = 360, 30, 8, 110
    step = (width - x0 - 4) / len(months)
    top = max([reached + below for reached, below in counts] + [1])
    body = [_text(x0 - 4, y0 + 8, str(top), "end"), _text(x0 - 4, y0 + plot, "0", "end"),
            f'<line x1="{x0}" y1="{y0 + plot}" x2="{width}" y2="{y0 + plot}" stroke="#5b6775"/>']
    for i, (reached, below) in enumerate(counts):
        x = x0 + i * step + 1
        h_reached, h_below = plot * reached / top, plot * below / top
        body.append(f'<rect x="{x:.1f}" y="{y0 + plot - h_reached:.1f}" width="{max(step - 2, 1):.1f}" '
                    f'height="{h_reached:.1f}" fill="#2e7d4f"/>')
        body.append(f'<rect x="{x:.1f}" y="{y0 + plot - h_reached - h_below:.1f}" width="{max(step - 2, 1):.1f}" '
                    f'height="{h_below:.1f}" fill="#e3b26b"/>')
    body += _month_axis(months, x0, step, y0 + plot + 14)
    out = ['<div class="chart">' + _svg(width, y0 + plot + 20, body, t("report.html.hours", line=line)) + "</div>",
           f'<p class="legend">{escape(t("report.html.hours_legend", line=line, count=len(data)))}</p>\n']
    rows = "".join(f'<tr data-month="{m}"><td>{m}</td>{_cell(r, "n", reached=r)}{_cell(b, "n", below=b)}'
                   f'{_cell(len(data) - r - b, "n")}</tr>' for m, (r, b) in zip(months, counts, strict=True))
    out.append(f'<div class="scroll"><table class="hours">{_head((t("report.html.month"), ""), (t("report.html.reached", line=line), "n"), (t("report.html.below", line=line), "n"), (t("report.html.no_hours"), "n"))}'  # noqa: E501
               f"<tbody>{rows}</tbody></table></div>\n")
    if names:
        out.append(_hours_by_name(data, months, line))
    return "".join(out)


def _hours_by_name(data: list[dict[str, Any]], months: list[str], line: float) -> str:
    head = _head((t("report.html.citizen"), ""), *((m[2:], "n") for m in months))
    rows = "".join("<tr>" + _cell(r["name"]) + "".join(
        _cell(format_number(round(h, 1)), "n ok" if h >= line else "n") for _m, h in r["months"]) + "</tr>\n"
        for r in data)
    return f'<div class="scroll"><table class="names">{head}<tbody>{rows}</tbody></table></div>\n'

