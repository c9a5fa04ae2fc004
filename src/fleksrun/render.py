"""Rich tables, sentences and JSON on stdout; warnings on stderr. Imported only by commands."""

from __future__ import annotations

import datetime as _dt
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console

_out: Console | None = None
_err: Console | None = None


# Output that is not read on a screen (piped, redirected) is not wrapped: a line copied from it is
# whole. COLUMNS, when set, still says how wide (the tests set it).
UNWRAPPED = 10_000
_pager_width: int | None = None  # the terminal's width, while stdout goes to a pager (cli/pager.py)


def out() -> Console:
    global _out
    if _out is None or _out.file is not sys.stdout:  # CliRunner swaps sys.stdout per test
        if _pager_width is not None:
            console = Console(file=sys.stdout, highlight=False, soft_wrap=False, force_terminal=True,
                              width=_pager_width)
        else:
            console = Console(file=sys.stdout, highlight=False, soft_wrap=False, width=_screen_width(sys.stdout))
        _out = _visible_only(console)
    return _out


def paged(width: int | None) -> None:
    """Write stdout as to a terminal ``width`` wide (it goes through a pager), or as before (None)."""
    global _pager_width, _out
    _pager_width, _out = width, None


def _screen_width(stream: Any) -> int | None:
    """None (Rich finds the width) on a terminal or with COLUMNS set; otherwise no wrapping."""
    try:
        if stream.isatty():
            return None
    except (AttributeError, ValueError):
        pass
    return None if os.environ.get("COLUMNS") else UNWRAPPED


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


def table(title: str | None, columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> Any:
    """A Rich table from dict rows (None shows as an em dash) that breaks cells between words only.

    Each column is at least as wide as its longest word (or its header's), so no word, date or
    number is ever broken or cut; the room left goes to the columns whose text wraps. When even
    those widths do not fit the screen, each row becomes a block of lines instead (``_blocks``)."""
    cells = [["—" if row.get(col[0]) is None else str(row.get(col[0])) for col in columns] for row in rows]
    headers = [col[1] for col in columns]
    widths = column_widths(headers, cells, out().width)
    if widths is None:
        return _blocks(title, columns, cells)
    from rich.console import Group
    from rich.table import Table  # not every command prints a table: its import costs ~3 ms
    from rich.text import Text

    tbl = Table(header_style="bold", show_lines=False)
    for col, width in zip(columns, widths, strict=True):
        how = col[2] if len(col) > 2 else "left"
        tbl.add_column(col[1], justify="right" if how == "right" else "left", overflow="fold", width=width)
    for line in cells:
        tbl.add_row(*line)
    # The title apart, as a line of its own: Rich pads a table's own title to the table's width.
    return Group(Text(title, style="bold"), tbl) if title else tbl


# A box with one space of padding each side: 3 characters per column, and one for the left edge.
def _frame(count: int) -> int:
    return 3 * count + 1


def column_widths(headers: Sequence[str], cells: Sequence[Sequence[str]], screen: int) -> list[int] | None:
    """The width of each column of a table ``screen`` wide, or None when the columns' longest words
    alone do not fit. Each column gets its longest word; what is left is shared out among the
    columns that still wrap, each up to its longest line."""
    def longest(texts: Iterable[str], split: Callable[[str], list[str]]) -> int:
        return max((len(part) for text in texts for part in split(text)), default=0)

    columns = list(zip(headers, *cells, strict=True)) if cells else [(h,) for h in headers]
    floors = [longest(col, str.split) for col in columns]
    natural = [max(longest(col, str.splitlines), floor) for col, floor in zip(columns, floors, strict=True)]
    room = screen - _frame(len(headers))
    if sum(natural) <= room:
        return natural
    if sum(floors) > room:
        return None
    widths, extra = list(floors), room - sum(floors)
    while extra > 0:
        wanting = [i for i in range(len(widths)) if widths[i] < natural[i]]
        if not wanting:
            break
        share = max(extra // len(wanting), 1)
        for i in wanting:
            give = min(share, natural[i] - widths[i], extra)
            widths[i] += give
            extra -= give
    return widths


def _blocks(title: str | None, columns: Sequence[Column], cells: list[list[str]]) -> Any:
    """The rows of a table too wide for the screen, one block each: the first cell (the name, with
    its number, when the first column is the number) in bold, then a line per other cell with its
    header before it, the text wrapped between words, under itself."""
    import textwrap

    from rich.text import Text

    page = Text()
    if title:
        page.append(title + "\n", style="bold")
    lead = 2 if len(columns) > 1 and columns[0][1] == "#" else 1
    label = max((len(col[1]) for col in columns[lead:]), default=0)
    room = max(out().width - label - 4, 20)
    for line in cells:
        page.append("\n" + (f"{line[1]} (#{line[0]})" if lead == 2 else line[0]) + "\n", style="bold")
        for col, value in zip(columns[lead:], line[lead:], strict=True):
            wrapped = [part for text in value.splitlines() or [""]
                       for part in textwrap.wrap(text, room, break_on_hyphens=False) or [""]]
            page.append("  " + col[1].ljust(label), style="dim")
            page.append("  " + ("\n" + " " * (label + 4)).join(wrapped) + "\n")
    page.rstrip()
    return page


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
