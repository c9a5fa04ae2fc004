"""The fields an imported row can fill, the headers (Danish and English) that name them, and --map."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fleksrun.errors import InputError

# Field id → the headers a consultant's sheet or the case system uses for it. The id itself is a
# header too: the export of the caseload (services.exports) writes the ids.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("Navn", "Borger", "Borgers navn", "Borgerens navn", "Fulde navn", "Name", "Citizen", "Full name"),
    "cpr": ("CPR", "CPR-nr.", "CPR-nummer", "CPR nr", "Personnummer", "CPR number"),
    "case_ref": ("Sagsnr.", "Sagsnummer", "Sag", "Journalnr.", "Journalnummer", "Case", "Case number", "Case ref",
                 "Reference"),
    "program": ("Forløb", "Program", "Programme", "Indsats"),
    "phase": ("Fase", "Trin", "Phase", "Step"),
    "start": ("Startdato", "Start", "Opstart", "Start date", "Startet"),
    "group": ("Gruppe", "Målgruppe", "Group", "Citizen group"),
    "phone": ("Telefon", "Tlf.", "Telefonnummer", "Mobil", "Mobilnummer", "Phone", "Phone number"),
    "email": ("Mail", "E-mail", "Email", "E-mailadresse", "Mailadresse"),
    "job_goal": ("Jobmål", "Job goal", "Goal"),
    "accommodations": ("Skånehensyn", "Hensyn", "Skånebehov", "Accommodations"),
    "notes": ("Note", "Noter", "Bemærkning", "Bemærkninger", "Notes", "Notat"),
    "last_followup": ("Seneste opfølgning", "Sidste opfølgning", "Last follow-up", "Last followup",
                      "Last contact", "Seneste kontakt"),
    "next_followup": ("Næste opfølgning", "Opfølgning", "Next follow-up", "Next followup", "Follow-up",
                      "Næste kontakt"),
    "company": ("Virksomhed", "Arbejdsplads", "Praktiksted", "Company", "Workplace", "Employer"),
    "cvr": ("CVR", "CVR-nr.", "CVR-nummer", "CVR number"),
    "placement_kind": ("Type", "Ansættelsestype", "Praktiktype", "Placement kind", "Kind"),
    "placement_start": ("Praktik start", "Praktikstart", "Praktik fra", "Placement start"),
    "placement_end": ("Praktik slut", "Praktikslut", "Praktik til", "Placement end"),
    "weekdays": ("Ugedage", "Dage", "Praktikdage", "Weekdays", "Days"),
    "hours": ("Timer", "Timer pr. dag", "Timer om dagen", "Timer/dag", "Hours", "Hours per day",
              "Hours a day"),
    # The column the bad-rows file (--skip-bad) adds: recognised, so that file imports again, and left out.
    "problem": ("Problem", "Fejl", "Problemer"),
}
FIELDS = tuple(HEADERS)
DATE_FIELDS = ("start", "last_followup", "next_followup", "placement_start", "placement_end")
SKIP = "-"  # --map "Kolonne=-": a column left out on purpose
IGNORED = ("problem",)


def header_key(text: str) -> str:
    """A header as compared: case, spaces, punctuation and the æøå spellings (ae, oe, aa) do not count."""
    clean = str(text).casefold()
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        clean = clean.replace(letter, spelled)
    return re.sub(r"[^0-9a-z]", "", clean)


_KNOWN: dict[str, str] = {header_key(h): field for field, names in HEADERS.items() for h in (field, *names)}


def field_for(header: str) -> str | None:
    """The field a header names, or None."""
    return _KNOWN.get(header_key(header))


def parse_maps(texts: list[str]) -> dict[str, tuple[str, str]]:
    """``COLUMN=FIELD`` pairs (``--map``) as {header key: (the column as typed, field or SKIP)}."""
    maps: dict[str, tuple[str, str]] = {}
    for text in texts:
        column, sep, field = text.rpartition("=")
        field = field.strip().lower()
        if not sep or not column.strip():
            raise InputError("import.bad_map", text=text)
        if field != SKIP and field not in FIELDS:
            raise InputError("import.bad_map_field", field=field, fields=", ".join(f for f in FIELDS
                                                                                   if f not in IGNORED))
        maps[header_key(column)] = (column.strip(), field)
    return maps


@dataclass(frozen=True)
class Column:
    """One column of the sheet: its header as written, its index, and the field it fills (None: left out)."""

    index: int
    header: str
    field: str | None
    how: str  # "known" (a header fleksrun knows), "mapped" (--map), "skipped" (--map …=-), "unplaced"


def place_columns(header: list[object], maps: dict[str, tuple[str, str]], has_data: list[bool]) -> list[Column]:
    """Each non-empty header cell placed: by --map first, else by the known headers; a field named
    twice, or a --map for a column the sheet does not have, is an error."""
    columns: list[Column] = []
    for index, text in enumerate(header):
        title = str(text).strip()
        if not title:
            continue
        key = header_key(title)
        if key in maps:
            chosen = maps[key][1]
            columns.append(Column(index, title, None if chosen == SKIP else chosen,
                                  "skipped" if chosen == SKIP else "mapped"))
        elif (field := field_for(title)) is not None:
            columns.append(Column(index, title, None, "skipped") if field in IGNORED
                           else Column(index, title, field, "known"))
        else:
            columns.append(Column(index, title, None, "unplaced" if has_data[index] else "skipped"))
    present = {header_key(c.header) for c in columns}
    for key, (typed, _field) in maps.items():
        if key not in present:
            raise InputError("import.map_no_column", column=typed, columns=", ".join(c.header for c in columns))
    seen: dict[str, str] = {}
    for column in columns:
        if column.field is None:
            continue
        if column.field in seen:
            raise InputError("import.field_twice", field=column.field, first=seen[column.field],
                             second=column.header)
        seen[column.field] = column.header
    return columns


def header_score(cells: list[object], maps: dict[str, tuple[str, str]]) -> int:
    """How many cells of a row read as headers: the header row is the first with two or more."""
    keys = [header_key(str(c)) for c in cells]
    return sum(1 for key in keys if key and (key in maps or key in _KNOWN))
