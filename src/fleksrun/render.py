"""Rich tables, sentences and JSON on stdout; warnings on stderr. Imported only by commands."""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from rich.table import Table

_out: Console | None = None
_err: Console | None = None


def out() -> Console:
    global _out
    if _out is None or _out.file is not sys.stdout:  # CliRunner swaps sys.stdout per test
        _out = Console(file=sys.stdout, highlight=False, soft_wrap=False)
    return _out


def err() -> Console:
    global _err
    if _err is None or _err.file is not sys.stderr:
        _err = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    return _err


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def json_text(doc: Any) -> str:
    import json  # only --json pays for the encoder

    return json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default)


def print_json(doc: Any) -> None:
    """One JSON document on stdout, nothing else."""
    sys.stdout.write(json_text(doc) + "\n")


def print_json_items(head: dict[str, Any], items: Iterable[Any]) -> None:
    """``{**head, "items": [...]}``, one item per line with Python's fast (C) encoder.

    The items are all worked out before anything is written, so an error half-way gives the
    boundary's clean ``{"error": …}`` instead of half a document.
    """
    import json

    encoded = [json.dumps(item, ensure_ascii=False, default=_json_default) for item in items]
    opening = json.dumps({**head, "items": []}, ensure_ascii=False, default=_json_default)
    body = ",\n  ".join(encoded)
    sys.stdout.write(opening[:-2] + ("\n  " + body + "\n" if encoded else "") + "]}\n")


def say(text: str, style: str | None = None) -> None:
    """A plain sentence on stdout (markup in the text is not interpreted)."""
    out().print(text, style=style, markup=False)


def aside(text: str) -> None:
    """A plain sentence on stderr, for when stdout carries the data itself (``--out /dev/stdout``)."""
    err().print(text, markup=False)


def warn(text: str) -> None:
    """A warning on stderr: it never blocks, it only tells."""
    err().print(text, style="yellow", markup=False)


# (key, header[, how]): how is "left" (default), "right", or "wrap" (long text; left-aligned).
Column = tuple[str, str] | tuple[str, str, str]


def table(title: str | None, columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> Table:
    """A Rich table from dict rows; None shows as an em dash."""
    cells = [["—" if row.get(col[0]) is None else str(row.get(col[0])) for col in columns] for row in rows]
    from rich.table import Table  # not every command prints a table: its import costs ~3 ms

    tbl = Table(title=title, title_justify="left", header_style="bold", show_lines=False)
    for index, col in enumerate(columns):
        key, header, *rest = col
        how = rest[0] if rest else "left"
        # A column may shrink (words wrap) but never below its widest cell up to 10 characters,
        # so a date like 31-03-2026 or a number is never cut in two.
        widest = max((len(line[index]) for line in cells), default=0)
        tbl.add_column(header, justify="right" if how == "right" else "left", overflow="fold",
                       min_width=min(widest, 10))
    for line in cells:
        tbl.add_row(*line)
    return tbl


def print_table(title: str | None, columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> None:
    out().print(table(title, columns, rows))


def print_table_limited(title: Callable[[int], str], columns: Sequence[Column], rows: Iterable[dict[str, Any]],
                        limit: int, more: Callable[[int], str]) -> int:
    """At most ``limit`` rows (0: all) under ``title(total)``; then one sentence, ``more(hidden)``,
    on what was left out. Returns the total (0: nothing was printed).

    A table of tens of thousands of rows helps nobody and costs Rich seconds and hundreds of MB.
    """
    shown: list[dict[str, Any]] = []
    hidden = 0
    for row in rows:
        if limit and len(shown) >= limit:
            hidden += 1
        else:
            shown.append(row)
    if not shown:
        return 0
    out().print(table(title(len(shown) + hidden), columns, shown))
    if hidden:
        say(more(hidden), style="dim")
    return len(shown) + hidden


def print_renderable(renderable: Any) -> None:
    out().print(renderable)
