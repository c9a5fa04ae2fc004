"""Rich tables, sentences and JSON on stdout; warnings on stderr. Imported only by commands."""

from __future__ import annotations

import datetime as _dt
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from rich.table import Table

_out: Console | None = None
_err: Console | None = None


def out() -> Console:
    global _out
    if _out is None or _out.file is not sys.stdout:  # CliRunner swaps sys.stdout per test
        _out = _visible_only(Console(file=sys.stdout, highlight=False, soft_wrap=False))
    return _out


def err() -> Console:
    global _err
    if _err is None or _err.file is not sys.stderr:
        _err = _visible_only(Console(file=sys.stderr, highlight=False, soft_wrap=True))
    return _err


class _Visible:
    """A renderable as Rich lays it out, with the text of its segments made visible (domain.text):
    the one place where everything printed passes, tables, sentences and the agenda's page alike.
    Rich's own segments that move the cursor stay, and so do the styles (Rich writes their codes
    around the text later). A visible escape is wider than the character was, so a table row that
    holds one may run a little past its border: a rare row of old data, readable and harmless."""

    def __init__(self, renderable: Any) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: Any) -> Iterable[Any]:
        from rich.segment import Segment

        from fleksrun.domain.text import visible

        for segment in console.render(self.renderable, options):
            yield segment if segment.control else Segment(visible(segment.text), segment.style)


def _visible_only(console: Console) -> Console:
    from rich.console import RenderHook

    class Hook(RenderHook):
        def process_renderables(self, renderables: list[Any]) -> list[Any]:
            return [_Visible(r) for r in renderables]

    console.push_render_hook(Hook())
    return console


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
    """``{**head, "items": [...]}``: ``print_json_stream`` without members after the items."""
    print_json_stream(head, items)


def print_json_stream(head: Mapping[str, Any], items: Iterable[Any], *,
                      tail: Callable[[], Mapping[str, Any]] | None = None) -> None:
    """One JSON document, ``{**head, "items": [...], **tail()}``, written while ``items`` is read:
    memory stays that of one item, however long the list. Each item is one line, by Python's fast
    (C) encoder; ``tail`` (optional) gives members that are known only once the items are done.

    An error before the first item is left to the boundary (its usual ``{"error": …}`` and nothing
    else). One half-way, or in ``tail``, closes the array and ends the document with an ``"error":
    {"code", "message"}`` member (the boundary's code and message for it), so stdout is still one
    valid JSON document; the command then exits with the error's code (typer.Exit) and the boundary
    prints nothing more. An error in writing (a closed pipe) is not caught: nothing can be written.
    """
    import json

    def encode(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=_json_default)

    iterator = iter(items)
    first = next(iterator, _END)  # an error here leaves stdout empty, for the boundary's document
    line = encode(first) if first is not _END else None
    write = sys.stdout.write
    write(encode({**head, "items": []})[:-2])  # '{"today": "…", "items": ['
    failure: BaseException | None = None
    count = 0
    while line is not None:
        write(("\n  " if count == 0 else ",\n  ") + line)
        count += 1
        try:
            item = next(iterator, _END)
            line = encode(item) if item is not _END else None
        except (Exception, KeyboardInterrupt) as exc:
            failure, line = exc, None
    closing = ""
    if failure is None and tail is not None:
        try:
            members = tail()
            closing = ", " + encode(dict(members))[1:-1] if members else ""
        except (Exception, KeyboardInterrupt) as exc:
            failure = exc
    write("\n]" if count else "]")
    if failure is None:
        write(closing + "}\n")
        return
    from fleksrun.cli.boundary import error_parts
    from fleksrun.i18n import t

    known = error_parts(failure)
    code, message, exit_code = known or ("internal", t("cli.internal"), 1)
    write(", " + encode({"error": {"code": code, "message": message}})[1:] + "\n")
    sys.stdout.flush()
    if known is None and os.environ.get("FLEKSRUN_DEBUG"):
        raise failure  # the traceback too, once the document is whole
    import typer

    raise typer.Exit(exit_code)


_END = object()  # the end of an iterator, for next()


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
                        limit: int, more: Callable[[int], str], *, total: int | None = None) -> int:
    """At most ``limit`` rows (0: all) under ``title(total)``; then one sentence, ``more(hidden)``,
    on what was left out. Returns the total (0: nothing was printed).

    ``total``, when the caller counted the rows (a SQL COUNT), lets ``rows`` be only the first
    ``limit`` of them: a listing of 100,000 need not be read to show 200. Without it the rows
    are counted here, all of them read.
    A table of tens of thousands of rows helps nobody and costs Rich seconds and hundreds of MB.
    """
    shown: list[dict[str, Any]] = []
    hidden = 0
    for row in rows:
        if limit and len(shown) >= limit:
            if total is not None:
                break
            hidden += 1
        else:
            shown.append(row)
    if total is not None:
        hidden = max(total - len(shown), 0)
    if not shown:
        return 0
    out().print(table(title(len(shown) + hidden), columns, shown))
    if hidden:
        say(more(hidden), style="dim")
    return len(shown) + hidden


def print_renderable(renderable: Any) -> None:
    out().print(renderable)
