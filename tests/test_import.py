"""`import`: real .xlsx files written by openpyxl, CSV in both dialects, the round trip through
`export csv caseload`, a second import that changes nothing, and all or nothing on a bad row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from tests.conftest import file_digest

HEADER = ["Navn", "CPR-nr.", "Sagsnr.", "Forløb", "Fase", "Startdato", "Telefon", "Jobmål", "Skånehensyn",
          "Næste opfølgning", "Virksomhed", "CVR", "Praktik start", "Praktik slut", "Ugedage", "Timer"]


def write_xlsx(path: Path, rows: list[list[object]], *, title: str | None = "Min sagsstamme") -> Path:
    """A sheet as a consultant keeps it: a merged title row and an empty row above the headers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Borgere"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


ROWS: list[list[object]] = [
    # Dates as Excel dates, hours as a number, the CPR number as a number that lost its leading zero.
    ["Søren Ærø", 101901234, "S-100", "ovebane", None, dt.date(2026, 3, 2), 12345678, "Lager", "Kan ikke løfte",
     dt.date(2026, 4, 6), "Bageriet Åbyhøj", "12345678", dt.date(2026, 3, 3), dt.date(2026, 4, 30), "tir,tor", 7.5],
    [],  # an empty row in the middle
    # Dates as text (Danish day first), hours with a decimal comma, a phase by its id.
    ["Åse Øby", "020285-2345", "S-101", "jobgaranti", "trin1", "01-03-2026", "+45 8765 4321", None, None,
     "13.4.2026", "Bageriet Åbyhøj", None, "4-3-2026", "26-3-2026", "ons", "3,5"],
    ["Jonas Berg", None, "S-102", "rampen", None, "2026-03-16", None, None, None, None, None, None, None, None,
     None, None],
]


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "sagsstamme.xlsx", ROWS)


def _citizens(cli) -> dict[str, dict]:
    return {c["name"]: c for c in cli.json("citizens")["items"]}


def test_an_excel_sheet_with_title_rows_empty_rows_and_danish_headers(cli, sheet):
    result = cli("import", str(sheet))
    assert "Read sheet 'Borgere' of sagsstamme.xlsx" in result.stdout
    assert "the headers are in row 3" in result.stdout
    for header in ("Skånehensyn", "Næste opfølgning", "Praktik slut"):
        assert header in result.stdout  # what was recognised is shown
    assert "3 new, 0 updated and 0 unchanged" in result.stdout
    assert "1 new company(ies), 3 enrollment(s), 2 placement(s)" in result.stdout
    people = _citizens(cli)
    assert set(people) == {"Søren Ærø", "Åse Øby", "Jonas Berg"}
    assert people["Åse Øby"]["phase"] == "trin1" and people["Åse Øby"]["start"] == "2026-03-01"
    assert people["Søren Ærø"]["program"] == "ovebane" and people["Søren Ærø"]["start"] == "2026-03-02"
    card = cli.json("show", str(people["Søren Ærø"]["id"]))
    assert card["phone"] == "12345678" and card["job_goal"] == "Lager" and card["case_ref"] == "S-100"
    assert card["cpr"] == "010190-xxxx"  # kept whole, shown masked; the lost leading zero is back
    placements = cli.json("show", str(people["Åse Øby"]["id"]))["placements"]
    assert [(p["company"], p["hours_per_day"], p["weekdays"]) for p in placements] == [("Bageriet Åbyhøj", 3.5, "2")]
    companies = cli.json("company", "list")["items"]
    assert [(c["name"], c["cvr"]) for c in companies] == [("Bageriet Åbyhøj", "12345678")]
    due = cli.json("due", "--days", "30")["items"]
    assert any(i["kind"] == "followup" and i["citizen"] == "Åse Øby" and i["date"] == "2026-04-13" for i in due)


def test_a_second_import_changes_nothing(cli, sheet):
    cli("import", str(sheet))
    before = file_digest(cli.db)
    result = cli("import", str(sheet))
    assert "Nothing to change: the 3 citizen(s)" in result.stdout
    assert file_digest(cli.db) == before


def test_undo_takes_the_whole_import_back_in_one_step(cli, sheet):
    cli("import", str(sheet))
    cli("undo")
    assert cli.json("citizens")["items"] == []
    assert cli.json("company", "list")["items"] == []


def test_a_dry_run_shows_the_plan_and_writes_nothing(cli, sheet):
    cli("company", "add", "Bageriet Åbyhøj")
    before = file_digest(cli.db)
    result = cli("import", str(sheet), "--dry-run")
    assert "What the import would do" in result.stdout
    assert "Dry run, nothing written: 3 new" in result.stdout
    assert "0 new company(ies)" in result.stdout  # matched by name, as `company` matching does
    assert file_digest(cli.db) == before


CSV_ROWS = [
    ["Navn", "CPR", "Forløb", "Startdato", "Timer", "Virksomhed", "Praktik start", "Praktik slut", "Ugedage"],
    ["Mette Hansen", "310385-1234", "ovebane", "30-03-2026", "{hours}", "Byg og Bo", "31-03-2026", "30-04-2026",
     "tue"],
    ["Ida Møller", "", "rampen", "2026-03-02", "", "", "", "", ""],
]


@pytest.mark.parametrize(("delimiter", "hours", "encoding", "said"), [
    (";", "4,5", "utf-8-sig", "Danish Excel: ';' between cells, decimal comma"),
    (",", "4.5", "utf-8", "plain: ',' between cells, decimal point"),
])
def test_csv_in_both_dialects(cli, tmp_path, delimiter, hours, encoding, said):
    text = "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in row).format(hours=hours)
                       for row in CSV_ROWS)
    path = tmp_path / "liste.csv"
    path.write_bytes(text.encode(encoding))
    result = cli("import", str(path))
    assert said in result.stdout
    people = _citizens(cli)
    placement = cli.json("show", str(people["Mette Hansen"]["id"]))["placements"][0]
    assert placement["hours_per_day"] == 4.5 and placement["company"] == "Byg og Bo"


def test_windows_1252_csv_from_an_older_excel(cli, tmp_path):
    path = tmp_path / "gammel.csv"
    path.write_bytes("Navn;Forløb;Startdato\r\nBørge Ålund;ovebane;30-03-2026\r\n".encode("cp1252"))
    result = cli("import", str(path))
    assert "cp1252" in result.stdout
    assert set(_citizens(cli)) == {"Børge Ålund"}


def test_the_round_trip_export_import_export_gives_the_same_file(cli, sheet, tmp_path):
    cli("import", str(sheet))
    cli("followup", "Jonas", "--on", "2026-03-20", "--kind", "phone")
    first = tmp_path / "first.csv"
    cli("export", "csv", "caseload", "--out", str(first))
    fresh = type(cli)(tmp_path / "empty.db")
    fresh("import", str(first))
    again = tmp_path / "again.csv"
    fresh("export", "csv", "caseload", "--out", str(again))
    assert again.read_bytes() == first.read_bytes()
    lines = first.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 4 and "Søren Ærø" in first.read_text(encoding="utf-8-sig")
    assert "0101901234" not in first.read_text(encoding="utf-8-sig")  # never a CPR number in an export


def _eighty_rows(bad: dict[int, dict[int, object]]) -> list[list[object]]:
    rows: list[list[object]] = []
    for n in range(80):
        row: list[object] = [f"Borger {n:02d} Ærlig", f"0101{70 + n % 30:02d}-{1000 + n}", f"S-{n}", "ovebane", None,
                             "02-03-2026", None, None, None, None, None, None, None, None, None, None]
        for column, value in bad.get(n, {}).items():
            row[column] = value
        rows.append(row)
    return rows


def test_one_bad_row_among_eighty_writes_nothing_and_names_every_bad_cell(cli, tmp_path):
    cli("company", "add", "Bageriet")
    path = write_xlsx(tmp_path / "80.xlsx", _eighty_rows({41: {5: "31-02-2026", 1: "311399-1234", 3: "ukendt",
                                                                 15: "mange", 13: "1-4-2026"}}))
    before = file_digest(cli.db)
    result = cli("import", str(path), code=2)
    assert file_digest(cli.db) == before
    # The sheet's row 45: a title, an empty row, the headers, then rows 4 … 83.
    assert "row 45, Startdato: '31-02-2026' is not a date" in result.stderr
    assert "row 45, CPR-nr.: " in result.stderr and "311399-xxxx" in result.stderr
    assert "311399-1234" not in result.stdout + result.stderr
    assert "row 45, Forløb: " in result.stderr and "ukendt" in result.stderr
    assert "row 45, Timer: 'mange' is not a number" in result.stderr
    assert "row 45, Virksomhed: a placement needs the company" in result.stderr
    assert "Nothing was imported: 1 row(s) have problems" in result.stderr
    assert "row 44" not in result.stderr and "row 46" not in result.stderr


def test_skip_bad_imports_the_good_rows_and_writes_the_bad_ones_to_fix(cli, tmp_path):
    path = write_xlsx(tmp_path / "80.xlsx", _eighty_rows({10: {5: "31-02-2026"}, 20: {0: None, 3: None}}))
    bad_file = tmp_path / "fejl.csv"
    result = cli("import", str(path), "--skip-bad", str(bad_file))
    assert "78 new" in result.stdout and "Wrote the 2 row(s) with problems" in result.stdout
    assert len(cli.json("citizens")["items"]) == 78
    text = bad_file.read_text(encoding="utf-8-sig")
    assert "Startdato: '31-02-2026' is not a date" in text and "Problem" in text.splitlines()[0]
    # Corrected in the file, it imports again; the problem column is left out by itself.
    lines = [line for line in text.replace("31-02-2026", "28-02-2026").splitlines() if ";S-20;" not in line]
    bad_file.write_text("\n".join(lines), encoding="utf-8-sig")
    result = cli("import", str(bad_file))
    assert "1 new" in result.stdout
    assert len(cli.json("citizens")["items"]) == 79


def test_a_match_by_name_alone_asks_for_update(cli, tmp_path):
    cli("enroll", "Søren Ærø", "--program", "ovebane", "--start", "2026-03-02")
    path = write_xlsx(tmp_path / "a.xlsx", [["Søren Ærø", None, None, "ovebane", None, "02-03-2026", "99887766"]
                                            + [None] * 9])
    before = file_digest(cli.db)
    result = cli("import", str(path), code=2)
    assert "row 4, Navn: the name is that of citizen 1" in result.stderr and "--update" in result.stderr
    assert file_digest(cli.db) == before
    result = cli("import", str(path), "--update")
    assert "0 new, 1 updated" in result.stdout
    assert cli.json("show", "1")["phone"] == "99887766"
    assert len(cli.json("citizens")["items"]) == 1


def test_a_match_by_case_number_updates_without_asking(cli, tmp_path):
    cli("enroll", "Søren Ærø", "--program", "ovebane", "--start", "2026-03-02", "--ref", "S-100")
    path = write_xlsx(tmp_path / "a.xlsx", [["Søren Ærø-Hansen", None, "S-100", "ovebane", None, "02-03-2026"]
                                            + [None] * 10])
    result = cli("import", str(path))
    assert "0 new, 1 updated" in result.stdout
    assert cli.json("show", "1")["name"] == "Søren Ærø-Hansen"


def test_a_column_nobody_can_place_is_named_and_map_settles_it(cli, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Borgernavn;Forløb;Startdato;Kommentar\nMette Hansen;ovebane;30-03-2026;ok\n", encoding="utf-8")
    cli("config")  # the file exists (a first command made it): nothing more may be written to it
    before = file_digest(cli.db)
    result = cli("import", str(path), code=2)
    assert "'Borgernavn'" in result.stderr and "'Kommentar'" in result.stderr
    assert file_digest(cli.db) == before
    result = cli("import", str(path), "--map", "Borgernavn=name", "--map", "Kommentar=notes")
    assert "1 new" in result.stdout
    assert cli.json("show", "1")["notes"] == "ok"
    result = cli("import", str(path), "--map", "Borgernavn=navnet", code=2)
    assert "'navnet' is not a field" in result.stderr


def test_import_in_danish(cli, sheet):
    cli.lang = "da"
    result = cli("import", str(sheet), "--dry-run")
    assert "Prøvekørsel, intet skrevet: 3 nye" in result.stdout
    assert "Kolonne i arket" in result.stdout


def test_wrong_files_are_one_sentence(cli, tmp_path):
    result = cli("import", str(tmp_path / "findes-ikke.xlsx"), code=2)
    assert "There is no file" in result.stderr and "Traceback" not in result.stderr
    other = tmp_path / "liste.pdf"
    other.write_bytes(b"%PDF")
    assert "is not a file fleksrun can import" in cli("import", str(other), code=2).stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert "cannot be read as a spreadsheet" in cli("import", str(broken), code=2).stderr
    sheet = write_xlsx(tmp_path / "s.xlsx", ROWS)
    assert "no sheet 'Ark2'" in cli("import", str(sheet), "--sheet", "Ark2", code=2).stderr
    assert "Dry run, nothing written" in cli("import", str(sheet), "--sheet", "borgere", "--dry-run").stdout
