"""Charts drawn in the terminal with Rich text: every line is built to fit the console's width.

Lines are cut to the width rather than wrapped, so an 80-column terminal shows each bar on one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from fleksrun.i18n import format_number, t

MAX_WIDTH = 100  # wider terminals get no longer bars: they stop being easier to read


def _fit(text: Text, width: int) -> Text:
    text.truncate(width, overflow="ellipsis")
    text.no_wrap = True
    return text


def _scale(value: float, top: float, cells: int) -> int:
    return max(0, min(cells, round(value / top * cells))) if top > 0 else 0


def hours_chart(console: Console, data: list[dict[str, Any]], *, line: float, start: Any, end: Any) -> None:
    """Each citizen's hours by month as bars, with a mark at ``line`` hours (the 30-hour rule)."""
    width = min(console.width, MAX_WIDTH)
    console.print(_fit(Text(t("report.chart.hours_title", line=line, start=start, end=end), style="bold"), width))
    if not data:
        console.print(_fit(Text(t("report.chart.hours_none")), width))
        return
    label, value_cells = 9, 7  # "  2026-03" and " 168.5"
    cells = max(10, width - label - value_cells - 1)
    top = max([line] + [h for row in data for _, h in row["months"]]) * 1.1
    mark = min(cells - 1, _scale(line, top, cells))
    for row in data:
        console.print(_fit(Text(row["name"], style="bold"), width))
        for month, hours in row["months"]:
            filled = _scale(hours, top, cells)
            bar = Text(f"  {month} ")
            colour = "green" if hours >= line else "yellow"
            for i in range(cells):
                if i < filled:
                    bar.append("█", style=colour)
                elif i == mark:
                    bar.append("│", style="red")
                else:
                    bar.append(" ")
            bar.append(f" {format_number(round(hours, 1)):>5}")
            console.print(_fit(bar, width))
    console.print(_fit(Text(t("report.chart.hours_legend", line=line), style="dim"), width))


def funnel_chart(console: Console, report: dict[str, Any],
                 phase_name: Callable[[str, str], str] = lambda program, phase: phase) -> None:
    """Per programme, one bar per phase: enrollments that reached it, with how many are in it now;
    each phase labelled by ``phase_name(programme id, phase id)``."""
    width = min(console.width, MAX_WIDTH)
    for item in report["items"]:
        console.print(_fit(Text(t("report.chart.funnel_title", name=item["name"], program=item["program"]),
                                style="bold"), width))
        phases = item["phases"]
        names = [phase_name(item["program"], p["phase"]) for p in phases]
        label = min(22, max([len(n) for n in names] + [5]))
        texts = [t("report.chart.funnel_row", reached=p["reached"], now=p["now"],
                   median=t("report.median_days", days=round(p["median_days"], 1))
                   if p["median_days"] is not None else "—") for p in phases]
        text_cells = max([len(x) for x in texts] + [1])
        cells = max(10, width - label - text_cells - 4)
        top = max([p["reached"] for p in phases] + [1])
        for phase, name, text in zip(phases, names, texts, strict=True):
            row = Text(f"  {name[:label]:<{label}} ")
            filled = _scale(phase["reached"], top, cells)
            row.append("█" * filled, style="cyan")
            row.append(" " * (cells - filled) + " " + text)
            console.print(_fit(row, width))
        console.print()
    console.print(_fit(Text(t("report.chart.funnel_legend"), style="dim"), width))
