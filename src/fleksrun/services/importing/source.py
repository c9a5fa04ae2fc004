"""Reading the sheet: .xlsx/.xls/.ods through python-calamine, .csv in Danish Excel's dialect or plain.

Only this module imports the reader, and only when a spreadsheet is read: no other command pays
for it. Every sheet comes out the same: rows of cells with the row number the spreadsheet shows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fleksrun.errors import InputError

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
TEXTS = (".csv", ".txt")


@dataclass
class Sheet:
    """The cells of one sheet, each row with its number as the spreadsheet shows it (1 = the first)."""

    rows: list[tuple[int, list[Any]]]
    kind: str  # "xlsx", "ods", "csv" …
    sheet: str | None = None
    delimiter: str | None = None  # CSV only
    decimal_comma: bool = False
    encoding: str | None = None
    sheets: list[str] = field(default_factory=list)


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """The sheet at ``path`` (the first one, or ``sheet``), by the file's ending."""
    if not path.is_file():
        raise InputError("import.no_file", path=str(path))
    suffix = path.suffix.lower()
    if suffix in TEXTS:
        if sheet is not None:
            raise InputError("import.sheet_in_csv")
        return read_csv(path.read_bytes())
    if suffix in SPREADSHEETS:
        return _read_workbook(path, sheet)
    raise InputError("import.bad_kind", path=str(path), kinds=", ".join(SPREADSHEETS + TEXTS))


def _read_workbook(path: Path, sheet: str | None) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if not names:
            raise InputError("import.empty", path=str(path))
        chosen = names[0] if sheet is None else next((n for n in names if n.casefold() == sheet.casefold()), None)
        if chosen is None:
            raise InputError("import.no_sheet", sheet=sheet, sheets=", ".join(names))
        # Not skipping the empty area: the row numbers must be those the consultant sees.
        cells = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError("import.unreadable", path=str(path), reason=type(exc).__name__) from exc
    rows = [(number, list(row)) for number, row in enumerate(cells, 1)]
    return Sheet(rows=rows, kind=path.suffix.lower().lstrip("."), sheet=chosen, sheets=names)


def read_csv(data: bytes) -> Sheet:
    """CSV as Danish Excel writes it (``;``, decimal comma, often a BOM, older versions Windows-1252)
    or plain (``,``, decimal point): the dialect is found, not asked for."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:  # Excel's "CSV (semikolonsepareret)" before UTF-8 was its default
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for cells in reader:
            # A quoted cell may span lines: the number is that of the line where the row began.
            rows.append((reader.line_num - sum(cell.count("\n") for cell in cells), cells))
    except csv.Error as exc:
        raise InputError("import.bad_csv", line=reader.line_num, reason=str(exc)) from exc
    return Sheet(rows=rows, kind="csv", delimiter=delimiter, decimal_comma=delimiter == ";", encoding=encoding)


def _delimiter(text: str) -> str:
    """``;`` (Danish Excel), tab, or ``,``: whichever splits the first non-empty lines most evenly
    into more than one cell."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for candidate in (";", "\t", ","):
        counts = [len(next(csv.reader([line], delimiter=candidate))) for line in lines]
        widest = max(counts, default=1)
        score = sum(1 for c in counts if c == widest) if widest > 1 else 0
        if score > best_score:
            best, best_score = candidate, score
    return best
